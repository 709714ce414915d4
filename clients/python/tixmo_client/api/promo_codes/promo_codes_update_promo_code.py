from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.promo_code_read import PromoCodeRead
from ...models.promo_code_update import PromoCodeUpdate
from typing import cast
from uuid import UUID



def _get_kwargs(
    promo_code_id: UUID,
    *,
    body: PromoCodeUpdate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/promo-codes/{promo_code_id}".format(promo_code_id=quote(str(promo_code_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | PromoCodeRead | None:
    if response.status_code == 200:
        response_200 = PromoCodeRead.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | PromoCodeRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    promo_code_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PromoCodeUpdate,

) -> Response[Problem | PromoCodeRead]:
    """ Update a promo code (org staff; partial; maxUses not below usedCount)

    Args:
        promo_code_id (UUID):
        body (PromoCodeUpdate): A partial update: the fields given replace the stored ones
            (``null`` clears optional fields).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PromoCodeRead]
     """


    kwargs = _get_kwargs(
        promo_code_id=promo_code_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    promo_code_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PromoCodeUpdate,

) -> Problem | PromoCodeRead | None:
    """ Update a promo code (org staff; partial; maxUses not below usedCount)

    Args:
        promo_code_id (UUID):
        body (PromoCodeUpdate): A partial update: the fields given replace the stored ones
            (``null`` clears optional fields).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PromoCodeRead
     """


    return sync_detailed(
        promo_code_id=promo_code_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    promo_code_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PromoCodeUpdate,

) -> Response[Problem | PromoCodeRead]:
    """ Update a promo code (org staff; partial; maxUses not below usedCount)

    Args:
        promo_code_id (UUID):
        body (PromoCodeUpdate): A partial update: the fields given replace the stored ones
            (``null`` clears optional fields).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PromoCodeRead]
     """


    kwargs = _get_kwargs(
        promo_code_id=promo_code_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    promo_code_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PromoCodeUpdate,

) -> Problem | PromoCodeRead | None:
    """ Update a promo code (org staff; partial; maxUses not below usedCount)

    Args:
        promo_code_id (UUID):
        body (PromoCodeUpdate): A partial update: the fields given replace the stored ones
            (``null`` clears optional fields).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PromoCodeRead
     """


    return (await asyncio_detailed(
        promo_code_id=promo_code_id,
client=client,
body=body,

    )).parsed

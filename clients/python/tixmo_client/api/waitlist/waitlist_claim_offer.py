from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.order_read import OrderRead
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    waitlist_id: UUID,
    *,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/waitlist/{waitlist_id}/claim".format(waitlist_id=quote(str(waitlist_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OrderRead | Problem | None:
    if response.status_code == 201:
        response_201 = OrderRead.from_dict(response.json())



        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[OrderRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    waitlist_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[OrderRead | Problem]:
    """ Claim your offer: the held tickets become a PENDING order (201, the order)

     At the ticket type's price now; pay it like any order before its `expiresAt`. 409 `INVALID_STATE`
    when the entry is not OFFERED or the offer ran out.

    Args:
        waitlist_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderRead | Problem]
     """


    kwargs = _get_kwargs(
        waitlist_id=waitlist_id,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    waitlist_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: None | str | Unset = UNSET,

) -> OrderRead | Problem | None:
    """ Claim your offer: the held tickets become a PENDING order (201, the order)

     At the ticket type's price now; pay it like any order before its `expiresAt`. 409 `INVALID_STATE`
    when the entry is not OFFERED or the offer ran out.

    Args:
        waitlist_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderRead | Problem
     """


    return sync_detailed(
        waitlist_id=waitlist_id,
client=client,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    waitlist_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[OrderRead | Problem]:
    """ Claim your offer: the held tickets become a PENDING order (201, the order)

     At the ticket type's price now; pay it like any order before its `expiresAt`. 409 `INVALID_STATE`
    when the entry is not OFFERED or the offer ran out.

    Args:
        waitlist_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderRead | Problem]
     """


    kwargs = _get_kwargs(
        waitlist_id=waitlist_id,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    waitlist_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: None | str | Unset = UNSET,

) -> OrderRead | Problem | None:
    """ Claim your offer: the held tickets become a PENDING order (201, the order)

     At the ticket type's price now; pay it like any order before its `expiresAt`. 409 `INVALID_STATE`
    when the entry is not OFFERED or the offer ran out.

    Args:
        waitlist_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderRead | Problem
     """


    return (await asyncio_detailed(
        waitlist_id=waitlist_id,
client=client,
idempotency_key=idempotency_key,

    )).parsed

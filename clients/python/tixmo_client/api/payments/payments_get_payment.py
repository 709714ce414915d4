from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.payment_read import PaymentRead
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    payment_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/payments/{payment_id}".format(payment_id=quote(str(payment_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PaymentRead | Problem | None:
    if response.status_code == 200:
        response_200 = PaymentRead.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PaymentRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    payment_id: UUID,
    *,
    client: AuthenticatedClient,

) -> Response[PaymentRead | Problem]:
    """ Get a payment with its refunds and history (the buyer, org staff, ADMIN)

    Args:
        payment_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaymentRead | Problem]
     """


    kwargs = _get_kwargs(
        payment_id=payment_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    payment_id: UUID,
    *,
    client: AuthenticatedClient,

) -> PaymentRead | Problem | None:
    """ Get a payment with its refunds and history (the buyer, org staff, ADMIN)

    Args:
        payment_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaymentRead | Problem
     """


    return sync_detailed(
        payment_id=payment_id,
client=client,

    ).parsed

async def asyncio_detailed(
    payment_id: UUID,
    *,
    client: AuthenticatedClient,

) -> Response[PaymentRead | Problem]:
    """ Get a payment with its refunds and history (the buyer, org staff, ADMIN)

    Args:
        payment_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaymentRead | Problem]
     """


    kwargs = _get_kwargs(
        payment_id=payment_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    payment_id: UUID,
    *,
    client: AuthenticatedClient,

) -> PaymentRead | Problem | None:
    """ Get a payment with its refunds and history (the buyer, org staff, ADMIN)

    Args:
        payment_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaymentRead | Problem
     """


    return (await asyncio_detailed(
        payment_id=payment_id,
client=client,

    )).parsed

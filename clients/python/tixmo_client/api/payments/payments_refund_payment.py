from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.payment_read import PaymentRead
from ...models.problem import Problem
from ...models.refund_create import RefundCreate
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    payment_id: UUID,
    *,
    body: RefundCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/payments/{payment_id}/refund".format(payment_id=quote(str(payment_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PaymentRead | Problem | None:
    if response.status_code == 200:
        response_200 = PaymentRead.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

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
    body: RefundCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[PaymentRead | Problem]:
    """ Refund a payment (org staff): all that is left, an amount, and/or tickets

     `{}` refunds what is left and cancels the order's tickets (order `REFUNDED`). `amount` refunds part
    (order `PARTIALLY_REFUNDED`); `ticketIds` cancels those tickets (back on sale) and, without
    `amount`, refunds their paid share. Never more than was received (422 naming `amount`). Stripe
    refunds are `PENDING` until Stripe confirms them; manual ones succeed at once.

    Args:
        payment_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (RefundCreate): ``amount`` omitted: what is left (or, with ``ticketIds``, those
            tickets' paid share).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaymentRead | Problem]
     """


    kwargs = _get_kwargs(
        payment_id=payment_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    payment_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RefundCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> PaymentRead | Problem | None:
    """ Refund a payment (org staff): all that is left, an amount, and/or tickets

     `{}` refunds what is left and cancels the order's tickets (order `REFUNDED`). `amount` refunds part
    (order `PARTIALLY_REFUNDED`); `ticketIds` cancels those tickets (back on sale) and, without
    `amount`, refunds their paid share. Never more than was received (422 naming `amount`). Stripe
    refunds are `PENDING` until Stripe confirms them; manual ones succeed at once.

    Args:
        payment_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (RefundCreate): ``amount`` omitted: what is left (or, with ``ticketIds``, those
            tickets' paid share).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaymentRead | Problem
     """


    return sync_detailed(
        payment_id=payment_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    payment_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RefundCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[PaymentRead | Problem]:
    """ Refund a payment (org staff): all that is left, an amount, and/or tickets

     `{}` refunds what is left and cancels the order's tickets (order `REFUNDED`). `amount` refunds part
    (order `PARTIALLY_REFUNDED`); `ticketIds` cancels those tickets (back on sale) and, without
    `amount`, refunds their paid share. Never more than was received (422 naming `amount`). Stripe
    refunds are `PENDING` until Stripe confirms them; manual ones succeed at once.

    Args:
        payment_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (RefundCreate): ``amount`` omitted: what is left (or, with ``ticketIds``, those
            tickets' paid share).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaymentRead | Problem]
     """


    kwargs = _get_kwargs(
        payment_id=payment_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    payment_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RefundCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> PaymentRead | Problem | None:
    """ Refund a payment (org staff): all that is left, an amount, and/or tickets

     `{}` refunds what is left and cancels the order's tickets (order `REFUNDED`). `amount` refunds part
    (order `PARTIALLY_REFUNDED`); `ticketIds` cancels those tickets (back on sale) and, without
    `amount`, refunds their paid share. Never more than was received (422 naming `amount`). Stripe
    refunds are `PENDING` until Stripe confirms them; manual ones succeed at once.

    Args:
        payment_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (RefundCreate): ``amount`` omitted: what is left (or, with ``ticketIds``, those
            tickets' paid share).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaymentRead | Problem
     """


    return (await asyncio_detailed(
        payment_id=payment_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.transfer_create import TransferCreate
from ...models.transfer_read import TransferRead
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_id: UUID,
    *,
    body: TransferCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/tickets/{ticket_id}/transfer".format(ticket_id=quote(str(ticket_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TransferRead | None:
    if response.status_code == 200:
        response_200 = TransferRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TransferRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TransferCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Problem | TransferRead]:
    """ Give a VALID ticket to another registered account (holder)

     The ticket gets a new barcode (the old code scans INVALID), both people are notified. An email
    without an account is 404; a USED or CANCELLED ticket is 409 `INVALID_STATE`; an event whose
    organizer forbids transfers (`transfersAllowed: false`) is 403. A ticket that changed hands
    meanwhile (e.g. a concurrent transfer) is 409 `CONFLICT`. Supports `Idempotency-Key`.

    Args:
        ticket_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (TransferCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransferRead]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TransferCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> Problem | TransferRead | None:
    """ Give a VALID ticket to another registered account (holder)

     The ticket gets a new barcode (the old code scans INVALID), both people are notified. An email
    without an account is 404; a USED or CANCELLED ticket is 409 `INVALID_STATE`; an event whose
    organizer forbids transfers (`transfersAllowed: false`) is 403. A ticket that changed hands
    meanwhile (e.g. a concurrent transfer) is 409 `CONFLICT`. Supports `Idempotency-Key`.

    Args:
        ticket_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (TransferCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransferRead
     """


    return sync_detailed(
        ticket_id=ticket_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TransferCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Problem | TransferRead]:
    """ Give a VALID ticket to another registered account (holder)

     The ticket gets a new barcode (the old code scans INVALID), both people are notified. An email
    without an account is 404; a USED or CANCELLED ticket is 409 `INVALID_STATE`; an event whose
    organizer forbids transfers (`transfersAllowed: false`) is 403. A ticket that changed hands
    meanwhile (e.g. a concurrent transfer) is 409 `CONFLICT`. Supports `Idempotency-Key`.

    Args:
        ticket_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (TransferCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransferRead]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TransferCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> Problem | TransferRead | None:
    """ Give a VALID ticket to another registered account (holder)

     The ticket gets a new barcode (the old code scans INVALID), both people are notified. An email
    without an account is 404; a USED or CANCELLED ticket is 409 `INVALID_STATE`; an event whose
    organizer forbids transfers (`transfersAllowed: false`) is 403. A ticket that changed hands
    meanwhile (e.g. a concurrent transfer) is 409 `CONFLICT`. Supports `Idempotency-Key`.

    Args:
        ticket_id (UUID):
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (TransferCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransferRead
     """


    return (await asyncio_detailed(
        ticket_id=ticket_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed

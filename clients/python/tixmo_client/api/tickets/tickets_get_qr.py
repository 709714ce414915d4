from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.ticket_qr_read import TicketQrRead
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_id: UUID,
    *,
    if_none_match: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tickets/{ticket_id}/qr".format(ticket_id=quote(str(ticket_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | TicketQrRead | None:
    if response.status_code == 200:
        response_200 = TicketQrRead.from_dict(response.json())



        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem | TicketQrRead]:
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
    if_none_match: None | str | Unset = UNSET,

) -> Response[Any | Problem | TicketQrRead]:
    """ The ticket's QR code (holder): a PNG data URL and the signed qrData it holds

     The PNG is about 300 px with error correction H. `ETag` changes with the code, so `If-None-Match`
    answers 304 until the ticket is re-coded (regenerated, transferred) or the event's key rotates. A
    CANCELLED ticket has no code: 409 `INVALID_STATE`.

    Args:
        ticket_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | TicketQrRead]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
if_none_match=if_none_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient,
    if_none_match: None | str | Unset = UNSET,

) -> Any | Problem | TicketQrRead | None:
    """ The ticket's QR code (holder): a PNG data URL and the signed qrData it holds

     The PNG is about 300 px with error correction H. `ETag` changes with the code, so `If-None-Match`
    answers 304 until the ticket is re-coded (regenerated, transferred) or the event's key rotates. A
    CANCELLED ticket has no code: 409 `INVALID_STATE`.

    Args:
        ticket_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | TicketQrRead
     """


    return sync_detailed(
        ticket_id=ticket_id,
client=client,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient,
    if_none_match: None | str | Unset = UNSET,

) -> Response[Any | Problem | TicketQrRead]:
    """ The ticket's QR code (holder): a PNG data URL and the signed qrData it holds

     The PNG is about 300 px with error correction H. `ETag` changes with the code, so `If-None-Match`
    answers 304 until the ticket is re-coded (regenerated, transferred) or the event's key rotates. A
    CANCELLED ticket has no code: 409 `INVALID_STATE`.

    Args:
        ticket_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | TicketQrRead]
     """


    kwargs = _get_kwargs(
        ticket_id=ticket_id,
if_none_match=if_none_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_id: UUID,
    *,
    client: AuthenticatedClient,
    if_none_match: None | str | Unset = UNSET,

) -> Any | Problem | TicketQrRead | None:
    """ The ticket's QR code (holder): a PNG data URL and the signed qrData it holds

     The PNG is about 300 px with error correction H. `ETag` changes with the code, so `If-None-Match`
    answers 304 until the ticket is re-coded (regenerated, transferred) or the event's key rotates. A
    CANCELLED ticket has no code: 409 `INVALID_STATE`.

    Args:
        ticket_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | TicketQrRead
     """


    return (await asyncio_detailed(
        ticket_id=ticket_id,
client=client,
if_none_match=if_none_match,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.page_seat_status_read import PageSeatStatusRead
from ...models.problem import Problem
from ...models.seat_status import SeatStatus
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_type_id: UUID,
    *,
    status: None | SeatStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, SeatStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["page"] = page

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ticket-types/{ticket_type_id}/seats".format(ticket_type_id=quote(str(ticket_type_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageSeatStatusRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageSeatStatusRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PageSeatStatusRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ticket_type_id: UUID,
    *,
    client: AuthenticatedClient,
    status: None | SeatStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> Response[PageSeatStatusRead | Problem]:
    """ A ticket type's seats in chart order (public for PUBLISHED events; org staff always)

    Args:
        ticket_type_id (UUID):
        status (None | SeatStatus | Unset): Only seats in this status.
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageSeatStatusRead | Problem]
     """


    kwargs = _get_kwargs(
        ticket_type_id=ticket_type_id,
status=status,
page=page,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_type_id: UUID,
    *,
    client: AuthenticatedClient,
    status: None | SeatStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> PageSeatStatusRead | Problem | None:
    """ A ticket type's seats in chart order (public for PUBLISHED events; org staff always)

    Args:
        ticket_type_id (UUID):
        status (None | SeatStatus | Unset): Only seats in this status.
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageSeatStatusRead | Problem
     """


    return sync_detailed(
        ticket_type_id=ticket_type_id,
client=client,
status=status,
page=page,
limit=limit,

    ).parsed

async def asyncio_detailed(
    ticket_type_id: UUID,
    *,
    client: AuthenticatedClient,
    status: None | SeatStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> Response[PageSeatStatusRead | Problem]:
    """ A ticket type's seats in chart order (public for PUBLISHED events; org staff always)

    Args:
        ticket_type_id (UUID):
        status (None | SeatStatus | Unset): Only seats in this status.
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageSeatStatusRead | Problem]
     """


    kwargs = _get_kwargs(
        ticket_type_id=ticket_type_id,
status=status,
page=page,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_type_id: UUID,
    *,
    client: AuthenticatedClient,
    status: None | SeatStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> PageSeatStatusRead | Problem | None:
    """ A ticket type's seats in chart order (public for PUBLISHED events; org staff always)

    Args:
        ticket_type_id (UUID):
        status (None | SeatStatus | Unset): Only seats in this status.
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageSeatStatusRead | Problem
     """


    return (await asyncio_detailed(
        ticket_type_id=ticket_type_id,
client=client,
status=status,
page=page,
limit=limit,

    )).parsed

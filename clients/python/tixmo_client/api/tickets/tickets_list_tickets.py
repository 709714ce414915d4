from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.page_ticket_read import PageTicketRead
from ...models.problem import Problem
from ...models.ticket_status import TicketStatus
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    event_id: None | Unset | UUID = UNSET,
    status: None | TicketStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_event_id: None | str | Unset
    if isinstance(event_id, Unset):
        json_event_id = UNSET
    elif isinstance(event_id, UUID):
        json_event_id = str(event_id)
    else:
        json_event_id = event_id
    params["eventId"] = json_event_id

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, TicketStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["page"] = page

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tickets",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageTicketRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageTicketRead.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PageTicketRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    event_id: None | Unset | UUID = UNSET,
    status: None | TicketStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> Response[PageTicketRead | Problem]:
    """ List tickets: your own; org staff with eventId: all of that event's tickets

     A ticket you transferred is no longer listed; one transferred to you is.

    Args:
        event_id (None | Unset | UUID):
        status (None | TicketStatus | Unset):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageTicketRead | Problem]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
status=status,
page=page,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    event_id: None | Unset | UUID = UNSET,
    status: None | TicketStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> PageTicketRead | Problem | None:
    """ List tickets: your own; org staff with eventId: all of that event's tickets

     A ticket you transferred is no longer listed; one transferred to you is.

    Args:
        event_id (None | Unset | UUID):
        status (None | TicketStatus | Unset):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageTicketRead | Problem
     """


    return sync_detailed(
        client=client,
event_id=event_id,
status=status,
page=page,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    event_id: None | Unset | UUID = UNSET,
    status: None | TicketStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> Response[PageTicketRead | Problem]:
    """ List tickets: your own; org staff with eventId: all of that event's tickets

     A ticket you transferred is no longer listed; one transferred to you is.

    Args:
        event_id (None | Unset | UUID):
        status (None | TicketStatus | Unset):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageTicketRead | Problem]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
status=status,
page=page,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    event_id: None | Unset | UUID = UNSET,
    status: None | TicketStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> PageTicketRead | Problem | None:
    """ List tickets: your own; org staff with eventId: all of that event's tickets

     A ticket you transferred is no longer listed; one transferred to you is.

    Args:
        event_id (None | Unset | UUID):
        status (None | TicketStatus | Unset):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageTicketRead | Problem
     """


    return (await asyncio_detailed(
        client=client,
event_id=event_id,
status=status,
page=page,
limit=limit,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    event_id: UUID,
    *,
    ticket: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id



    

    params: dict[str, Any] = {}

    json_ticket: None | str | Unset
    if isinstance(ticket, Unset):
        json_ticket = UNSET
    else:
        json_ticket = ticket
    params["ticket"] = json_ticket


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events/{event_id}/live".format(event_id=quote(str(event_id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    ticket: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Server-Sent Events: each scan with the new occupancy, heartbeats (org staff)

     Authenticate with the Bearer header or `?ticket=` from `POST /events/{eventId}/live-ticket`. Events:
    `occupancy` on connect, then `scan` (`id` = scan id) with `{scan, occupancy}`, and `scan-updated`
    (no `id`) with the same shape when an offline merge changed a scan's verdict; comments as
    heartbeats. Reconnect with `Last-Event-ID` to receive all the scans missed meanwhile (a value that
    is not a scan id, i.e. not ASCII digits, is a 422 naming the header).

    Args:
        event_id (UUID):
        ticket (None | str | Unset):
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
ticket=ticket,
last_event_id=last_event_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    ticket: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Server-Sent Events: each scan with the new occupancy, heartbeats (org staff)

     Authenticate with the Bearer header or `?ticket=` from `POST /events/{eventId}/live-ticket`. Events:
    `occupancy` on connect, then `scan` (`id` = scan id) with `{scan, occupancy}`, and `scan-updated`
    (no `id`) with the same shape when an offline merge changed a scan's verdict; comments as
    heartbeats. Reconnect with `Last-Event-ID` to receive all the scans missed meanwhile (a value that
    is not a scan id, i.e. not ASCII digits, is a 422 naming the header).

    Args:
        event_id (UUID):
        ticket (None | str | Unset):
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return sync_detailed(
        event_id=event_id,
client=client,
ticket=ticket,
last_event_id=last_event_id,

    ).parsed

async def asyncio_detailed(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    ticket: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Response[Any | Problem]:
    """ Server-Sent Events: each scan with the new occupancy, heartbeats (org staff)

     Authenticate with the Bearer header or `?ticket=` from `POST /events/{eventId}/live-ticket`. Events:
    `occupancy` on connect, then `scan` (`id` = scan id) with `{scan, occupancy}`, and `scan-updated`
    (no `id`) with the same shape when an offline merge changed a scan's verdict; comments as
    heartbeats. Reconnect with `Last-Event-ID` to receive all the scans missed meanwhile (a value that
    is not a scan id, i.e. not ASCII digits, is a 422 naming the header).

    Args:
        event_id (UUID):
        ticket (None | str | Unset):
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
ticket=ticket,
last_event_id=last_event_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    ticket: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Any | Problem | None:
    """ Server-Sent Events: each scan with the new occupancy, heartbeats (org staff)

     Authenticate with the Bearer header or `?ticket=` from `POST /events/{eventId}/live-ticket`. Events:
    `occupancy` on connect, then `scan` (`id` = scan id) with `{scan, occupancy}`, and `scan-updated`
    (no `id`) with the same shape when an offline merge changed a scan's verdict; comments as
    heartbeats. Reconnect with `Last-Event-ID` to receive all the scans missed meanwhile (a value that
    is not a scan id, i.e. not ASCII digits, is a 422 naming the header).

    Args:
        event_id (UUID):
        ticket (None | str | Unset):
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
     """


    return (await asyncio_detailed(
        event_id=event_id,
client=client,
ticket=ticket,
last_event_id=last_event_id,

    )).parsed

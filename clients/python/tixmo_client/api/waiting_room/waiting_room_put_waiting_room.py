from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.waiting_room_read import WaitingRoomRead
from ...models.waiting_room_update import WaitingRoomUpdate
from typing import cast
from uuid import UUID



def _get_kwargs(
    event_id: UUID,
    *,
    body: WaitingRoomUpdate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/events/{event_id}/waiting-room".format(event_id=quote(str(event_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WaitingRoomRead | None:
    if response.status_code == 200:
        response_200 = WaitingRoomRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WaitingRoomRead]:
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
    body: WaitingRoomUpdate,

) -> Response[Problem | WaitingRoomRead]:
    """ Create or change the event's waiting room (org staff; opensAt required to create)

    Args:
        event_id (UUID):
        body (WaitingRoomUpdate): Create (``opensAt`` required) or change the room; the fields
            given replace the stored ones.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WaitingRoomRead]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WaitingRoomUpdate,

) -> Problem | WaitingRoomRead | None:
    """ Create or change the event's waiting room (org staff; opensAt required to create)

    Args:
        event_id (UUID):
        body (WaitingRoomUpdate): Create (``opensAt`` required) or change the room; the fields
            given replace the stored ones.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WaitingRoomRead
     """


    return sync_detailed(
        event_id=event_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WaitingRoomUpdate,

) -> Response[Problem | WaitingRoomRead]:
    """ Create or change the event's waiting room (org staff; opensAt required to create)

    Args:
        event_id (UUID):
        body (WaitingRoomUpdate): Create (``opensAt`` required) or change the room; the fields
            given replace the stored ones.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WaitingRoomRead]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    event_id: UUID,
    *,
    client: AuthenticatedClient,
    body: WaitingRoomUpdate,

) -> Problem | WaitingRoomRead | None:
    """ Create or change the event's waiting room (org staff; opensAt required to create)

    Args:
        event_id (UUID):
        body (WaitingRoomUpdate): Create (``opensAt`` required) or change the room; the fields
            given replace the stored ones.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WaitingRoomRead
     """


    return (await asyncio_detailed(
        event_id=event_id,
client=client,
body=body,

    )).parsed

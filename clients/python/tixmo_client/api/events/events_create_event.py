from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.event_create import EventCreate
from ...models.event_read import EventRead
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    *,
    body: EventCreate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/events",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EventRead | Problem | None:
    if response.status_code == 201:
        response_201 = EventRead.from_dict(response.json())



        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EventRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: EventCreate,

) -> Response[EventRead | Problem]:
    """ Create an event (org staff); it starts as DRAFT

     An unknown `organizationId` (or one the caller is not staff of) is 404. A `venueId` that is not a
    live venue of that organization is 422 naming `venueId`.

    Args:
        body (EventCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventRead | Problem]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: EventCreate,

) -> EventRead | Problem | None:
    """ Create an event (org staff); it starts as DRAFT

     An unknown `organizationId` (or one the caller is not staff of) is 404. A `venueId` that is not a
    live venue of that organization is 422 naming `venueId`.

    Args:
        body (EventCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventRead | Problem
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EventCreate,

) -> Response[EventRead | Problem]:
    """ Create an event (org staff); it starts as DRAFT

     An unknown `organizationId` (or one the caller is not staff of) is 404. A `venueId` that is not a
    live venue of that organization is 422 naming `venueId`.

    Args:
        body (EventCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventRead | Problem]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EventCreate,

) -> EventRead | Problem | None:
    """ Create an event (org staff); it starts as DRAFT

     An unknown `organizationId` (or one the caller is not staff of) is 404. A `venueId` that is not a
    live venue of that organization is 422 naming `venueId`.

    Args:
        body (EventCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventRead | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed

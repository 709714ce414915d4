from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.ticket_types_bulk_create import TicketTypesBulkCreate
from ...models.ticket_types_bulk_created import TicketTypesBulkCreated
from typing import cast
from uuid import UUID



def _get_kwargs(
    event_id: UUID,
    *,
    body: TicketTypesBulkCreate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/events/{event_id}/ticket-types/bulk".format(event_id=quote(str(event_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TicketTypesBulkCreated | None:
    if response.status_code == 201:
        response_201 = TicketTypesBulkCreated.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TicketTypesBulkCreated]:
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
    body: TicketTypesBulkCreate,

) -> Response[Problem | TicketTypesBulkCreated]:
    """ Create up to 500 ticket types at once (org staff; all or nothing)

    Args:
        event_id (UUID):
        body (TicketTypesBulkCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketTypesBulkCreated]
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
    body: TicketTypesBulkCreate,

) -> Problem | TicketTypesBulkCreated | None:
    """ Create up to 500 ticket types at once (org staff; all or nothing)

    Args:
        event_id (UUID):
        body (TicketTypesBulkCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketTypesBulkCreated
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
    body: TicketTypesBulkCreate,

) -> Response[Problem | TicketTypesBulkCreated]:
    """ Create up to 500 ticket types at once (org staff; all or nothing)

    Args:
        event_id (UUID):
        body (TicketTypesBulkCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketTypesBulkCreated]
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
    body: TicketTypesBulkCreate,

) -> Problem | TicketTypesBulkCreated | None:
    """ Create up to 500 ticket types at once (org staff; all or nothing)

    Args:
        event_id (UUID):
        body (TicketTypesBulkCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketTypesBulkCreated
     """


    return (await asyncio_detailed(
        event_id=event_id,
client=client,
body=body,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.ticket_type_read import TicketTypeRead
from ...models.ticket_type_update import TicketTypeUpdate
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_type_id: UUID,
    *,
    body: TicketTypeUpdate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/ticket-types/{ticket_type_id}".format(ticket_type_id=quote(str(ticket_type_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TicketTypeRead | None:
    if response.status_code == 200:
        response_200 = TicketTypeRead.from_dict(response.json())



        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TicketTypeRead]:
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
    body: TicketTypeUpdate,

) -> Response[Problem | TicketTypeRead]:
    """ Update a ticket type (org staff; partial; quantityTotal not below sold + held)

    Args:
        ticket_type_id (UUID):
        body (TicketTypeUpdate): A partial update: the fields given replace the stored ones
            (``null`` clears optional fields).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketTypeRead]
     """


    kwargs = _get_kwargs(
        ticket_type_id=ticket_type_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_type_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TicketTypeUpdate,

) -> Problem | TicketTypeRead | None:
    """ Update a ticket type (org staff; partial; quantityTotal not below sold + held)

    Args:
        ticket_type_id (UUID):
        body (TicketTypeUpdate): A partial update: the fields given replace the stored ones
            (``null`` clears optional fields).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketTypeRead
     """


    return sync_detailed(
        ticket_type_id=ticket_type_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    ticket_type_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TicketTypeUpdate,

) -> Response[Problem | TicketTypeRead]:
    """ Update a ticket type (org staff; partial; quantityTotal not below sold + held)

    Args:
        ticket_type_id (UUID):
        body (TicketTypeUpdate): A partial update: the fields given replace the stored ones
            (``null`` clears optional fields).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TicketTypeRead]
     """


    kwargs = _get_kwargs(
        ticket_type_id=ticket_type_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_type_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TicketTypeUpdate,

) -> Problem | TicketTypeRead | None:
    """ Update a ticket type (org staff; partial; quantityTotal not below sold + held)

    Args:
        ticket_type_id (UUID):
        body (TicketTypeUpdate): A partial update: the fields given replace the stored ones
            (``null`` clears optional fields).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TicketTypeRead
     """


    return (await asyncio_detailed(
        ticket_type_id=ticket_type_id,
client=client,
body=body,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.seat_map_read import SeatMapRead
from ...models.seat_map_update import SeatMapUpdate
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_type_id: UUID,
    *,
    body: SeatMapUpdate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/ticket-types/{ticket_type_id}/seats".format(ticket_type_id=quote(str(ticket_type_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SeatMapRead | None:
    if response.status_code == 200:
        response_200 = SeatMapRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | SeatMapRead]:
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
    body: SeatMapUpdate,

) -> Response[Problem | SeatMapRead]:
    """ Set the seats a ticket type sells (org staff); quantityTotal becomes the seat count

     Give `seats` (`[{section, row, seat}]`, at most 10,000) or `sections` (every seat of those
    sections), not both: the ticket type's seat map becomes exactly that set. The event needs a venue
    with a seating chart and must be DRAFT or PUBLISHED. A seat of another ticket type of the event, or
    removing a HELD or SOLD seat, is 409 `CONFLICT`.

    Args:
        ticket_type_id (UUID):
        body (SeatMapUpdate): The ticket type's seat map becomes exactly this set: give ``seats``
            or ``sections``, not both.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SeatMapRead]
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
    body: SeatMapUpdate,

) -> Problem | SeatMapRead | None:
    """ Set the seats a ticket type sells (org staff); quantityTotal becomes the seat count

     Give `seats` (`[{section, row, seat}]`, at most 10,000) or `sections` (every seat of those
    sections), not both: the ticket type's seat map becomes exactly that set. The event needs a venue
    with a seating chart and must be DRAFT or PUBLISHED. A seat of another ticket type of the event, or
    removing a HELD or SOLD seat, is 409 `CONFLICT`.

    Args:
        ticket_type_id (UUID):
        body (SeatMapUpdate): The ticket type's seat map becomes exactly this set: give ``seats``
            or ``sections``, not both.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SeatMapRead
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
    body: SeatMapUpdate,

) -> Response[Problem | SeatMapRead]:
    """ Set the seats a ticket type sells (org staff); quantityTotal becomes the seat count

     Give `seats` (`[{section, row, seat}]`, at most 10,000) or `sections` (every seat of those
    sections), not both: the ticket type's seat map becomes exactly that set. The event needs a venue
    with a seating chart and must be DRAFT or PUBLISHED. A seat of another ticket type of the event, or
    removing a HELD or SOLD seat, is 409 `CONFLICT`.

    Args:
        ticket_type_id (UUID):
        body (SeatMapUpdate): The ticket type's seat map becomes exactly this set: give ``seats``
            or ``sections``, not both.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SeatMapRead]
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
    body: SeatMapUpdate,

) -> Problem | SeatMapRead | None:
    """ Set the seats a ticket type sells (org staff); quantityTotal becomes the seat count

     Give `seats` (`[{section, row, seat}]`, at most 10,000) or `sections` (every seat of those
    sections), not both: the ticket type's seat map becomes exactly that set. The event needs a venue
    with a seating chart and must be DRAFT or PUBLISHED. A seat of another ticket type of the event, or
    removing a HELD or SOLD seat, is 409 `CONFLICT`.

    Args:
        ticket_type_id (UUID):
        body (SeatMapUpdate): The ticket type's seat map becomes exactly this set: give ``seats``
            or ``sections``, not both.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SeatMapRead
     """


    return (await asyncio_detailed(
        ticket_type_id=ticket_type_id,
client=client,
body=body,

    )).parsed

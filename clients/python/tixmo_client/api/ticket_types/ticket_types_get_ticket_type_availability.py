from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.availability_read import AvailabilityRead
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    ticket_type_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ticket-types/{ticket_type_id}/availability".format(ticket_type_id=quote(str(ticket_type_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AvailabilityRead | Problem | None:
    if response.status_code == 200:
        response_200 = AvailabilityRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AvailabilityRead | Problem]:
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

) -> Response[AvailabilityRead | Problem]:
    """ Live availability and current price (public for PUBLISHED events)

    Args:
        ticket_type_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AvailabilityRead | Problem]
     """


    kwargs = _get_kwargs(
        ticket_type_id=ticket_type_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    ticket_type_id: UUID,
    *,
    client: AuthenticatedClient,

) -> AvailabilityRead | Problem | None:
    """ Live availability and current price (public for PUBLISHED events)

    Args:
        ticket_type_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AvailabilityRead | Problem
     """


    return sync_detailed(
        ticket_type_id=ticket_type_id,
client=client,

    ).parsed

async def asyncio_detailed(
    ticket_type_id: UUID,
    *,
    client: AuthenticatedClient,

) -> Response[AvailabilityRead | Problem]:
    """ Live availability and current price (public for PUBLISHED events)

    Args:
        ticket_type_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AvailabilityRead | Problem]
     """


    kwargs = _get_kwargs(
        ticket_type_id=ticket_type_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    ticket_type_id: UUID,
    *,
    client: AuthenticatedClient,

) -> AvailabilityRead | Problem | None:
    """ Live availability and current price (public for PUBLISHED events)

    Args:
        ticket_type_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AvailabilityRead | Problem
     """


    return (await asyncio_detailed(
        ticket_type_id=ticket_type_id,
client=client,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.queue_status_read import QueueStatusRead
from typing import cast
from uuid import UUID



def _get_kwargs(
    event_id: UUID,
    token: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events/{event_id}/queue/{token}".format(event_id=quote(str(event_id), safe=""),token=quote(str(token), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | QueueStatusRead | None:
    if response.status_code == 200:
        response_200 = QueueStatusRead.from_dict(response.json())



        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem | QueueStatusRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event_id: UUID,
    token: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Any | Problem | QueueStatusRead]:
    """ Your place in the waiting room, and your admission pass once admitted (the token is the key)

    Args:
        event_id (UUID):
        token (str): The token POST /events/{id}/queue gave.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | QueueStatusRead]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
token=token,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    event_id: UUID,
    token: str,
    *,
    client: AuthenticatedClient | Client,

) -> Any | Problem | QueueStatusRead | None:
    """ Your place in the waiting room, and your admission pass once admitted (the token is the key)

    Args:
        event_id (UUID):
        token (str): The token POST /events/{id}/queue gave.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | QueueStatusRead
     """


    return sync_detailed(
        event_id=event_id,
token=token,
client=client,

    ).parsed

async def asyncio_detailed(
    event_id: UUID,
    token: str,
    *,
    client: AuthenticatedClient | Client,

) -> Response[Any | Problem | QueueStatusRead]:
    """ Your place in the waiting room, and your admission pass once admitted (the token is the key)

    Args:
        event_id (UUID):
        token (str): The token POST /events/{id}/queue gave.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | QueueStatusRead]
     """


    kwargs = _get_kwargs(
        event_id=event_id,
token=token,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    event_id: UUID,
    token: str,
    *,
    client: AuthenticatedClient | Client,

) -> Any | Problem | QueueStatusRead | None:
    """ Your place in the waiting room, and your admission pass once admitted (the token is the key)

    Args:
        event_id (UUID):
        token (str): The token POST /events/{id}/queue gave.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | QueueStatusRead
     """


    return (await asyncio_detailed(
        event_id=event_id,
token=token,
client=client,

    )).parsed

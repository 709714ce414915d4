from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.page_image_read import PageImageRead
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    venue_id: UUID,
    *,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["page"] = page

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/venues/{venue_id}/images".format(venue_id=quote(str(venue_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageImageRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageImageRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PageImageRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    venue_id: UUID,
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> Response[PageImageRead | Problem]:
    """ A venue's images: the cover first, then the gallery in order (org staff)

    Args:
        venue_id (UUID):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageImageRead | Problem]
     """


    kwargs = _get_kwargs(
        venue_id=venue_id,
page=page,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    venue_id: UUID,
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> PageImageRead | Problem | None:
    """ A venue's images: the cover first, then the gallery in order (org staff)

    Args:
        venue_id (UUID):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageImageRead | Problem
     """


    return sync_detailed(
        venue_id=venue_id,
client=client,
page=page,
limit=limit,

    ).parsed

async def asyncio_detailed(
    venue_id: UUID,
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> Response[PageImageRead | Problem]:
    """ A venue's images: the cover first, then the gallery in order (org staff)

    Args:
        venue_id (UUID):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageImageRead | Problem]
     """


    kwargs = _get_kwargs(
        venue_id=venue_id,
page=page,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    venue_id: UUID,
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> PageImageRead | Problem | None:
    """ A venue's images: the cover first, then the gallery in order (org staff)

    Args:
        venue_id (UUID):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageImageRead | Problem
     """


    return (await asyncio_detailed(
        venue_id=venue_id,
client=client,
page=page,
limit=limit,

    )).parsed

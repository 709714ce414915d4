from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.image_read import ImageRead
from ...models.problem import Problem
from typing import cast
from uuid import UUID



def _get_kwargs(
    image_id: UUID,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/images/{image_id}".format(image_id=quote(str(image_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ImageRead | Problem | None:
    if response.status_code == 200:
        response_200 = ImageRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ImageRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    image_id: UUID,
    *,
    client: AuthenticatedClient,

) -> Response[ImageRead | Problem]:
    """ Get an image (as visible as its event or venue)

    Args:
        image_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImageRead | Problem]
     """


    kwargs = _get_kwargs(
        image_id=image_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    image_id: UUID,
    *,
    client: AuthenticatedClient,

) -> ImageRead | Problem | None:
    """ Get an image (as visible as its event or venue)

    Args:
        image_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImageRead | Problem
     """


    return sync_detailed(
        image_id=image_id,
client=client,

    ).parsed

async def asyncio_detailed(
    image_id: UUID,
    *,
    client: AuthenticatedClient,

) -> Response[ImageRead | Problem]:
    """ Get an image (as visible as its event or venue)

    Args:
        image_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImageRead | Problem]
     """


    kwargs = _get_kwargs(
        image_id=image_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    image_id: UUID,
    *,
    client: AuthenticatedClient,

) -> ImageRead | Problem | None:
    """ Get an image (as visible as its event or venue)

    Args:
        image_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImageRead | Problem
     """


    return (await asyncio_detailed(
        image_id=image_id,
client=client,

    )).parsed

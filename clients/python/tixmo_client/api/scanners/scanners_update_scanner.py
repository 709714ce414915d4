from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.scanner_read import ScannerRead
from ...models.scanner_update import ScannerUpdate
from typing import cast
from uuid import UUID



def _get_kwargs(
    scanner_id: UUID,
    *,
    body: ScannerUpdate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/scanners/{scanner_id}".format(scanner_id=quote(str(scanner_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ScannerRead | None:
    if response.status_code == 200:
        response_200 = ScannerRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ScannerRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    scanner_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ScannerUpdate,

) -> Response[Problem | ScannerRead]:
    """ Rename, enable or disable a scanner device (org staff); disabling ends its tokens at once

    Args:
        scanner_id (UUID):
        body (ScannerUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScannerRead]
     """


    kwargs = _get_kwargs(
        scanner_id=scanner_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    scanner_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ScannerUpdate,

) -> Problem | ScannerRead | None:
    """ Rename, enable or disable a scanner device (org staff); disabling ends its tokens at once

    Args:
        scanner_id (UUID):
        body (ScannerUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScannerRead
     """


    return sync_detailed(
        scanner_id=scanner_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    scanner_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ScannerUpdate,

) -> Response[Problem | ScannerRead]:
    """ Rename, enable or disable a scanner device (org staff); disabling ends its tokens at once

    Args:
        scanner_id (UUID):
        body (ScannerUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScannerRead]
     """


    kwargs = _get_kwargs(
        scanner_id=scanner_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    scanner_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ScannerUpdate,

) -> Problem | ScannerRead | None:
    """ Rename, enable or disable a scanner device (org staff); disabling ends its tokens at once

    Args:
        scanner_id (UUID):
        body (ScannerUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScannerRead
     """


    return (await asyncio_detailed(
        scanner_id=scanner_id,
client=client,
body=body,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.sync_result import SyncResult
from ...models.sync_upload import SyncUpload
from typing import cast



def _get_kwargs(
    *,
    body: SyncUpload,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/scanners/sync",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SyncResult | None:
    if response.status_code == 200:
        response_200 = SyncResult.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | SyncResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SyncUpload,

) -> Response[Problem | SyncResult]:
    """ Upload offline scans (up to 10,000): merged by scannedAt, each scan's outcome answered

     The first entry wins; a later entry while inside is DUPLICATE with `conflict` and `conflictsWith`. A
    `clientScanId` already uploaded changes nothing (`replayed: true`). More than 10,000 scans is 422
    (`scans`); only a body over the size limit (8 MiB) is 413.

    Args:
        body (SyncUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SyncResult]
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
    body: SyncUpload,

) -> Problem | SyncResult | None:
    """ Upload offline scans (up to 10,000): merged by scannedAt, each scan's outcome answered

     The first entry wins; a later entry while inside is DUPLICATE with `conflict` and `conflictsWith`. A
    `clientScanId` already uploaded changes nothing (`replayed: true`). More than 10,000 scans is 422
    (`scans`); only a body over the size limit (8 MiB) is 413.

    Args:
        body (SyncUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SyncResult
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SyncUpload,

) -> Response[Problem | SyncResult]:
    """ Upload offline scans (up to 10,000): merged by scannedAt, each scan's outcome answered

     The first entry wins; a later entry while inside is DUPLICATE with `conflict` and `conflictsWith`. A
    `clientScanId` already uploaded changes nothing (`replayed: true`). More than 10,000 scans is 422
    (`scans`); only a body over the size limit (8 MiB) is 413.

    Args:
        body (SyncUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SyncResult]
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
    body: SyncUpload,

) -> Problem | SyncResult | None:
    """ Upload offline scans (up to 10,000): merged by scannedAt, each scan's outcome answered

     The first entry wins; a later entry while inside is DUPLICATE with `conflict` and `conflictsWith`. A
    `clientScanId` already uploaded changes nothing (`replayed: true`). More than 10,000 scans is 422
    (`scans`); only a body over the size limit (8 MiB) is 413.

    Args:
        body (SyncUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SyncResult
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed

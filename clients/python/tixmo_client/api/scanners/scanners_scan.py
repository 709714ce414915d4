from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.scan_request import ScanRequest
from ...models.scan_result import ScanResult
from typing import cast



def _get_kwargs(
    *,
    body: ScanRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/scanners/scan",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ScanResult | None:
    if response.status_code == 200:
        response_200 = ScanResult.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ScanResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ScanRequest,

) -> Response[Problem | ScanResult]:
    """ Scan a code at the door (scanner token): ENTRY or EXIT

     Every recognised attempt answers 200 with `status`: VALID, DUPLICATE (already inside), NOT_INSIDE
    (exit without entry), INVALID (unknown, forged or replaced code; event not open), WRONG_EVENT or
    CANCELLED. `ticket` is given when the ticket is known. The first entry marks the ticket USED; it may
    leave and come back. `clientScanId` makes a retry idempotent.

    Args:
        body (ScanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScanResult]
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
    body: ScanRequest,

) -> Problem | ScanResult | None:
    """ Scan a code at the door (scanner token): ENTRY or EXIT

     Every recognised attempt answers 200 with `status`: VALID, DUPLICATE (already inside), NOT_INSIDE
    (exit without entry), INVALID (unknown, forged or replaced code; event not open), WRONG_EVENT or
    CANCELLED. `ticket` is given when the ticket is known. The first entry marks the ticket USED; it may
    leave and come back. `clientScanId` makes a retry idempotent.

    Args:
        body (ScanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScanResult
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ScanRequest,

) -> Response[Problem | ScanResult]:
    """ Scan a code at the door (scanner token): ENTRY or EXIT

     Every recognised attempt answers 200 with `status`: VALID, DUPLICATE (already inside), NOT_INSIDE
    (exit without entry), INVALID (unknown, forged or replaced code; event not open), WRONG_EVENT or
    CANCELLED. `ticket` is given when the ticket is known. The first entry marks the ticket USED; it may
    leave and come back. `clientScanId` makes a retry idempotent.

    Args:
        body (ScanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScanResult]
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
    body: ScanRequest,

) -> Problem | ScanResult | None:
    """ Scan a code at the door (scanner token): ENTRY or EXIT

     Every recognised attempt answers 200 with `status`: VALID, DUPLICATE (already inside), NOT_INSIDE
    (exit without entry), INVALID (unknown, forged or replaced code; event not open), WRONG_EVENT or
    CANCELLED. `ticket` is given when the ticket is known. The first entry marks the ticket USED; it may
    leave and come back. `clientScanId` makes a retry idempotent.

    Args:
        body (ScanRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScanResult
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed

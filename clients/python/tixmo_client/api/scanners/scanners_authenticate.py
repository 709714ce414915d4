from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.scanner_auth_request import ScannerAuthRequest
from ...models.scanner_token import ScannerToken
from typing import cast



def _get_kwargs(
    *,
    body: ScannerAuthRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/scanners/auth",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ScannerToken | None:
    if response.status_code == 200:
        response_200 = ScannerToken.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ScannerToken]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ScannerAuthRequest,

) -> Response[Problem | ScannerToken]:
    """ Exchange a device's API key for a short-lived scanner token

     The token works only on the scanner endpoints and only for the device's event; a user access token
    does not work there. Disabling or deleting the device ends its tokens at once.

    Args:
        body (ScannerAuthRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScannerToken]
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
    client: AuthenticatedClient | Client,
    body: ScannerAuthRequest,

) -> Problem | ScannerToken | None:
    """ Exchange a device's API key for a short-lived scanner token

     The token works only on the scanner endpoints and only for the device's event; a user access token
    does not work there. Disabling or deleting the device ends its tokens at once.

    Args:
        body (ScannerAuthRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScannerToken
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ScannerAuthRequest,

) -> Response[Problem | ScannerToken]:
    """ Exchange a device's API key for a short-lived scanner token

     The token works only on the scanner endpoints and only for the device's event; a user access token
    does not work there. Disabling or deleting the device ends its tokens at once.

    Args:
        body (ScannerAuthRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScannerToken]
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
    client: AuthenticatedClient | Client,
    body: ScannerAuthRequest,

) -> Problem | ScannerToken | None:
    """ Exchange a device's API key for a short-lived scanner token

     The token works only on the scanner endpoints and only for the device's event; a user access token
    does not work there. Disabling or deleting the device ends its tokens at once.

    Args:
        body (ScannerAuthRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScannerToken
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.preferences_read import PreferencesRead
from ...models.preferences_update import PreferencesUpdate
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    *,
    body: PreferencesUpdate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/notifications/preferences",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PreferencesRead | Problem | None:
    if response.status_code == 200:
        response_200 = PreferencesRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PreferencesRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PreferencesUpdate,

) -> Response[PreferencesRead | Problem]:
    """ Change your email preferences (partial)

     Transactional email (order confirmation with the tickets, refunds, a ticket received, event
    cancelled, waitlist offers) cannot be switched off; `emailEnabled: false` stops all other email. In-
    app notifications are always recorded.

    Args:
        body (PreferencesUpdate): Partial: the fields given change, the others stay. ``null`` is
            refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PreferencesRead | Problem]
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
    body: PreferencesUpdate,

) -> PreferencesRead | Problem | None:
    """ Change your email preferences (partial)

     Transactional email (order confirmation with the tickets, refunds, a ticket received, event
    cancelled, waitlist offers) cannot be switched off; `emailEnabled: false` stops all other email. In-
    app notifications are always recorded.

    Args:
        body (PreferencesUpdate): Partial: the fields given change, the others stay. ``null`` is
            refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PreferencesRead | Problem
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PreferencesUpdate,

) -> Response[PreferencesRead | Problem]:
    """ Change your email preferences (partial)

     Transactional email (order confirmation with the tickets, refunds, a ticket received, event
    cancelled, waitlist offers) cannot be switched off; `emailEnabled: false` stops all other email. In-
    app notifications are always recorded.

    Args:
        body (PreferencesUpdate): Partial: the fields given change, the others stay. ``null`` is
            refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PreferencesRead | Problem]
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
    body: PreferencesUpdate,

) -> PreferencesRead | Problem | None:
    """ Change your email preferences (partial)

     Transactional email (order confirmation with the tickets, refunds, a ticket received, event
    cancelled, waitlist offers) cannot be switched off; `emailEnabled: false` stops all other email. In-
    app notifications are always recorded.

    Args:
        body (PreferencesUpdate): Partial: the fields given change, the others stay. ``null`` is
            refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PreferencesRead | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.page_waitlist_entry_read import PageWaitlistEntryRead
from ...models.problem import Problem
from ...models.waitlist_status import WaitlistStatus
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    status: None | Unset | WaitlistStatus = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, WaitlistStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["page"] = page

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/waitlist",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageWaitlistEntryRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageWaitlistEntryRead.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PageWaitlistEntryRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: None | Unset | WaitlistStatus = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> Response[PageWaitlistEntryRead | Problem]:
    """ Your waitlist entries, with positions and offers

    Args:
        status (None | Unset | WaitlistStatus):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageWaitlistEntryRead | Problem]
     """


    kwargs = _get_kwargs(
        status=status,
page=page,
limit=limit,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    status: None | Unset | WaitlistStatus = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> PageWaitlistEntryRead | Problem | None:
    """ Your waitlist entries, with positions and offers

    Args:
        status (None | Unset | WaitlistStatus):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageWaitlistEntryRead | Problem
     """


    return sync_detailed(
        client=client,
status=status,
page=page,
limit=limit,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: None | Unset | WaitlistStatus = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> Response[PageWaitlistEntryRead | Problem]:
    """ Your waitlist entries, with positions and offers

    Args:
        status (None | Unset | WaitlistStatus):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageWaitlistEntryRead | Problem]
     """


    kwargs = _get_kwargs(
        status=status,
page=page,
limit=limit,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    status: None | Unset | WaitlistStatus = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,

) -> PageWaitlistEntryRead | Problem | None:
    """ Your waitlist entries, with positions and offers

    Args:
        status (None | Unset | WaitlistStatus):
        page (int | Unset): Page number, from 1. Default: 1.
        limit (int | Unset): Items per page (1..100). Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageWaitlistEntryRead | Problem
     """


    return (await asyncio_detailed(
        client=client,
status=status,
page=page,
limit=limit,

    )).parsed

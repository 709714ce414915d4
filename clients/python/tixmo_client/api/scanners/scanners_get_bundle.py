from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.sync_bundle import SyncBundle
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    since: datetime.datetime | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/scanners/sync",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SyncBundle | None:
    if response.status_code == 200:
        response_200 = SyncBundle.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | SyncBundle]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,

) -> Response[Problem | SyncBundle]:
    """ The offline bundle of the device's event: public keys, tickets, revocations

     Without `since`: every ticket. With `since` (a previous `syncedAt`): the tickets changed or scanned
    since then, and the barcodes revoked since then. See docs/offline-scanning.md.

    Args:
        since (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SyncBundle]
     """


    kwargs = _get_kwargs(
        since=since,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,

) -> Problem | SyncBundle | None:
    """ The offline bundle of the device's event: public keys, tickets, revocations

     Without `since`: every ticket. With `since` (a previous `syncedAt`): the tickets changed or scanned
    since then, and the barcodes revoked since then. See docs/offline-scanning.md.

    Args:
        since (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SyncBundle
     """


    return sync_detailed(
        client=client,
since=since,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,

) -> Response[Problem | SyncBundle]:
    """ The offline bundle of the device's event: public keys, tickets, revocations

     Without `since`: every ticket. With `since` (a previous `syncedAt`): the tickets changed or scanned
    since then, and the barcodes revoked since then. See docs/offline-scanning.md.

    Args:
        since (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SyncBundle]
     """


    kwargs = _get_kwargs(
        since=since,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,

) -> Problem | SyncBundle | None:
    """ The offline bundle of the device's event: public keys, tickets, revocations

     Without `since`: every ticket. With `since` (a previous `syncedAt`): the tickets changed or scanned
    since then, and the barcodes revoked since then. See docs/offline-scanning.md.

    Args:
        since (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SyncBundle
     """


    return (await asyncio_detailed(
        client=client,
since=since,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.subscription_create import SubscriptionCreate
from ...models.subscription_read import SubscriptionRead
from typing import cast



def _get_kwargs(
    *,
    body: SubscriptionCreate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/analytics/subscriptions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SubscriptionRead | None:
    if response.status_code == 201:
        response_201 = SubscriptionRead.from_dict(response.json())



        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | SubscriptionRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SubscriptionCreate,

) -> Response[Problem | SubscriptionRead]:
    """ Subscribe members of an organization to a report mailed daily or weekly (org staff)

     The report (PDF and CSV attached) goes to `recipients`, members of the organization, after every
    finished local day or ISO week in `timezone` (UTC without one). A recipient who is not a member is
    422 naming `recipients.N`.

    Args:
        body (SubscriptionCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SubscriptionRead]
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
    body: SubscriptionCreate,

) -> Problem | SubscriptionRead | None:
    """ Subscribe members of an organization to a report mailed daily or weekly (org staff)

     The report (PDF and CSV attached) goes to `recipients`, members of the organization, after every
    finished local day or ISO week in `timezone` (UTC without one). A recipient who is not a member is
    422 naming `recipients.N`.

    Args:
        body (SubscriptionCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SubscriptionRead
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SubscriptionCreate,

) -> Response[Problem | SubscriptionRead]:
    """ Subscribe members of an organization to a report mailed daily or weekly (org staff)

     The report (PDF and CSV attached) goes to `recipients`, members of the organization, after every
    finished local day or ISO week in `timezone` (UTC without one). A recipient who is not a member is
    422 naming `recipients.N`.

    Args:
        body (SubscriptionCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SubscriptionRead]
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
    body: SubscriptionCreate,

) -> Problem | SubscriptionRead | None:
    """ Subscribe members of an organization to a report mailed daily or weekly (org staff)

     The report (PDF and CSV attached) goes to `recipients`, members of the organization, after every
    finished local day or ISO week in `timezone` (UTC without one). A recipient who is not a member is
    422 naming `recipients.N`.

    Args:
        body (SubscriptionCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SubscriptionRead
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed

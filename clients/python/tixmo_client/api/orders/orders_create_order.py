from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.order_create import OrderCreate
from ...models.order_read import OrderRead
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: OrderCreate,
    tix_mo_admission: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(tix_mo_admission, Unset):
        headers["TixMo-Admission"] = tix_mo_admission

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orders",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OrderRead | Problem | None:
    if response.status_code == 201:
        response_201 = OrderRead.from_dict(response.json())



        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[OrderRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OrderCreate,
    tix_mo_admission: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[OrderRead | Problem]:
    """ Place an order: tickets held until expiresAt (free orders are CONFIRMED at once)

    Args:
        tix_mo_admission (None | str | Unset): The waiting room's admission pass, required while
            the event's room is on.
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (OrderCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderRead | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
tix_mo_admission=tix_mo_admission,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: OrderCreate,
    tix_mo_admission: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,

) -> OrderRead | Problem | None:
    """ Place an order: tickets held until expiresAt (free orders are CONFIRMED at once)

    Args:
        tix_mo_admission (None | str | Unset): The waiting room's admission pass, required while
            the event's room is on.
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (OrderCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderRead | Problem
     """


    return sync_detailed(
        client=client,
body=body,
tix_mo_admission=tix_mo_admission,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OrderCreate,
    tix_mo_admission: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[OrderRead | Problem]:
    """ Place an order: tickets held until expiresAt (free orders are CONFIRMED at once)

    Args:
        tix_mo_admission (None | str | Unset): The waiting room's admission pass, required while
            the event's room is on.
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (OrderCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderRead | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
tix_mo_admission=tix_mo_admission,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OrderCreate,
    tix_mo_admission: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,

) -> OrderRead | Problem | None:
    """ Place an order: tickets held until expiresAt (free orders are CONFIRMED at once)

    Args:
        tix_mo_admission (None | str | Unset): The waiting room's admission pass, required while
            the event's room is on.
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (OrderCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderRead | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,
tix_mo_admission=tix_mo_admission,
idempotency_key=idempotency_key,

    )).parsed

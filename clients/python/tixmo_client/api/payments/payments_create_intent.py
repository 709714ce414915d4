from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.intent_create import IntentCreate
from ...models.intent_read import IntentRead
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: IntentCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/payments/create-intent",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> IntentRead | Problem | None:
    if response.status_code == 200:
        response_200 = IntentRead.from_dict(response.json())



        return response_200

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

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())



        return response_502

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[IntentRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: IntentCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[IntentRead | Problem]:
    """ Create (or get again) the PaymentIntent of a PENDING order (the buyer)

     One intent per order: retries, with or without `Idempotency-Key`, answer the same intent. The
    provider failing or timing out is 502 `PAYMENT_PROVIDER_ERROR` and changes nothing; the provider
    refusing the request for good (e.g. an amount below its minimum) is 422 `PAYMENT_REFUSED` naming the
    field, and changes nothing either. The order is confirmed by the provider's
    `payment_intent.succeeded` webhook.

    Args:
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (IntentCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IntentRead | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: IntentCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> IntentRead | Problem | None:
    """ Create (or get again) the PaymentIntent of a PENDING order (the buyer)

     One intent per order: retries, with or without `Idempotency-Key`, answer the same intent. The
    provider failing or timing out is 502 `PAYMENT_PROVIDER_ERROR` and changes nothing; the provider
    refusing the request for good (e.g. an amount below its minimum) is 422 `PAYMENT_REFUSED` naming the
    field, and changes nothing either. The order is confirmed by the provider's
    `payment_intent.succeeded` webhook.

    Args:
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (IntentCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IntentRead | Problem
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: IntentCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[IntentRead | Problem]:
    """ Create (or get again) the PaymentIntent of a PENDING order (the buyer)

     One intent per order: retries, with or without `Idempotency-Key`, answer the same intent. The
    provider failing or timing out is 502 `PAYMENT_PROVIDER_ERROR` and changes nothing; the provider
    refusing the request for good (e.g. an amount below its minimum) is 422 `PAYMENT_REFUSED` naming the
    field, and changes nothing either. The order is confirmed by the provider's
    `payment_intent.succeeded` webhook.

    Args:
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (IntentCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IntentRead | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: IntentCreate,
    idempotency_key: None | str | Unset = UNSET,

) -> IntentRead | Problem | None:
    """ Create (or get again) the PaymentIntent of a PENDING order (the buyer)

     One intent per order: retries, with or without `Idempotency-Key`, answer the same intent. The
    provider failing or timing out is 502 `PAYMENT_PROVIDER_ERROR` and changes nothing; the provider
    refusing the request for good (e.g. an amount below its minimum) is 422 `PAYMENT_REFUSED` naming the
    field, and changes nothing either. The order is confirmed by the provider's
    `payment_intent.succeeded` webhook.

    Args:
        idempotency_key (None | str | Unset): Optional. The same key and body replay the first
            answer for 24 h; another body with the same key is 409.
        body (IntentCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IntentRead | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.webhook_ack import WebhookAck
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    stripe_signature: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(stripe_signature, Unset):
        headers["Stripe-Signature"] = stripe_signature



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/payments/webhook",
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookAck | None:
    if response.status_code == 200:
        response_200 = WebhookAck.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WebhookAck]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    stripe_signature: None | str | Unset = UNSET,

) -> Response[Problem | WebhookAck]:
    """ Stripe webhook (signed with Stripe-Signature)

     Handles `payment_intent.succeeded` (confirms the order once, however often it is delivered),
    `payment_intent.payment_failed` / `requires_action` (3-D Secure: `nextAction` kept) / `processing`
    (the order's hold extended once) / `canceled` (recorded; the order stays payable),
    `charge.dispute.created/updated/closed` (recorded; the organizer notified; a lost one refunds),
    `charge.succeeded/failed` (the payment method), `charge.refunded` (refunds made elsewhere
    reconciled) and `refund.updated` / `refund.failed` / `charge.refund.updated` / `refund.created`
    (TixMo's pending refunds settled); other events are acknowledged and ignored. A missing, wrong or
    too old signature is 400 `INVALID_SIGNATURE`. A `charge.refunded` for a payment whose success has
    not arrived yet is 409 `CONFLICT` and not stored, so Stripe delivers it again.

    Args:
        stripe_signature (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookAck]
     """


    kwargs = _get_kwargs(
        stripe_signature=stripe_signature,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    stripe_signature: None | str | Unset = UNSET,

) -> Problem | WebhookAck | None:
    """ Stripe webhook (signed with Stripe-Signature)

     Handles `payment_intent.succeeded` (confirms the order once, however often it is delivered),
    `payment_intent.payment_failed` / `requires_action` (3-D Secure: `nextAction` kept) / `processing`
    (the order's hold extended once) / `canceled` (recorded; the order stays payable),
    `charge.dispute.created/updated/closed` (recorded; the organizer notified; a lost one refunds),
    `charge.succeeded/failed` (the payment method), `charge.refunded` (refunds made elsewhere
    reconciled) and `refund.updated` / `refund.failed` / `charge.refund.updated` / `refund.created`
    (TixMo's pending refunds settled); other events are acknowledged and ignored. A missing, wrong or
    too old signature is 400 `INVALID_SIGNATURE`. A `charge.refunded` for a payment whose success has
    not arrived yet is 409 `CONFLICT` and not stored, so Stripe delivers it again.

    Args:
        stripe_signature (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookAck
     """


    return sync_detailed(
        client=client,
stripe_signature=stripe_signature,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    stripe_signature: None | str | Unset = UNSET,

) -> Response[Problem | WebhookAck]:
    """ Stripe webhook (signed with Stripe-Signature)

     Handles `payment_intent.succeeded` (confirms the order once, however often it is delivered),
    `payment_intent.payment_failed` / `requires_action` (3-D Secure: `nextAction` kept) / `processing`
    (the order's hold extended once) / `canceled` (recorded; the order stays payable),
    `charge.dispute.created/updated/closed` (recorded; the organizer notified; a lost one refunds),
    `charge.succeeded/failed` (the payment method), `charge.refunded` (refunds made elsewhere
    reconciled) and `refund.updated` / `refund.failed` / `charge.refund.updated` / `refund.created`
    (TixMo's pending refunds settled); other events are acknowledged and ignored. A missing, wrong or
    too old signature is 400 `INVALID_SIGNATURE`. A `charge.refunded` for a payment whose success has
    not arrived yet is 409 `CONFLICT` and not stored, so Stripe delivers it again.

    Args:
        stripe_signature (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookAck]
     """


    kwargs = _get_kwargs(
        stripe_signature=stripe_signature,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    stripe_signature: None | str | Unset = UNSET,

) -> Problem | WebhookAck | None:
    """ Stripe webhook (signed with Stripe-Signature)

     Handles `payment_intent.succeeded` (confirms the order once, however often it is delivered),
    `payment_intent.payment_failed` / `requires_action` (3-D Secure: `nextAction` kept) / `processing`
    (the order's hold extended once) / `canceled` (recorded; the order stays payable),
    `charge.dispute.created/updated/closed` (recorded; the organizer notified; a lost one refunds),
    `charge.succeeded/failed` (the payment method), `charge.refunded` (refunds made elsewhere
    reconciled) and `refund.updated` / `refund.failed` / `charge.refund.updated` / `refund.created`
    (TixMo's pending refunds settled); other events are acknowledged and ignored. A missing, wrong or
    too old signature is 400 `INVALID_SIGNATURE`. A `charge.refunded` for a payment whose success has
    not arrived yet is 409 `CONFLICT` and not stored, so Stripe delivers it again.

    Args:
        stripe_signature (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookAck
     """


    return (await asyncio_detailed(
        client=client,
stripe_signature=stripe_signature,

    )).parsed

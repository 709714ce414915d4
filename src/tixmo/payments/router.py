"""``/payments`` endpoints and ``POST /tickets/{ticketId}/cancel``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, status
from starlette.responses import Response

from tixmo.deps import Context, CurrentUser, DbSession
from tixmo.errors import problems
from tixmo.idempotency.service import IdempotencyKey
from tixmo.orders.models import OrderStatus
from tixmo.payments import currencies, customers, refunds, service, staff_refunds, webhooks
from tixmo.payments.models import PaymentStatus, Refund, RefundStatus
from tixmo.payments.schemas import (
    DisputeRead,
    IntentCreate,
    IntentRead,
    PaymentEventRead,
    PaymentRead,
    RefundCreate,
    RefundRead,
    SavedPaymentMethod,
    WebhookAck,
)
from tixmo.payments.service import PaymentDetails
from tixmo.schemas import Page, Pagination

router = APIRouter(tags=["payments"])

PaymentIdPath = Annotated[uuid.UUID, Path(alias="paymentId")]


def refund_read(refund: Refund) -> RefundRead:
    return RefundRead(
        id=refund.id,
        amount=refund.amount_minor,
        status=RefundStatus(refund.status),
        origin=refund.origin,
        provider_refund_id=refund.provider_refund_id,
        reason=refund.reason,
        ticket_ids=list(refund.ticket_ids),
        created_at=refund.created_at,
        updated_at=refund.updated_at,
    )


def payment_read(details: PaymentDetails) -> PaymentRead:
    payment = details.payment
    return PaymentRead(
        id=payment.id,
        order_id=payment.order_id,
        order_status=OrderStatus(details.order_status),
        user_id=payment.user_id,
        event_id=payment.event_id,
        provider=payment.provider,
        payment_intent_id=payment.provider_payment_id,
        status=PaymentStatus(payment.status),
        amount=payment.amount_minor,
        amount_minor=currencies.minor_units(payment.amount_minor, payment.currency),
        amount_received=payment.amount_received_minor,
        amount_refunded=payment.amount_refunded_minor,
        refundable=refunds.refundable(payment),
        currency=payment.currency,
        succeeded_at=payment.succeeded_at,
        created_at=payment.created_at,
        updated_at=payment.updated_at,
        next_action=payment.next_action,
        method=payment.method,
        hold_extended_at=payment.hold_extended_at,
        refunds=[refund_read(refund) for refund in details.refunds],
        disputes=[
            DisputeRead(
                id=dispute.id,
                provider_dispute_id=dispute.provider_dispute_id,
                amount=dispute.amount_minor,
                currency=dispute.currency,
                reason=dispute.reason,
                status=dispute.status,
                evidence_due_by=dispute.evidence_due_by,
                refund_id=dispute.refund_id,
                created_at=dispute.created_at,
                updated_at=dispute.updated_at,
                closed_at=dispute.closed_at,
            )
            for dispute in details.disputes
        ],
        history=[
            PaymentEventRead(
                id=entry.id,
                type=entry.type,
                status=PaymentStatus(entry.status),
                amount=entry.amount_minor,
                currency=entry.currency,
                refund_id=entry.refund_id,
                provider_event_id=entry.provider_event_id,
                message=entry.message,
                code=entry.code,
                created_at=entry.created_at,
            )
            for entry in details.history
        ],
    )


@router.post(
    "/payments/create-intent",
    response_model=IntentRead,
    responses=problems(401, 403, 404, 409, 502),
    summary="Create (or get again) the PaymentIntent of a PENDING order (the buyer)",
    description="One intent per order: retries, with or without `Idempotency-Key`, answer the same "
    "intent. The provider failing or timing out is 502 `PAYMENT_PROVIDER_ERROR` and changes nothing; the "
    "provider refusing the request for good (e.g. an amount below its minimum) is 422 `PAYMENT_REFUSED` "
    "naming the field, and changes nothing either. "
    "The order is confirmed by the provider's `payment_intent.succeeded` webhook.",
)
async def create_intent(
    body: IntentCreate,
    buyer: CurrentUser,
    session: DbSession,
    context: Context,
    idempotency: IdempotencyKey,
) -> Response:
    async def create() -> IntentRead:
        payment, client_secret = await service.create_intent(
            session, context.payments, buyer, body.order_id, save_payment_method=body.save_payment_method
        )
        return IntentRead(
            payment_id=payment.id,
            payment_intent_id=payment.provider_payment_id,
            client_secret=client_secret,
            amount=payment.amount_minor,
            amount_minor=currencies.minor_units(payment.amount_minor, payment.currency),
            currency=payment.currency,
            status=PaymentStatus(payment.status),
            provider=payment.provider,
            next_action=payment.next_action,
        )

    return await idempotency.run(session, buyer.id, status.HTTP_200_OK, create, body)


@router.post(
    "/payments/webhook",
    response_model=WebhookAck,
    responses=problems(400, 409),
    summary="Stripe webhook (signed with Stripe-Signature)",
    description="Handles `payment_intent.succeeded` (confirms the order once, however often it is "
    "delivered), `payment_intent.payment_failed` / `requires_action` (3-D Secure: `nextAction` kept) / "
    "`processing` (the order's hold extended once) / `canceled` (recorded; the order stays payable), "
    "`charge.dispute.created/updated/closed` (recorded; the organizer notified; a lost one refunds), "
    "`charge.succeeded/failed` (the payment method), `charge.refunded` (refunds made elsewhere "
    "reconciled) and `refund.updated` / `refund.failed` / `charge.refund.updated` / `refund.created` "
    "(TixMo's pending refunds settled); other events are acknowledged and ignored. A missing, wrong or "
    "too old signature is 400 `INVALID_SIGNATURE`. "
    "A `charge.refunded` for a payment whose success has not arrived yet is 409 `CONFLICT` and not stored, "
    "so Stripe delivers it again.",
)
async def webhook(
    request: Request,
    session: DbSession,
    context: Context,
    stripe_signature: Annotated[str | None, Header(alias="Stripe-Signature")] = None,
) -> WebhookAck:
    payload = await request.body()
    result = await webhooks.handle(session, context.settings, payload, stripe_signature)
    return WebhookAck(received=True, duplicate=result.duplicate, outcome=result.outcome)


@router.get(
    "/payments",
    response_model=Page[PaymentRead],
    responses=problems(401),
    summary="List payments: your own; org staff with eventId (or disputed=true): their events'; ADMIN: all",
)
async def list_payments(
    viewer: CurrentUser,
    session: DbSession,
    paging: Pagination,
    event_id: Annotated[uuid.UUID | None, Query(alias="eventId")] = None,
    order_id: Annotated[uuid.UUID | None, Query(alias="orderId")] = None,
    payment_status: Annotated[PaymentStatus | None, Query(alias="status")] = None,
    disputed: Annotated[
        bool | None,
        Query(
            description="`true`: payments with a dispute (org staff: all of their organizations' events'); "
            "`false`: those without."
        ),
    ] = None,
) -> Page[PaymentRead]:
    found, total = await service.list_payments(
        session,
        viewer,
        event_id=event_id,
        order_id=order_id,
        status=payment_status,
        disputed=disputed,
        offset=paging.offset,
        limit=paging.limit,
    )
    return paging.build([payment_read(details) for details in found], total)


@router.get(
    "/payments/{paymentId}",
    response_model=PaymentRead,
    responses=problems(401, 404),
    summary="Get a payment with its refunds and history (the buyer, org staff, ADMIN)",
)
async def get_payment(payment_id: PaymentIdPath, viewer: CurrentUser, session: DbSession) -> PaymentRead:
    return payment_read(await service.get(session, viewer, payment_id))


@router.post(
    "/payments/{paymentId}/refund",
    response_model=PaymentRead,
    responses=problems(401, 403, 404, 409),
    summary="Refund a payment (org staff): all that is left, an amount, and/or tickets",
    description="`{}` refunds what is left and cancels the order's tickets (order `REFUNDED`). `amount` "
    "refunds part (order `PARTIALLY_REFUNDED`); `ticketIds` cancels those tickets (back on sale) and, "
    "without `amount`, refunds their paid share. Never more than was received (422 naming `amount`). "
    "Stripe refunds are `PENDING` until Stripe confirms them; manual ones succeed at once.",
)
async def refund_payment(
    payment_id: PaymentIdPath,
    body: RefundCreate,
    actor: CurrentUser,
    session: DbSession,
    idempotency: IdempotencyKey,
) -> Response:
    async def refund() -> PaymentRead:
        return payment_read(await staff_refunds.refund(session, actor, payment_id, body))

    return await idempotency.run(session, actor.id, status.HTTP_200_OK, refund, body)


@router.get(
    "/users/me/payment-methods",
    response_model=Page[SavedPaymentMethod],
    responses=problems(401, 502),
    summary="Your saved cards (brand, last 4, expiry), saved by paying with `savePaymentMethod: true`",
)
async def list_payment_methods(
    viewer: CurrentUser, session: DbSession, context: Context, paging: Pagination
) -> Page[SavedPaymentMethod]:
    methods = await customers.list_methods(session, context.payments.default, viewer)
    shown = [
        SavedPaymentMethod(
            id=method.id,
            brand=method.brand,
            last4=method.last4,
            exp_month=method.exp_month,
            exp_year=method.exp_year,
        )
        for method in methods
    ]
    return paging.build(shown[paging.offset : paging.offset + paging.limit], len(shown))


@router.delete(
    "/users/me/payment-methods/{methodId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 404, 502),
    summary="Remove one of your saved cards",
)
async def delete_payment_method(
    method_id: Annotated[str, Path(alias="methodId", max_length=255)],
    viewer: CurrentUser,
    session: DbSession,
    context: Context,
) -> Response:
    await customers.remove_method(session, context.payments.default, viewer, method_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

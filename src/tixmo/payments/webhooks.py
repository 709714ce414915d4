"""Stripe webhooks: verified, processed once per event id, safe in any order.

* The ``Stripe-Signature`` header is checked exactly as Stripe signs (HMAC-SHA256 of ``"{t}.{body}"`` with
  the endpoint's secret, via the SDK's ``WebhookSignature``), and ``t`` must be within the tolerance
  (``TIXMO_STRIPE_WEBHOOK_TOLERANCE_SECONDS``, 300 s): a bad, missing or old signature is 400 and
  nothing is stored.
* Each event id is inserted into ``webhook_events`` (unique) in the transaction that acts on it. A second
  delivery — later, or at the same moment (it waits on the unique index until the first commits) — finds
  it and changes nothing. If processing fails the insert rolls back with it, and Stripe's retry runs it.
* An event that arrives before the one it depends on (``charge.refunded`` before the payment's
  ``payment_intent.succeeded``) is answered 409 and not stored: Stripe delivers it again later.
* Refunds are settled by their own events (``refund.updated``, ``refund.failed``, ``charge.refund.updated``,
  ``refund.created``), matched by the ``tixmo_refund_id`` in their metadata or Stripe's id.
* ``payment_intent.requires_action`` / ``processing`` / ``payment_failed`` / ``canceled`` keep the payment
  open (the order payable until its hold ends): the 3-D Secure ``next_action`` is kept for the client, a
  ``processing`` extends the order's hold once (``TIXMO_PAYMENT_PROCESSING_HOLD_MINUTES``), a decline keeps
  its reason; an older one (by the event's ``created``) delivered later changes nothing.
* ``charge.dispute.*`` are recorded by ``disputes`` (the organizer told, a lost one counted as a refund).
* Events about one order lock the order row first, like every other change to it, and each handler acts
  only from the states it expects: a late ``payment_failed`` after a success is recorded and changes
  nothing; a success after the order expired revives it when its tickets are still there and its event
  is still PUBLISHED, else the payment is refunded; a success after the buyer cancelled, or once the
  event was cancelled or completed, is refunded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import stripe
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks
from tixmo.audit import service as audit
from tixmo.config import PaymentProviderName, Settings
from tixmo.db import utcnow
from tixmo.errors import BadWebhook, Conflict
from tixmo.money import format_minor
from tixmo.orders import service as orders
from tixmo.orders import settlement
from tixmo.orders.models import PAID_STATUSES, Order
from tixmo.payments import currencies, disputes, refunds
from tixmo.payments import service as payments
from tixmo.payments.models import OPEN_STATUSES, Payment, PaymentStatus, Refund, RefundStatus, WebhookEvent

STRIPE = PaymentProviderName.STRIPE.value
# Events that leave a payment open (the order stays payable until its hold ends), and the status each sets.
OPEN_EVENTS = {
    "payment_intent.requires_action": PaymentStatus.REQUIRES_ACTION,
    "payment_intent.processing": PaymentStatus.PROCESSING,
    "payment_intent.payment_failed": PaymentStatus.FAILED,
    "payment_intent.canceled": PaymentStatus.CANCELED,
}
# Events that carry a Refund object: how one of ours (or one made elsewhere) stands now.
REFUND_EVENTS = frozenset({"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"})


@dataclass(frozen=True)
class WebhookResult:
    duplicate: bool
    outcome: str | None


def verify(settings: Settings, payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event, when ``signature`` is Stripe's for ``payload`` within the tolerance; else 400."""
    secret = settings.stripe_webhook_secret
    if not secret:
        raise BadWebhook("Stripe webhooks are not configured here (TIXMO_STRIPE_WEBHOOK_SECRET is unset).")
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, secret, settings.stripe_webhook_tolerance_seconds
        )
        event = orjson.loads(payload)
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as exc:
        raise BadWebhook(f"Invalid Stripe-Signature: {exc}") from exc
    except orjson.JSONDecodeError as exc:
        raise BadWebhook("The body is not JSON.") from exc
    data = event.get("data") if isinstance(event, dict) else None
    if (
        not isinstance(event, dict)
        or not isinstance(event.get("id"), str)
        or not isinstance(event.get("type"), str)
        or not isinstance(data, dict)
        or not isinstance(data.get("object"), dict)
    ):
        raise BadWebhook("The body is not a Stripe event (id, type, data.object).")
    return event


async def handle(
    session: AsyncSession, settings: Settings, payload: bytes, signature: str | None
) -> WebhookResult:
    event = verify(settings, payload, signature)
    event_id, event_type = str(event["id"])[:255], str(event["type"])[:100]
    inserted = await session.scalar(
        insert(WebhookEvent)
        .values(id=uuid.uuid4(), provider=STRIPE, event_id=event_id, type=event_type, received_at=utcnow())
        .on_conflict_do_nothing(index_elements=[WebhookEvent.provider, WebhookEvent.event_id])
        .returning(WebhookEvent.id)
    )
    if inserted is None:
        return WebhookResult(duplicate=True, outcome=None)
    obj: dict[str, Any] = event["data"]["object"]
    created = _int(event.get("created"))
    at = datetime.fromtimestamp(created, UTC) if created >= 0 else utcnow()
    if event_type == "payment_intent.succeeded":
        outcome = await _succeeded(session, event_id, obj)
    elif event_type in OPEN_EVENTS:
        outcome = await _open_status(session, settings, event_id, event_type, obj, at)
    elif event_type in ("charge.succeeded", "charge.failed"):
        outcome = await _charge_method(session, obj)
    elif event_type in disputes.DISPUTE_EVENTS:
        found = await _locked(session, obj.get("payment_intent"))
        if found is None or found[2] is None:
            outcome = "unknown_intent"
        else:
            outcome = await disputes.apply(session, event_id, found[0], found[1], found[2], obj)
    elif event_type == "charge.refunded":
        outcome = await _charge_refunded(session, event_id, obj)
    elif event_type in REFUND_EVENTS:
        outcome = await _refund_changed(session, event_id, obj)
    else:
        outcome = "ignored"
    await session.execute(update(WebhookEvent).where(WebhookEvent.id == inserted).values(outcome=outcome))
    return WebhookResult(duplicate=False, outcome=outcome)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


async def _locked(
    session: AsyncSession, intent_id: object, order_hint: object = None
) -> tuple[Order, uuid.UUID, Payment | None] | None:
    """The order and its payment, locked in the global order (``settlement.lock``: its event, the order,
    its payment, promo code and tickets), found by the intent's id, else by the ``order_id`` TixMo put in
    the intent's metadata."""
    if not isinstance(intent_id, str):
        return None
    order_id = await session.scalar(
        select(Payment.order_id).where(Payment.provider == STRIPE, Payment.provider_payment_id == intent_id)
    )
    if order_id is None and isinstance(order_hint, str):
        try:
            order_id = uuid.UUID(order_hint)
        except ValueError:
            return None
    if order_id is None:
        return None
    locked = await settlement.lock(session, order_id)
    if locked is None:
        return None
    return locked.order, locked.organization_id, await payments.lock_payment(session, locked.order.id)


async def _succeeded(session: AsyncSession, event_id: str, intent: dict[str, Any]) -> str:
    metadata = intent.get("metadata") if isinstance(intent.get("metadata"), dict) else {}
    found = await _locked(session, intent.get("id"), (metadata or {}).get("order_id"))
    if found is None:
        return "unknown_intent"
    order, organization_id, payment = found
    if payment is None:  # the intent was made but our record of it was lost (e.g. a crash): adopt it
        payment = await _adopt(session, order, str(intent["id"]))
        if payment is None:
            return "unknown_intent"
    if payment.provider_payment_id != intent.get("id"):
        return "unknown_intent"
    if payment.status not in OPEN_STATUSES:
        return "already_settled"
    # Stripe counts in the currency's own unit (¥1,000 is 1000): back to TixMo's hundredths to compare.
    currency = str(intent.get("currency", "")).upper()
    raw = _int(intent.get("amount_received"))
    received = currencies.from_stripe(raw, currency) if raw >= 0 else -1
    exact = raw >= 0 and currencies.to_stripe(received, currency) == raw
    payment.amount_received_minor = max(received, 0)
    now = utcnow()
    if (
        not exact
        or received != payment.amount_minor
        or currency != payment.currency
        or order.total_minor != payment.amount_minor
    ):
        payment.status = PaymentStatus.REQUIRES_REVIEW.value
        message = (
            f"Received {format_minor(max(received, 0))} {currency or '?'}; the order costs "
            f"{format_minor(order.total_minor)} {order.currency}. Not confirmed: refund it or settle it."
        )
        await payments.record(
            session,
            payment,
            "amount_mismatch",
            amount_minor=max(received, 0),
            provider_event_id=event_id,
            message=message,
        )
        await audit.record(
            session,
            action="payment.amount_mismatch",
            entity_type="payment",
            entity_id=payment.id,
            actor_type="system",
            organization_id=organization_id,
            after={"received": received, "currency": currency, "expected": order.total_minor},
        )
        return "amount_mismatch"
    payment.status = PaymentStatus.SUCCEEDED.value
    payment.succeeded_at = now
    payment.next_action = None
    payment.method = _method_of(intent) or payment.method
    await payments.record(session, payment, "succeeded", amount_minor=received, provider_event_id=event_id)
    before = order.status
    refused = await settlement.confirm_paid(session, order, now, organization_id=organization_id)
    if refused is None:
        return "confirmed" if before == "PENDING" else "revived"
    amount = refunds.refundable(payment)
    await refunds.reserve_refund(session, payment, amount, actor=None, reason=f"{refused} Refunded in full.")
    await settlement.after_refund(
        session,
        order,
        now,
        fully_refunded=True,
        actor=None,
        organization_id=organization_id,
        refunded_minor=amount,
    )
    return "refunded"


async def _adopt(session: AsyncSession, order: Order, intent_id: str) -> Payment | None:
    if order.total_minor <= 0:
        return None
    now = utcnow()
    payment = Payment(
        id=uuid.uuid4(),
        order_id=order.id,
        user_id=order.user_id,
        event_id=order.event_id,
        provider=STRIPE,
        provider_payment_id=intent_id,
        status=PaymentStatus.REQUIRES_PAYMENT.value,
        currency=order.currency,
        amount_minor=order.total_minor,
        amount_received_minor=0,
        amount_refunded_minor=0,
        created_at=now,
        updated_at=now,
    )
    session.add(payment)
    await session.flush()
    await payments.record(session, payment, "intent_adopted", message="Found through the webhook's metadata.")
    return payment


def _method_of(obj: dict[str, Any]) -> str | None:
    """The payment method type an intent or a charge names (``card``, ``sepa_debit``, …), if one."""
    details = obj.get("payment_method_details")
    if isinstance(details, dict) and isinstance(details.get("type"), str):
        return str(details["type"])[:32]
    error = obj.get("last_payment_error")
    method = error.get("payment_method") if isinstance(error, dict) else None
    if isinstance(method, dict) and isinstance(method.get("type"), str):
        return str(method["type"])[:32]
    types = obj.get("payment_method_types")
    if isinstance(types, list) and len(types) == 1 and isinstance(types[0], str):
        return types[0][:32]
    return None


def _decline(intent: dict[str, Any]) -> tuple[str | None, str | None]:
    """(code, message) of a failed attempt: the issuer's ``decline_code`` when there is one
    (``insufficient_funds``), else Stripe's ``code`` (``card_declined``, ``authentication_required``)."""
    error = intent.get("last_payment_error")
    if not isinstance(error, dict):
        return None, None
    code = error.get("decline_code") or error.get("code")
    message = error.get("message")
    return (str(code) if code else None), (str(message) if message else None)


async def _open_status(
    session: AsyncSession,
    settings: Settings,
    event_id: str,
    event_type: str,
    intent: dict[str, Any],
    at: datetime,
) -> str:
    """``requires_action`` (3-D Secure: ``next_action`` kept for the client), ``processing`` (the order's
    hold is extended once), ``payment_failed`` (the decline reason kept) and ``canceled``: the payment
    stays open and the order payable until its hold ends. Out of order — after the success, or older
    than the last such event applied — each is kept in the history and changes nothing."""
    found = await _locked(session, intent.get("id"))
    if found is None or found[2] is None:
        return "unknown_intent"
    order, payment = found[0], found[2]
    target = OPEN_EVENTS[event_type]
    type_ = target.value.lower() if target != PaymentStatus.FAILED else "payment_failed"
    code, message = _decline(intent) if target == PaymentStatus.FAILED else (None, None)
    if target == PaymentStatus.CANCELED:
        reason = intent.get("cancellation_reason")
        code = str(reason) if reason else None
        message = "The intent was canceled" + (f" ({code})." if code else ".")
    method = _method_of(intent)
    if payment.status not in OPEN_STATUSES or (
        payment.provider_status_at is not None and at < payment.provider_status_at
    ):
        late = "after the payment succeeded" if payment.status not in OPEN_STATUSES else "out of order"
        await payments.record(
            session,
            payment,
            type_,
            provider_event_id=event_id,
            code=code,
            message=f"Late report ({late}), nothing changed: {message or event_type}.",
        )
        return "late_failure" if target == PaymentStatus.FAILED else "late_status"
    payment.status = target.value
    payment.provider_status_at = at
    payment.method = method or payment.method
    next_action = intent.get("next_action")
    payment.next_action = (
        next_action if target == PaymentStatus.REQUIRES_ACTION and isinstance(next_action, dict) else None
    )
    await payments.record(session, payment, type_, provider_event_id=event_id, code=code, message=message)
    if target == PaymentStatus.PROCESSING:
        await _extend_hold(session, settings, order, payment)
    return {
        PaymentStatus.FAILED: "failed",
        PaymentStatus.CANCELED: "canceled",
        PaymentStatus.REQUIRES_ACTION: "requires_action",
    }.get(target, "processing")


async def _extend_hold(session: AsyncSession, settings: Settings, order: Order, payment: Payment) -> None:
    """The bank is confirming: the order's hold is extended to ``TIXMO_PAYMENT_PROCESSING_HOLD_MINUTES``
    from now (never shortened), once per payment — a second ``processing`` does not extend it again."""
    minutes = settings.payment_processing_hold_minutes
    if minutes <= 0 or payment.hold_extended_at is not None:
        return
    now = utcnow()
    until = now + timedelta(minutes=minutes)
    if not await orders.extend_hold(session, order, until, now):
        return
    payment.hold_extended_at = now
    await payments.record(
        session,
        payment,
        "hold_extended",
        message=f"The bank is confirming the payment: the order is held until {until.isoformat()}.",
    )


async def _charge_method(session: AsyncSession, charge: dict[str, Any]) -> str:
    """``charge.succeeded`` / ``charge.failed`` name the payment method type (for the reports)."""
    method = _method_of(charge)
    payment_id = await session.scalar(
        select(Payment.id).where(
            Payment.provider == STRIPE, Payment.provider_payment_id == charge.get("payment_intent")
        )
    )
    if payment_id is None or method is None:
        return "ignored"
    locks.note(session, locks.Kind.PAYMENT, [payment_id])
    await session.execute(
        update(Payment)
        .where(Payment.id == payment_id, Payment.method.is_distinct_from(method))
        .values(method=method)
    )
    return "method_recorded"


async def _charge_refunded(session: AsyncSession, event_id: str, charge: dict[str, Any]) -> str:
    """Money refunded elsewhere (the Stripe dashboard) is recorded as an ``external`` refund, and a full
    one cancels the order's tickets. The charge's cumulative ``amount_refunded`` is compared with what
    TixMo knows of (its own refunds count from when they are recorded); the charge does not list its
    refunds (Stripe stopped including ``refunds`` in API version 2022-11-15): ours are settled by their
    own ``refund.updated`` events."""
    found = await _locked(session, charge.get("payment_intent"))
    if found is None or found[2] is None:
        return "unknown_intent"
    order, organization_id, payment = found[0], found[1], found[2]
    if payment.status in OPEN_STATUSES:
        # Out of order: the refund of a payment whose success has not arrived yet. Kept for later (the
        # event id is not stored: this transaction rolls back), so Stripe's redelivery reconciles it.
        raise Conflict(
            "The charge's payment has not succeeded here yet (its payment_intent.succeeded has not "
            "arrived); deliver this event again later."
        )
    refunded_raw = _int(charge.get("amount_refunded"))
    refunded = currencies.from_stripe(refunded_raw, payment.currency) if refunded_raw >= 0 else -1
    extra = min(refunded - payment.amount_refunded_minor, refunds.refundable(payment))
    if extra <= 0:
        return "in_sync"
    session.add(
        Refund(
            id=uuid.uuid4(),
            payment_id=payment.id,
            amount_minor=extra,
            status=RefundStatus.SUCCEEDED.value,
            origin="external",
            reason="Refunded at Stripe.",
            ticket_ids=[],
            attempts=0,
        )
    )
    payment.amount_refunded_minor += extra
    payment.status = refunds.status_after_refunds(payment)
    await session.flush()
    await payments.record(
        session,
        payment,
        "refunded_externally",
        amount_minor=extra,
        provider_event_id=event_id,
        message="Refunded outside TixMo (e.g. in the Stripe dashboard).",
    )
    fully = refunds.refundable(payment) == 0
    if fully and order.status in PAID_STATUSES:
        await settlement.cancel_tickets(session, order, None)
    await settlement.after_refund(
        session,
        order,
        utcnow(),
        fully_refunded=fully,
        actor=None,
        organization_id=organization_id,
        refunded_minor=extra,
    )
    return "external_refund"


async def _refund_changed(session: AsyncSession, event_id: str, refund: dict[str, Any]) -> str:
    """A refund's status at Stripe (``refund.updated`` and kin): one of ours still PENDING — found by the
    ``tixmo_refund_id`` in its metadata, else by Stripe's id — becomes SUCCEEDED, or FAILED (its amount
    free to refund again) when Stripe reports it ``failed`` or ``canceled``; still ``pending``: Stripe's
    id is kept. A refund made elsewhere is left to ``charge.refunded`` (which counts it once)."""
    found = await _locked(session, refund.get("payment_intent"))
    if found is None or found[2] is None:
        return "unknown_intent"
    payment = found[2]
    metadata = refund.get("metadata") if isinstance(refund.get("metadata"), dict) else {}
    provider_id = refund.get("id") if isinstance(refund.get("id"), str) else None
    ours = await _our_refund(session, payment, (metadata or {}).get("tixmo_refund_id"), provider_id)
    if ours is None:
        return "unknown_refund"
    if ours.status != RefundStatus.PENDING.value:
        return "already_settled"
    status = refund.get("status")
    if status == "succeeded":
        await refunds.mark_refund(
            session, payment, ours, succeeded=True, provider_refund_id=provider_id, provider_event_id=event_id
        )
        return "refund_succeeded"
    if status in ("failed", "canceled"):
        reason = refund.get("failure_reason")
        await refunds.mark_refund(
            session,
            payment,
            ours,
            succeeded=False,
            provider_refund_id=provider_id,
            provider_event_id=event_id,
            error=f"Stripe reports the refund {status}" + (f" ({reason})." if reason else "."),
        )
        return "refund_failed"
    if provider_id is not None and ours.provider_refund_id is None:
        ours.provider_refund_id = provider_id
        ours.updated_at = utcnow()
    return "refund_pending"


async def _our_refund(
    session: AsyncSession, payment: Payment, refund_id: object, provider_refund_id: str | None = None
) -> Refund | None:
    """One of the payment's refunds (locked), by TixMo's id, else by the provider's."""
    key: uuid.UUID | None = None
    if isinstance(refund_id, str):
        try:
            key = uuid.UUID(refund_id)
        except ValueError:
            key = None
    if key is not None:
        condition = Refund.id == key
    elif provider_refund_id is not None:
        condition = Refund.provider_refund_id == provider_refund_id
    else:
        return None
    found = await session.scalar(select(Refund.id).where(condition, Refund.payment_id == payment.id))
    if found is None:
        return None
    await locks.take(session, locks.Kind.REFUND, [found])
    refund: Refund | None = await session.scalar(
        select(Refund).where(Refund.id == found).execution_options(populate_existing=True)
    )
    return refund

"""Refunds: recorded first, paid out by the provider after the commit, never twice, never more than paid.

A refund is *recorded first* — PENDING, its amount claimed on the payment, tickets cancelled, inventory
back on sale — in the caller's transaction, under the order's and the payment's row locks, so concurrent
refunds can never add up to more than was received (the CHECK ``refunds_within_received`` backs it).
With it goes a job (``payments.settle_refund``) that asks the provider *after the commit*, holding no
lock, with the refund's id as the idempotency key:

* the provider fails or times out: the refund stays PENDING and the job retries with backoff, then the
  periodic sweep (for up to 23 h, within Stripe's 24 h idempotency window); a retry never refunds twice,
  even when Stripe had refunded and only its answer was lost;
* the provider refuses for good: the refund is FAILED, its amount can be refunded again, the history and
  the audit log say so;
* the process dies after the commit: the job is in the same commit, so it still runs;
* the provider answers ``pending`` (Stripe does for some payment methods, for days): the refund stays
  PENDING with the provider's id; Stripe's ``refund.updated`` webhook settles it by that id
  (``webhooks``), and the sweep re-fetches it from the provider meanwhile (a lost webhook loses nothing).

So no refund is lost and none is paid twice; a paid order's tickets go back on sale at once, and the
money follows within the job's retries. The manual provider moves no money: its refunds succeed at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tixmo import jobs, locks
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.config import PaymentProviderName
from tixmo.db import utcnow
from tixmo.orders import settlement
from tixmo.orders.models import Order
from tixmo.payments import service as payments
from tixmo.payments.models import (
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from tixmo.payments.providers import ManualProvider, PaymentProviders, ProviderError

SETTLE_REFUND = "payments.settle_refund"


def refund_key(refund_id: uuid.UUID) -> str:
    return f"tixmo-refund-{refund_id}"


def refundable(payment: Payment) -> int:
    """What can still be refunded: received, less refunds PENDING or SUCCEEDED."""
    return payment.amount_received_minor - payment.amount_refunded_minor


def status_after_refunds(payment: Payment) -> str:
    if payment.amount_refunded_minor == 0:
        # Money is only received by a success, or by a mismatch that awaits review.
        return PaymentStatus.SUCCEEDED.value if payment.succeeded_at else PaymentStatus.REQUIRES_REVIEW.value
    if payment.amount_refunded_minor >= payment.amount_received_minor:
        return PaymentStatus.REFUNDED.value
    return PaymentStatus.PARTIALLY_REFUNDED.value


async def reserve_refund(
    session: AsyncSession,
    payment: Payment,
    amount_minor: int,
    *,
    actor: User | None,
    reason: str | None,
    ticket_ids: Sequence[uuid.UUID] = (),
) -> Refund:
    """Record a refund of ``amount_minor`` (claimed on the payment now) and have the provider pay it out:
    at once for the manual provider, else by a job after the commit. Caller holds the order's and the
    payment's locks and has checked ``amount_minor <= refundable(payment)``."""
    assert 0 < amount_minor <= refundable(payment)
    refund = Refund(
        id=uuid.uuid4(),
        payment_id=payment.id,
        amount_minor=amount_minor,
        status=RefundStatus.PENDING.value,
        origin="api",
        reason=reason,
        ticket_ids=list(ticket_ids),
        actor_id=actor.id if actor is not None else None,
        attempts=0,
    )
    session.add(refund)
    payment.amount_refunded_minor += amount_minor
    payment.status = status_after_refunds(payment)
    await session.flush()
    await payments.record(
        session, payment, "refund_requested", amount_minor=amount_minor, refund_id=refund.id, message=reason
    )
    await audit.record(
        session,
        action="payment.refund_requested",
        entity_type="payment",
        entity_id=payment.id,
        actor_id=actor.id if actor is not None else None,
        actor_type="user" if actor is not None else "system",
        organization_id=await payments.organization_of(session, payment.event_id),
        after={"refundId": refund.id, "amount": amount_minor, "reason": reason, "tickets": len(ticket_ids)},
    )
    if payment.provider == PaymentProviderName.MANUAL.value:
        result = await ManualProvider().refund(
            intent_id=payment.provider_payment_id,
            amount_minor=amount_minor,
            currency=payment.currency,
            idempotency_key=refund_key(refund.id),
            metadata={},
        )
        await mark_refund(session, payment, refund, succeeded=True, provider_refund_id=result.id)
    else:
        await jobs.enqueue(session, SETTLE_REFUND, refund_id=str(refund.id))
    return refund


async def mark_refund(
    session: AsyncSession,
    payment: Payment,
    refund: Refund,
    *,
    succeeded: bool,
    provider_refund_id: str | None = None,
    error: str | None = None,
    provider_event_id: str | None = None,
) -> None:
    """PENDING → SUCCEEDED, or → FAILED (its amount freed on the payment). Caller holds the locks."""
    if refund.status != RefundStatus.PENDING.value:
        return
    refund.status = RefundStatus.SUCCEEDED.value if succeeded else RefundStatus.FAILED.value
    refund.provider_refund_id = provider_refund_id or refund.provider_refund_id
    refund.last_error = error
    refund.updated_at = utcnow()
    if not succeeded:
        payment.amount_refunded_minor -= refund.amount_minor
        payment.status = status_after_refunds(payment)
    await session.flush()
    await payments.record(
        session,
        payment,
        "refund_succeeded" if succeeded else "refund_failed",
        amount_minor=refund.amount_minor,
        refund_id=refund.id,
        provider_event_id=provider_event_id,
        message=error,
    )
    if not succeeded:
        await audit.record(
            session,
            action="payment.refund_failed",
            entity_type="payment",
            entity_id=payment.id,
            actor_type="system",
            organization_id=await payments.organization_of(session, payment.event_id),
            after={"refundId": refund.id, "amount": refund.amount_minor, "error": error},
        )


async def refund_rest(session: AsyncSession, order: Order, actor: User | None, *, reason: str) -> None:
    """A paid order was cancelled (by its buyer, staff, or the event's cancellation): what is left of its
    payment is refunded. The caller holds the order's lock and has cancelled the tickets."""
    payment = await payments.lock_payment(session, order.id)
    if payment is None:
        return
    left = refundable(payment)
    if left > 0:
        await reserve_refund(session, payment, left, actor=actor, reason=reason)


# --------------------------------------------------------------------- the provider, after the commit


@dataclass(frozen=True)
class _RefundCall:
    refund_id: uuid.UUID
    order_id: uuid.UUID
    provider: str
    intent_id: str
    amount_minor: int
    currency: str


async def settle_refund(
    session_factory: async_sessionmaker[AsyncSession], providers: PaymentProviders, refund_id: uuid.UUID
) -> str:
    """Ask the provider to pay out a PENDING refund (the job's work), or, when the provider already has
    it (answered ``pending``), how it stands now (the sweep's work); returns the refund's status.

    Three short transactions and no lock across the provider call: read, call, write the outcome. The
    idempotency key is the refund's id, so running this twice (job retry, sweep) refunds once.
    A transient failure is raised (the job retries); a refusal marks the refund FAILED.
    """
    async with session_factory() as session, session.begin():
        row = (
            await session.execute(
                select(Refund, Payment)
                .join(Payment, Payment.id == Refund.payment_id)
                .where(Refund.id == refund_id)
            )
        ).first()
        if row is None:
            return "UNKNOWN"
        refund_row, payment_row = row
        if refund_row.status != RefundStatus.PENDING.value:
            return str(refund_row.status)
        known = refund_row.provider_refund_id
        call = _RefundCall(
            refund_row.id,
            payment_row.order_id,
            payment_row.provider,
            payment_row.provider_payment_id,
            refund_row.amount_minor,
            payment_row.currency,
        )
    provider = providers.get(call.provider)
    try:
        if known is not None:  # the provider has it (it answered pending): ask how it stands now
            result = await provider.retrieve_refund(known)
        else:
            result = await provider.refund(
                intent_id=call.intent_id,
                amount_minor=call.amount_minor,
                currency=call.currency,
                idempotency_key=refund_key(call.refund_id),
                metadata={"tixmo_refund_id": str(call.refund_id), "order_id": str(call.order_id)},
            )
    except ProviderError as exc:
        async with session_factory() as session, session.begin():
            status = await _refund_outcome(session, call, error=str(exc), transient=exc.transient)
        if exc.transient:
            raise
        return status
    async with session_factory() as session, session.begin():
        return await _refund_outcome(
            session, call, provider_refund_id=result.id, provider_status=result.status
        )


async def _refund_outcome(
    session: AsyncSession,
    call: _RefundCall,
    *,
    provider_refund_id: str | None = None,
    provider_status: str | None = None,
    error: str | None = None,
    transient: bool = False,
) -> str:
    await settlement.lock(session, call.order_id)
    payment = await payments.lock_payment(session, call.order_id)
    await locks.take(session, locks.Kind.REFUND, [call.refund_id])
    refund_row = await session.scalar(
        select(Refund).where(Refund.id == call.refund_id).execution_options(populate_existing=True)
    )
    assert payment is not None and refund_row is not None
    if refund_row.status != RefundStatus.PENDING.value:
        return str(refund_row.status)
    if error is not None:
        if transient:
            refund_row.attempts += 1
            refund_row.last_error = error
            refund_row.updated_at = utcnow()
            return str(refund_row.status)
        await mark_refund(session, payment, refund_row, succeeded=False, error=error)
    elif provider_status in ("failed", "canceled"):
        await mark_refund(
            session,
            payment,
            refund_row,
            succeeded=False,
            provider_refund_id=provider_refund_id,
            error=f"The provider reports the refund {provider_status}.",
        )
    elif provider_status == "succeeded":
        await mark_refund(session, payment, refund_row, succeeded=True, provider_refund_id=provider_refund_id)
    else:  # pending at the provider: its webhook (refund.updated) or the sweep settles it
        refund_row.provider_refund_id = provider_refund_id
        refund_row.attempts += 1
        refund_row.updated_at = utcnow()
    return str(refund_row.status)


async def pending_refund_ids(
    session: AsyncSession, *, older_than: datetime, newer_than: datetime, known: bool = False
) -> list[uuid.UUID]:
    """PENDING refunds (for the periodic sweep) the provider has not answered yet, or with ``known`` those
    it answered ``pending`` (it has their id)."""
    rows = await session.scalars(
        select(Refund.id)
        .where(
            Refund.status == RefundStatus.PENDING.value,
            Refund.provider_refund_id.is_not(None) if known else Refund.provider_refund_id.is_(None),
            Refund.created_at < older_than,
            Refund.created_at > newer_than,
        )
        .order_by(Refund.created_at)
        .limit(100)
    )
    return list(rows)

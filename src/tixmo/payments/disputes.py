"""Disputes (chargebacks): Stripe's ``charge.dispute.*`` events recorded on the payment, the organizer
told at once, and a lost dispute counted as a refund.

* Each dispute is one row per Stripe dispute id, updated from every event about it (amount, reason,
  status, evidence due date), in any order and any number of times: once it is closed (``won``, ``lost``,
  ``warning_closed``) an older open status delivered late changes nothing.
* A new dispute (the first event seen about it, whichever it is) tells the organization's OWNERs and
  ADMINs (in-app + email: the evidence deadline is what matters); its close tells them how it ended.
* **Lost**: the bank took the money back. It is recorded as a refund with ``origin: "dispute"``
  (SUCCEEDED at once, at most what is left to refund), so the payment's ``amountRefunded``, the order's
  status and every figure that counts refunds (the analytics reports sum ``amount_refunded_minor``)
  count it. When nothing is left, the order's tickets are cancelled (their inventory returns) and the
  order is REFUNDED, as for a refund made in the Stripe dashboard.
* A dispute about a payment whose success has not arrived yet is answered 409 and not stored (like
  ``charge.refunded``): Stripe delivers it again later.

The caller (``webhooks``) holds the order's and the payment's locks.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks
from tixmo.audit import service as audit
from tixmo.db import utcnow
from tixmo.errors import Conflict
from tixmo.events.models import Event
from tixmo.money import format_minor
from tixmo.notifications import triggers as notify
from tixmo.orders import settlement
from tixmo.orders.models import PAID_STATUSES, Order
from tixmo.organizations.models import MemberRole, Membership
from tixmo.payments import currencies, refunds
from tixmo.payments import service as payments
from tixmo.payments.models import DISPUTE_CLOSED, OPEN_STATUSES, Dispute, Payment, Refund, RefundStatus
from tixmo.tickets.models import Ticket, TicketStatus

DISPUTE_EVENTS = frozenset(
    {
        "charge.dispute.created",
        "charge.dispute.updated",
        "charge.dispute.closed",
        "charge.dispute.funds_withdrawn",
        "charge.dispute.funds_reinstated",
    }
)
STRIPE = "stripe"


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _due_by(obj: dict[str, Any]) -> datetime | None:
    details = obj.get("evidence_details")
    due = _int(details.get("due_by")) if isinstance(details, dict) else None
    return datetime.fromtimestamp(due, UTC) if due is not None else None


async def apply(
    session: AsyncSession,
    event_id: str,
    order: Order,
    organization_id: uuid.UUID,
    payment: Payment,
    obj: dict[str, Any],
) -> str:
    dispute_id = obj.get("id")
    status = obj.get("status")
    if not isinstance(dispute_id, str) or not isinstance(status, str):
        return "ignored"
    if payment.status in OPEN_STATUSES:
        raise Conflict(
            "The disputed payment has not succeeded here yet (its payment_intent.succeeded has not "
            "arrived); deliver this event again later."
        )
    raw = _int(obj.get("amount"))
    amount = currencies.from_stripe(raw, payment.currency) if raw is not None and raw >= 0 else 0
    reason = str(obj["reason"])[:64] if isinstance(obj.get("reason"), str) else None
    now = utcnow()
    found = await _record_dispute(session, payment, obj, dispute_id, status, amount, reason, now)
    if isinstance(found, str):
        return found  # a status after the dispute was closed
    dispute, opened = found
    due = dispute.evidence_due_by
    detail = (
        f"{format_minor(amount)} {payment.currency} disputed ({reason or 'no reason given'}), "
        f"status {status}" + (f", evidence due by {due.isoformat()}." if due is not None else ".")
    )
    if opened:
        await _opened(session, event_id, order, organization_id, payment, dispute, detail)
    if status not in DISPUTE_CLOSED:
        if not opened:
            await payments.record(
                session,
                payment,
                "dispute_updated",
                amount_minor=amount,
                provider_event_id=event_id,
                code=reason,
                message=detail,
            )
        return "dispute_opened" if opened else "dispute_updated"
    dispute.closed_at = now
    if status == "lost":
        await _lost(session, event_id, order, organization_id, payment, dispute)
    else:
        await payments.record(
            session,
            payment,
            "dispute_won" if status == "won" else "dispute_closed",
            amount_minor=amount,
            provider_event_id=event_id,
            code=reason,
            message=f"The dispute ended {status}: the money stays with the organizer.",
        )
    await _restore(session, event_id, order, payment)
    await _tell_organizer(session, order, organization_id, payment, dispute, opened=False)
    return f"dispute_{status}"


async def _record_dispute(
    session: AsyncSession,
    payment: Payment,
    obj: dict[str, Any],
    dispute_id: str,
    status: str,
    amount: int,
    reason: str | None,
    now: datetime,
) -> tuple[Dispute, bool] | str:
    """The dispute's row made (and ``True``: just opened) or brought up to date; a status that arrives
    after it was closed changes nothing and answers what the webhook log says of it."""
    dispute: Dispute | None = await session.scalar(
        select(Dispute)
        .where(Dispute.provider == STRIPE, Dispute.provider_dispute_id == dispute_id[:255])
        .execution_options(populate_existing=True)
    )
    opened = dispute is None
    if dispute is None:
        dispute = Dispute(
            id=uuid.uuid4(),
            payment_id=payment.id,
            provider=STRIPE,
            provider_dispute_id=dispute_id[:255],
            amount_minor=amount,
            currency=payment.currency,
            reason=reason,
            status=status[:32],
            evidence_due_by=_due_by(obj),
            created_at=now,
            updated_at=now,
        )
        session.add(dispute)
        await session.flush()
    elif dispute.status in DISPUTE_CLOSED:
        return "already_settled" if status == dispute.status else "late_status"
    else:
        dispute.amount_minor = amount
        dispute.reason = reason or dispute.reason
        dispute.status = status[:32]
        dispute.evidence_due_by = _due_by(obj) or dispute.evidence_due_by
        dispute.updated_at = now
    return dispute, opened


async def _opened(
    session: AsyncSession,
    event_id: str,
    order: Order,
    organization_id: uuid.UUID,
    payment: Payment,
    dispute: Dispute,
    detail: str,
) -> None:
    """A new dispute: logged on the payment, the order's tickets suspended, the organizer told, audited."""
    await payments.record(
        session,
        payment,
        "dispute_opened",
        amount_minor=dispute.amount_minor,
        provider_event_id=event_id,
        code=dispute.reason,
        message=detail,
    )
    await _suspend(session, event_id, order, payment, dispute)
    await _tell_organizer(session, order, organization_id, payment, dispute, opened=True)
    await audit.record(
        session,
        action="payment.disputed",
        entity_type="payment",
        entity_id=payment.id,
        actor_type="system",
        organization_id=organization_id,
        after={
            "disputeId": dispute.id,
            "amount": dispute.amount_minor,
            "reason": dispute.reason,
            "status": dispute.status,
        },
    )


async def _suspend(
    session: AsyncSession, event_id: str, order: Order, payment: Payment, dispute: Dispute
) -> None:
    """With the event's ``suspend_tickets_on_dispute``, the order's VALID tickets stop admitting (they
    scan INVALID, manual check-in is 409) until the dispute is closed. The caller holds the tickets'
    locks (``settlement.lock``: a scan of one of them waits, or happened before)."""
    wanted = await session.scalar(select(Event.suspend_tickets_on_dispute).where(Event.id == order.event_id))
    if not wanted or dispute.status in DISPUTE_CLOSED:
        return
    now = utcnow()
    locks.note(session, locks.Kind.TICKET)  # locked first (``locks.tickets_of``)
    suspended = list(
        await session.scalars(
            update(Ticket)
            .where(
                Ticket.order_id == order.id,
                Ticket.status == TicketStatus.VALID.value,
                Ticket.suspended_at.is_(None),
            )
            .values(suspended_at=now, updated_at=now)
            .returning(Ticket.id)
            .execution_options(synchronize_session=False)
        )
    )
    dispute.tickets_suspended = True
    if suspended:
        await payments.record(
            session,
            payment,
            "tickets_suspended",
            provider_event_id=event_id,
            message=f"{len(suspended)} unused ticket(s) suspended until the dispute ends.",
        )


async def _restore(session: AsyncSession, event_id: str, order: Order, payment: Payment) -> None:
    """The dispute closed: tickets it suspended admit again — unless another dispute of the payment is
    still open, or they were cancelled (a dispute lost in full cancels them)."""
    still_open = await session.scalar(
        select(Dispute.id).where(Dispute.payment_id == payment.id, Dispute.status.not_in(DISPUTE_CLOSED))
    )
    if still_open is not None:
        return
    now = utcnow()
    locks.note(session, locks.Kind.TICKET)
    restored = list(
        await session.scalars(
            update(Ticket)
            .where(
                Ticket.order_id == order.id,
                Ticket.status == TicketStatus.VALID.value,
                Ticket.suspended_at.is_not(None),
            )
            .values(suspended_at=None, updated_at=now)
            .returning(Ticket.id)
            .execution_options(synchronize_session=False)
        )
    )
    if restored:
        await payments.record(
            session,
            payment,
            "tickets_restored",
            provider_event_id=event_id,
            message=f"The dispute ended: {len(restored)} suspended ticket(s) admit again.",
        )


async def _lost(
    session: AsyncSession,
    event_id: str,
    order: Order,
    organization_id: uuid.UUID,
    payment: Payment,
    dispute: Dispute,
) -> None:
    """The bank took the money back: a ``dispute`` refund of the disputed amount (at most what is left),
    so every figure counts it; nothing left → the order's tickets are cancelled, the order REFUNDED."""
    amount = min(dispute.amount_minor, refunds.refundable(payment))
    if amount > 0:
        refund = Refund(
            id=uuid.uuid4(),
            payment_id=payment.id,
            amount_minor=amount,
            status=RefundStatus.SUCCEEDED.value,
            origin="dispute",
            reason=f"Dispute {dispute.provider_dispute_id} lost ({dispute.reason or 'no reason given'}).",
            ticket_ids=[],
            attempts=0,
        )
        session.add(refund)
        payment.amount_refunded_minor += amount
        payment.status = refunds.status_after_refunds(payment)
        await session.flush()
        dispute.refund_id = refund.id
    await payments.record(
        session,
        payment,
        "dispute_lost",
        amount_minor=amount,
        refund_id=dispute.refund_id,
        provider_event_id=event_id,
        code=dispute.reason,
        message=f"The dispute was lost: {format_minor(amount)} {payment.currency} went back to the "
        "cardholder's bank; counted as a refund.",
    )
    fully = refunds.refundable(payment) == 0
    if fully and order.status in PAID_STATUSES:
        await settlement.cancel_tickets(session, order, None)
    if amount > 0:
        await settlement.after_refund(
            session,
            order,
            utcnow(),
            fully_refunded=fully,
            actor=None,
            organization_id=organization_id,
            refunded_minor=amount,
        )


async def _tell_organizer(
    session: AsyncSession,
    order: Order,
    organization_id: uuid.UUID,
    payment: Payment,
    dispute: Dispute,
    *,
    opened: bool,
) -> None:
    """In-app + email to the organization's OWNERs and ADMINs."""
    event = await session.get(Event, order.event_id)
    assert event is not None
    managers = list(
        await session.scalars(
            select(Membership.user_id)
            .where(
                Membership.organization_id == organization_id,
                Membership.role.in_([MemberRole.OWNER.value, MemberRole.ADMIN.value]),
            )
            .order_by(Membership.user_id)
        )
    )
    await notify.payment_disputed(
        session,
        user_ids=managers,
        event=event,
        order_id=order.id,
        payment_id=payment.id,
        dispute_status=dispute.status,
        amount=format_minor(dispute.amount_minor),
        currency=dispute.currency,
        reason=dispute.reason,
        evidence_due_by=dispute.evidence_due_by,
        opened=opened,
    )

"""Cancelling single tickets for their paid share: ``POST /tickets/{ticketId}/cancel`` and refunds by ticket.

A ticket's share of what its order cost: each order line's total (quantity * unit price - the line's
share of the discount) is split across that line's tickets by largest remainder (``promos.allocate``), in
ticket-id order, in the currency's smallest unit (whole yen for a zero-decimal currency). So the split is
deterministic, every share is within one unit of the others on its line, and the shares of all the
order's tickets add up to exactly the order total. A refund for a ticket is
its share, never more than is left to refund on the payment.

Who may cancel: org staff always; the ticket's owner only while the event's refund policy allows it
(``FULL``, until ``refundDeadlineHours`` before the start), and only the buyer: the refund goes to the
order's payment, so a holder who received the ticket by transfer asks the organizer. Cancelling one
ticket cancels that ticket only, never the order's others — also when its share is all that is left on
the payment (after a refund by amount): the refund is then what is left. Holders of transferred tickets
that staff cancel are told (``ticket.cancelled``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.db import utcnow
from tixmo.errors import Conflict, FieldError, Forbidden, InvalidState, NotFound, ValidationFailed
from tixmo.events.models import Event, RefundPolicy
from tixmo.orders import settlement
from tixmo.orders.models import PAID_STATUSES, Order, OrderItem
from tixmo.organizations import service as organizations
from tixmo.payments import currencies
from tixmo.payments import refunds as payments
from tixmo.payments import service as payment_service
from tixmo.payments.models import REFUNDABLE_STATUSES, Refund
from tixmo.promos.service import allocate
from tixmo.tickets.models import Ticket, TicketStatus

TICKET_NOT_FOUND = "Ticket not found."


@dataclass
class CancelledTicket:
    ticket: Ticket
    order: Order
    refunded_minor: int
    refund: Refund | None


async def ticket_shares(session: AsyncSession, order: Order) -> dict[uuid.UUID, int]:
    """Every ticket of the order (cancelled ones too) → its share of the order total, in minor units."""
    items = await session.scalars(select(OrderItem).where(OrderItem.order_id == order.id))
    rows = await session.execute(
        select(Ticket.id, Ticket.ticket_type_id).where(Ticket.order_id == order.id).order_by(Ticket.id)
    )
    by_type: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for ticket_id, ticket_type_id in rows.all():
        by_type[ticket_type_id].append(ticket_id)
    shares: dict[uuid.UUID, int] = {}
    # Split in the currency's smallest unit (whole yen: a fraction of one cannot be refunded), when the
    # line's total is made of them.
    step = currencies.unit(order.currency)
    for item in items:
        ids = by_type.get(item.ticket_type_id, [])
        line_total = item.quantity * item.unit_price_minor - item.discount_minor
        unit = step if line_total % step == 0 else 1
        split = allocate(line_total // unit, [item.unit_price_minor] * len(ids))
        for ticket_id, share in zip(ids, split, strict=True):
            shares[ticket_id] = share * unit
    return shares


async def check_refundable_tickets(
    session: AsyncSession, order: Order, ticket_ids: Sequence[uuid.UUID], *, field: str
) -> dict[uuid.UUID, int]:
    """The shares of ``ticket_ids``, each a VALID ticket of ``order`` (422 naming ``field.N`` when it is
    not the order's; 409 INVALID_STATE when it was used or cancelled)."""
    if not ticket_ids:
        return {}
    statuses = dict(
        (
            await session.execute(
                select(Ticket.id, Ticket.status).where(
                    Ticket.order_id == order.id, Ticket.id.in_(list(ticket_ids))
                )
            )
        ).all()
    )
    for index, ticket_id in enumerate(ticket_ids):
        if ticket_id not in statuses:
            raise ValidationFailed(f"{field}.{index}", "No such ticket in this order.")
    for index, ticket_id in enumerate(ticket_ids):
        if statuses[ticket_id] != TicketStatus.VALID.value:
            raise InvalidState(
                f"Ticket {ticket_id} is {statuses[ticket_id]}; only VALID tickets can be cancelled.",
                errors=[
                    FieldError(field=f"{field}.{index}", message=f"The ticket is {statuses[ticket_id]}.")
                ],
            )
    shares = await ticket_shares(session, order)
    return {ticket_id: shares.get(ticket_id, 0) for ticket_id in ticket_ids}


def _check_policy(event: Event) -> None:
    if event.refund_policy != RefundPolicy.FULL.value:
        raise Forbidden("This event's tickets can only be cancelled by its organizer (refund policy NONE).")
    deadline = event.starts_at - timedelta(hours=event.refund_deadline_hours)
    if utcnow() >= deadline:
        raise InvalidState(
            f"Cancellations for this event closed at {deadline.isoformat()} "
            f"({event.refund_deadline_hours} h before the start)."
        )


async def cancel_ticket(session: AsyncSession, actor: User, ticket_id: uuid.UUID) -> CancelledTicket:
    """Owner (within the refund policy) or org staff: the ticket is CANCELLED, its ticket type (and seat)
    back on sale, its paid share refunded through the payment's provider; the order follows."""
    row = (
        await session.execute(
            select(Ticket, Event).join(Event, Event.id == Ticket.event_id).where(Ticket.id == ticket_id)
        )
    ).first()
    if row is None:
        raise NotFound(TICKET_NOT_FOUND)
    ticket, event = row
    staff = await organizations.is_staff(session, actor, event.organization_id)
    if not staff and ticket.owner_id != actor.id:
        raise NotFound(TICKET_NOT_FOUND)
    # The event, the order, its payment, promo code and tickets — this one included, so a scan of it
    # has either finished (the ticket is USED: refused below) or waits for this to commit.
    locked = await settlement.lock(session, ticket.order_id)
    assert locked is not None
    order, organization_id = locked.order, locked.organization_id
    await session.refresh(ticket)  # as committed before this order's lock was ours
    if not staff and ticket.owner_id != actor.id:  # transferred away meanwhile
        raise Conflict("The ticket was transferred to someone else meanwhile.")
    if ticket.status != TicketStatus.VALID.value:
        raise InvalidState(f"The ticket is already {ticket.status}.")
    if not staff:
        if ticket.owner_id != order.user_id:
            raise InvalidState(
                "This ticket was transferred to you: its refund would go to the buyer's payment, so only "
                "the organizer can cancel it."
            )
        _check_policy(event)
    if order.status not in PAID_STATUSES:
        raise InvalidState(f"The ticket's order is {order.status}.")
    payment = await payment_service.lock_payment(session, order.id)
    share = (await ticket_shares(session, order)).get(ticket.id, 0)
    paid = payment is not None and payment.status in REFUNDABLE_STATUSES
    amount = min(share, payments.refundable(payment)) if payment is not None and paid else 0
    # Exactly this ticket: even when its share takes all that is left on the payment (after a refund by
    # amount), the order's other tickets stay with their holders.
    await settlement.cancel_tickets(session, order, [ticket.id])
    refund = None
    if payment is not None and amount > 0:
        refund = await payments.reserve_refund(
            session, payment, amount, actor=actor, reason="Ticket cancelled.", ticket_ids=[ticket.id]
        )
    await settlement.after_refund(
        session,
        order,
        utcnow(),
        fully_refunded=False,  # REFUNDED once no ticket is left, else PARTIALLY_REFUNDED
        actor=actor,
        organization_id=organization_id,
        refunded_minor=amount,
    )
    await session.refresh(ticket)
    await audit.record(
        session,
        action="ticket.cancelled",
        entity_type="ticket",
        entity_id=ticket.id,
        actor_id=actor.id,
        organization_id=organization_id,
        before={"status": TicketStatus.VALID.value},
        after={"status": ticket.status, "refunded": amount, "byStaff": staff},
    )
    return CancelledTicket(ticket, order, amount, refund)

"""What each domain calls when something a user should hear about happened: one call per change, in
the changing transaction. Each builds the in-app text and hands it to ``service.notify`` (which queues
the email by the policy in ``kinds``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.events.models import Event, EventStatus
from tixmo.money import format_minor
from tixmo.notifications import kinds
from tixmo.notifications import service as notifications
from tixmo.orders.models import PAID_STATUSES, Order, OrderStatus
from tixmo.tickets import pdf
from tixmo.tickets.models import Ticket, TicketStatus
from tixmo.tickets.signals import TicketTransferred


async def welcome(session: AsyncSession, user: User) -> None:
    await notifications.notify(
        session,
        user_id=user.id,
        kind=kinds.WELCOME,
        title="Welcome to TixMo",
        body="Your account is ready: find events, order tickets and keep them all in one place.",
        data={"email": user.email},
    )


def _order_data(order: Order, event: Event) -> dict[str, object]:
    return {
        "orderId": order.id,
        "eventId": event.id,
        "eventName": event.name,
        "status": order.status,
        "total": format_minor(order.total_minor),
        "currency": order.currency,
    }


async def order_changed(session: AsyncSession, order: Order, *, refunded_minor: int | None = None) -> None:
    """The order reached ``order.status``: CONFIRMED, CANCELLED, EXPIRED, REFUNDED or PARTIALLY_REFUNDED
    (``refunded_minor``: what this refund gave back, when a refund moved it)."""
    event = await session.get(Event, order.event_id)
    assert event is not None
    total = f"{format_minor(order.total_minor)} {order.currency}"
    data = _order_data(order, event)
    if refunded_minor is not None:
        data["amount"] = format_minor(refunded_minor)
    status = OrderStatus(order.status)
    if status == OrderStatus.CONFIRMED:
        kind, title = kinds.ORDER_CONFIRMED, f"Your tickets for {event.name}"
        body = f"Your order for {event.name} is confirmed ({order.ticket_count} ticket"
        body += f"{'s' if order.ticket_count != 1 else ''}, {total})."
    elif status == OrderStatus.EXPIRED:
        kind, title = kinds.ORDER_EXPIRED, f"Your order for {event.name} expired"
        body = "It was not paid in time; the tickets it held went back on sale. You can place a new order."
    elif status == OrderStatus.CANCELLED:
        kind, title = kinds.ORDER_CANCELLED, f"Your order for {event.name} was cancelled"
        body = "The order was cancelled; the tickets it held went back on sale and no money was taken."
    elif status == OrderStatus.REFUNDED:
        kind, title = kinds.ORDER_REFUNDED, f"Your order for {event.name} was refunded"
        if refunded_minor is None:
            body = f"Your order was refunded in full ({total}); its tickets are cancelled. "
        else:
            body = (
                f"{data['amount']} {order.currency} was refunded; your order is now refunded in full and its "
            )
            body += "tickets are cancelled. "
        body += "The money goes back to the original payment method."
    elif status == OrderStatus.PARTIALLY_REFUNDED:
        kind, title = kinds.ORDER_REFUNDED, f"Part of your order for {event.name} was refunded"
        part = (
            f"{data['amount']} {order.currency} of your order"
            if refunded_minor is not None
            else "Part of your order"
        )
        body = f"{part} was refunded; the money goes back to the original payment method. "
        body += "Tickets that were refunded are cancelled, the others stay valid."
    else:
        return
    await notifications.notify(session, user_id=order.user_id, kind=kind, title=title, body=body, data=data)


async def unpaid_order_refunded(session: AsyncSession, order: Order, *, refunded_minor: int) -> None:
    """Money came in for an order that did not take it (a payment that arrived after the order expired
    or was cancelled, or once the event was over; or one staff refunded before it was confirmed) and
    ``refunded_minor`` of it went back. The order keeps its status, so ``order_changed`` does not fit."""
    event = await session.get(Event, order.event_id)
    assert event is not None
    data = _order_data(order, event)
    data["amount"] = format_minor(refunded_minor)
    paid = f"{data['amount']} {order.currency}"
    if event.status == EventStatus.CANCELLED.value:
        body = f"Your payment of {paid} arrived after {event.name} was cancelled, so no tickets were issued"
    elif event.status == EventStatus.COMPLETED.value:
        body = f"Your payment of {paid} arrived after {event.name} had ended, so no tickets were issued"
    elif order.status == OrderStatus.EXPIRED.value:
        body = f"Your payment of {paid} arrived after the order had expired, so no tickets were issued"
    elif order.status == OrderStatus.CANCELLED.value:
        body = f"Your payment of {paid} arrived after the order was cancelled, so no tickets were issued"
    else:
        body = f"{paid} of your payment was refunded; the order was not confirmed"
    body += ". The money goes back to the original payment method."
    await notifications.notify(
        session,
        user_id=order.user_id,
        kind=kinds.ORDER_REFUNDED,
        title=f"Your payment for {event.name} was refunded",
        body=body,
        data=data,
    )


async def ticket_cancelled(session: AsyncSession, ticket: Ticket) -> None:
    """A ticket its holder received by transfer was cancelled (by the organizer's staff, or by a refund
    of the buyer's payment): the holder hears of it; the buyer hears of the refund (``order_changed``).
    No order data: the order is the buyer's."""
    event = await session.get(Event, ticket.event_id)
    assert event is not None
    day, time = pdf.when(event.starts_at, event.timezone)
    await notifications.notify(
        session,
        user_id=ticket.owner_id,
        kind=kinds.TICKET_CANCELLED,
        title=f"Your ticket for {event.name} was cancelled",
        body=f"Your ticket for {event.name} on {day} at {time} was cancelled by the organizer and is no "
        "longer valid. It was transferred to you, so any refund goes back to the payment of the person "
        "who bought it.",
        data={"ticketId": ticket.id, "eventId": event.id, "eventName": event.name},
    )


async def people_of_event(session: AsyncSession, event_id: uuid.UUID) -> list[uuid.UUID]:
    """Who must hear of the event's cancellation: holders of live tickets and buyers of live orders.
    Read before the cancellation changes those statuses."""
    holders = select(Ticket.owner_id.label("user_id")).where(
        Ticket.event_id == event_id, Ticket.status != TicketStatus.CANCELLED.value
    )
    buyers = select(Order.user_id.label("user_id")).where(
        Order.event_id == event_id, Order.status.in_([OrderStatus.PENDING.value, *PAID_STATUSES])
    )
    rows = await session.scalars(select(union(holders, buyers).subquery().c.user_id))
    return sorted(set(rows))


async def event_cancelled(session: AsyncSession, event: Event, user_ids: Iterable[uuid.UUID]) -> None:
    day, time = pdf.when(event.starts_at, event.timezone)
    for user_id in user_ids:
        await notifications.notify(
            session,
            user_id=user_id,
            kind=kinds.EVENT_CANCELLED,
            title=f"{event.name} is cancelled",
            body=f"{event.name} on {day} at {time} has been cancelled by its organizer. Your tickets are no "
            "longer valid; paid orders are refunded in full.",
            data={"eventId": event.id, "eventName": event.name, "startsAt": event.starts_at},
        )


async def waitlist_offer(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    event: Event,
    waitlist_id: uuid.UUID,
    quantity: int,
    offer_expires_at: datetime,
) -> None:
    """A waitlist offer: held tickets to claim (``POST /waitlist/{id}/claim``) before a deadline.
    ``offer_expires_at`` (timezone-aware) is shown in the event's time zone."""
    if offer_expires_at.tzinfo is None:
        raise ValueError("offer_expires_at must be timezone-aware")
    day, time = pdf.when(offer_expires_at, event.timezone)
    await notifications.notify(
        session,
        user_id=user_id,
        kind=kinds.WAITLIST_OFFER,
        title=f"Tickets for {event.name} are available for you",
        body=f"{quantity} ticket{'s' if quantity != 1 else ''} for {event.name} "
        f"{'are' if quantity != 1 else 'is'} held for you until {day}, {time}.",
        data={
            "eventId": event.id,
            "eventName": event.name,
            "waitlistId": waitlist_id,
            "quantity": quantity,
            "offerExpiresAt": offer_expires_at.astimezone(UTC),
        },
    )


async def payment_disputed(
    session: AsyncSession,
    *,
    user_ids: Iterable[uuid.UUID],
    event: Event,
    order_id: uuid.UUID,
    payment_id: uuid.UUID,
    dispute_status: str,
    amount: str,
    currency: str,
    reason: str | None,
    evidence_due_by: datetime | None,
    opened: bool,
) -> None:
    """To the organizer (their OWNERs and ADMINs): a buyer's bank disputes a payment (``opened``: answer
    before ``evidence_due_by``), or the dispute ended (``won``, ``lost``: counted as a refund)."""
    if opened:
        title = f"Payment disputed: {amount} {currency} for {event.name}"
        body = f"A buyer's bank disputes {amount} {currency} ({reason or 'no reason given'})."
        if evidence_due_by is not None:
            day, time = pdf.when(evidence_due_by, event.timezone)
            body += f" Submit evidence in the Stripe dashboard before {day}, {time}."
    else:
        title = f"Dispute {dispute_status}: {amount} {currency} for {event.name}"
        body = (
            f"The dispute of {amount} {currency} was lost: the money went back to the buyer and counts as "
            "a refund."
            if dispute_status == "lost"
            else f"The dispute of {amount} {currency} ended {dispute_status}; the payment stands."
        )
    for user_id in user_ids:
        await notifications.notify(
            session,
            user_id=user_id,
            kind=kinds.PAYMENT_DISPUTED,
            title=title,
            body=body,
            data={
                "eventId": event.id,
                "eventName": event.name,
                "orderId": order_id,
                "paymentId": payment_id,
                "status": dispute_status,
                "amount": amount,
                "currency": currency,
                "reason": reason,
                "evidenceDueBy": evidence_due_by.astimezone(UTC) if evidence_due_by is not None else None,
            },
        )


async def waitlist_joined(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    event: Event,
    waitlist_id: uuid.UUID,
    quantity: int,
    ticket_type_name: str | None,
) -> None:
    """The person joined the event's waitlist."""
    what = f"{quantity} {ticket_type_name!r} ticket" if ticket_type_name else f"{quantity} ticket"
    what += "s" if quantity != 1 else ""
    await notifications.notify(
        session,
        user_id=user_id,
        kind=kinds.WAITLIST_JOINED,
        title=f"You are on the waitlist for {event.name}",
        body=f"You are on the waitlist for {what} for {event.name}. When tickets come back they are "
        "offered in the order people joined; you will get an email with a link to claim them.",
        data={"eventId": event.id, "eventName": event.name, "waitlistId": waitlist_id, "quantity": quantity},
    )


async def waitlist_offer_expired(
    session: AsyncSession, *, user_id: uuid.UUID, event: Event, waitlist_id: uuid.UUID
) -> None:
    """A waitlist offer ran out unclaimed: the tickets went to the next person waiting."""
    await notifications.notify(
        session,
        user_id=user_id,
        kind=kinds.WAITLIST_EXPIRED,
        title=f"Your waitlist offer for {event.name} expired",
        body=f"The tickets held for you for {event.name} were not claimed in time and were offered to the "
        "next person on the waitlist. You can join the waitlist again.",
        data={"eventId": event.id, "eventName": event.name, "waitlistId": waitlist_id},
    )


def _name(user: User) -> str:
    return f"{user.first_name} {user.last_name}".strip() or user.email


async def ticket_transferred(session: AsyncSession, transferred: TicketTransferred) -> None:
    """Both people of a transfer: the sender (emailed when their ``ticketTransfers`` switch is on) and
    the recipient (always emailed: transactional)."""
    ticket, event, sender, recipient = (
        transferred.ticket,
        transferred.event,
        transferred.sender,
        transferred.recipient,
    )
    data = {
        "ticketId": ticket.id,
        "eventId": event.id,
        "eventName": event.name,
        "transferId": transferred.transfer.id,
        "fromUserId": sender.id,
        "toUserId": recipient.id,
    }
    await notifications.notify(
        session,
        user_id=sender.id,
        kind=kinds.TICKET_SENT,
        title=f"Ticket for {event.name} transferred",
        body=f"You transferred your ticket for {event.name} to {recipient.email}. "
        "Your copy of it, printed or saved, no longer admits anyone.",
        data=data,
    )
    await notifications.notify(
        session,
        user_id=recipient.id,
        kind=kinds.TICKET_RECEIVED,
        title=f"You received a ticket for {event.name}",
        body=f"{_name(sender)} transferred a ticket for {event.name} to you. It is in your tickets now.",
        data=data,
    )

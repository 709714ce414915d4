"""What money does to orders: a payment that arrives (confirm, or revive an expired order) and refunds
that take tickets back (cancel some or all, the status follows).

Called by the payments domain with the order locked (``lock``), which follows the global lock order of
``tixmo.locks``: the event's row first (``FOR KEY SHARE``: its status cannot change until the payment is
settled, so an order is never confirmed for an event that is being cancelled or completed), then the
order, its payment, promo code and tickets, before any ticket type or seat.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.errors import PromoCodeInvalid
from tixmo.events.models import Event, EventStatus
from tixmo.notifications import triggers as notify
from tixmo.orders import inventory, status
from tixmo.orders import service as orders
from tixmo.orders.models import PAID_STATUSES, Order, OrderStatus
from tixmo.promos import service as promos
from tixmo.promos.models import PromoCode
from tixmo.seating import holds as seating
from tixmo.tickets import service as tickets
from tixmo.tickets.models import Ticket, TicketStatus


async def lock(session: AsyncSession, order_id: uuid.UUID, *, paid: bool = True) -> orders.Locked | None:
    """The order locked for what money does to it, in the global lock order (``tixmo.locks``): its event
    (``EventLock.SHARE``: the status stays as read until the commit, so an order is never confirmed for
    an event being cancelled or completed), the order, and with ``paid`` its payment, promo code and
    tickets (a refund may give the promo use back and cancel tickets). ``None`` when unknown."""
    return await orders.lock_for_change(session, order_id, paid=paid)


class _Unavailable(Exception):
    """The expired order's tickets are gone (raised inside a savepoint to undo the revival)."""


async def confirm_paid(
    session: AsyncSession, order: Order, now: datetime, *, organization_id: uuid.UUID
) -> str | None:
    """A provider says the order was paid: confirm it (tickets issued) and answer None; else answer why
    it cannot take the payment any more (it must be refunded): the order was cancelled, or expired with
    its tickets sold meanwhile, or the event is no longer PUBLISHED (cancelled or over). An expired order
    whose tickets are still there, of an event still on, is revived and confirmed. The caller locked the
    order with ``lock`` (its event first)."""
    if status.is_due(order, now):
        await orders.expire_if_due(session, order, now, organization_id)
    event_status = await session.scalar(select(Event.status).where(Event.id == order.event_id))
    if event_status != EventStatus.PUBLISHED.value:
        if order.status == OrderStatus.PENDING.value:  # paid just as the event ended: nothing to attend
            await status.release_holds(
                session,
                [(order, organization_id)],
                OrderStatus.CANCELLED,
                now,
                actor=None,
                quiet=True,  # the refund's notice tells the buyer
            )
        return f"The event is {event_status}: no tickets can be issued for it."
    if order.status == OrderStatus.PENDING.value:
        details = (await orders.load_details(session, [order]))[0]
        await orders.confirm_locked(
            session, details, None, now, organization_id=organization_id, capture=False
        )
        return None
    if order.status != OrderStatus.EXPIRED.value:
        return f"The order is {order.status}."
    if not await _revive(session, order, now, organization_id=organization_id):
        return "The order expired and its tickets could not be reserved again."
    return None


async def _revive(session: AsyncSession, order: Order, now: datetime, *, organization_id: uuid.UUID) -> bool:
    """EXPIRED → PENDING → CONFIRMED when every ticket can be reserved again (one conditional UPDATE per
    ticket type, as for a new order). Reserved seating is not revived: the seats the buyer chose are no
    longer known to be theirs, so such an order is refunded instead."""
    items = await status.items_of(session, [order.id])
    if await seating.seated_among(session, [item.ticket_type_id for item in items]):
        return False
    try:
        async with session.begin_nested():
            if not await status.move(
                session, order, OrderStatus.PENDING, now, from_=[OrderStatus.EXPIRED.value]
            ):
                raise _Unavailable
            await _reclaim_promo(session, order)
            for item in items:  # already in ticket-type-id order
                if await inventory.reserve(session, item.ticket_type_id, item.quantity) is None:
                    raise _Unavailable
            details = (await orders.load_details(session, [order]))[0]
            await orders.confirm_locked(
                session, details, None, now, organization_id=organization_id, capture=False
            )
    except _Unavailable:
        await session.refresh(order)  # the savepoint's rollback expired it
        return False
    await status.record(
        session,
        order,
        OrderStatus.EXPIRED.value,
        actor=None,
        organization_id=organization_id,
        action="order.revived",
    )
    return True


async def _reclaim_promo(session: AsyncSession, order: Order) -> None:
    """The promo use an expired order gave back is counted again. The buyer paid the discounted price
    already, so a code used up meanwhile does not stop the revival (the use is then not counted)."""
    if order.promo_code_id is None:
        return
    promo = await session.get(PromoCode, order.promo_code_id)
    if promo is None:
        return
    try:
        await promos.claim_use(session, promo)
    except PromoCodeInvalid:
        return


async def cancel_tickets(
    session: AsyncSession, order: Order, ticket_ids: Sequence[uuid.UUID] | None
) -> list[Ticket]:
    """Cancel VALID tickets of the order (``None``: all of them); their inventory and seats go back on
    sale, and each holder who received one by transfer is told (the buyer hears of the refund). Returns
    the tickets cancelled."""
    cancelled = await tickets.cancel_tickets(session, order.id, ticket_ids)
    counts = Counter(ticket.ticket_type_id for ticket in cancelled)
    for ticket_type_id in sorted(counts):
        await inventory.unsell(session, ticket_type_id, counts[ticket_type_id])
    await seating.release_seat_ids(session, [t.seat_id for t in cancelled if t.seat_id is not None])
    for ticket in cancelled:
        if ticket.owner_id != order.user_id:
            await notify.ticket_cancelled(session, ticket)
    return cancelled


async def live_tickets(session: AsyncSession, order_id: uuid.UUID) -> int:
    """The order's tickets that still admit (VALID or USED)."""
    count = await session.scalar(
        select(func.count()).where(Ticket.order_id == order_id, Ticket.status != TicketStatus.CANCELLED.value)
    )
    return int(count or 0)


async def after_refund(
    session: AsyncSession,
    order: Order,
    now: datetime,
    *,
    fully_refunded: bool,
    actor: User | None,
    organization_id: uuid.UUID,
    refunded_minor: int = 0,
) -> None:
    """A paid order's status follows its money and tickets: REFUNDED when everything was refunded or no
    ticket is left (a free order: CANCELLED), else PARTIALLY_REFUNDED (a free order stays CONFIRMED).
    Orders that were not paid (an expired or cancelled order whose late payment is refunded) keep
    their status. REFUNDED gives the promo use back, once. The buyer hears of every refund
    (``refunded_minor``), a second partial one and one of an order that never took the money included."""
    if order.status not in PAID_STATUSES:
        if refunded_minor > 0:
            await notify.unpaid_order_refunded(session, order, refunded_minor=refunded_minor)
        return
    nothing_left = await live_tickets(session, order.id) == 0
    before = order.status
    if order.total_minor == 0:
        if not nothing_left:
            return
        target = OrderStatus.CANCELLED
    elif fully_refunded or nothing_left:
        target = OrderStatus.REFUNDED
    else:
        target = OrderStatus.PARTIALLY_REFUNDED
    if target.value == before:
        if refunded_minor > 0:
            await notify.order_changed(session, order, refunded_minor=refunded_minor)
        return
    if not await status.move(session, order, target, now, from_=PAID_STATUSES):
        return
    if target != OrderStatus.PARTIALLY_REFUNDED and order.promo_code_id is not None:
        await promos.release_use(session, order.promo_code_id)
    await notify.order_changed(session, order, refunded_minor=refunded_minor if refunded_minor > 0 else None)
    await status.record(session, order, before, actor=actor, organization_id=organization_id)

"""Orders: confirm, cancel, expire, read — the part of TixMo that must never oversell. Placing an order
(the reservation) is ``orders.placement``.

Locking follows the one global order of ``tixmo.locks`` (event → order → payment → refund → promo code →
ticket → ticket type → seat, each kind by id), checked as it goes: a change to an order first locks its
event ``FOR KEY SHARE`` (``lock_for_change``: the status stays as read until the commit, and an event
cancellation, which locks the event ``FOR UPDATE``, either finishes first or waits), then the order, then
with ``paid`` its payment, promo code and tickets, before anything is changed. Batches (the expiry job,
an event's cancellation) lock all their rows of one kind before the next kind. Order creation locks the
event ``FOR KEY SHARE``, inserts its order, claims the promo use, reserves each ticket type with one
conditional UPDATE (``inventory.reserve``) and takes its seats — and does the reservation *last*, so the
hot ticket-type row is locked only from its UPDATE to the commit.

Status changes are conditional UPDATEs (``… WHERE status = 'PENDING'``): whoever moves a PENDING order
first (the expiry job, a confirm, a cancel, a buyer finding the order past due) releases its hold and gives
its promo use back; everyone else sees the new status. So a hold is returned exactly once.

Correctness never waits for the expiry job: a PENDING order past ``expiresAt`` is expired on the spot by
whoever touches it (confirm, cancel, get, a new order that needs its tickets), and the availability
endpoint counts its tickets as available without writing anything.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks, metrics, signals
from tixmo.accounts.models import Role, User
from tixmo.db import fetch_page, utcnow
from tixmo.errors import (
    Forbidden,
    InvalidState,
    NotFound,
    OrderExpired,
    SalesClosed,
)
from tixmo.events.models import Event, EventStatus
from tixmo.locks import EventLock
from tixmo.notifications import triggers as notify
from tixmo.orders import inventory, status
from tixmo.orders.models import PAID_STATUSES, Order, OrderItem, OrderStatus
from tixmo.orders.signals import OrderPaidManually, PaidOrderCancelled
from tixmo.organizations import service as organizations
from tixmo.promos import service as promos
from tixmo.seating import holds as seating
from tixmo.seating.models import EventSeat
from tixmo.ticketing import service as ticketing
from tixmo.ticketing import waitlist_pool as waitlist
from tixmo.ticketing.models import TicketType
from tixmo.tickets import service as tickets
from tixmo.tickets.models import Ticket

ORDER_NOT_FOUND = "Order not found."
EXPIRY_BATCH = 200


@dataclass
class OrderDetails:
    """An order with what its response shows: lines (with ticket type names), tickets and seats."""

    order: Order
    items: list[tuple[OrderItem, str]]
    tickets: list[Ticket] = field(default_factory=list)
    seats: list[EventSeat] = field(default_factory=list)


# ------------------------------------------------------------------------------------ tenant scoping


def _visible_to(user: User) -> ColumnElement[bool] | None:
    """Orders a caller may read: their own, and every order of their organizations' events (ADMIN: all)."""
    scope = organizations.staff_events_scope(user, Order.event_id)
    return None if scope is None else or_(Order.user_id == user.id, scope)


async def _get_visible(session: AsyncSession, user: User, order_id: uuid.UUID) -> tuple[Order, uuid.UUID]:
    """The order and its event's organization id, unlocked; 404 when the caller may not see it."""
    query = (
        select(Order, Event.organization_id)
        .join(Event, Event.id == Order.event_id)
        .where(Order.id == order_id)
    )
    scope = _visible_to(user)
    if scope is not None:
        query = query.where(scope)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(ORDER_NOT_FOUND)
    return row[0], row[1]


@dataclass
class Locked:
    """An order locked for a change (``lock_for_change``), with its event's status as locked."""

    order: Order
    organization_id: uuid.UUID
    event_status: str


async def lock_for_change(
    session: AsyncSession, order_id: uuid.UUID, *, viewer: User | None = None, paid: bool = False
) -> Locked | None:
    """Lock an order for a change, in the global lock order (``tixmo.locks``): its event
    (``EventLock.SHARE``: the status stays as read until the commit), the order, and with ``paid``
    what a refund may touch later — its payment and refunds, its promo code and its tickets.
    ``viewer``: only an order they may see. ``None`` when there is no such order."""
    query = select(Order.event_id).where(Order.id == order_id)
    scope = _visible_to(viewer) if viewer is not None else None
    if scope is not None:
        query = query.where(scope)
    # The order's event (it never changes), locked SHARE, in one statement with finding it.
    locks.note(session, locks.Kind.EVENT)
    found = (
        await session.execute(
            locks.clause(
                select(Event.id, Event.status).where(Event.id == query.scalar_subquery()),
                locks.Kind.EVENT,
                mode=EventLock.SHARE,
            )
        )
    ).first()
    if found is None:
        return None
    event_id, event_status = found
    locks.note(session, locks.Kind.EVENT, [event_id])
    locks.note(session, locks.Kind.ORDER, [order_id])
    row = (
        await session.execute(
            locks.clause(
                select(Order, Event.organization_id)
                .join(Event, Event.id == Order.event_id)
                .where(Order.id == order_id),
                locks.Kind.ORDER,
            )
        )
    ).first()
    if row is None or event_status is None:
        return None
    order, organization_id = row
    if paid:
        await locks.payments_of(session, [order.id])
        await locks.refunds_of(session, [order.id])
        await locks.promos_of(session, [order.id])
        await locks.tickets_of(session, [order.id])
    return Locked(order, organization_id, event_status)


async def _lock_visible(
    session: AsyncSession, user: User, order_id: uuid.UUID, *, paid: bool = False
) -> Locked:
    locked = await lock_for_change(session, order_id, viewer=user, paid=paid)
    if locked is None:
        raise NotFound(ORDER_NOT_FOUND)
    return locked


# ------------------------------------------------------------------------------ confirm / cancel / expire


async def confirm_locked(
    session: AsyncSession,
    details: OrderDetails,
    actor: User | None,
    now: datetime,
    *,
    organization_id: uuid.UUID,
    capture: bool = True,
) -> None:
    """PENDING → CONFIRMED: held → sold, tickets issued. ``capture``: record the manual provider's
    payment (a payment that arrived through a provider's webhook is recorded by the payments domain).
    The caller holds the order's lock (or just placed it)."""
    order = details.order
    if not await status.move(session, order, OrderStatus.CONFIRMED, now, from_=[OrderStatus.PENDING.value]):
        raise InvalidState("The order is no longer PENDING.")
    if capture and order.total_minor > 0:
        # The payments domain records it (tixmo.reactions): the payment's row comes before the ticket types'.
        await signals.send(session, OrderPaidManually(order))
    for item, _ in sorted(details.items, key=lambda pair: pair[0].ticket_type_id):
        await inventory.sell(session, item.ticket_type_id, item.quantity)
    await seating.sell_seats(session, order.id)
    await tickets.issue(
        session,
        order_id=order.id,
        event_id=order.event_id,
        owner_id=order.user_id,
        quantities=[(item.ticket_type_id, item.quantity) for item, _ in details.items],
        seats=details.seats,
    )
    metrics.tickets_sold(session, order.event_id, sum(item.quantity for item, _ in details.items))
    await notify.order_changed(session, order)
    await status.record(
        session, order, OrderStatus.PENDING.value, actor=actor, organization_id=organization_id
    )


async def _cancel_paid(
    session: AsyncSession,
    orders: Sequence[Order],
    now: datetime,
    *,
    actor: User | None,
    organization_id: uuid.UUID,
    event_cancelled: bool = False,
) -> None:
    """Paid orders are cancelled: tickets cancelled, inventory back on sale, refunded in full. The caller
    locked them with what they touch (``lock_for_change(paid=True)``, or the event's cancellation), so
    a scan of one of their tickets has either finished — and a used ticket is seen — or waits."""
    for order in orders:
        if not event_cancelled and await tickets.count_used(session, order.id):
            raise InvalidState("Tickets of this order have been used for entry; it cannot be cancelled.")
        if not event_cancelled and await tickets.count_transferred(session, order.id, order.user_id):
            # Refunding the buyer would cancel tickets that now belong to other people.
            raise InvalidState(
                "Tickets of this order were transferred to other people; it cannot be cancelled."
            )
    cancelled_per_order: dict[uuid.UUID, int] = {}
    back_on_sale: Counter[uuid.UUID] = Counter()
    befores: dict[uuid.UUID, str] = {}
    for order in orders:
        befores[order.id] = order.status
        to = OrderStatus.REFUNDED if order.total_minor > 0 else OrderStatus.CANCELLED
        if not await status.move(session, order, to, now, from_=PAID_STATUSES):
            raise InvalidState("The order changed meanwhile; reload it.")
        if order.promo_code_id is not None:
            await promos.release_use(session, order.promo_code_id)
        cancelled = await tickets.cancel_for_order(session, order.id, include_used=event_cancelled)
        cancelled_per_order[order.id] = sum(cancelled.values())
        back_on_sale.update(cancelled)
    for ticket_type_id in sorted(back_on_sale):
        await inventory.unsell(session, ticket_type_id, back_on_sale[ticket_type_id])
    for order in orders:
        await seating.release_seats(session, order.id)
        reason = "Event cancelled." if event_cancelled else "Order cancelled."
        await signals.send(session, PaidOrderCancelled(order, actor, reason))  # refunded (tixmo.reactions)
        if not event_cancelled:  # an event cancellation sends its own message
            await notify.order_changed(session, order)
        await status.record(
            session,
            order,
            befores[order.id],
            actor=actor,
            organization_id=organization_id,
            action="order.cancelled",  # even when it ends REFUNDED: what was asked for
            extra={"ticketsCancelled": cancelled_per_order[order.id]},
        )


async def expire_if_due(
    session: AsyncSession, order: Order, now: datetime, organization_id: uuid.UUID
) -> bool:
    """Expire ``order`` (locked by the caller) if its hold has run out."""
    if not status.is_due(order, now):
        return False
    return bool(
        await status.release_holds(session, [(order, organization_id)], OrderStatus.EXPIRED, now, actor=None)
    )


async def extend_hold(session: AsyncSession, order: Order, until: datetime, now: datetime) -> bool:
    """Move the hold of ``order`` (locked by the caller) out to ``until`` while its payment is being
    confirmed by the bank; only a PENDING order not yet due, and never shortened. The payments domain
    decides when, and that it happens once."""
    if order.status != OrderStatus.PENDING.value or status.is_due(order, now):
        return False
    if order.expires_at is not None and order.expires_at >= until:
        return False
    moved = await session.scalar(
        update(Order)
        .where(Order.id == order.id, Order.status == OrderStatus.PENDING.value)
        .values(expires_at=until, updated_at=now)
        .returning(Order.id)
        .execution_options(synchronize_session=False)
    )
    if moved is None:
        return False
    status.mirror(order, {"expires_at": until, "updated_at": now})  # not written twice (status.mirror)
    return True


def _expired_error() -> OrderExpired:
    error = OrderExpired("The order's hold has expired; its tickets went back on sale. Place a new order.")
    error.commit_before_raise = True  # the expiry itself sticks
    return error


async def confirm(
    session: AsyncSession, actor: User, order_id: uuid.UUID, *, payment_provider: str = "manual"
) -> OrderDetails:
    """PENDING → CONFIRMED with the manual provider: held → sold, tickets issued. Owner only.

    With a real provider (``stripe``) the payment confirms the order (its webhook), never this call.
    As there, the event must still be PUBLISHED (its row is locked ``SHARE`` first, so it cannot be
    cancelled or completed until this commits); a PENDING order of an event no longer on sale is
    cancelled (its hold released) and the answer is 409 ``SALES_CLOSED``."""
    now = utcnow()
    locked = await _lock_visible(session, actor, order_id)
    order, organization_id = locked.order, locked.organization_id
    if order.user_id != actor.id:
        raise Forbidden("Only the buyer can confirm (pay for) an order.")
    if payment_provider != "manual" and order.status == OrderStatus.PENDING.value:
        raise InvalidState(
            f"Payments go through {payment_provider}: pay with POST /api/v1/payments/create-intent; "
            "the order is confirmed when the payment succeeds."
        )
    if await expire_if_due(session, order, now, organization_id):
        raise _expired_error()
    if order.status == OrderStatus.EXPIRED.value:
        raise OrderExpired("The order's hold has expired; place a new order.")
    if order.status != OrderStatus.PENDING.value:
        raise InvalidState(f"Only a PENDING order can be confirmed; this one is {order.status}.")
    if locked.event_status != EventStatus.PUBLISHED.value:
        await status.release_holds(
            session, [(order, organization_id)], OrderStatus.CANCELLED, now, actor=actor
        )
        error = SalesClosed(
            f"The event is {locked.event_status}: no tickets can be issued for it; the order was cancelled."
        )
        error.commit_before_raise = True
        raise error
    details = (await load_details(session, [order]))[0]
    await confirm_locked(session, details, actor, now, organization_id=organization_id)
    return (await load_details(session, [order]))[0]


async def cancel(session: AsyncSession, actor: User, order_id: uuid.UUID) -> OrderDetails:
    """Owner or org staff: PENDING → CANCELLED (hold released); paid → tickets cancelled and refunded."""
    now = utcnow()
    locked = await _lock_visible(session, actor, order_id, paid=True)
    order, organization_id = locked.order, locked.organization_id
    if await expire_if_due(session, order, now, organization_id):
        raise _expired_error()
    if order.status == OrderStatus.PENDING.value:
        await status.release_holds(
            session, [(order, organization_id)], OrderStatus.CANCELLED, now, actor=actor
        )
    elif order.status in PAID_STATUSES:
        await _cancel_paid(session, [order], now, actor=actor, organization_id=organization_id)
    elif order.status == OrderStatus.EXPIRED.value:
        raise OrderExpired("The order has already expired; nothing is held.")
    else:
        raise InvalidState(f"The order is already {order.status}.")
    return (await load_details(session, [order]))[0]


async def expire_due(
    session: AsyncSession,
    now: datetime | None = None,
    *,
    ticket_type_ids: Sequence[uuid.UUID] | None = None,
    limit: int = EXPIRY_BATCH,
    also_promos: Sequence[uuid.UUID | None] = (),
) -> int:
    """Expire PENDING orders past their hold (those touching ``ticket_type_ids`` when given), in the
    global lock order: their events (``SHARE``), the orders, then everything they give back at once —
    promo codes (with ``also_promos``: the caller's next claim), then ticket types, each in id order.

    Orders another transaction is working on are skipped (``SKIP LOCKED``): it is confirming, cancelling
    or expiring them itself. Returns how many this call expired.
    """
    now = now or utcnow()
    due = (
        await session.execute(
            select(Order.id, Order.event_id)
            .where(status.due(now, ticket_type_ids))
            .order_by(Order.expires_at)
            .limit(limit)
        )
    ).all()
    if not due:
        return 0
    await locks.take(session, locks.Kind.EVENT, {event_id for _, event_id in due}, mode=EventLock.SHARE)
    ids = await locks.take(session, locks.Kind.ORDER, [order_id for order_id, _ in due], skip_locked=True)
    rows = (
        await session.execute(
            select(Order, Event.organization_id)
            .join(Event, Event.id == Order.event_id)
            .where(Order.id.in_(ids), status.due(now, None))
            .order_by(Order.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    expired = await status.release_holds(
        session,
        [(order, organization_id) for order, organization_id in rows],
        OrderStatus.EXPIRED,
        now,
        actor=None,
        also_promos=also_promos,
    )
    return len(expired)


async def cancel_for_event(session: AsyncSession, event: Event, actor: User | None) -> int:
    """Event cancelled (its row locked ``EventLock.STATUS`` by the caller): its PENDING orders are
    cancelled and its paid orders refunded (no used ticket stops it: the event will not take place).
    Everything is locked first, in the global order — the orders, their payments, promo codes, tickets
    and the event's ticket types — then changed. Returns how many orders changed."""
    now = utcnow()
    open_ids = list(
        await session.scalars(
            select(Order.id).where(
                Order.event_id == event.id,
                Order.status.in_([OrderStatus.PENDING.value, *PAID_STATUSES]),
            )
        )
    )
    await locks.take(session, locks.Kind.ORDER, open_ids)
    orders = list(
        await session.scalars(
            select(Order)
            .where(Order.id.in_(open_ids), Order.status.in_([OrderStatus.PENDING.value, *PAID_STATUSES]))
            .order_by(Order.id)
            .execution_options(populate_existing=True)
        )
    )
    pending = [order for order in orders if order.status == OrderStatus.PENDING.value]
    paid = [order for order in orders if order.status != OrderStatus.PENDING.value]
    await locks.payments_of(session, [order.id for order in paid])
    await locks.promos_of(session, [order.id for order in orders])
    await locks.tickets_of(session, [order.id for order in paid])
    await locks.take(
        session,
        locks.Kind.TICKET_TYPE,
        await session.scalars(select(TicketType.id).where(TicketType.event_id == event.id)),
    )
    released = await status.release_holds(
        session,
        [(order, event.organization_id) for order in pending],
        OrderStatus.CANCELLED,
        now,
        actor=actor,
        quiet=True,
    )
    # Used tickets do not stop an event cancellation: everyone gets their money back.
    await _cancel_paid(
        session, paid, now, actor=actor, organization_id=event.organization_id, event_cancelled=True
    )
    return len(released) + len(paid)


# --------------------------------------------------------------------------------------------- reads


async def load_details(session: AsyncSession, orders: Sequence[Order]) -> list[OrderDetails]:
    """Items (with ticket type names), tickets and seats of ``orders``: three queries for any number."""
    ids = [order.id for order in orders]
    items: dict[uuid.UUID, list[tuple[OrderItem, str]]] = defaultdict(list)
    if ids:
        rows = await session.execute(
            select(OrderItem, TicketType.name)
            .join(TicketType, TicketType.id == OrderItem.ticket_type_id)
            .where(OrderItem.order_id.in_(ids))
            .order_by(OrderItem.order_id, TicketType.sort_order, TicketType.name)
        )
        for item, name in rows.all():
            items[item.order_id].append((item, name))
    issued = await tickets.for_orders(session, ids)
    seats = await seating.seats_of_orders(session, ids)
    return [
        OrderDetails(order, items.get(order.id, []), issued.get(order.id, []), seats.get(order.id, []))
        for order in orders
    ]


async def get(session: AsyncSession, viewer: User, order_id: uuid.UUID) -> OrderDetails:
    now = utcnow()
    order, _ = await _get_visible(session, viewer, order_id)
    if status.is_due(
        order, now
    ):  # the buyer (or staff) finds it past due: expired on the spot, in lock order
        locked = await _lock_visible(session, viewer, order_id)
        order = locked.order
        await expire_if_due(session, order, now, locked.organization_id)
    return (await load_details(session, [order]))[0]


async def list_orders(
    session: AsyncSession,
    viewer: User,
    *,
    event_id: uuid.UUID | None,
    status: OrderStatus | None,
    offset: int,
    limit: int,
) -> tuple[list[OrderDetails], int]:
    """ADMIN: all orders; org staff with ``eventId``: that event's orders; everyone else: their own."""
    query = select(Order)
    sees_all = viewer.role == Role.ADMIN or (
        event_id is not None and await organizations.is_event_staff(session, viewer, event_id)
    )
    if not sees_all:
        query = query.where(Order.user_id == viewer.id)
    if event_id is not None:
        query = query.where(Order.event_id == event_id)
    if status is not None:
        query = query.where(Order.status == status.value)
    orders, total = await fetch_page(
        session, query, Order.created_at.desc(), Order.id.desc(), offset=offset, limit=limit
    )
    return await load_details(session, orders), total


async def ticket_type_with_live_holds(
    session: AsyncSession, viewer: User | None, ticket_type_id: uuid.UUID
) -> tuple[TicketType, Event, int]:
    """A ticket type for the availability endpoint, and how many of its held tickets belong to orders
    whose hold has run out (the expiry job or the next order releases them): availability counts those
    as available, whether or not the job has run. A read only: it writes and locks nothing, so a public
    page polled by thousands never queues on the rows an order needs."""
    ticket_type, event = await ticketing.get_visible(session, viewer, ticket_type_id)
    past_due = await session.scalar(
        select(func.coalesce(func.sum(OrderItem.quantity), 0))
        .select_from(Order)
        .join(OrderItem, OrderItem.order_id == Order.id)
        .where(status.due(utcnow(), None), OrderItem.ticket_type_id == ticket_type.id)
    )
    if past_due and await waitlist.someone_waits(session, ticket_type.id):
        past_due = 0  # when they are released they go to the waitlist, not on sale
    return ticket_type, event, min(int(past_due or 0), ticket_type.quantity_held)

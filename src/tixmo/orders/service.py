"""Orders: confirm, cancel, expire, read — the part of TixMo that must never oversell. Placing an order
(the reservation) is ``orders.placement``.

Locking (every path takes row locks in this global order, so no two transactions wait on each other in a
cycle): event → order → promo code → ticket types (by id) → seats. Order creation locks no event and no
existing order: it inserts its order, claims the promo use, reserves each ticket type with one
conditional UPDATE (``inventory.reserve``) and takes its seats — and does the reservation *last*, so the
hot ticket-type row is locked only from its UPDATE to the commit.

Status changes are conditional UPDATEs (``… WHERE status = 'PENDING'``): whoever moves a PENDING order
first (the expiry job, a confirm, a cancel, a buyer finding the order past due) releases its hold and gives
its promo use back; everyone else sees the new status. So a hold is returned exactly once.

Correctness never waits for the expiry job: a PENDING order past ``expiresAt`` is expired on the spot by
whoever touches it (confirm, cancel, get, a new order that needs its tickets, the availability endpoint).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import Role, User
from tixmo.audit import service as audit
from tixmo.db import fetch_page, utcnow
from tixmo.errors import (
    Forbidden,
    InvalidState,
    NotFound,
    OrderExpired,
)
from tixmo.events.models import Event
from tixmo.notifications import triggers as notify
from tixmo.orders import inventory
from tixmo.orders.models import PAID_STATUSES, Order, OrderItem, OrderStatus
from tixmo.organizations import service as organizations
from tixmo.promos import service as promos
from tixmo.seating import service as seating
from tixmo.seating.models import EventSeat
from tixmo.ticketing import service as ticketing
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
    if user.role == Role.ADMIN:
        return None
    staff_events = select(Event.id).where(
        Event.organization_id.in_(organizations.member_organization_ids(user))
    )
    return or_(Order.user_id == user.id, Order.event_id.in_(staff_events))


async def _get_visible(
    session: AsyncSession, user: User, order_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Order, uuid.UUID]:
    """The order and its event's organization id; 404 when the caller may not see it."""
    query = (
        select(Order, Event.organization_id)
        .join(Event, Event.id == Order.event_id)
        .where(Order.id == order_id)
    )
    scope = _visible_to(user)
    if scope is not None:
        query = query.where(scope)
    if for_update:
        query = query.with_for_update(of=Order).execution_options(populate_existing=True)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(ORDER_NOT_FOUND)
    return row[0], row[1]


def _is_due(order: Order, now: datetime) -> bool:
    return (
        order.status == OrderStatus.PENDING.value and order.expires_at is not None and order.expires_at <= now
    )


# ------------------------------------------------------------------------------ confirm / cancel / expire


async def _capture_payment(session: AsyncSession, order: Order) -> None:
    """The manual provider's payment: recorded SUCCEEDED, so every paid order has a payment to refund."""
    from tixmo.payments import service as payments  # payments depend on orders; imported when needed

    await payments.capture_manual(session, order)


async def _refund_payment(session: AsyncSession, order: Order, actor: User | None, *, reason: str) -> None:
    """A cancelled paid order is refunded in full (what is left of it) through its payment's provider."""
    from tixmo.payments import refunds

    await refunds.refund_rest(session, order, actor, reason=reason)


async def _items_of(session: AsyncSession, order_id: uuid.UUID) -> list[OrderItem]:
    rows = await session.scalars(
        select(OrderItem).where(OrderItem.order_id == order_id).order_by(OrderItem.ticket_type_id)
    )
    return list(rows)


async def _set_status(
    session: AsyncSession, order: Order, to: OrderStatus, now: datetime, *, from_: Sequence[str]
) -> bool:
    """Move ``order`` to ``to`` if it is still in one of ``from_``; False when someone else moved it first."""
    stamps = {
        OrderStatus.CONFIRMED: "confirmed_at",
        OrderStatus.CANCELLED: "cancelled_at",
        OrderStatus.REFUNDED: "cancelled_at",
        OrderStatus.EXPIRED: "expired_at",
    }
    values: dict[str, object] = {"status": to.value, "updated_at": now}
    if to in stamps:
        values[stamps[to]] = now
    moved = await session.scalar(
        update(Order)
        .where(Order.id == order.id, Order.status.in_(list(from_)))
        .values(**values)
        .returning(Order.id)
        .execution_options(synchronize_session=False)
    )
    if moved is None:
        return False
    for name, value in values.items():
        setattr(order, name, value)
    return True


async def _confirm(
    session: AsyncSession,
    details: OrderDetails,
    actor: User | None,
    now: datetime,
    *,
    organization_id: uuid.UUID,
    capture: bool = True,
) -> None:
    """PENDING → CONFIRMED: held → sold, tickets issued. ``capture``: record the manual provider's
    payment (a payment that arrived through a provider's webhook is recorded by the payments domain)."""
    order = details.order
    if not await _set_status(session, order, OrderStatus.CONFIRMED, now, from_=[OrderStatus.PENDING.value]):
        raise InvalidState("The order is no longer PENDING.")
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
    if capture and order.total_minor > 0:
        await _capture_payment(session, order)
    await notify.order_changed(session, order)
    await audit.record(
        session,
        action="order.confirmed",
        entity_type="order",
        entity_id=order.id,
        actor_id=actor.id if actor is not None else None,
        actor_type="user" if actor is not None else "system",
        organization_id=organization_id,
        before={"status": OrderStatus.PENDING.value},
        after={"status": order.status},
    )


async def _release_hold(
    session: AsyncSession,
    order: Order,
    to: OrderStatus,
    now: datetime,
    *,
    actor: User | None,
    organization_id: uuid.UUID,
    quiet: bool = False,
) -> bool:
    """PENDING → ``to`` (CANCELLED or EXPIRED): the hold, the seats and the promo use go back, once.
    The buyer is notified unless ``quiet`` (an event cancellation sends its own message)."""
    if not await _set_status(session, order, to, now, from_=[OrderStatus.PENDING.value]):
        return False
    if order.promo_code_id is not None:
        await promos.release_use(session, order.promo_code_id)
    for item in await _items_of(session, order.id):
        await inventory.release(session, item.ticket_type_id, item.quantity)
    await seating.release_seats(session, order.id)
    if not quiet:
        await notify.order_changed(session, order)
    await audit.record(
        session,
        action=f"order.{to.value.lower()}",
        entity_type="order",
        entity_id=order.id,
        actor_id=actor.id if actor is not None else None,
        actor_type="user" if actor is not None else "system",
        organization_id=organization_id,
        before={"status": OrderStatus.PENDING.value},
        after={"status": to.value},
    )
    return True


async def _cancel_paid(
    session: AsyncSession,
    order: Order,
    now: datetime,
    *,
    actor: User | None,
    organization_id: uuid.UUID,
    event_cancelled: bool = False,
) -> None:
    """A paid order is cancelled: tickets cancelled, inventory back on sale, refunded in full."""
    if not event_cancelled and await tickets.count_used(session, order.id):
        raise InvalidState("Tickets of this order have been used for entry; it cannot be cancelled.")
    if not event_cancelled and await tickets.count_transferred(session, order.id, order.user_id):
        # Refunding the buyer would cancel tickets that now belong to other people.
        raise InvalidState("Tickets of this order were transferred to other people; it cannot be cancelled.")
    before = order.status
    to = OrderStatus.REFUNDED if order.total_minor > 0 else OrderStatus.CANCELLED
    if not await _set_status(session, order, to, now, from_=PAID_STATUSES):
        raise InvalidState("The order changed meanwhile; reload it.")
    if order.promo_code_id is not None:
        await promos.release_use(session, order.promo_code_id)
    cancelled = await tickets.cancel_for_order(session, order.id, include_used=event_cancelled)
    for ticket_type_id in sorted(cancelled):
        await inventory.unsell(session, ticket_type_id, cancelled[ticket_type_id])
    await seating.release_seats(session, order.id)
    await _refund_payment(
        session, order, actor, reason="Event cancelled." if event_cancelled else "Order cancelled."
    )
    if not event_cancelled:  # an event cancellation sends its own message
        await notify.order_changed(session, order)
    await audit.record(
        session,
        action="order.cancelled",
        entity_type="order",
        entity_id=order.id,
        actor_id=actor.id if actor is not None else None,
        actor_type="user" if actor is not None else "system",
        organization_id=organization_id,
        before={"status": before},
        after={"status": to.value, "ticketsCancelled": sum(cancelled.values())},
    )


async def _expire_if_due(
    session: AsyncSession, order: Order, now: datetime, organization_id: uuid.UUID
) -> bool:
    if not _is_due(order, now):
        return False
    return await _release_hold(
        session, order, OrderStatus.EXPIRED, now, actor=None, organization_id=organization_id
    )


def _expired_error() -> OrderExpired:
    error = OrderExpired("The order's hold has expired; its tickets went back on sale. Place a new order.")
    error.commit_before_raise = True  # the expiry itself sticks
    return error


async def confirm(
    session: AsyncSession, actor: User, order_id: uuid.UUID, *, payment_provider: str = "manual"
) -> OrderDetails:
    """PENDING → CONFIRMED with the manual provider: held → sold, tickets issued. Owner only.

    With a real provider (``stripe``) the payment confirms the order (its webhook), never this call."""
    now = utcnow()
    order, organization_id = await _get_visible(session, actor, order_id, for_update=True)
    if order.user_id != actor.id:
        raise Forbidden("Only the buyer can confirm (pay for) an order.")
    if payment_provider != "manual" and order.status == OrderStatus.PENDING.value:
        raise InvalidState(
            f"Payments go through {payment_provider}: pay with POST /api/v1/payments/create-intent; "
            "the order is confirmed when the payment succeeds."
        )
    if await _expire_if_due(session, order, now, organization_id):
        raise _expired_error()
    if order.status == OrderStatus.EXPIRED.value:
        raise OrderExpired("The order's hold has expired; place a new order.")
    if order.status != OrderStatus.PENDING.value:
        raise InvalidState(f"Only a PENDING order can be confirmed; this one is {order.status}.")
    details = (await load_details(session, [order]))[0]
    await _confirm(session, details, actor, now, organization_id=organization_id)
    return (await load_details(session, [order]))[0]


async def cancel(session: AsyncSession, actor: User, order_id: uuid.UUID) -> OrderDetails:
    """Owner or org staff: PENDING → CANCELLED (hold released); paid → tickets cancelled and refunded."""
    now = utcnow()
    order, organization_id = await _get_visible(session, actor, order_id, for_update=True)
    if await _expire_if_due(session, order, now, organization_id):
        raise _expired_error()
    if order.status == OrderStatus.PENDING.value:
        await _release_hold(
            session, order, OrderStatus.CANCELLED, now, actor=actor, organization_id=organization_id
        )
    elif order.status in PAID_STATUSES:
        await _cancel_paid(session, order, now, actor=actor, organization_id=organization_id)
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
) -> int:
    """Expire PENDING orders past their hold (those touching ``ticket_type_ids`` when given).

    Rows another transaction is working on are skipped (``SKIP LOCKED``): it is confirming, cancelling
    or expiring them itself. Returns how many this call expired.
    """
    now = now or utcnow()
    query = (
        select(Order, Event.organization_id)
        .join(Event, Event.id == Order.event_id)
        .where(Order.status == OrderStatus.PENDING.value, Order.expires_at <= now)
    )
    if ticket_type_ids is not None:
        query = query.where(
            exists().where(
                OrderItem.order_id == Order.id, OrderItem.ticket_type_id.in_(list(ticket_type_ids))
            )
        )
    query = query.order_by(Order.expires_at).limit(limit).with_for_update(of=Order, skip_locked=True)
    rows = (await session.execute(query.execution_options(populate_existing=True))).all()
    expired = 0
    for order, organization_id in rows:
        if await _release_hold(
            session, order, OrderStatus.EXPIRED, now, actor=None, organization_id=organization_id
        ):
            expired += 1
    return expired


async def cancel_for_event(session: AsyncSession, event: Event, actor: User | None) -> int:
    """Event cancelled: its PENDING orders are cancelled and its paid orders refunded (no used ticket
    stops it: the event will not take place). Returns how many orders changed."""
    now = utcnow()
    rows = await session.scalars(
        select(Order)
        .where(
            Order.event_id == event.id,
            Order.status.in_([OrderStatus.PENDING.value, *PAID_STATUSES]),
        )
        .order_by(Order.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    changed = 0
    for order in list(rows):
        if order.status == OrderStatus.PENDING.value:
            changed += await _release_hold(
                session,
                order,
                OrderStatus.CANCELLED,
                now,
                actor=actor,
                organization_id=event.organization_id,
                quiet=True,
            )
        else:
            # Used tickets do not stop an event cancellation: everyone gets their money back.
            await _cancel_paid(
                session, order, now, actor=actor, organization_id=event.organization_id, event_cancelled=True
            )
            changed += 1
    return changed


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
    order, organization_id = await _get_visible(session, viewer, order_id)
    if _is_due(order, now):
        order, organization_id = await _get_visible(session, viewer, order_id, for_update=True)
        await _expire_if_due(session, order, now, organization_id)
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
) -> tuple[TicketType, Event]:
    """A ticket type for the availability endpoint, with past-due holds released first: availability
    never shows tickets as held by orders whose hold has run out, whether or not the job has run."""
    ticket_type, event = await ticketing.get_visible(session, viewer, ticket_type_id)
    if await expire_due(session, ticket_type_ids=[ticket_type.id]):
        await session.refresh(ticket_type)
    return ticket_type, event

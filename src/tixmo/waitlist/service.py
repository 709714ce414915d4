"""The waitlist: join when sold out, leave, claim an offer; the staff view and the per-event switch.

Locking (``tixmo.locks``): the event (``SHARE``; the switch: ``EDIT``), then every ticket type of the
event (the queue's mutex, ``waitlist.offers``), then the entries. A claim turns the offer's hold into a
PENDING order without touching the counters: the tickets stay in ``quantity_held``, now the order's.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from tixmo import locks, pricing
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.db import any_of, utcnow
from tixmo.errors import Conflict, InvalidState, NotFound, SalesClosed, ValidationFailed
from tixmo.events import service as events
from tixmo.events.models import Event, EventStatus
from tixmo.notifications import triggers as notify
from tixmo.orders import rows as order_rows
from tixmo.orders import service as orders
from tixmo.orders.models import Order, OrderItem, OrderStatus
from tixmo.orders.service import OrderDetails
from tixmo.organizations import service as organizations
from tixmo.ticketing import service as ticketing
from tixmo.ticketing import waitlist_pool as capture
from tixmo.ticketing.lines import Line
from tixmo.ticketing.models import TicketType
from tixmo.waitlist import offers
from tixmo.waitlist.models import ACTIVE_STATUSES, WaitlistEntry, WaitlistSettings, WaitlistStatus
from tixmo.waitlist.schemas import WaitlistJoin

ENTRY_NOT_FOUND = "Waitlist entry not found."


@dataclass
class EntryView:
    entry: WaitlistEntry
    position: int | None


# ------------------------------------------------------------------------------------------- positions

_ahead = aliased(WaitlistEntry)


def _position() -> ColumnElement[int | None]:
    """1 + the WAITING entries of the same event joined earlier that compete for the same tickets (the
    same ticket type, or either of the two for any type); NULL unless WAITING."""
    ahead = (
        select(func.count())
        .where(
            _ahead.event_id == WaitlistEntry.event_id,
            _ahead.status == WaitlistStatus.WAITING.value,
            _ahead.seq < WaitlistEntry.seq,
            or_(
                _ahead.ticket_type_id == WaitlistEntry.ticket_type_id,
                _ahead.ticket_type_id.is_(None),
                WaitlistEntry.ticket_type_id.is_(None),
            ),
        )
        .correlate(WaitlistEntry)
        .scalar_subquery()
    )
    return case((WaitlistEntry.status == WaitlistStatus.WAITING.value, ahead + 1), else_=None)


async def _views(
    session: AsyncSession, query: ColumnElement[bool], *, offset: int, limit: int
) -> tuple[list[EntryView], int]:
    base = select(WaitlistEntry, _position().label("position")).where(query)
    total = int(await session.scalar(select(func.count()).select_from(WaitlistEntry).where(query)) or 0)
    rows = await session.execute(base.order_by(WaitlistEntry.seq).offset(offset).limit(limit))
    return [EntryView(entry, position) for entry, position in rows.all()], total


async def view(session: AsyncSession, entry: WaitlistEntry) -> EntryView:
    views, _ = await _views(session, WaitlistEntry.id == entry.id, offset=0, limit=1)
    return views[0]


# ------------------------------------------------------------------------------------------ the switch


async def is_enabled(session: AsyncSession, event_id: uuid.UUID) -> bool:
    enabled = await session.scalar(
        select(WaitlistSettings.enabled).where(WaitlistSettings.event_id == event_id)
    )
    return enabled is not False


async def get_settings(session: AsyncSession, actor: User, event_id: uuid.UUID) -> bool:
    event = await events.get_for_staff(session, actor, event_id)
    return await is_enabled(session, event.id)


async def set_enabled(
    session: AsyncSession, actor: User, event_id: uuid.UUID, enabled: bool, offer_for: timedelta
) -> bool:
    """Open or close the event's waitlist (staff). Closing cancels the WAITING entries (offers already
    made stay claimable until they run out) and puts the pool back on sale."""
    event = await events.get_for_staff(session, actor, event_id, lock=locks.EventLock.EDIT)
    before = await is_enabled(session, event.id)
    now = utcnow()
    found = await session.get(WaitlistSettings, event.id, populate_existing=True)
    if found is None:
        session.add(WaitlistSettings(event_id=event.id, enabled=enabled, updated_at=now))
    else:
        found.enabled, found.updated_at = enabled, now
    if not enabled and before:
        ticket_types = await offers.lock_ticket_types(session, event.id)
        for entry in (await offers.lock_queue(session, event.id)).values():
            if entry.status == WaitlistStatus.WAITING.value:
                entry.status, entry.ended_at, entry.updated_at = WaitlistStatus.CANCELLED.value, now, now
        await session.flush()
        await offers.release_pools(session, ticket_types)
    elif enabled and not before:
        pass  # nothing waits yet
    await session.flush()
    if before != enabled:
        await audit.record(
            session,
            action="waitlist.enabled" if enabled else "waitlist.disabled",
            entity_type="event",
            entity_id=event.id,
            actor_id=actor.id,
            organization_id=event.organization_id,
            before={"waitlistEnabled": before},
            after={"waitlistEnabled": enabled},
        )
    return enabled


# ----------------------------------------------------------------------------------------------- join


async def _public_event(session: AsyncSession, viewer: User, event_id: uuid.UUID) -> Event:
    event = await session.get(Event, event_id)
    if event is None or (
        event.status == EventStatus.DRAFT.value
        and not await organizations.is_staff(session, viewer, event.organization_id)
    ):
        raise NotFound("Event not found.")
    return event


def _check_quantity(quantity: int, wanted: list[TicketType], max_tickets: int) -> None:
    if len(wanted) == 1:
        tt = wanted[0]
        most = min(tt.max_per_order or max_tickets, max_tickets)
        if quantity < tt.min_per_order or quantity > most:
            raise ValidationFailed(
                "quantity", f"Between {tt.min_per_order} and {most} tickets of {tt.name!r} per order."
            )
        return
    most = min(max((tt.max_per_order or max_tickets) for tt in wanted), max_tickets)
    if quantity > most:
        raise ValidationFailed("quantity", f"At most {most} tickets per order for this event.")


async def _left(session: AsyncSession, wanted: list[TicketType], now: datetime) -> dict[uuid.UUID, int]:
    """Tickets a buyer could still get, per ticket type (locked): the free ones, plus those held by
    orders past their hold when nobody waits for the type (they go back on sale when released, as the
    availability endpoint shows; when someone waits, they go to the waitlist)."""
    past_due = dict(
        (
            await session.execute(
                select(OrderItem.ticket_type_id, func.sum(OrderItem.quantity))
                .join(Order, Order.id == OrderItem.order_id)
                .where(
                    Order.status == OrderStatus.PENDING.value,
                    Order.expires_at <= now,
                    OrderItem.ticket_type_id.in_([tt.id for tt in wanted]),
                )
                .group_by(OrderItem.ticket_type_id)
            )
        ).all()
    )
    left: dict[uuid.UUID, int] = {}
    for ticket_type in wanted:
        due = int(past_due.get(ticket_type.id, 0))
        if due and await capture.someone_waits(session, ticket_type.id):
            due = 0
        left[ticket_type.id] = ticket_type.quantity_available + due
    return left


async def _wanted(
    session: AsyncSession, event: Event, ticket_type_id: uuid.UUID | None
) -> tuple[dict[uuid.UUID, TicketType], list[uuid.UUID]]:
    """The event's ticket types, and those an entry for ``ticket_type_id`` (``None``: any) waits for —
    general admission only (422 naming ``ticketTypeId`` for another event's or a seated one)."""
    catalogue = {
        tt.id: tt for tt in await session.scalars(select(TicketType).where(TicketType.event_id == event.id))
    }
    seated = await offers.seated_types(session, list(catalogue))
    if ticket_type_id is not None:
        if ticket_type_id not in catalogue:
            raise ValidationFailed("ticketTypeId", "No such ticket type for this event.")
        if ticket_type_id in seated:
            raise ValidationFailed(
                "ticketTypeId", "This ticket type has reserved seats; its waitlist is not offered."
            )
        wanted_ids = [ticket_type_id]
    else:
        wanted_ids = sorted(tt_id for tt_id in catalogue if tt_id not in seated)
        if not wanted_ids:
            raise Conflict("This event has no general-admission tickets to wait for.")
    return catalogue, wanted_ids


async def join(
    session: AsyncSession,
    user: User,
    event_id: uuid.UUID,
    data: WaitlistJoin,
    *,
    offer_for: timedelta,
    max_tickets: int,
) -> EntryView:
    """Join the queue for ``quantity`` tickets of a ticket type (or of any ticket type) when what was
    asked for is sold out. 409 ``CONFLICT`` while tickets remain, for a second active entry, or when the
    waitlist is closed; 409 ``SALES_CLOSED`` when the event is not on sale; 422 for a bad quantity or a
    ticket type that is not the event's (or has seats)."""
    now = utcnow()
    event = await _public_event(session, user, event_id)
    catalogue, wanted_ids = await _wanted(session, event, data.ticket_type_id)
    _check_quantity(data.quantity, [catalogue[tt_id] for tt_id in wanted_ids], max_tickets)

    status = await locks.event_status(session, event.id, locks.EventLock.SHARE)
    if status != EventStatus.PUBLISHED.value:
        raise SalesClosed(f"Tickets for this event are not on sale (the event is {status}).")
    if not await is_enabled(session, event.id):
        raise Conflict("The waitlist of this event is closed.")
    ticket_types = await offers.lock_ticket_types(session, event.id)
    left = await _left(session, [ticket_types[tt_id] for tt_id in wanted_ids], now)
    if any(left.values()):
        raise Conflict(
            "Tickets are still available: order them instead of joining the waitlist.",
            extra={"available": {str(tt_id): count for tt_id, count in left.items() if count}},
        )
    same = await session.scalar(
        select(WaitlistEntry.id).where(
            WaitlistEntry.user_id == user.id,
            WaitlistEntry.event_id == event.id,
            WaitlistEntry.status.in_(ACTIVE_STATUSES),
            WaitlistEntry.ticket_type_id == data.ticket_type_id
            if data.ticket_type_id is not None
            else WaitlistEntry.ticket_type_id.is_(None),
        )
    )
    if same is not None:
        raise Conflict(
            "You are already on this waitlist; leave it first to change the quantity.",
            extra={"waitlistId": str(same)},
        )
    entry = WaitlistEntry(
        id=uuid.uuid4(),
        event_id=event.id,
        ticket_type_id=data.ticket_type_id,
        user_id=user.id,
        quantity=data.quantity,
        status=WaitlistStatus.WAITING.value,
        created_at=now,
        updated_at=now,
    )
    session.add(entry)
    await session.flush()
    await notify.waitlist_joined(
        session,
        user_id=user.id,
        event=event,
        waitlist_id=entry.id,
        quantity=entry.quantity,
        ticket_type_name=catalogue[data.ticket_type_id].name if data.ticket_type_id else None,
    )
    # The pool may already hold tickets this entry fits (a bigger entry ahead is waiting for more).
    await offers.distribute(session, event, ticket_types, now, offer_for)
    return await view(session, entry)


# ------------------------------------------------------------------------------------ leave and claim


async def _lock_own(
    session: AsyncSession, user: User, entry_id: uuid.UUID
) -> tuple[WaitlistEntry, Event, dict[uuid.UUID, TicketType]]:
    """The caller's entry, locked in the global order (event ``SHARE``, ticket types, the queue and the
    entry); 404 when it is not theirs."""
    event_id = await session.scalar(
        select(WaitlistEntry.event_id).where(WaitlistEntry.id == entry_id, WaitlistEntry.user_id == user.id)
    )
    if event_id is None:
        raise NotFound(ENTRY_NOT_FOUND)
    await locks.event_status(session, event_id, locks.EventLock.SHARE)
    event = await session.get(Event, event_id, populate_existing=True)
    assert event is not None
    ticket_types = await offers.lock_ticket_types(session, event_id)
    locked = await offers.lock_queue(session, event_id, [entry_id])
    return locked[entry_id], event, ticket_types


async def leave(session: AsyncSession, user: User, entry_id: uuid.UUID, *, offer_for: timedelta) -> None:
    """Leave the waitlist: a WAITING or OFFERED entry is CANCELLED (an offer's tickets go to the next
    person); 409 ``INVALID_STATE`` for one already claimed, expired or cancelled."""
    now = utcnow()
    entry, event, ticket_types = await _lock_own(session, user, entry_id)
    if entry.status not in ACTIVE_STATUSES:
        raise InvalidState(f"This waitlist entry is already {entry.status}.")
    was_offered = entry.status == WaitlistStatus.OFFERED.value
    entry.status, entry.ended_at, entry.updated_at = WaitlistStatus.CANCELLED.value, now, now
    if was_offered:
        await offers.return_to_pool(session, ticket_types, entry)
    await session.flush()
    await offers.distribute(session, event, ticket_types, now, offer_for)
    await offers.release_pools(session, ticket_types)


async def claim(
    session: AsyncSession, user: User, entry_id: uuid.UUID, *, hold: timedelta, offer_for: timedelta
) -> OrderDetails:
    """Turn the caller's offer into a PENDING order for its tickets at the current price (free: CONFIRMED
    at once), held until now + the order hold time. 404: not the caller's entry; 409 ``INVALID_STATE``:
    not OFFERED (already claimed, waiting, cancelled) or the offer ran out (it is expired then and
    there, and its tickets go to the next person); 409 ``SALES_CLOSED``: the event or the ticket type
    is no longer on sale."""
    now = utcnow()
    entry, event, ticket_types = await _lock_own(session, user, entry_id)
    if entry.status == WaitlistStatus.CLAIMED.value:
        raise InvalidState("This offer has already been claimed.", extra={"orderId": str(entry.order_id)})
    if entry.status != WaitlistStatus.OFFERED.value:
        raise InvalidState(f"Only an OFFERED waitlist entry can be claimed; this one is {entry.status}.")
    assert entry.offer_expires_at is not None and entry.offer_ticket_type_id is not None
    if entry.offer_expires_at <= now:
        await offers.expire_offer(session, ticket_types, entry, event, now)
        await offers.distribute(session, event, ticket_types, now, offer_for)
        error = InvalidState("The offer ran out; its tickets went to the next person on the waitlist.")
        error.commit_before_raise = True
        raise error
    ticket_type = ticket_types[entry.offer_ticket_type_id]
    ticketing.assert_on_sale(ticket_type, event, now)
    unit_price = pricing.current_price_minor(ticket_type, now)
    order, items = order_rows.pending_order(
        user.id, event, [Line(ticket_type.id, entry.quantity, unit_price)], now=now, hold=hold
    )
    session.add(order)
    await session.flush()
    session.add_all(items)
    entry.status, entry.order_id = WaitlistStatus.CLAIMED.value, order.id
    entry.ended_at, entry.updated_at = now, now
    await session.flush()
    await audit.record(
        session,
        action="order.created",
        entity_type="order",
        entity_id=order.id,
        actor_id=user.id,
        organization_id=event.organization_id,
        after={"status": order.status, "waitlistId": str(entry.id), "ticketCount": order.ticket_count},
    )
    details = (await orders.load_details(session, [order]))[0]
    if order.total_minor == 0:
        await orders.confirm_locked(session, details, user, now, organization_id=event.organization_id)
        details = (await orders.load_details(session, [order]))[0]
    return details


# ---------------------------------------------------------------------------------------------- reads


async def my_entries(
    session: AsyncSession, user: User, *, status: WaitlistStatus | None, offset: int, limit: int
) -> tuple[list[EntryView], int]:
    condition: ColumnElement[bool] = WaitlistEntry.user_id == user.id
    if status is not None:
        condition = and_(condition, WaitlistEntry.status == status.value)
    return await _views(session, condition, offset=offset, limit=limit)


@dataclass
class TypeCounts:
    ticket_type_id: uuid.UUID | None
    waiting: int
    waiting_tickets: int
    offered: int
    offered_tickets: int
    pool: int


async def counts(session: AsyncSession, event_id: uuid.UUID) -> list[TypeCounts]:
    """Per ticket type (None: "any ticket type" entries): WAITING and OFFERED entries and tickets, and
    the tickets kept in the type's pool. Offers count under the type they hold."""
    key = func.coalesce(WaitlistEntry.offer_ticket_type_id, WaitlistEntry.ticket_type_id)
    waiting = WaitlistEntry.status == WaitlistStatus.WAITING.value
    offered = WaitlistEntry.status == WaitlistStatus.OFFERED.value
    rows = await session.execute(
        select(
            key,
            func.count().filter(waiting),
            func.coalesce(func.sum(WaitlistEntry.quantity).filter(waiting), 0),
            func.count().filter(offered),
            func.coalesce(func.sum(WaitlistEntry.quantity).filter(offered), 0),
        )
        .where(WaitlistEntry.event_id == event_id, WaitlistEntry.status.in_(ACTIVE_STATUSES))
        .group_by(key)
    )
    found: dict[uuid.UUID | None, list[int]] = {
        row[0]: [int(value) for value in row[1:]] for row in rows.all()
    }
    types = (
        await session.execute(
            select(TicketType.id, TicketType.waitlist_pool)
            .where(TicketType.event_id == event_id)
            .order_by(TicketType.sort_order, TicketType.name, TicketType.id)
        )
    ).all()
    result = []
    pools: list[tuple[uuid.UUID | None, int]] = [(tt_id, int(pool)) for tt_id, pool in types]
    if None in found:
        pools.append((None, 0))
    for tt_id, pool in pools:
        n_waiting, waiting_tickets, n_offered, offered_tickets = found.get(tt_id, [0, 0, 0, 0])
        result.append(TypeCounts(tt_id, n_waiting, waiting_tickets, n_offered, offered_tickets, pool))
    return result


async def event_entries(
    session: AsyncSession,
    actor: User,
    event_id: uuid.UUID,
    *,
    status: WaitlistStatus | None,
    offset: int,
    limit: int,
) -> tuple[list[EntryView], int, list[TypeCounts]]:
    """Org staff: the event's entries in join order with positions, and the counts per ticket type."""
    event = await events.get_for_staff(session, actor, event_id)
    condition: ColumnElement[bool] = WaitlistEntry.event_id == event.id
    if status is not None:
        condition = and_(condition, WaitlistEntry.status == status.value)
    views, total = await _views(session, condition, offset=offset, limit=limit)
    return views, total, await counts(session, event.id)


def size_query(event_id: uuid.UUID | ColumnElement[uuid.UUID]) -> Select[int, int, int, int]:
    """The waitlist's size as one row (WAITING entries, their tickets, OFFERED entries, their tickets), for
    a statement that reads it with other figures (``checkin.stats``); ``size_of`` reads the row."""
    waiting = WaitlistEntry.status == WaitlistStatus.WAITING.value
    offered = WaitlistEntry.status == WaitlistStatus.OFFERED.value
    return select(
        func.count().filter(waiting),
        func.coalesce(func.sum(WaitlistEntry.quantity).filter(waiting), 0),
        func.count().filter(offered),
        func.coalesce(func.sum(WaitlistEntry.quantity).filter(offered), 0),
    ).where(WaitlistEntry.event_id == event_id, any_of(WaitlistEntry.status, ACTIVE_STATUSES, String()))


def size_of(row: Sequence[Any]) -> dict[str, int]:
    return {
        "waiting": int(row[0]),
        "waiting_tickets": int(row[1]),
        "offered": int(row[2]),
        "offered_tickets": int(row[3]),
    }


# ------------------------------------------------------------------------------------ event cancelled


async def cancel_for_event(session: AsyncSession, event: Event) -> list[uuid.UUID]:
    """The event was cancelled (its row locked ``STATUS``, its ticket types locked by the orders'
    cancellation): every WAITING or OFFERED entry is CANCELLED and what they held is released. Returns
    the people to tell. The entries are moved by one conditional UPDATE without a lock of their own
    first: every other writer of an event's entries holds the event's ``SHARE`` lock, which the
    ``STATUS`` lock held here excludes, so none can be waiting on them."""
    now = utcnow()
    ticket_types = await offers.lock_ticket_types(session, event.id)
    rows = (
        await session.execute(
            update(WaitlistEntry)
            .where(WaitlistEntry.event_id == event.id, WaitlistEntry.status.in_(ACTIVE_STATUSES))
            .values(status=WaitlistStatus.CANCELLED.value, ended_at=now, updated_at=now)
            .returning(
                WaitlistEntry.user_id,
                WaitlistEntry.offer_ticket_type_id,
                WaitlistEntry.quantity,
            )
            .execution_options(synchronize_session=False)
        )
    ).all()
    people: set[uuid.UUID] = set()
    for user_id, offer_type_id, quantity in rows:
        people.add(user_id)
        if offer_type_id is not None:
            await offers.add_to_pool(session, ticket_types[offer_type_id], quantity)
    await offers.release_pools(session, ticket_types, everything=True)
    return sorted(people)


async def get_own(session: AsyncSession, user: User, entry_id: uuid.UUID) -> EntryView:
    views, _ = await _views(
        session, and_(WaitlistEntry.id == entry_id, WaitlistEntry.user_id == user.id), offset=0, limit=1
    )
    if not views:
        raise NotFound(ENTRY_NOT_FOUND)
    return views[0]

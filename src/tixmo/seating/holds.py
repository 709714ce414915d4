"""Seats for orders: taking seats without selling one twice, selling and releasing them.

A seat of an event is one ``event_seats`` row, mapped to one ticket type. It is taken for an order by a
conditional UPDATE (``… WHERE order_id IS NULL``), and a CHECK ties ``status`` to ``order_id``, so a seat
belongs to at most one order at a time. Only AVAILABLE seats are locked by a buyer, in ``position``
order; HELD and SOLD seats are changed only by their own order (``sell_seats``, ``release_seats``).
"Best available" reads its candidates without locking, then locks them with ``SKIP LOCKED`` inside a
savepoint: seats another buyer is taking at this moment are passed over at once instead of waited for,
and a partial catch is let go straight away (rolling back the savepoint releases its row locks).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Uuid,
    all_,
    bindparam,
    func,
    select,
    tuple_,
)
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks
from tixmo.db import any_of
from tixmo.errors import Conflict, FieldError, InsufficientInventory, ValidationFailed
from tixmo.seating.models import EventSeat, SeatStatus
from tixmo.seating.seats import MAX_ERRORS, SeatKey, invalid, seat_key
from tixmo.ticketing.models import TicketType
from tixmo.ticketing.schemas import SeatRef
from tixmo.ticketing.service import has_seats as has_seats  # a type with no seat mapped sells none

# How often "best available" looks again for adjacent seats when other buyers took its pick meanwhile,
# before it settles for the lowest seats available.
ADJACENT_ATTEMPTS = 10


async def seated_among(session: AsyncSession, ticket_type_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these ticket types sell reserved seats (one query for an order's items)."""
    rows = await session.scalars(
        select(EventSeat.ticket_type_id).where(EventSeat.ticket_type_id.in_(list(ticket_type_ids))).distinct()
    )
    return set(rows)


# ---------------------------------------------------------------------------------- seats for orders


async def hold_seats(
    session: AsyncSession,
    *,
    order_id: uuid.UUID,
    ticket_type_id: uuid.UUID,
    quantity: int,
    requested: Sequence[SeatRef] | None,
    field: str,
) -> list[EventSeat]:
    """Hold ``quantity`` seats of the ticket type for the order (already flushed): the ``requested``
    ones, or the best available. ``field`` names the item's seats in errors (``items.0.seats``).

    Returns the held seats in chart order; ``[]`` for a ticket type without reserved seats. Errors:
    seats named for such a ticket type, a seat listed twice or not of this ticket type, or not
    ``quantity`` seats named → 422; a named seat taken → 409 CONFLICT (nothing held); fewer than
    ``quantity`` seats left → 409 INSUFFICIENT_INVENTORY.
    """
    locks.note(session, locks.Kind.SEAT)  # in position order, after the ticket types
    if requested is not None:
        return await _hold_named(session, order_id, ticket_type_id, quantity, requested, field)
    if not await has_seats(session, ticket_type_id):
        return []
    if quantity > 1:
        seats = await _hold_adjacent(session, order_id, ticket_type_id, quantity)
        if seats is not None:
            return seats
    return await _hold_lowest(session, order_id, ticket_type_id, quantity, field)


async def _mark_held(session: AsyncSession, order_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[EventSeat]:
    """The one conditional UPDATE that takes seats (already locked by the caller)."""
    result = await session.scalars(
        sql_update(EventSeat)
        .where(any_of(EventSeat.id, ids, Uuid()), EventSeat.order_id.is_(None))
        .values(status=SeatStatus.HELD.value, order_id=order_id)
        .returning(EventSeat)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    seats = sorted(result, key=lambda seat: seat.position)
    if len(seats) != len(ids):  # cannot happen: the rows are locked and were free
        raise Conflict("The seats changed meanwhile; try again.")
    return seats


async def _hold_named(
    session: AsyncSession,
    order_id: uuid.UUID,
    ticket_type_id: uuid.UUID,
    quantity: int,
    requested: Sequence[SeatRef],
    field: str,
) -> list[EventSeat]:
    keys: list[SeatKey] = []
    first: dict[SeatKey, int] = {}
    duplicates: list[FieldError] = []
    for index, ref in enumerate(requested):
        key = (ref.section, ref.row, ref.seat)
        if key in first:
            duplicates.append(
                FieldError(field=f"{field}.{index}", message=f"Listed twice (also {field}.{first[key]}).")
            )
        else:
            first[key] = index
        keys.append(key)
    if duplicates:
        raise invalid(duplicates, "A seat is listed twice.")
    wanted = tuple_(EventSeat.section, EventSeat.row, EventSeat.label).in_(keys) if keys else None
    locked: list[Any] = []
    if wanted is not None and len(keys) == quantity:
        # Lock the free ones in position order (a buyer in flight on one of them is waited for).
        locked = list(
            (
                await session.execute(
                    select(EventSeat.id, EventSeat.section, EventSeat.row, EventSeat.label)
                    .where(EventSeat.ticket_type_id == ticket_type_id, wanted, EventSeat.order_id.is_(None))
                    .order_by(EventSeat.position)
                    .with_for_update()
                )
            ).all()
        )
        if len(locked) == len(keys):
            return await _mark_held(session, order_id, [row.id for row in locked])
    raise await _named_failure(session, ticket_type_id, quantity, keys, wanted, locked, field)


async def _named_failure(
    session: AsyncSession,
    ticket_type_id: uuid.UUID,
    quantity: int,
    keys: list[SeatKey],
    wanted: ColumnElement[bool] | None,
    locked: list[Any],
    field: str,
) -> Exception:
    """Why the named seats could not all be held: the error to raise (nothing was taken)."""
    if not await has_seats(session, ticket_type_id):
        return ValidationFailed(field, "This ticket type has no reserved seats; leave out seats.")
    if len(keys) != quantity or wanted is None:
        return ValidationFailed(field, f"Name exactly {quantity} seats, or none for best available.")
    mapped = {
        seat_key(row)
        for row in await session.execute(
            select(EventSeat.section, EventSeat.row, EventSeat.label).where(
                EventSeat.ticket_type_id == ticket_type_id, wanted
            )
        )
    }
    unknown = [
        FieldError(field=f"{field}.{index}", message="No such seat for this ticket type.")
        for index, key in enumerate(keys)
        if key not in mapped
    ]
    if unknown:
        return invalid(unknown, "Some seats are not sold through this ticket type.")
    free = {seat_key(row) for row in locked}
    taken = [
        FieldError(field=f"{field}.{index}", message="This seat is taken.")
        for index, key in enumerate(keys)
        if key not in free
    ]
    return Conflict(f"{len(taken)} of the chosen seats are taken; choose others.", errors=taken[:MAX_ERRORS])


def _free_seats(ticket_type_id: uuid.UUID) -> list[ColumnElement[bool]]:
    return [EventSeat.ticket_type_id == ticket_type_id, EventSeat.order_id.is_(None)]


async def _adjacent_run(
    session: AsyncSession, ticket_type_id: uuid.UUID, quantity: int, skipped: set[uuid.UUID]
) -> list[uuid.UUID]:
    """The first ``quantity`` seats of the lowest run of at least ``quantity`` free seats side by side
    (consecutive positions in one row), leaving out ``skipped``; ``[]`` when there is none."""
    conditions = _free_seats(ticket_type_id)
    if skipped:
        conditions.append(EventSeat.id != all_(bindparam(None, list(skipped), type_=ARRAY(Uuid()))))
    in_row = (EventSeat.section, EventSeat.row)
    # Free seats side by side share ``position - rank in their row``: gaps and islands.
    free = (
        select(
            EventSeat.id,
            EventSeat.section,
            EventSeat.row,
            EventSeat.position,
            (
                EventSeat.position - func.row_number().over(partition_by=in_row, order_by=EventSeat.position)
            ).label("island"),
        )
        .where(*conditions)
        .cte("free")
    )
    island = (free.c.section, free.c.row, free.c.island)
    runs = select(
        free.c.id,
        free.c.position,
        func.count().over(partition_by=island).label("length"),
        func.min(free.c.position).over(partition_by=island).label("start"),
    ).cte("runs")
    ids = await session.scalars(
        select(runs.c.id)
        .where(runs.c.length >= quantity)
        .order_by(runs.c.start, runs.c.position)
        .limit(quantity)
    )
    return list(ids)


async def _hold_adjacent(
    session: AsyncSession, order_id: uuid.UUID, ticket_type_id: uuid.UUID, quantity: int
) -> list[EventSeat] | None:
    """``quantity`` free seats side by side, the lowest first; ``None`` when no such run is left."""
    skipped: set[uuid.UUID] = set()
    for _ in range(ADJACENT_ATTEMPTS):
        run = await _adjacent_run(session, ticket_type_id, quantity, skipped)
        if not run:
            return None
        savepoint = await session.begin_nested()
        locked = list(
            await session.scalars(
                select(EventSeat.id)
                .where(any_of(EventSeat.id, run, Uuid()), EventSeat.order_id.is_(None))
                .order_by(EventSeat.position)
                .with_for_update(skip_locked=True)
            )
        )
        if len(locked) == quantity:
            seats = await _mark_held(session, order_id, locked)
            await savepoint.commit()
            return seats
        # Another buyer is taking (or took) part of this run: let go of the rest and look again.
        await savepoint.rollback()
        skipped.update(set(run) - set(locked))
    return None


async def _lock_lowest(
    session: AsyncSession, ticket_type_id: uuid.UUID, quantity: int, *, skip_locked: bool
) -> list[uuid.UUID]:
    return list(
        await session.scalars(
            select(EventSeat.id)
            .where(*_free_seats(ticket_type_id))
            .order_by(EventSeat.position)
            .limit(quantity)
            .with_for_update(skip_locked=skip_locked)
        )
    )


async def _hold_lowest(
    session: AsyncSession, order_id: uuid.UUID, ticket_type_id: uuid.UUID, quantity: int, field: str
) -> list[EventSeat]:
    """The ``quantity`` lowest free seats. Seats other buyers are taking right now are passed over; only
    when too few remain does it wait for those buyers to finish, and then counts what is left."""
    savepoint = await session.begin_nested()
    locked = await _lock_lowest(session, ticket_type_id, quantity, skip_locked=True)
    if len(locked) < quantity:
        # Let go first: waiting while holding seats out of position order could deadlock.
        await savepoint.rollback()
        savepoint = await session.begin_nested()
        locked = await _lock_lowest(session, ticket_type_id, quantity, skip_locked=False)
        if len(locked) < quantity:
            await savepoint.rollback()
            raise await _insufficient(session, ticket_type_id, len(locked), field)
    seats = await _mark_held(session, order_id, locked)
    await savepoint.commit()
    return seats


async def _insufficient(
    session: AsyncSession, ticket_type_id: uuid.UUID, left: int, field: str
) -> InsufficientInventory:
    ticket_type = await session.get(TicketType, ticket_type_id)
    name = repr(ticket_type.name) if ticket_type is not None else str(ticket_type_id)
    message = f"Only {left} seats of {name} are left." if left else f"{name} is sold out."
    return InsufficientInventory(
        message,
        errors=[FieldError(field=field, message=message)],
        extra={"ticketTypeId": str(ticket_type_id), "available": left},
    )


async def sell_seats(session: AsyncSession, order_id: uuid.UUID) -> None:
    """The order's HELD seats become SOLD."""
    locks.note(session, locks.Kind.SEAT)
    await session.execute(
        sql_update(EventSeat)
        .where(EventSeat.order_id == order_id, EventSeat.status == SeatStatus.HELD.value)
        .values(status=SeatStatus.SOLD.value)
    )


async def release_seats(session: AsyncSession, order_id: uuid.UUID) -> int:
    """The order's seats (HELD or SOLD) go back on sale; returns how many."""
    locks.note(session, locks.Kind.SEAT)
    result = await session.execute(
        sql_update(EventSeat)
        .where(EventSeat.order_id == order_id)
        .values(status=SeatStatus.AVAILABLE.value, order_id=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def release_seat_ids(session: AsyncSession, seat_ids: Sequence[uuid.UUID]) -> None:
    """Single seats go back on sale (a ticket cancelled on its own)."""
    locks.note(session, locks.Kind.SEAT)
    if seat_ids:
        await session.execute(
            sql_update(EventSeat)
            .where(EventSeat.id.in_(list(seat_ids)))
            .values(status=SeatStatus.AVAILABLE.value, order_id=None)
        )


async def seats_of_orders(
    session: AsyncSession, order_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[EventSeat]]:
    """Each order's seats in chart order (an order without seats maps to ``[]``)."""
    by_order: dict[uuid.UUID, list[EventSeat]] = {order_id: [] for order_id in order_ids}
    if not by_order:
        return by_order
    rows = await session.scalars(
        select(EventSeat)
        .where(any_of(EventSeat.order_id, list(by_order), Uuid()))
        .order_by(EventSeat.order_id, EventSeat.position)
        .execution_options(populate_existing=True)
    )
    for seat in rows:
        if seat.order_id is not None:
            by_order[seat.order_id].append(seat)
    return by_order

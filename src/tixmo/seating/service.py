"""Reserved seating: which seats a ticket type sells, and taking seats for orders without selling one twice.

A seat of an event is one ``event_seats`` row, mapped to one ticket type. It is taken for an order by a
conditional UPDATE (``… WHERE order_id IS NULL``), and a CHECK ties ``status`` to ``order_id``, so a seat
belongs to at most one order at a time.

Locking (no two transactions wait on each other in a cycle):

* only AVAILABLE seats are ever locked by a buyer or by a seat map change, always in ``position`` order;
  HELD and SOLD seats are changed only by their own order (``sell_seats``, ``release_seats``);
* a seat map change locks the event row, then the ticket type (its conditional ``quantityTotal``
  UPDATE), then the seats it removes: the same order as ticket type updates and orders;
* "best available" reads its candidates without locking, then locks them with ``SKIP LOCKED`` inside a
  savepoint: seats another buyer is taking at this moment are passed over at once instead of waited for,
  and a partial catch is let go straight away (rolling back the savepoint releases its row locks).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Uuid,
    all_,
    any_,
    bindparam,
    delete,
    func,
    insert,
    select,
    tuple_,
)
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.db import fetch_page
from tixmo.errors import Conflict, FieldError, InsufficientInventory, InvalidState, NotFound, ValidationFailed
from tixmo.events.models import Event
from tixmo.seating.models import EventSeat, SeatStatus
from tixmo.seating.schemas import MAX_MAPPED_SEATS, SeatMapUpdate
from tixmo.ticketing import service as ticketing
from tixmo.ticketing.models import TicketType
from tixmo.ticketing.schemas import SeatRef
from tixmo.ticketing.service import has_seats as has_seats  # the seat map sets a type's quantity
from tixmo.venues.models import Venue

# How often "best available" looks again for adjacent seats when other buyers took its pick meanwhile,
# before it settles for the lowest seats available.
ADJACENT_ATTEMPTS = 10
# The most per-seat errors one problem document lists.
MAX_ERRORS = 50

SeatKey = tuple[str, str, str]  # (section, row, seat label)


def describe(key: SeatKey) -> str:
    section, row, label = key
    return f"Section {section!r}, row {row!r}, seat {label!r}"


def _key(seat: Any) -> SeatKey:
    return (seat.section, seat.row, seat.label)


def _ids(ids: Sequence[uuid.UUID]) -> Any:
    """One array parameter (``= ANY(:ids)``), however many ids: not one bind parameter per id."""
    return any_(bindparam(None, list(ids), type_=ARRAY(Uuid())))


def _invalid(errors: list[FieldError], detail: str) -> ValidationFailed:
    error = ValidationFailed(errors[0].field, errors[0].message, detail)
    error.errors = errors[:MAX_ERRORS]
    return error


# ----------------------------------------------------------------------------------------- seat chart


@dataclass
class Chart:
    """A venue's seating chart: each seat's position (sections, then rows, then seats, from 0)."""

    positions: dict[SeatKey, int] = field(default_factory=dict)
    sections: dict[str, list[SeatKey]] = field(default_factory=dict)

    @classmethod
    def of(cls, raw: dict[str, Any] | None) -> Chart:
        chart = cls()
        for section in (raw or {}).get("sections", []):
            keys = chart.sections.setdefault(section["name"], [])
            for row in section.get("rows", []):
                for label in row.get("seats", []):
                    key = (section["name"], row["name"], label)
                    chart.positions[key] = len(chart.positions)
                    keys.append(key)
        return chart


async def _chart_of(session: AsyncSession, event: Event, field_name: str) -> Chart:
    if event.venue_id is None:
        raise ValidationFailed(
            field_name, "The event has no venue; reserved seats need a venue with a seating chart."
        )
    raw = await session.scalar(select(Venue.seating_chart).where(Venue.id == event.venue_id))
    chart = Chart.of(raw)
    if not chart.positions:
        raise ValidationFailed(field_name, "The event's venue has no seating chart.")
    return chart


def _body_field(data: SeatMapUpdate) -> str:
    """``seats`` or ``sections``: whichever of the two the body gives (exactly one)."""
    if (data.seats is None) == (data.sections is None):
        name = "sections" if data.seats is not None else "seats"
        raise ValidationFailed(name, "Give either seats or sections (exactly one of the two).")
    return "seats" if data.seats is not None else "sections"


def _requested(data: SeatMapUpdate, chart: Chart) -> dict[SeatKey, str]:
    """The seats the body asks for, each with the request field that names it."""
    wanted: dict[SeatKey, str] = {}
    errors: list[FieldError] = []
    if data.seats is not None:
        seen: dict[SeatKey, int] = {}
        for index, ref in enumerate(data.seats):
            key = (ref.section, ref.row, ref.seat)
            where = f"seats.{index}"
            if key in seen:
                errors.append(FieldError(field=where, message=f"Listed twice (also seats.{seen[key]})."))
            elif key not in chart.positions:
                errors.append(FieldError(field=where, message="No such seat in the venue's seating chart."))
            else:
                seen[key] = index
                wanted[key] = where
    else:
        assert data.sections is not None
        first: dict[str, int] = {}
        for index, name in enumerate(data.sections):
            where = f"sections.{index}"
            if name in first:
                errors.append(FieldError(field=where, message=f"Listed twice (also sections.{first[name]})."))
            elif name not in chart.sections:
                errors.append(
                    FieldError(field=where, message="No such section in the venue's seating chart.")
                )
            else:
                first[name] = index
                wanted.update(dict.fromkeys(chart.sections[name], where))
    if errors:
        raise _invalid(errors, "Some seats are not in the venue's seating chart.")
    return wanted


# ------------------------------------------------------------------------------------------ seat map


async def seated_among(session: AsyncSession, ticket_type_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these ticket types sell reserved seats (one query for an order's items)."""
    rows = await session.scalars(
        select(EventSeat.ticket_type_id).where(EventSeat.ticket_type_id.in_(list(ticket_type_ids))).distinct()
    )
    return set(rows)


async def set_seat_map(
    session: AsyncSession, actor: User, ticket_type_id: uuid.UUID, data: SeatMapUpdate
) -> tuple[TicketType, int]:
    """Make the ticket type's seat map exactly the requested seats; ``quantityTotal`` follows.

    Errors: not staff → 404; event not DRAFT/PUBLISHED → 409 INVALID_STATE; no venue chart, a seat or
    section not in it, more than ``MAX_MAPPED_SEATS`` → 422; a seat of another ticket type, removing a
    HELD/SOLD seat, a first map for a ticket type that already sold or holds tickets without seats, or
    ``quantityTotal`` below sold + held → 409 CONFLICT; the event's capacity exceeded → 422.
    """
    found = await session.get(TicketType, ticket_type_id)
    if found is None:
        raise NotFound(ticketing.TICKET_TYPE_NOT_FOUND)
    event = await ticketing.get_event_for_staff(
        session, actor, found.event_id, for_update=True, not_found=ticketing.TICKET_TYPE_NOT_FOUND
    )
    if event.status not in ticketing.EDITABLE_EVENT_STATUSES:
        raise InvalidState(f"The seats of a {event.status} event cannot be changed.")
    # Re-read under the event lock: a concurrent change (or delete) may have finished meanwhile.
    ticket_type = await session.scalar(
        select(TicketType).where(TicketType.id == ticket_type_id).execution_options(populate_existing=True)
    )
    if ticket_type is None:
        raise NotFound(ticketing.TICKET_TYPE_NOT_FOUND)

    field_name = _body_field(data)
    chart = await _chart_of(session, event, field_name)
    wanted = _requested(data, chart)
    if len(wanted) > MAX_MAPPED_SEATS:
        raise ValidationFailed(
            field_name, f"At most {MAX_MAPPED_SEATS} seats per ticket type ({len(wanted)} requested)."
        )
    # Every seat of the event: another ticket type's seats are only mapped or unmapped under the event
    # lock we hold, so this read stays true; this ticket type's seats may still be taken by buyers.
    rows = (
        await session.execute(
            select(
                EventSeat.id,
                EventSeat.ticket_type_id,
                EventSeat.section,
                EventSeat.row,
                EventSeat.label,
                EventSeat.status,
                EventSeat.position,
            ).where(EventSeat.event_id == event.id)
        )
    ).all()
    mine = {_key(row): row for row in rows if row.ticket_type_id == ticket_type.id}
    others = {_key(row): row.ticket_type_id for row in rows if row.ticket_type_id != ticket_type.id}
    taken_elsewhere = [
        FieldError(field=where, message=f"{describe(key)} is mapped to ticket type {others[key]}.")
        for key, where in wanted.items()
        if key in others
    ]
    if taken_elsewhere:
        raise Conflict(
            f"{len(taken_elsewhere)} of the seats are mapped to another ticket type of this event.",
            errors=taken_elsewhere[:MAX_ERRORS],
        )
    removed = [row for key, row in mine.items() if key not in wanted]
    busy = [row for row in removed if row.status != SeatStatus.AVAILABLE.value]
    if busy:
        raise _busy(field_name, busy)

    before = {"seatCount": len(mine), "quantityTotal": ticket_type.quantity_total}
    new_total = len(wanted)
    if new_total > ticket_type.quantity_total:
        try:
            await ticketing.check_capacity(session, event, new_total, excluding=ticket_type.id)
        except ValidationFailed as exc:
            raise ValidationFailed(field_name, exc.detail) from None
    await ticketing.set_quantity_total(session, ticket_type, new_total)  # locks the ticket type
    if not mine and ticket_type.quantity_sold + ticket_type.quantity_held > 0:
        raise Conflict(
            "This ticket type already sold or holds tickets without seats; it cannot become reserved "
            "seating. Create a new ticket type for the seats."
        )

    if removed:
        # Lock, in position order, the seats to remove that are still free: one taken meanwhile stops it.
        locks.note(session, locks.Kind.SEAT)
        removed_ids = [row.id for row in removed]
        free = set(
            await session.scalars(
                select(EventSeat.id)
                .where(EventSeat.id == _ids(removed_ids), EventSeat.order_id.is_(None))
                .order_by(EventSeat.position)
                .with_for_update()
            )
        )
        if len(free) < len(removed_ids):
            raise _busy(field_name, [row for row in removed if row.id not in free])
        await session.execute(delete(EventSeat).where(EventSeat.id == _ids(removed_ids)))
    added = [
        {
            "id": uuid.uuid4(),
            "event_id": event.id,
            "ticket_type_id": ticket_type.id,
            "section": key[0],
            "row": key[1],
            "label": key[2],
            "position": chart.positions[key],
            "status": SeatStatus.AVAILABLE.value,
        }
        for key in sorted(wanted, key=chart.positions.__getitem__)
        if key not in mine
    ]
    if added:
        await session.execute(insert(EventSeat), added)
    # The chart may have changed since these seats were mapped: keep "best available" in chart order.
    moved = [
        {"id": row.id, "position": chart.positions[key]}
        for key, row in mine.items()
        if key in wanted and row.position != chart.positions[key]
    ]
    if moved:
        await session.execute(sql_update(EventSeat), moved)

    await audit.record(
        session,
        action="ticket_type.seats_mapped",
        entity_type="ticket_type",
        entity_id=ticket_type.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before=before,
        after={
            "seatCount": new_total,
            "quantityTotal": ticket_type.quantity_total,
            "added": len(added),
            "removed": len(removed),
        },
    )
    return ticket_type, new_total


def _busy(field_name: str, rows: Sequence[Any]) -> Conflict:
    return Conflict(
        f"{len(rows)} of the seats to remove are held or sold; a seat with an order stays mapped.",
        errors=[
            FieldError(field=field_name, message=f"{describe(_key(row))} is held or sold.")
            for row in rows[:MAX_ERRORS]
        ],
    )


async def list_seats(
    session: AsyncSession,
    viewer: User | None,
    ticket_type_id: uuid.UUID,
    *,
    status: SeatStatus | None,
    offset: int,
    limit: int,
) -> tuple[list[EventSeat], int]:
    """The ticket type's seats in chart order: public for PUBLISHED events, org staff always."""
    ticket_type, _ = await ticketing.get_visible(session, viewer, ticket_type_id)
    query = select(EventSeat).where(EventSeat.ticket_type_id == ticket_type.id)
    if status is not None:
        query = query.where(EventSeat.status == status.value)
    return await fetch_page(session, query, EventSeat.position, EventSeat.id, offset=offset, limit=limit)


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
        .where(EventSeat.id == _ids(ids), EventSeat.order_id.is_(None))
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
        raise _invalid(duplicates, "A seat is listed twice.")
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
        _key(row)
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
        return _invalid(unknown, "Some seats are not sold through this ticket type.")
    free = {_key(row) for row in locked}
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
                .where(EventSeat.id == _ids(run), EventSeat.order_id.is_(None))
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
        .where(EventSeat.order_id == _ids(list(by_order)))
        .order_by(EventSeat.order_id, EventSeat.position)
        .execution_options(populate_existing=True)
    )
    for seat in rows:
        if seat.order_id is not None:
            by_order[seat.order_id].append(seat)
    return by_order

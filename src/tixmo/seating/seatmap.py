"""Seat maps (staff): which seats of the venue's chart each ticket type of an event sells.

A change locks the event row, then the ticket type (its conditional ``quantityTotal`` UPDATE), then the
seats it removes — the same order as ticket type updates and orders — and only ever AVAILABLE seats,
in ``position`` order (the seats of orders are changed by their order alone: ``holds``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Uuid,
    delete,
    insert,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.db import any_of, fetch_page
from tixmo.errors import Conflict, FieldError, InvalidState, NotFound, ValidationFailed
from tixmo.events.models import Event
from tixmo.seating.models import EventSeat, SeatStatus
from tixmo.seating.schemas import MAX_MAPPED_SEATS, SeatMapUpdate
from tixmo.seating.seats import MAX_ERRORS, SeatKey, describe, invalid, seat_key
from tixmo.ticketing import service as ticketing
from tixmo.ticketing.models import TicketType
from tixmo.venues.models import Venue

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
        raise invalid(errors, "Some seats are not in the venue's seating chart.")
    return wanted


# ------------------------------------------------------------------------------------------ seat map


async def set_seat_map(
    session: AsyncSession, actor: User, ticket_type_id: uuid.UUID, data: SeatMapUpdate
) -> tuple[TicketType, int]:
    """Make the ticket type's seat map exactly the requested seats; ``quantityTotal`` follows.

    Errors: not staff → 404; event not DRAFT/PUBLISHED → 409 INVALID_STATE; no venue chart, a seat or
    section not in it, more than ``MAX_MAPPED_SEATS`` → 422; a seat of another ticket type, removing a
    HELD/SOLD seat, a first map for a ticket type that already sold or holds tickets without seats, or
    ``quantityTotal`` below sold + held → 409 CONFLICT; the event's capacity exceeded → 422.
    """
    event, ticket_type = await _editable(session, actor, ticket_type_id)
    field_name = _body_field(data)
    chart = await _chart_of(session, event, field_name)
    wanted = _requested(data, chart)
    if len(wanted) > MAX_MAPPED_SEATS:
        raise ValidationFailed(
            field_name, f"At most {MAX_MAPPED_SEATS} seats per ticket type ({len(wanted)} requested)."
        )
    mine, removed = await _diff(session, event, ticket_type, wanted, field_name)

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
    added = await _apply(session, event, ticket_type, chart, wanted, mine, removed, field_name)
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
            "added": added,
            "removed": len(removed),
        },
    )
    return ticket_type, new_total


async def _editable(
    session: AsyncSession, actor: User, ticket_type_id: uuid.UUID
) -> tuple[Event, TicketType]:
    """The ticket type and its event, locked for a staff edit (404 unless ``actor`` is its staff; 409 when
    the event is past editing)."""
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
    return event, ticket_type


async def _diff(
    session: AsyncSession, event: Event, ticket_type: TicketType, wanted: dict[SeatKey, str], field_name: str
) -> tuple[dict[SeatKey, Any], list[Any]]:
    """The ticket type's seats now (by key) and those the new map removes; 409 when a wanted seat is
    another ticket type's or a seat to remove is held or sold."""
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
    mine = {seat_key(row): row for row in rows if row.ticket_type_id == ticket_type.id}
    others = {seat_key(row): row.ticket_type_id for row in rows if row.ticket_type_id != ticket_type.id}
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
    return mine, removed


async def _apply(
    session: AsyncSession,
    event: Event,
    ticket_type: TicketType,
    chart: Chart,
    wanted: dict[SeatKey, str],
    mine: dict[SeatKey, Any],
    removed: list[Any],
    field_name: str,
) -> int:
    """Remove, add and re-position seats so the map is ``wanted``; returns how many were added."""
    if removed:
        # Lock, in position order, the seats to remove that are still free: one taken meanwhile stops it.
        locks.note(session, locks.Kind.SEAT)
        removed_ids = [row.id for row in removed]
        free = set(
            await session.scalars(
                select(EventSeat.id)
                .where(any_of(EventSeat.id, removed_ids, Uuid()), EventSeat.order_id.is_(None))
                .order_by(EventSeat.position)
                .with_for_update()
            )
        )
        if len(free) < len(removed_ids):
            raise _busy(field_name, [row for row in removed if row.id not in free])
        await session.execute(delete(EventSeat).where(any_of(EventSeat.id, removed_ids, Uuid())))
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
    return len(added)


def _busy(field_name: str, rows: Sequence[Any]) -> Conflict:
    return Conflict(
        f"{len(rows)} of the seats to remove are held or sold; a seat with an order stays mapped.",
        errors=[
            FieldError(field=field_name, message=f"{describe(seat_key(row))} is held or sold.")
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

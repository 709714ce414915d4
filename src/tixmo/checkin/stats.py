"""Attendance figures of an event: the counts from the counters the scans' and the tickets' triggers keep
(``ScanCounter``, ``TicketCount``), the timeline and per-device figures by SQL aggregates over the scan
history.

Entries and exits count VALID scans without ``conflict`` (people, not duplicate admissions); the merge
keeps each ticket's such scans alternating ENTRY, EXIT, ENTRY…, so ``occupancy = entries - exits`` and
it is right after any offline merge. Manual check-ins are ENTRY scans (source MANUAL).

``valid`` (and so ``successRate``) counts the same VALID scans without ``conflict``: an online VALID
answer later overtaken by an earlier offline entry is a duplicate admission, counted with ``rejected``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, Select, Uuid, and_, bindparam, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import Role, User
from tixmo.checkin.models import Direction, Scan, ScanCounter, Scanner, ScanStatus
from tixmo.db import Database, fetch_page, utcnow
from tixmo.errors import NotFound, Unauthorized
from tixmo.events import service as events
from tixmo.events.models import Event
from tixmo.organizations import service as organizations
from tixmo.rawsql import RawStatement, driver_connection
from tixmo.tickets.models import Ticket, TicketCount, TicketStatus
from tixmo.venues.models import Venue
from tixmo.waitlist import service as waitlist

_counted = and_(Scan.status == ScanStatus.VALID.value, Scan.conflict.is_(False))
VALID = func.count().filter(_counted)
ENTRIES = func.count().filter(_counted, Scan.direction == Direction.ENTRY.value)
EXITS = func.count().filter(_counted, Scan.direction == Direction.EXIT.value)


def _ratio(part: int, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Counts:
    entries: int
    exits: int
    total: int
    valid: int
    last_scan_at: datetime | None

    @property
    def occupancy(self) -> int:
        return self.entries - self.exits


def _scan_counts(
    event_id: uuid.UUID | ColumnElement[uuid.UUID],
) -> Select[int, int, int, int, datetime | None]:
    return select(
        func.coalesce(func.sum(ScanCounter.entries), 0),
        func.coalesce(func.sum(ScanCounter.exits), 0),
        func.coalesce(func.sum(ScanCounter.total), 0),
        func.coalesce(func.sum(ScanCounter.valid), 0),
        func.max(ScanCounter.last_scan_at),
    ).where(ScanCounter.event_id == event_id)


async def _counts(session: AsyncSession, event_id: uuid.UUID) -> Counts:
    """The maintained counters (``ScanCounter``): 16 rows, however long the history."""
    return _counts_of((await session.execute(_scan_counts(event_id))).one())


_TICKET_STATUSES = (TicketStatus.VALID.value, TicketStatus.USED.value, TicketStatus.CANCELLED.value)


def _counts_of(row: Any) -> Counts:
    return Counts(int(row[0]), int(row[1]), int(row[2]), int(row[3]), row[4])


# The read of ``/stats`` and ``/occupancy``: one statement, compiled once, that checks the caller (the
# user row: 401 when it is gone; the event's access check of ``events.get_for_staff``: 404) and reads the
# event's capacity (``events.capacity_of``: the event's, else its venue's), the scan counters and, for
# ``/stats``, the ticket counts and the waitlist's size. Sent straight through the driver (``read_*``), it
# is the request's only round trip: its own snapshot, taken when it starts, so it sees every scan
# committed before the request came in.
_USER_ID = bindparam("user_id", type_=Uuid())
_EVENT_ID = bindparam("event_id", type_=Uuid())


def _figures_statement(*, with_tickets: bool) -> Select[Any]:
    role = select(User.role).where(User.id == _USER_ID, User.deleted_at.is_(None)).scalar_subquery()
    event = (
        select(
            Event.id.label("id"),
            func.coalesce(Event.capacity, Venue.capacity).label("capacity"),
            Event.organization_id.in_(organizations.member_organizations_of(_USER_ID)).label("member"),
        )
        .outerjoin(Venue, Venue.id == Event.venue_id)
        .where(Event.id == _EVENT_ID)
        .subquery("e")
    )
    scans = _scan_counts(_EVENT_ID).subquery("s")
    query = select(role, event.c.id, event.c.capacity, event.c.member, *scans.c).select_from(scans)
    if with_tickets:
        tickets = (
            select(
                *(
                    func.coalesce(func.sum(TicketCount.tickets).filter(TicketCount.status == status), 0)
                    for status in _TICKET_STATUSES
                )
            )
            .where(TicketCount.event_id == _EVENT_ID)
            .subquery("t")
        )
        queue = waitlist.size_query(_EVENT_ID).subquery("w")
        query = query.add_columns(*tickets.c, *queue.c).join(tickets, true()).join(queue, true())
    return query.outerjoin(event, true())


_OCCUPANCY = _figures_statement(with_tickets=False)
_STATS = _figures_statement(with_tickets=True)
_RAW_OCCUPANCY = RawStatement(_OCCUPANCY)
_RAW_STATS = RawStatement(_STATS)


def _allowed(row: Sequence[Any]) -> int | None:
    """The event's capacity, once the row says the caller may read its figures (else 401 or 404)."""
    role, event_id, capacity, member = row[0], row[1], row[2], row[3]
    if role is None:
        raise Unauthorized("The account no longer exists.")
    if event_id is None or (role != Role.ADMIN.value and not member):
        raise NotFound("Event not found.")
    return cast(int | None, capacity)


def _stats_of(event_id: uuid.UUID, row: Sequence[Any]) -> dict[str, object]:
    capacity = _allowed(row)
    counts = _counts_of(row[4:9])
    by_status = {status: int(n) for status, n in zip(_TICKET_STATUSES, row[9:12], strict=True)}
    used = by_status[TicketStatus.USED.value]
    return {
        "event_id": event_id,
        "capacity": capacity,
        "tickets_sold": by_status[TicketStatus.VALID.value] + used,
        "tickets_used": used,
        "tickets_cancelled": by_status[TicketStatus.CANCELLED.value],
        "entries": counts.entries,
        "exits": counts.exits,
        "occupancy": counts.occupancy,
        "capacity_utilization": _ratio(counts.occupancy, capacity),
        "scans": {
            "total": counts.total,
            "valid": counts.valid,
            "rejected": counts.total - counts.valid,
            "success_rate": _ratio(counts.valid, counts.total),
        },
        "last_scan_at": counts.last_scan_at,
        "waitlist": waitlist.size_of(row[12:16]),
    }


async def counts_from_history(session: AsyncSession, event_id: uuid.UUID) -> Counts:
    """The same counts aggregated over the scans (what the counters must always equal)."""
    row = (
        await session.execute(
            select(
                ENTRIES,
                EXITS,
                func.count(),
                VALID,
                func.max(Scan.scanned_at),
            ).where(Scan.event_id == event_id)
        )
    ).one()
    return Counts(int(row[0]), int(row[1]), int(row[2]), int(row[3]), row[4])


async def ticket_counts(session: AsyncSession, event_id: uuid.UUID) -> dict[str, int]:
    """The event's tickets by status, from the maintained counts (``TicketCount``: a few rows per status,
    however many tickets)."""
    rows = await session.execute(
        select(TicketCount.status, func.sum(TicketCount.tickets))
        .where(TicketCount.event_id == event_id)
        .group_by(TicketCount.status)
    )
    return {status: int(count) for status, count in rows.all()}


async def ticket_counts_from_tickets(session: AsyncSession, event_id: uuid.UUID) -> dict[str, int]:
    """The same counts by counting the tickets (what the maintained counts must always equal)."""
    rows = await session.execute(
        select(Ticket.status, func.count()).where(Ticket.event_id == event_id).group_by(Ticket.status)
    )
    return {status: int(count) for status, count in rows.all()}


async def stats(session: AsyncSession, actor: User, event_id: uuid.UUID) -> dict[str, object]:
    """The event's attendance figures (``_STATS``), in the caller's transaction."""
    row = (await session.execute(_STATS, {"user_id": actor.id, "event_id": event_id})).one()
    return _stats_of(event_id, row)


async def _read(
    statement: RawStatement, database: Database, user_id: uuid.UUID, event_id: uuid.UUID
) -> Sequence[Any]:
    """The row of one figures statement for the user of an access token: one round trip."""
    async with driver_connection(database) as connection:
        row = await statement.fetchrow(connection, {"user_id": user_id, "event_id": event_id})
    assert row is not None  # the counters' aggregate: always one row
    return cast(Sequence[Any], row)


async def read_stats(database: Database, user_id: uuid.UUID, event_id: uuid.UUID) -> dict[str, object]:
    """``GET /events/{id}/stats``: ``_STATS`` straight through the driver."""
    return _stats_of(event_id, await _read(_RAW_STATS, database, user_id, event_id))


async def read_occupancy(database: Database, user_id: uuid.UUID, event_id: uuid.UUID) -> dict[str, object]:
    """``GET /events/{id}/occupancy``: ``_OCCUPANCY`` straight through the driver."""
    row = await _read(_RAW_OCCUPANCY, database, user_id, event_id)
    return _occupancy(event_id, _allowed(row), _counts_of(row[4:9]))


def _occupancy(event_id: uuid.UUID, capacity: int | None, counts: Counts) -> dict[str, object]:
    return {
        "event_id": event_id,
        "occupancy": counts.occupancy,
        "capacity": capacity,
        "entries": counts.entries,
        "exits": counts.exits,
        "utilization": _ratio(counts.occupancy, capacity),
        "updated_at": utcnow(),
    }


async def occupancy_of(session: AsyncSession, event: Event) -> dict[str, object]:
    counts = await _counts(session, event.id)
    return _occupancy(event.id, await events.capacity_of(session, event), counts)


async def timeline(session: AsyncSession, actor: User, event_id: uuid.UUID) -> dict[str, object]:
    """Hourly entries and exits, hours cut in the event's time zone, with the occupancy at each hour's
    end (a running sum in SQL)."""
    event = await events.get_for_staff(session, actor, event_id)
    zone = event.timezone
    hour = func.date_trunc("hour", Scan.scanned_at, zone).label("hour")
    per_hour = (
        select(hour, ENTRIES.label("entries"), EXITS.label("exits"))
        .where(Scan.event_id == event.id)
        .group_by(hour)
        .subquery()
    )
    running = func.sum(per_hour.c.entries - per_hour.c.exits).over(order_by=per_hour.c.hour)
    rows = await session.execute(
        select(per_hour.c.hour, per_hour.c.entries, per_hour.c.exits, running.cast(Integer)).order_by(
            per_hour.c.hour
        )
    )
    tz = ZoneInfo(zone)
    return {
        "event_id": event.id,
        "timezone": zone,
        "data": [
            {"hour": start.astimezone(tz).isoformat(), "entries": entries, "exits": exits, "occupancy": occ}
            for start, entries, exits, occ in rows.all()
        ],
    }


async def scanner_stats(
    session: AsyncSession,
    actor: User,
    event_id: uuid.UUID,
    *,
    online_within: timedelta,
    offset: int,
    limit: int,
) -> tuple[list[dict[str, object]], int]:
    """Per device of the event (deleted ones included when they scanned): counts and last-seen."""
    event = await events.get_for_staff(session, actor, event_id)
    per_scanner = (
        select(
            Scan.scanner_id.label("scanner_id"),
            func.count().label("scans"),
            VALID.label("valid"),
            func.max(Scan.received_at).label("last_scan"),
        )
        .where(Scan.event_id == event.id, Scan.scanner_id.is_not(None))
        .group_by(Scan.scanner_id)
        .subquery()
    )
    last_seen = func.greatest(Scanner.last_seen_at, per_scanner.c.last_scan)
    query = (
        select(
            Scanner.id,
            Scanner.name,
            func.coalesce(per_scanner.c.scans, 0),
            func.coalesce(per_scanner.c.valid, 0),
            last_seen,
        )
        .outerjoin(per_scanner, per_scanner.c.scanner_id == Scanner.id)
        .where(
            Scanner.event_id == event.id,
            (Scanner.deleted_at.is_(None)) | (per_scanner.c.scans.is_not(None)),
        )
    )
    rows, total = await fetch_page(session, query, Scanner.created_at, Scanner.id, offset=offset, limit=limit)
    now = utcnow()
    return [
        {
            "scanner_id": scanner_id,
            "name": name,
            "scans": int(scans),
            "valid": int(valid),
            "rejected": int(scans) - int(valid),
            "last_seen_at": seen,
            "online": seen is not None and now - seen <= online_within,
        }
        for scanner_id, name, scans, valid, seen in rows
    ], total

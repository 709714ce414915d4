"""What the dashboard pages show, read with the caller's rights (staff of the event's organization, or
ADMIN; anyone else: ``NotFound``). Read only: nothing here writes.

The figures come from the services that answer the API (``checkin.stats``, ``analytics``), so a page
and the API never disagree; this module only gathers them into one answer per page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.analytics import service as analytics
from tixmo.analytics.filters import MAX_RANGE, ReportFilters
from tixmo.analytics.models import Report
from tixmo.analytics.schemas import AnyReport
from tixmo.checkin import stats
from tixmo.checkin.live import scan_payload
from tixmo.checkin.models import Scan, Scanner
from tixmo.db import utcnow
from tixmo.events import service as events
from tixmo.events.models import Event
from tixmo.money import format_minor
from tixmo.organizations import service as organizations
from tixmo.ticketing.models import TicketType
from tixmo.venues.models import Venue

RECENT_SCANS = 20
MINUTES = 60  # the scans-per-minute chart covers the last hour
MAX_SCANNERS = 100
PAGE_SIZE = 50


@dataclass(frozen=True)
class EventRow:
    """One line of the events page; ``starts_local`` is the start in the event's own time zone."""

    id: uuid.UUID
    name: str
    status: str
    starts_at: datetime
    timezone: str
    sold: int
    capacity: int | None

    @property
    def starts_local(self) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(self.timezone))


async def events_of(session: AsyncSession, user: User, page: int) -> tuple[list[EventRow], int]:
    """The events of the caller's organizations (every event for an ADMIN), latest start first."""
    per_type = (
        select(
            TicketType.event_id.label("event_id"),
            func.sum(TicketType.quantity_sold).label("sold"),
            func.sum(TicketType.quantity_total).label("offered"),
        )
        .group_by(TicketType.event_id)
        .subquery()
    )
    query = (
        select(
            Event,
            func.coalesce(per_type.c.sold, 0),
            func.coalesce(Event.capacity, Venue.capacity, per_type.c.offered),
        )
        .outerjoin(Venue, Venue.id == Event.venue_id)
        .outerjoin(per_type, per_type.c.event_id == Event.id)
    )
    count = select(func.count()).select_from(Event)
    scope = organizations.staff_scope(user, Event.organization_id)
    if scope is not None:
        query, count = query.where(scope), count.where(scope)
    total = int(await session.scalar(count) or 0)
    rows = await session.execute(
        query.order_by(Event.starts_at.desc(), Event.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )
    return [
        EventRow(
            event.id,
            event.name,
            event.status,
            event.starts_at,
            event.timezone,
            int(sold),
            None if capacity is None else int(capacity),
        )
        for event, sold, capacity in rows.all()
    ], total


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


async def _recent_scans(session: AsyncSession, event_id: uuid.UUID) -> list[dict[str, Any]]:
    scans = await session.scalars(
        select(Scan).where(Scan.event_id == event_id).order_by(Scan.id.desc()).limit(RECENT_SCANS)
    )
    return [scan_payload(scan) for scan in scans]


async def _per_minute(session: AsyncSession, event_id: uuid.UUID, now: datetime) -> list[dict[str, Any]]:
    """Scans (and VALID ones) in each of the last ``MINUTES`` minutes, oldest first, empty minutes too."""
    minute = func.date_trunc("minute", Scan.scanned_at).label("minute")
    since = now.replace(second=0, microsecond=0) - timedelta(minutes=MINUTES - 1)
    rows = await session.execute(
        select(minute, func.count(), stats.VALID)
        .where(Scan.event_id == event_id, Scan.scanned_at >= since, Scan.scanned_at <= now)
        .group_by(minute)
    )
    counts = {start: (int(total), int(valid)) for start, total, valid in rows.all()}
    return [
        {
            "minute": _iso(start),
            "scans": counts.get(start, (0, 0))[0],
            "valid": counts.get(start, (0, 0))[1],
        }
        for start in (since + timedelta(minutes=i) for i in range(MINUTES))
    ]


async def _ticket_types(session: AsyncSession, event_id: uuid.UUID) -> list[dict[str, Any]]:
    types = await session.scalars(
        select(TicketType).where(TicketType.event_id == event_id).order_by(TicketType.created_at)
    )
    return [
        {
            "id": str(t.id),
            "name": t.name,
            "sold": t.quantity_sold,
            "held": t.quantity_held,
            "total": t.quantity_total,
            "price": format_minor(t.price_minor),
            "currency": t.currency,
        }
        for t in types
    ]


def _sales_filters(event: Event, now: datetime) -> ReportFilters:
    """The event's sales since it was created (at most the reports' longest range)."""
    start = max(event.created_at, now - MAX_RANGE + timedelta(days=1))
    return ReportFilters(event_id=event.id, start=start, end=now)


async def report(session: AsyncSession, user: User, event: Event, kind: Report, now: datetime) -> AnyReport:
    """One analytics report of one event, over the event's whole sales period."""
    return await analytics.compute(session, user, kind, _sales_filters(event, now))


async def live_snapshot(
    session: AsyncSession, user: User, event_id: uuid.UUID, online_within: timedelta
) -> dict[str, Any]:
    """Everything the live page shows, as of now; the stream then brings the changes."""
    event = await events.get_for_staff(session, user, event_id)
    now = utcnow()
    figures = await stats.stats(session, user, event.id)
    scans: dict[str, Any] = figures["scans"]  # type: ignore[assignment]
    scanners, _ = await stats.scanner_stats(
        session, user, event.id, online_within=online_within, offset=0, limit=MAX_SCANNERS
    )
    names = dict(
        (await session.execute(select(Scanner.id, Scanner.name).where(Scanner.event_id == event.id))).all()
    )
    recent = await _recent_scans(session, event.id)
    for scan in recent:
        scanner_id = scan["scannerId"]
        scan["scannerName"] = names.get(uuid.UUID(scanner_id)) if scanner_id else None
    sales = await report(session, user, event, Report.SALES, now)
    return {
        "event": {
            "id": str(event.id),
            "name": event.name,
            "status": event.status,
            "startsAt": _iso(event.starts_at),
            "timezone": event.timezone,
        },
        "asOf": _iso(now),
        "lastScanId": max((scan["id"] for scan in recent), default=0),
        "onlineSeconds": int(online_within.total_seconds()),
        "occupancy": {
            "occupancy": figures["occupancy"],
            "entries": figures["entries"],
            "exits": figures["exits"],
            "capacity": figures["capacity"],
            "utilization": figures["capacity_utilization"],
        },
        "ticketsSold": figures["tickets_sold"],
        "scans": {
            "total": scans["total"],
            "valid": scans["valid"],
            "rejected": scans["rejected"],
            "successRate": scans["success_rate"],
        },
        "scanners": [
            {
                "scannerId": str(row["scanner_id"]),
                "name": row["name"],
                "scans": row["scans"],
                "valid": row["valid"],
                "rejected": row["rejected"],
                "lastSeenAt": _iso(row["last_seen_at"]),  # type: ignore[arg-type]
                "online": row["online"],
            }
            for row in scanners
        ],
        "recentScans": recent,
        "perMinute": await _per_minute(session, event.id, now),
        "ticketTypes": await _ticket_types(session, event.id),
        "sales": sales.model_dump(mode="json", by_alias=True, include={"totals", "by_ticket_type"}),
    }

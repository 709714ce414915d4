"""``/analytics/events``: per event, tickets sold against capacity, the range's sales, the orders placed in
the range by status, check-ins and no-shows, the busiest hour at the doors; the best sellers first.

Sales follow the range (orders paid in it). Inventory, check-ins and entries are the event's state now:
they belong to the event, not to a time of sale.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.analytics import figures
from tixmo.analytics.filters import Scope
from tixmo.analytics.models import Report
from tixmo.analytics.reports.common import heading, money, ratio
from tixmo.analytics.schemas import CheckIn, EventFigures, EventsReport, PeakHour, TopEvent

TOP = 10

_INVENTORY = text(
    """
    SELECT e.id, coalesce(e.capacity, v.capacity, sum(t.quantity_total)::int) AS capacity,
           coalesce(sum(t.quantity_sold), 0) AS sold
    FROM events e
    LEFT JOIN venues v ON v.id = e.venue_id
    LEFT JOIN ticket_types t ON t.event_id = e.id
    WHERE e.id = ANY(CAST(:ids AS uuid[]))
    GROUP BY e.id, e.capacity, v.capacity
    """
)
_STATUSES = text(
    """
    SELECT event_id, status, count(*) FROM orders
    WHERE event_id = ANY(CAST(:ids AS uuid[])) AND created_at >= :start AND created_at < :end
    GROUP BY event_id, status
    """
)
_TICKETS = text(
    """
    SELECT event_id, count(*) FILTER (WHERE status = 'USED'), count(*) FILTER (WHERE status = 'VALID')
    FROM tickets WHERE event_id = ANY(CAST(:ids AS uuid[])) GROUP BY event_id
    """
)
# Admissions per quarter hour (index-only on the partial admissions index; ``date_bin`` is timestamp
# arithmetic, three times cheaper than ``extract(epoch …)``); local hours are cut in Python.
_ENTRIES = text(
    """
    SELECT event_id, date_bin('15 minutes', scanned_at, timestamptz '2000-01-01') AS quarter, count(*)
    FROM scans
    WHERE event_id = ANY(CAST(:ids AS uuid[])) AND status = 'VALID' AND direction = 'ENTRY' AND NOT conflict
    GROUP BY event_id, quarter
    """
)


async def build(session: AsyncSession, scope: Scope) -> EventsReport:
    head = await heading(session, Report.EVENTS, scope)
    sums = await figures.figures(session, scope, by_day=False)
    params = {"ids": scope.event_ids, "start": scope.start, "end": scope.end}
    inventory = {row[0]: (row[1], int(row[2])) for row in (await session.execute(_INVENTORY, params)).all()}
    statuses: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for event_id, status, count in (await session.execute(_STATUSES, params)).all():
        statuses[event_id][status] = int(count)
    tickets = {row[0]: (int(row[1]), int(row[2])) for row in (await session.execute(_TICKETS, params)).all()}
    peaks = _peaks(scope, (await session.execute(_ENTRIES, params)).all())
    sales: dict[uuid.UUID, list[tuple[str, figures.Money]]] = defaultdict(list)
    for (currency, event_id), value in sorted(sums.by_event.items()):
        sales[event_id].append((currency, value))
    now = head["as_of"]
    rows = []
    for event in scope.events.values():
        capacity, sold = inventory.get(event.id, (None, 0))
        used, valid = tickets.get(event.id, (0, 0))
        ended = event.ends_at <= now
        rows.append(
            EventFigures(
                event_id=event.id,
                name=event.name,
                status=event.status,
                starts_at=event.starts_at,
                timezone=event.timezone,
                capacity=capacity,
                tickets_sold=sold,
                sell_through=ratio(sold, capacity or 0),
                sales=[money(currency, value) for currency, value in sales.get(event.id, [])],
                order_statuses=dict(sorted(statuses.get(event.id, {}).items())),
                check_in=CheckIn(
                    checked_in=used,
                    not_checked_in=valid,
                    rate=ratio(used, used + valid),
                    no_shows=valid if ended else None,
                ),
                peak_entry_hour=peaks.get(event.id),
            )
        )
    rows.sort(key=lambda row: (-_period_tickets(row), row.name, str(row.event_id)))
    top = [
        TopEvent(
            event_id=row.event_id,
            name=row.name,
            tickets=_period_tickets(row),
            orders=sum(value.orders for value in row.sales),
        )
        for row in rows[:TOP]
        if _period_tickets(row) > 0
    ]
    return EventsReport(**head, events=rows, top_selling=top)


def _period_tickets(row: EventFigures) -> int:
    return sum(value.tickets for value in row.sales)


def _peaks(scope: Scope, rows: Sequence[Any]) -> dict[uuid.UUID, PeakHour]:
    """The local hour with the most admissions per event (the earliest of equals). Every UTC offset in use
    is a multiple of a quarter hour, so a quarter belongs to the local hour that began ``minute`` minutes
    before it: a repeated hour (clocks going back) stays two."""
    hours: dict[uuid.UUID, dict[datetime, int]] = defaultdict(lambda: defaultdict(int))
    for event_id, quarter, count in rows:
        instant = quarter.astimezone(UTC)
        local = instant.astimezone(ZoneInfo(scope.zone_of(event_id)))
        hours[event_id][instant - timedelta(minutes=local.minute)] += int(count)
    peaks = {}
    for event_id, counts in hours.items():
        start, entries = min(counts.items(), key=lambda item: (-item[1], item[0]))
        hour_local = start.astimezone(ZoneInfo(scope.zone_of(event_id))).isoformat()
        peaks[event_id] = PeakHour(hour=start, hour_local=hour_local, entries=entries)
    return peaks

"""Money figures of paid orders, from the rollups and the orders themselves; shared by the sales, events,
dashboard and funnel reports.

**Which orders.** Orders paid (``confirmed_at``) in ``[from, to)``, whatever happened to them since: a
refunded order still counts as sold, and its refund is subtracted (``refunds``, from the payment's
``amount_refunded_minor``: every refund recorded, paid out or on its way). Orders never paid (expired,
cancelled while pending, pending) count nowhere here. A figure belongs to the day its order was paid, in
the event's time zone (or ``tz``), refunds included.

**Where from.** Per event, the whole days of the range that lie before the rollups' watermark are read
from the rollups (``analytics.rollup``); the part of the first and last day outside the range, the days
after the watermark, and events whose days are cut in another zone (``tz``) are read from the orders (the
paid-orders index). Both sides cut days with PostgreSQL's own time-zone rules, so a day is the same day
in both. Nothing is ever counted twice or missed, whatever the watermark.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.analytics import rollup
from tixmo.analytics.filters import Scope


@dataclass
class Money:
    """Figures of a set of paid orders in one currency (minor units)."""

    orders: int = 0
    tickets: int = 0
    gross: int = 0
    discounts: int = 0
    refunds: int = 0
    refunded_orders: int = 0

    @property
    def net(self) -> int:
        return self.gross - self.discounts - self.refunds

    def add(self, other: Money) -> None:
        self.orders += other.orders
        self.tickets += other.tickets
        self.gross += other.gross
        self.discounts += other.discounts
        self.refunds += other.refunds
        self.refunded_orders += other.refunded_orders


@dataclass
class LineMoney:
    """Figures of the lines of one ticket type (refunds belong to orders, not to lines)."""

    event_id: uuid.UUID
    ticket_type_id: uuid.UUID
    currency: str
    tickets: int = 0
    gross: int = 0
    discounts: int = 0

    @property
    def revenue(self) -> int:
        return self.gross - self.discounts


@dataclass
class SalesFigures:
    totals: dict[str, Money]
    by_day: dict[tuple[str, date], Money]
    by_event: dict[tuple[str, uuid.UUID], Money]
    covered_until: datetime | None


# Per event of the scope: the zone its days are cut in, its whole days [d0, d1) inside [from, to), and
# when the rollups can serve them (same zone, watermark after the first whole day) the part they serve,
# [c_lo, c_hi); ``live`` lists the ranges of paid time read from the orders.
_BOUNDS = """
    b AS (
        SELECT e.id AS event_id, z.zone, z.d0, z.d1,
               (z.d0::timestamp AT TIME ZONE z.zone) AS c_lo,
               least((z.d1::timestamp AT TIME ZONE z.zone), CAST(:covered AS timestamptz)) AS c_hi,
               (CAST(:covered AS timestamptz) IS NOT NULL AND z.zone = e.timezone) AS same_zone
        FROM events e
        CROSS JOIN LATERAL (SELECT coalesce(CAST(:tz AS text), e.timezone) AS zone) z0
        CROSS JOIN LATERAL (
            SELECT z0.zone,
                   (CAST(:start AS timestamptz) AT TIME ZONE z0.zone)::date
                     + ((CAST(:start AS timestamptz) AT TIME ZONE z0.zone)::time <> time '00:00')::int AS d0,
                   (CAST(:end AS timestamptz) AT TIME ZONE z0.zone)::date AS d1
        ) z
        WHERE e.id = ANY(CAST(:ids AS uuid[]))
    ),
    r AS (SELECT * FROM b WHERE same_zone AND d0 < d1 AND c_lo < c_hi),
    live AS (
        SELECT event_id, zone, CAST(:start AS timestamptz) AS lo, c_lo AS hi FROM r
        UNION ALL SELECT event_id, zone, c_hi, CAST(:end AS timestamptz) FROM r
        UNION ALL SELECT event_id, zone, CAST(:start AS timestamptz), CAST(:end AS timestamptz)
        FROM b WHERE NOT (same_zone AND d0 < d1 AND c_lo < c_hi)
    )
"""

_FACTS = (
    "WITH"  # noqa: S608 (constants)
    + _BOUNDS
    + """,
    facts AS (
        SELECT s.event_id, s.day, s.currency, s.orders, s.tickets, s.gross_minor AS gross,
               s.discount_minor AS discounts, 0::bigint AS refunds, 0 AS refunded
        FROM r JOIN analytics_sales_days s ON s.event_id = r.event_id AND s.day >= r.d0 AND s.day < r.d1
        UNION ALL
        SELECT o.event_id, (o.confirmed_at AT TIME ZONE l.zone)::date, o.currency, 1, o.ticket_count,
               o.subtotal_minor, o.discount_minor, 0, 0
        FROM live l JOIN orders o ON o.event_id = l.event_id AND o.confirmed_at IS NOT NULL
             AND o.confirmed_at >= l.lo AND o.confirmed_at < l.hi
        UNION ALL
        SELECT o.event_id, (o.confirmed_at AT TIME ZONE b.zone)::date, o.currency, 0, 0, 0, 0,
               p.amount_refunded_minor, 1
        FROM orders o
        JOIN payments p ON p.order_id = o.id AND p.event_id = ANY(CAST(:ids AS uuid[]))
             AND p.amount_refunded_minor > 0
        JOIN b ON b.event_id = o.event_id
        WHERE o.event_id = ANY(CAST(:ids AS uuid[])) AND o.confirmed_at IS NOT NULL
          AND o.confirmed_at >= CAST(:start AS timestamptz) AND o.confirmed_at < CAST(:end AS timestamptz)
    )
    """
)


@functools.cache
def _sales(by_day: bool, by_event: bool) -> TextClause:
    """The sums per currency, and by day and/or by event when asked (``day``/``event_id`` are NULL on the
    rows of the other groupings: they never are in the data)."""
    sets = ["(currency)"] + ["(currency, day)"] * by_day + ["(currency, event_id)"] * by_event
    day = "day" if by_day else "NULL::date"
    event = "event_id" if by_event else "NULL::uuid"
    select = f"""
        SELECT currency, {day}, {event}, sum(orders), sum(tickets), sum(gross), sum(discounts), sum(refunds),
               sum(refunded)
        FROM facts GROUP BY GROUPING SETS ({", ".join(sets)})
        """  # noqa: S608 (constants)
    return text(_FACTS + select)


_LINES = text(
    "WITH"  # noqa: S608 (constants)
    + _BOUNDS
    + """,
    lines AS (
        SELECT t.event_id, t.ticket_type_id, t.currency, t.tickets, t.gross_minor AS gross,
               t.discount_minor AS discounts
        FROM r JOIN analytics_ticket_type_sales_days t
             ON t.event_id = r.event_id AND t.day >= r.d0 AND t.day < r.d1
        UNION ALL
        SELECT o.event_id, i.ticket_type_id, o.currency, i.quantity, i.quantity * i.unit_price_minor,
               i.discount_minor
        FROM live l JOIN orders o ON o.event_id = l.event_id AND o.confirmed_at IS NOT NULL
             AND o.confirmed_at >= l.lo AND o.confirmed_at < l.hi
        JOIN order_items i ON i.order_id = o.id
    )
    SELECT event_id, ticket_type_id, currency, sum(tickets), sum(gross), sum(discounts)
    FROM lines GROUP BY event_id, ticket_type_id, currency
    """
)


def _params(scope: Scope, start: datetime, end: datetime, covered: datetime | None) -> dict[str, object]:
    return {
        "ids": scope.event_ids,
        "tz": scope.tz,
        "start": start,
        "end": end,
        "covered": covered,
    }


async def figures(
    session: AsyncSession,
    scope: Scope,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    by_day: bool = True,
    by_event: bool = True,
) -> SalesFigures:
    """Totals per currency, and by day and by event when asked, for orders paid in ``[start, end)``
    (default: the scope's range)."""
    start, end = start or scope.start, end or scope.end
    covered = await rollup.covered_until(session)
    totals: dict[str, Money] = defaultdict(Money)
    days: dict[tuple[str, date], Money] = defaultdict(Money)
    events: dict[tuple[str, uuid.UUID], Money] = defaultdict(Money)
    if scope.event_ids:
        rows = await session.execute(_sales(by_day, by_event), _params(scope, start, end, covered))
        for currency, day, event_id, *sums in rows.all():
            money = Money(*(int(value or 0) for value in sums))
            if day is not None:
                days[(currency, day)] = money
            elif event_id is not None:
                events[(currency, event_id)] = money
            else:
                totals[currency] = money
    return SalesFigures(dict(totals), dict(days), dict(events), covered)


async def lines(session: AsyncSession, scope: Scope) -> list[LineMoney]:
    """Tickets and money per ticket type for orders paid in the scope's range."""
    if not scope.event_ids:
        return []
    covered = await rollup.covered_until(session)
    rows = await session.execute(_LINES, _params(scope, scope.start, scope.end, covered))
    return [
        LineMoney(event_id, ticket_type_id, currency, int(tickets), int(gross), int(discounts))
        for event_id, ticket_type_id, currency, tickets, gross, discounts in rows.all()
    ]

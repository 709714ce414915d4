"""``/analytics/dashboard``: the range (by default the last 30 days) beside the same length of time right
before it, with the change in percent.

Page views count whole days: a day belongs to the period its first instant (local midnight, in the
event's time zone) falls in, so consecutive periods never count a day twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.analytics import figures
from tixmo.analytics.filters import Scope
from tixmo.analytics.models import Report
from tixmo.analytics.reports.common import average, heading
from tixmo.analytics.schemas import CountChange, DashboardReport, MoneyChange, Period

_COUNTS = text(
    """
    SELECT
        (SELECT count(*) FROM (
            SELECT user_id FROM orders
            WHERE event_id = ANY(CAST(:ids AS uuid[])) AND confirmed_at IS NOT NULL
              AND confirmed_at >= :start AND confirmed_at < :end
            GROUP BY user_id) buyers),
        (SELECT count(*) FROM orders
         WHERE event_id = ANY(CAST(:ids AS uuid[])) AND created_at >= :start AND created_at < :end),
        (SELECT coalesce(sum(v.views), 0) FROM events e
         JOIN analytics_page_views v ON v.event_id = e.id
           AND v.day >= (CAST(:start AS timestamptz) AT TIME ZONE e.timezone)::date
                        + ((CAST(:start AS timestamptz) AT TIME ZONE e.timezone)::time <> time '00:00')::int
           AND v.day < (CAST(:end AS timestamptz) AT TIME ZONE e.timezone)::date
                        + ((CAST(:end AS timestamptz) AT TIME ZONE e.timezone)::time <> time '00:00')::int
         WHERE e.id = ANY(CAST(:ids AS uuid[])))
    """
)


def change(current: int, previous: int) -> float | None:
    return round((current - previous) * 100 / previous, 2) if previous else None


async def _counts(session: AsyncSession, scope: Scope, start: datetime, end: datetime) -> dict[str, int]:
    buyers, starts, views = (
        await session.execute(_COUNTS, {"ids": scope.event_ids, "start": start, "end": end})
    ).one()
    return {"buyers": int(buyers), "orderStarts": int(starts), "pageViews": int(views)}


async def build(session: AsyncSession, scope: Scope) -> DashboardReport:
    head = await heading(session, Report.DASHBOARD, scope)
    length = scope.end - scope.start
    before = scope.start - length
    now = await figures.figures(session, scope, scope.start, scope.end, by_day=False, by_event=False)
    then = await figures.figures(session, scope, before, scope.start, by_day=False, by_event=False)
    money: list[MoneyChange] = []
    for currency in sorted(set(now.totals) | set(then.totals)):
        a, b = now.totals.get(currency, figures.Money()), then.totals.get(currency, figures.Money())
        values = {
            "gross": (a.gross, b.gross),
            "discounts": (a.discounts, b.discounts),
            "refunds": (a.refunds, b.refunds),
            "net": (a.net, b.net),
            "averageOrderValue": (
                average(a.gross - a.discounts, a.orders),
                average(b.gross - b.discounts, b.orders),
            ),
        }
        money += [
            MoneyChange(metric=name, currency=currency, current=x, previous=y, change_percent=change(x, y))
            for name, (x, y) in values.items()
        ]
    current_counts = await _counts(session, scope, scope.start, scope.end)
    previous_counts = await _counts(session, scope, before, scope.start)
    pairs = {
        "orders": (sum(m.orders for m in now.totals.values()), sum(m.orders for m in then.totals.values())),
        "tickets": (
            sum(m.tickets for m in now.totals.values()),
            sum(m.tickets for m in then.totals.values()),
        ),
        **{name: (current_counts[name], previous_counts[name]) for name in current_counts},
    }
    counts = [
        CountChange(metric=name, current=x, previous=y, change_percent=change(x, y))
        for name, (x, y) in pairs.items()
    ]
    return DashboardReport(
        **head,
        current=Period(from_=scope.start, to=scope.end),
        previous=Period(from_=before, to=scope.start),
        money=money,
        counts=counts,
    )

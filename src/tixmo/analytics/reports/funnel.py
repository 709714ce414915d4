"""``/analytics/funnel``: event page views → orders started → orders paid, per event and per day.

Views are counted per event and day in the event's time zone as they happen (``analytics.pageviews``), so
the funnel's days are always the events' own: a ``tz`` is refused (422) rather than answered with days
cut two ways. A day belongs to the range when its first instant does (whole days). Orders started are the
orders placed in the range, by the day they were placed; paid are those of them paid by now.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.analytics.filters import Scope
from tixmo.analytics.models import Report
from tixmo.analytics.reports.common import heading, ratio
from tixmo.analytics.schemas import FunnelDay, FunnelEvent, FunnelFigures, FunnelReport
from tixmo.errors import ValidationFailed

_FUNNEL = text(
    """
    WITH b AS (
        SELECT e.id, e.timezone,
               (CAST(:start AS timestamptz) AT TIME ZONE e.timezone)::date
                 + ((CAST(:start AS timestamptz) AT TIME ZONE e.timezone)::time <> time '00:00')::int AS d0,
               (CAST(:end AS timestamptz) AT TIME ZONE e.timezone)::date
                 + ((CAST(:end AS timestamptz) AT TIME ZONE e.timezone)::time <> time '00:00')::int AS d1
        FROM events e WHERE e.id = ANY(CAST(:ids AS uuid[]))
    ), steps AS (
        SELECT v.event_id, v.day, v.views, 0::bigint AS starts, 0::bigint AS paid
        FROM b JOIN analytics_page_views v ON v.event_id = b.id AND v.day >= b.d0 AND v.day < b.d1
        UNION ALL
        SELECT o.event_id, (o.created_at AT TIME ZONE b.timezone)::date, 0, 1,
               (o.confirmed_at IS NOT NULL)::int
        FROM b JOIN orders o ON o.event_id = b.id AND o.created_at >= :start AND o.created_at < :end
    )
    SELECT grouping(day, event_id), day, event_id,
           coalesce(sum(views), 0), coalesce(sum(starts), 0), coalesce(sum(paid), 0)
    FROM steps GROUP BY GROUPING SETS ((), (day), (event_id))
    """
)


def _figures(views: int, starts: int, paid: int) -> dict[str, object]:
    return {
        "views": views,
        "order_starts": starts,
        "paid_orders": paid,
        "view_to_start": ratio(starts, views),
        "start_to_paid": ratio(paid, starts),
        "view_to_paid": ratio(paid, views),
    }


async def build(session: AsyncSession, scope: Scope, *, views_lag_seconds: float) -> FunnelReport:
    if scope.tz is not None:
        raise ValidationFailed("tz", "The funnel counts days in each event's own time zone; leave `tz` out.")
    head = await heading(session, Report.FUNNEL, scope)
    totals = FunnelFigures(**_figures(0, 0, 0))
    by_day, by_event = [], []
    params = {"ids": scope.event_ids, "start": scope.start, "end": scope.end}
    for level, day, event_id, views, starts, paid in (await session.execute(_FUNNEL, params)).all():
        values = _figures(int(views), int(starts), int(paid))
        if level == 3:
            totals = FunnelFigures(**values)
        elif level == 1:
            by_day.append(FunnelDay(date=day, **values))
        else:
            by_event.append(FunnelEvent(event_id=event_id, name=scope.events[event_id].name, **values))
    by_day.sort(key=lambda row: row.date)
    by_event.sort(key=lambda row: (-row.paid_orders, -row.views, row.name, str(row.event_id)))
    return FunnelReport(
        **head, views_lag_seconds=views_lag_seconds, totals=totals, by_day=by_day, by_event=by_event
    )

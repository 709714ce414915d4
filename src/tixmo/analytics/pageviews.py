"""Event page views for the funnel, counted without a database round trip on the read path.

``GET /events/{id}`` is the busiest public read. Each API process counts its reads in memory (a dict
increment: ``counted``) and a background task adds the counts to ``analytics_page_views`` every
``TIXMO_PAGE_VIEW_FLUSH_SECONDS`` (10 s) and at shutdown, in one statement per batch:
``INSERT … SELECT … FROM unnest(…) ON CONFLICT (event_id, day) DO UPDATE SET views = views + excluded.views``.

* **Several API processes**: each adds its own increments; ``views + excluded.views`` makes the sum right
  whatever the order, and the rows are written in key order, so two processes' batches never deadlock.
* **What can be lost**: the counts of a process killed without a clean shutdown (at most one interval's
  worth). A batch that fails (the database away for a moment) is put back and tried at the next tick. Views
  of an event deleted meanwhile are dropped by the join on ``events``.
* **Why not count in the request**: an ``UPDATE`` per read would be a round trip and a hot row (every
  reader of a popular event writing the same counter); a job per read would be the same in the job
  table. Piggybacking on the read's own ``SELECT`` cannot write. So: memory, then batches.

Days are the event's local days at the time of the view.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import structlog
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tixmo.db import utcnow
from tixmo.events.models import Event, EventStatus
from tixmo.events.service import EventView

log = structlog.get_logger(__name__)

Key = tuple[uuid.UUID, date]

_ADD = text(
    """
    INSERT INTO analytics_page_views AS v (event_id, day, views)
    SELECT c.event_id, c.day, c.views
    FROM unnest(CAST(:events AS uuid[]), CAST(:days AS date[]), CAST(:views AS bigint[]))
         AS c(event_id, day, views)
    JOIN events e ON e.id = c.event_id
    ORDER BY c.event_id, c.day
    ON CONFLICT (event_id, day) DO UPDATE SET views = v.views + excluded.views
    """
)


class PageViewCounter:
    """This process's page views not yet written, by (event, local day)."""

    def __init__(self) -> None:
        self._counts: dict[Key, int] = defaultdict(int)

    def record(self, event: Event, at: datetime | None = None) -> None:
        """Count one view of a PUBLISHED event's page (others are previews by staff or closed)."""
        if event.status != EventStatus.PUBLISHED.value:
            return
        day = (at or utcnow()).astimezone(ZoneInfo(event.timezone)).date()
        self._counts[(event.id, day)] += 1

    def pending(self) -> dict[Key, int]:
        return dict(self._counts)

    def _take(self) -> dict[Key, int]:
        taken, self._counts = self._counts, defaultdict(int)
        return taken

    def _give_back(self, counts: dict[Key, int]) -> None:
        for key, views in counts.items():
            self._counts[key] += views

    async def flush(self, sessionmaker: async_sessionmaker[AsyncSession]) -> int:
        """Add what was counted to the table; returns the views written. On error the counts are kept."""
        counts = self._take()
        if not counts:
            return 0
        keys = sorted(counts)
        try:
            async with sessionmaker() as session, session.begin():
                await session.execute(
                    _ADD,
                    {
                        "events": [key[0] for key in keys],
                        "days": [key[1] for key in keys],
                        "views": [counts[key] for key in keys],
                    },
                )
        except BaseException:
            self._give_back(counts)
            raise
        return sum(counts.values())


# The process's counter: the events router records into it, the lifespan below flushes it.
counter = PageViewCounter()


def counted(view: EventView) -> EventView:
    """``view``, after counting a read of its event's page (the hook of ``GET /events/{id}``)."""
    counter.record(view.event)
    return view


async def flush_every(
    page_views: PageViewCounter, sessionmaker: async_sessionmaker[AsyncSession], seconds: float
) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await page_views.flush(sessionmaker)
        except Exception:  # the database is away for a moment: kept for the next tick
            log.warning("analytics.page_views_flush_failed", exc_info=True)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Flush the counts every ``page_view_flush_seconds`` while the app runs, and once more at shutdown."""
    context = app.state.context
    sessionmaker = context.database.sessionmaker
    task = asyncio.create_task(
        flush_every(counter, sessionmaker, context.settings.page_view_flush_seconds), name="tixmo-page-views"
    )
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        try:
            await counter.flush(sessionmaker)
        except Exception:
            log.warning("analytics.page_views_lost_at_shutdown", views=sum(counter.pending().values()))

"""The sales rollups: paid orders summed per event, day and currency (``analytics_sales_days``) and per ticket
type (``analytics_ticket_type_sales_days``), kept up to date by a job every minute.

**What goes in, once.** A paid order's figures never change: its subtotal, discount, tickets, lines and paid
time (``confirmed_at``) are written once; refunds live on the payment and are summed from the payments by
every report. So the rollup is a sum of orders paid before a watermark, ``covered_until``: the job adds
the orders paid in ``[covered_until, mark)`` and moves the watermark to ``mark``, in one transaction that
holds the watermark's row lock — however many workers run it, each order is added exactly once.

**Which orders are there to see.** An order is stamped with its paid time by the transaction that confirms
it, which may commit a little later. ``mark`` therefore stays behind both ``now() - SETTLE`` and the start
of the oldest transaction still open on the database (``pg_stat_activity``): a transaction that may still
commit a paid time before ``mark`` would have begun before it. ``SETTLE`` (a minute) also absorbs clock
differences between the API hosts that stamp paid times and the database.

**Reports are never stale.** They read the rollup for the whole days before the watermark and the orders
themselves for the rest (``analytics.figures``), so a job that falls behind makes reports slower, not wrong.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tixmo.analytics.models import RollupState

log = structlog.get_logger(__name__)

SETTLE = timedelta(seconds=60)
# One transaction adds at most this much history (the first run after the migration walks all of it).
CHUNK = timedelta(days=14)

_MARK = text(
    """
    SELECT least(now(), coalesce(min(xact_start), now())) - make_interval(secs => :settle)
    FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
      AND backend_type = 'client backend'
    """
)

# The paid orders of [lo, hi): read per event through the paid-orders index (one range each), grouped by
# the event's day and currency, and by ticket type from their lines; added to what the rollups hold.
_ADD = text(
    """
    WITH chunk AS MATERIALIZED (
        SELECT o.id, o.event_id, (o.confirmed_at AT TIME ZONE e.timezone)::date AS day, o.currency,
               o.ticket_count, o.subtotal_minor, o.discount_minor
        FROM events e
        JOIN LATERAL (
            SELECT * FROM orders
            WHERE event_id = e.id AND confirmed_at IS NOT NULL AND confirmed_at >= :lo AND confirmed_at < :hi
        ) o ON true
    ), days AS (
        INSERT INTO analytics_sales_days AS t
            (event_id, day, currency, orders, tickets, gross_minor, discount_minor)
        SELECT event_id, day, currency, count(*), sum(ticket_count), sum(subtotal_minor), sum(discount_minor)
        FROM chunk GROUP BY event_id, day, currency
        ON CONFLICT (event_id, day, currency) DO UPDATE SET
            orders = t.orders + excluded.orders,
            tickets = t.tickets + excluded.tickets,
            gross_minor = t.gross_minor + excluded.gross_minor,
            discount_minor = t.discount_minor + excluded.discount_minor
    )
    INSERT INTO analytics_ticket_type_sales_days AS t
        (event_id, day, ticket_type_id, currency, tickets, gross_minor, discount_minor)
    SELECT c.event_id, c.day, i.ticket_type_id, c.currency,
           sum(i.quantity), sum(i.quantity * i.unit_price_minor), sum(i.discount_minor)
    FROM chunk c JOIN order_items i ON i.order_id = c.id
    GROUP BY c.event_id, c.day, i.ticket_type_id, c.currency
    ON CONFLICT (event_id, day, ticket_type_id, currency) DO UPDATE SET
        tickets = t.tickets + excluded.tickets,
        gross_minor = t.gross_minor + excluded.gross_minor,
        discount_minor = t.discount_minor + excluded.discount_minor
    """
)


async def covered_until(session: AsyncSession) -> datetime | None:
    """Every order paid before this instant is in the rollups (None: nothing is yet)."""
    value: datetime | None = await session.scalar(
        text("SELECT covered_until FROM analytics_rollup_state WHERE id = 1")
    )
    return value


async def refresh_chunk(
    session: AsyncSession, *, settle: timedelta = SETTLE, until: datetime | None = None
) -> bool:
    """Add the next chunk of paid orders to the rollups; True when they are caught up with the mark
    (``until``: stop there if it comes first — the tests build a rollup that ends mid-day)."""
    await session.execute(pg_insert(RollupState).values(id=1).on_conflict_do_nothing())
    state = (
        await session.execute(
            text("SELECT covered_until FROM analytics_rollup_state WHERE id = 1 FOR UPDATE")
        )
    ).one()
    mark: datetime = (await session.execute(_MARK, {"settle": settle.total_seconds()})).scalar_one()
    if until is not None:
        mark = min(mark, until)
    lo: datetime | None = state.covered_until
    if lo is None:
        lo = await session.scalar(text("SELECT min(confirmed_at) FROM orders WHERE confirmed_at IS NOT NULL"))
    if lo is None or lo >= mark:
        # Nothing paid yet, or nothing new: the watermark still moves up to the mark.
        await _move(session, max(mark, state.covered_until or mark))
        return True
    hi = min(mark, lo + CHUNK)
    await session.execute(_ADD, {"lo": lo, "hi": hi})
    await _move(session, hi)
    return hi >= mark


async def _move(session: AsyncSession, to: datetime) -> None:
    await session.execute(
        text("UPDATE analytics_rollup_state SET covered_until = :to, refreshed_at = now() WHERE id = 1"),
        {"to": to},
    )


async def refresh(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    settle: timedelta = SETTLE,
    until: datetime | None = None,
    max_chunks: int = 1000,
) -> datetime | None:
    """Bring the rollups up to the mark, one transaction per chunk; returns the new watermark."""
    for _ in range(max_chunks):
        async with sessionmaker() as session, session.begin():
            done = await refresh_chunk(session, settle=settle, until=until)
        if done:
            break
    async with sessionmaker() as session:
        return await covered_until(session)

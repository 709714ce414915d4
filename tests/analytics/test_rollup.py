"""The sales rollups: every paid order in them exactly once, whoever refreshes them and whenever."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.dataset import World
from tixmo.analytics import rollup
from tixmo.deps import AppContext

_ROLLUP_SUMS = text(
    "SELECT event_id, currency, sum(orders), sum(tickets), sum(gross_minor), sum(discount_minor) "
    "FROM analytics_sales_days GROUP BY 1, 2"
)
_ORDER_SUMS = text(
    "SELECT event_id, currency, count(*), sum(ticket_count), sum(subtotal_minor), sum(discount_minor) "
    "FROM orders WHERE confirmed_at IS NOT NULL AND confirmed_at < :until GROUP BY 1, 2"
)
_LINE_SUMS = (
    text(
        "SELECT ticket_type_id, sum(tickets), sum(gross_minor) "
        "FROM analytics_ticket_type_sales_days GROUP BY 1"
    ),
    text(
        "SELECT i.ticket_type_id, sum(i.quantity), sum(i.quantity * i.unit_price_minor) FROM order_items i "
        "JOIN orders o ON o.id = i.order_id "
        "WHERE o.confirmed_at IS NOT NULL AND o.confirmed_at < :until GROUP BY 1"
    ),
)


async def _sums(session: AsyncSession) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    until = await rollup.covered_until(session)
    assert until is not None
    rolled = {tuple(row) for row in (await session.execute(_ROLLUP_SUMS)).all()}
    ordered = {tuple(row) for row in (await session.execute(_ORDER_SUMS, {"until": until})).all()}
    lines = {tuple(row) for row in (await session.execute(_LINE_SUMS[0])).all()}
    order_lines = {tuple(row) for row in (await session.execute(_LINE_SUMS[1], {"until": until})).all()}
    await session.commit()
    assert lines == order_lines
    return rolled, ordered


async def test_workers_refreshing_at_once_add_each_order_once(
    session: AsyncSession, context: AppContext, world: World
) -> None:
    results = await asyncio.gather(
        *(rollup.refresh(context.database.sessionmaker, settle=timedelta(0)) for _ in range(4))
    )
    assert all(result is not None for result in results)
    rolled, ordered = await _sums(session)
    assert rolled == ordered
    assert len(ordered) == 3  # E1, E2, E3
    # Again: nothing new, nothing added twice.
    await rollup.refresh(context.database.sessionmaker, settle=timedelta(0))
    assert await _sums(session) == (rolled, ordered)


async def test_the_watermark_waits_for_transactions_still_open(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, world: World
) -> None:
    """A transaction that began before the refresh and stamps a paid time after it began, then commits
    after the refresh: the refresh's watermark stayed before that transaction's start, so the order is
    added by the next refresh, not lost."""
    sessionmaker = context.database.sessionmaker
    await rollup.refresh(sessionmaker, settle=timedelta(0))
    o13 = world.orders["o13"].id  # pending
    async with sessionmaker() as late:
        await late.begin()
        started = (await late.execute(text("SELECT now()"))).scalar_one()  # the transaction is open
        covered = await rollup.refresh(sessionmaker, settle=timedelta(0))
        assert covered is not None and covered <= started
        await late.execute(
            text("UPDATE orders SET status = 'CONFIRMED', confirmed_at = clock_timestamp() WHERE id = :id"),
            {"id": o13},
        )
        await late.commit()
    await rollup.refresh(sessionmaker, settle=timedelta(0))
    rolled, ordered = await _sums(session)
    assert rolled == ordered
    e1 = world.events["E1"]
    assert next(row for row in rolled if row[0] == e1)[2] == 6  # o1, o2, o3, o4, o9, and o13 now

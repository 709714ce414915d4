"""What the coalescer's tests share: waiting for a condition, running requests as one batch, reading
what a batch wrote, and seeing a batch statement wait on a row lock."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Shop
from tixmo.db import libpq_conninfo
from tixmo.orders.coalescer import Coalescer, Pending
from tixmo.orders.models import Order


async def eventually(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Poll ``condition`` until it holds; fail after 20 s."""
    deadline = time.monotonic() + 20
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


def order_id(pending: Pending) -> uuid.UUID:
    found: uuid.UUID = pending.rows["order"]["id"]
    return found


async def order_ids(session: AsyncSession) -> set[uuid.UUID]:
    """Every order's id, as committed now."""
    ids = set((await session.scalars(select(Order.id))).all())
    await session.commit()
    return ids


async def one_batch(coalescer: Coalescer, shop: Shop, batch: list[Pending]) -> list[bool]:
    """All of ``batch`` queued before the coalescer's runner first runs: one batch, in list order."""
    return list(await asyncio.gather(*(coalescer.reserve(shop.event.id, pending) for pending in batch)))


async def batch_waits_on_a_lock(database_url: str) -> bool:
    """Whether a batch statement (its text starts with its ``won`` CTE) is waiting for a row lock."""
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as c:
        cursor = await c.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%won AS%'"
        )
        row = await cursor.fetchone()
        return row is not None and int(row[0]) > 0


async def lockable(database_url: str, sql: str, row_id: uuid.UUID) -> bool:
    """Whether another transaction could take ``sql``'s row lock right now (``sql`` + ``NOWAIT``)."""
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url)) as conn:
        try:
            await conn.execute(sql + " NOWAIT", [row_id])
        except psycopg.errors.LockNotAvailable:
            return False
        finally:
            await conn.rollback()
        return True


def granted_requests(monkeypatch: pytest.MonkeyPatch) -> list[Pending]:
    """The requests any coalescer granted from now on (``Coalescer.reserve`` wrapped for the test)."""
    granted: list[Pending] = []
    reserve = Coalescer.reserve

    async def spy(self: Coalescer, event_id: uuid.UUID, pending: Pending) -> bool:
        placed = await reserve(self, event_id, pending)
        if placed:
            granted.append(pending)
        return placed

    monkeypatch.setattr(Coalescer, "reserve", spy)
    return granted

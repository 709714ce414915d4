"""The ticket counts' rows of ended backends folded into backend 0's (``tickets.counts``): the sums never
change, live backends' rows are left alone, and folds racing many writers on short-lived connections
keep the counts equal to a recount."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import psycopg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import make_shop, tickets_for
from tests.orders.batches import eventually
from tixmo import jobs
from tixmo.checkin import stats
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.tickets import counts
from tixmo.tickets.tasks import FOLD_TICKET_COUNTS

NEVER_A_PID = 2**31 - 1  # above any pid_max: a backend that can only have ended


async def _in_step(session: AsyncSession, event_id: uuid.UUID) -> dict[str, int]:
    kept = {status: n for status, n in (await stats.ticket_counts(session, event_id)).items() if n}
    recount = await stats.ticket_counts_from_tickets(session, event_id)
    await session.commit()
    assert kept == recount
    return kept


async def _backends(session: AsyncSession, event_id: uuid.UUID) -> set[int]:
    rows = await session.execute(
        text("SELECT DISTINCT backend FROM ticket_counts WHERE event_id = :e"), {"e": event_id}
    )
    await session.commit()
    return {row[0] for row in rows}


async def _fold(session: AsyncSession) -> int:
    folded = await counts.fold_ended_backends(session)
    await session.commit()
    return folded


async def _cancel_on_its_own_backend(url: str, ticket_id: str) -> int:
    """Cancel a ticket on a connection of its own, closed after: the pid whose rows it left."""
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(url), autocommit=True) as conn:
        pid = (await (await conn.execute("SELECT pg_backend_pid()")).fetchone() or (0,))[0]
        await conn.execute("UPDATE tickets SET status = 'CANCELLED' WHERE id = %s", (uuid.UUID(ticket_id),))
    return int(pid)


async def test_rows_of_ended_backends_fold_into_one_and_the_sums_stay(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    sold = await tickets_for(client, session, context, shop, 5)
    event = shop.event.id
    # The rows the sales left, handed to a backend that cannot be alive; and a real backend that ends.
    await session.execute(
        text("UPDATE ticket_counts SET backend = :dead WHERE event_id = :e"),
        {"dead": NEVER_A_PID, "e": event},
    )
    await session.commit()
    ended = await _cancel_on_its_own_backend(context.database.url, sold[0]["id"])

    async def gone() -> bool:
        alive = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p")
        found = await session.scalar(alive, {"p": ended})
        await session.commit()
        return found == 0

    await eventually(gone, "the cancelling connection's backend to end")
    assert await _backends(session, event) == {NEVER_A_PID, ended}
    before = await _in_step(session, event)
    assert before == {"VALID": 4, "CANCELLED": 1}

    assert await _fold(session) >= 3  # VALID of the dead one; VALID -1 and CANCELLED +1 of the ended one
    assert await _backends(session, event) == {counts.FOLDED_BACKEND}
    assert await _in_step(session, event) == before
    assert await _fold(session) == 0  # nothing left to fold

    # A live backend's rows (this test's session writes one) are left where they are.
    own = await session.scalar(text("SELECT pg_backend_pid()"))
    await session.execute(text("UPDATE tickets SET status = 'CANCELLED' WHERE id = :t"), {"t": sold[1]["id"]})
    await session.commit()
    await _fold(session)
    assert own in await _backends(session, event)
    assert await _in_step(session, event) == {"VALID": 3, "CANCELLED": 2}


async def test_folds_racing_writers_on_short_lived_connections_keep_the_counts_exact(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    sold = await tickets_for(client, session, context, shop, 24)
    url = context.database.url

    async def fold_on_its_own() -> int:
        async with context.database.sessionmaker() as own:
            return await _fold(own)

    writers = [_cancel_on_its_own_backend(url, ticket["id"]) for ticket in sold[:16]]
    folds = [fold_on_its_own() for _ in range(8)]
    await asyncio.gather(*writers, *folds)
    await _fold(session)
    assert await _in_step(session, shop.event.id) == {"VALID": 8, "CANCELLED": 16}


def test_the_fold_is_a_periodic_task() -> None:
    app = jobs.load_tasks()
    assert FOLD_TICKET_COUNTS in app.tasks
    crons = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert crons.get(FOLD_TICKET_COUNTS) == "*/10 * * * *"

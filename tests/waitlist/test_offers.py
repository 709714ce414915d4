"""Offers: first come first served among the entries that fit, never more than came back, expiry passes
them on, exactly once with several workers and after a worker died."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import make_buyer, order_body, place
from tests.test_worker_recovery import _until, _worker
from tests.waitlist.helpers import (
    cancel_order,
    counters,
    entry,
    join_ok,
    make_offer_due,
    run_jobs,
    sold_out_shop,
    statuses,
)
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.notifications.models import Notification
from tixmo.ticketing.waitlist_pool import OFFER_TASK
from tixmo.waitlist import tasks


async def _offer_notifications(session: AsyncSession) -> int:
    count = await session.scalar(select(func.count()).where(Notification.kind == "waitlist.offer"))
    await session.commit()
    return int(count or 0)


async def test_partial_fit_the_bigger_entry_waits_and_the_next_that_fits_is_offered(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """The rule (docs/waitlist.md): join order among the entries that fit; one that does not fit keeps
    its place, and the tickets stay kept for the waitlist while it waits."""
    sold = await sold_out_shop(session, context, client, blocks=(2, 1, 2))
    shop = sold.shop
    big, small, single = [await make_buyer(session, context) for _ in range(3)]
    await join_ok(client, big, shop, 3)
    await join_ok(client, small, shop, 2)
    await join_ok(client, single, shop, 1)

    await cancel_order(client, sold.holder, sold.orders[0])  # 2 come back
    await run_jobs(context)
    assert await statuses(session, shop.event.id) == [(3, "WAITING"), (2, "OFFERED"), (1, "WAITING")]

    await cancel_order(client, sold.holder, sold.orders[1])  # 1 comes back: the single is next that fits
    await run_jobs(context)
    assert await statuses(session, shop.event.id) == [(3, "WAITING"), (2, "OFFERED"), (1, "OFFERED")]

    # 2 come back: not enough for 3; kept for it (not on sale) while it waits.
    await cancel_order(client, sold.holder, sold.orders[2])
    await run_jobs(context)
    state = await counters(session, shop.ticket_type.id)
    assert (state.pool, state.available) == (2, 0)
    state.assert_consistent()
    stranger = await make_buyer(session, context)
    assert (await place(client, stranger, order_body(shop, 1))).status_code == 409

    # One more ticket (quantityTotal raised): 3 in the pool, the big entry is offered.
    raised = await client.put(
        f"/ticket-types/{shop.ticket_type.id}", json={"quantityTotal": 6}, headers=shop.staff_headers
    )
    assert raised.status_code == 200, raised.text
    await run_jobs(context)
    assert await statuses(session, shop.event.id) == [(3, "OFFERED"), (2, "OFFERED"), (1, "OFFERED")]
    final = await counters(session, shop.ticket_type.id)
    assert (final.pool, final.offered, final.available) == (0, 6, 0)
    final.assert_consistent()


async def test_a_pool_nobody_waiting_can_take_goes_back_on_sale(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1, 1))
    big = await make_buyer(session, context)
    waiting = await join_ok(client, big, sold.shop, 2)
    await cancel_order(client, sold.holder, sold.orders[0])
    await run_jobs(context)
    assert (await counters(session, sold.shop.ticket_type.id)).pool == 1
    assert (await client.delete(f"/waitlist/{waiting['id']}", headers=big.headers)).status_code == 204
    state = await counters(session, sold.shop.ticket_type.id)
    assert (state.pool, state.available) == (0, 1)
    state.assert_consistent()


async def test_an_any_type_entry_takes_whichever_type_comes_back(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1,))
    buyer = await make_buyer(session, context)
    joined = await join_ok(client, buyer, sold.shop, 1, any_type=True)
    assert joined["ticketTypeId"] is None
    await cancel_order(client, sold.holder, sold.orders[0])
    await run_jobs(context)
    offered = await entry(session, joined["id"])
    assert (offered.status, offered.offer_ticket_type_id) == ("OFFERED", sold.shop.ticket_type.id)


async def test_an_expired_offer_passes_on_to_the_next_entry(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1, 1))
    first, second = [await make_buyer(session, context) for _ in range(2)]
    a = await join_ok(client, first, sold.shop, 1)
    b = await join_ok(client, second, sold.shop, 1)
    await cancel_order(client, sold.holder, sold.orders[0])
    await run_jobs(context)
    assert await statuses(session, sold.shop.event.id) == [(1, "OFFERED"), (1, "WAITING")]

    await make_offer_due(session, a["id"])
    await _settle_periodic(context)
    assert await statuses(session, sold.shop.event.id) == [(1, "EXPIRED"), (1, "OFFERED")]
    assert (await entry(session, b["id"])).offer_expires_at is not None
    state = await counters(session, sold.shop.ticket_type.id)
    assert (state.offered, state.pool, state.available) == (1, 0, 0)
    state.assert_consistent()
    kinds = set(await session.scalars(select(Notification.kind).where(Notification.user_id == first.user.id)))
    await session.commit()
    assert {"waitlist.joined", "waitlist.offer", "waitlist.expired"} <= kinds

    # The last offer runs out with nobody waiting: the ticket goes back on sale.
    await make_offer_due(session, b["id"])
    await _settle_periodic(context)
    final = await counters(session, sold.shop.ticket_type.id)
    assert (final.offered, final.pool, final.available) == (0, 0, 1)


async def _settle_periodic(context: AppContext) -> None:
    """The periodic expiry job's work, once, as a worker runs it."""
    await tasks.settle_due(context.database, timedelta(minutes=context.settings.waitlist_offer_minutes))


async def test_several_workers_offer_each_ticket_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1,) * 6)
    buyers = [await make_buyer(session, context) for _ in range(10)]
    for buyer in buyers:
        await join_ok(client, buyer, sold.shop, 1)
    # Six releases at once (six offer jobs), then three workers at once.
    await asyncio.gather(*(cancel_order(client, sold.holder, order) for order in sold.orders))
    await asyncio.gather(*(run_jobs(context) for _ in range(3)))
    got = await statuses(session, sold.shop.event.id)
    assert got == [(1, "OFFERED")] * 6 + [(1, "WAITING")] * 4
    assert await _offer_notifications(session) == 6
    state = await counters(session, sold.shop.ticket_type.id)
    assert (state.offered, state.pool, state.available) == (6, 0, 0)
    state.assert_consistent()


async def test_an_offer_job_left_by_a_killed_worker_is_run_again_and_offers_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, database_url: str, tmp_path: Path
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1, 1))
    buyers = [await make_buyer(session, context) for _ in range(2)]
    for buyer in buyers:
        await join_ok(client, buyer, sold.shop, 1)
    await cancel_order(client, sold.holder, sold.orders[0])

    async def job_status() -> str:
        status = await session.scalar(
            text("SELECT status::text FROM procrastinate_jobs WHERE task_name = :t"), {"t": OFFER_TASK}
        )
        await session.commit()
        return str(status)

    async def blocked() -> bool:
        waiting = await session.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE NOT granted "
                "AND relation = 'waitlist_entries'::regclass "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )
        await session.commit()
        return bool(waiting) and await job_status() == "doing"

    lock = await psycopg.AsyncConnection.connect(libpq_conninfo(database_url))
    first = second = None
    try:
        await lock.execute("LOCK TABLE waitlist_entries IN ACCESS EXCLUSIVE MODE")
        first = _worker(database_url, tmp_path / "first.log")
        await _until("the first worker to be stuck in the offer job", blocked)
        first.send_signal(signal.SIGKILL)
        first.wait()
        await lock.rollback()
        assert await statuses(session, sold.shop.event.id) == [(1, "WAITING"), (1, "WAITING")]

        second = _worker(database_url, tmp_path / "second.log")

        async def done() -> bool:
            if second.poll() is not None:
                raise AssertionError((tmp_path / "second.log").read_text())
            return await job_status() in ("succeeded", "failed")

        await _until("the second worker to run the offer job", done)
        assert await job_status() == "succeeded", (tmp_path / "second.log").read_text()
        assert await statuses(session, sold.shop.event.id) == [(1, "OFFERED"), (1, "WAITING")]
        assert await _offer_notifications(session) == 1
        (await counters(session, sold.shop.ticket_type.id)).assert_consistent()
    finally:
        await lock.close()
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

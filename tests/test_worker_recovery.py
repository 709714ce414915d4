"""A worker killed in the middle of a job: another worker runs the job to completion.

Real ``tixmo worker`` processes on the test database. The first one takes the order-expiry job, which
blocks on a table lock this test holds; it is killed (SIGKILL: no clean-up of any kind runs), and a
second worker must find the job its dead owner left ``doing`` and run it again.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import make_buyer, make_due, make_shop, order_body, place_ok
from tixmo import jobs
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.orders.models import Order
from tixmo.orders.tasks import EXPIRE_ORDERS

# Heartbeats every 0.2 s; a worker silent for 2 s is dead. The defaults are 10 s and 60 s.
FAST_RECOVERY = {"TIXMO_WORKER_HEARTBEAT_SECONDS": "0.2", "TIXMO_WORKER_STALLED_AFTER_SECONDS": "2"}
DEADLINE_SECONDS = 60


async def _until(what: str, condition: Callable[[], Awaitable[bool]]) -> None:
    """Poll ``condition`` until it holds; fail when the deadline has passed."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


def _worker(database_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TIXMO_DATABASE_URL": database_url, **FAST_RECOVERY}
    command = [sys.executable, "-m", "tixmo.cli", "worker", "--concurrency", "1"]
    with log.open("w") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


async def test_a_job_left_doing_by_a_killed_worker_is_run_by_another_worker(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, database_url: str, tmp_path: Path
) -> None:
    shop = await make_shop(session, context, quantity=5)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=2))
    await make_due(session, order["id"])
    await jobs.enqueue(session, EXPIRE_ORDERS, timestamp=0)
    await session.commit()
    job_id = await session.scalar(
        text("SELECT id FROM procrastinate_jobs WHERE task_name = :t"), {"t": EXPIRE_ORDERS}
    )
    await session.commit()

    async def job() -> tuple[str, int | None, int]:
        row = (
            await session.execute(
                text("SELECT status::text, worker_id, attempts FROM procrastinate_jobs WHERE id = :id"),
                {"id": job_id},
            )
        ).one()
        await session.commit()
        return row[0], row[1], row[2]

    async def blocked_on_the_lock() -> bool:
        """The first worker's job waits for the orders table: it is in the middle of the expiry."""
        waiting = await session.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'orders'::regclass "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )
        await session.commit()
        return bool(waiting) and (await job())[0] == "doing"

    lock = await psycopg.AsyncConnection.connect(libpq_conninfo(database_url))
    first = second = None
    try:
        await lock.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE")
        first = _worker(database_url, tmp_path / "first.log")
        await _until("the first worker to be stuck in the expiry job", blocked_on_the_lock)

        first.send_signal(signal.SIGKILL)
        first.wait()
        status, owner, attempts = await job()
        assert (status, attempts) == ("doing", 0) and owner is not None  # left behind by the dead worker
        await lock.rollback()  # the lock goes; the dead worker's transaction never commits

        second = _worker(database_url, tmp_path / "second.log")

        async def done() -> bool:
            if second.poll() is not None:
                raise AssertionError((tmp_path / "second.log").read_text())
            return (await job())[0] in ("succeeded", "failed")

        await _until("the second worker to run the job", done)
        # Two runs: the one that died with its worker, and the one that finished it.
        assert (await job())[0::2] == ("succeeded", 2), (tmp_path / "second.log").read_text()
        expired = await session.scalar(
            select(Order.status).where(Order.id == order["id"]).execution_options(populate_existing=True)
        )
        assert expired == "EXPIRED"
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

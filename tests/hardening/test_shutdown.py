"""SIGTERM on ``tixmo serve`` (issue #23): the listening socket closes at once, so new connections are
refused; a request in flight gets ``TIXMO_SHUTDOWN_GRACE_SECONDS`` to finish and does; the process then
exits 0. A request still running when the grace period ends is cut, and its transaction leaves nothing.

The slow request is a real one: an order stuck behind a row lock the test holds on its ticket type, until
the test lets it go. Deadlines are watchdogs against a hang, not timing assertions.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import TEST_SECRET
from tests.orders.helpers import make_buyer, make_shop, order_body
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext

WATCHDOG = 90.0  # seconds: a server or request still going after this is hung


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def refuses_connections(self) -> bool:
        with socket.socket() as sock:
            try:
                sock.connect(("127.0.0.1", self.port))
            except ConnectionRefusedError:
                return True
            return False


@asynccontextmanager
async def serve(database_url: str, tmp_path: Path, grace_seconds: int) -> AsyncIterator[Server]:
    port = _free_port()
    env = {
        **os.environ,
        "TIXMO_DATABASE_URL": database_url,
        "TIXMO_DATA_DIR": str(tmp_path),
        "TIXMO_SECRET_KEY": TEST_SECRET,  # the fixtures' tokens are good on the server
        "TIXMO_SEED_DEMO": "false",
        "TIXMO_RUN_WORKER": "false",
        "TIXMO_SHUTDOWN_GRACE_SECONDS": str(grace_seconds),
    }
    command = [sys.executable, "-m", "tixmo.cli", "serve", "--port", str(port)]
    # Popen returns at once; its output is read by a thread, its exit awaited with asyncio.to_thread.
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603, ASYNC220
    server = Server(process, port)

    def drain() -> None:  # keeps the pipe from filling; the lines are read by the test
        assert process.stderr is not None
        for line in process.stderr:
            server.lines.append(line)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    watchdog = threading.Timer(WATCHDOG * 2, process.kill)  # a hung server is killed and the test fails
    watchdog.start()
    try:
        await poll(lambda: _true("Application startup complete" in server.output), "the server to start")
        yield server
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
        process.wait()
        reader.join(timeout=10)


async def _true(value: bool) -> bool:
    return value


async def poll(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    loop = asyncio.get_running_loop()
    give_up = loop.time() + WATCHDOG
    while not await condition():
        if loop.time() > give_up:
            pytest.fail(f"gave up waiting for: {what}")
        await asyncio.sleep(0.05)


async def order_waiting_on_a_lock(conn: psycopg.AsyncConnection[Any]) -> bool:
    await conn.execute("SELECT pg_stat_clear_snapshot()")
    cursor = await conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tixmo' "
        "AND datname = current_database() AND wait_event_type = 'Lock'"
    )
    row = await cursor.fetchone()
    return bool(row and row[0])


async def count_orders(database_url: str) -> int:
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as conn:
        cursor = await conn.execute("SELECT count(*) FROM orders")
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


async def test_sigterm_finishes_the_request_in_flight_refuses_new_ones_and_exits_0(
    database_url: str, tmp_path: Path, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    await session.close()
    async with (
        serve(database_url, tmp_path, grace_seconds=60) as server,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}/api/v1", timeout=WATCHDOG) as client,
        await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as locker,
    ):
        ready = await client.get("/health")
        assert ready.status_code == 200

        async with locker.transaction():
            await locker.execute(
                "SELECT 1 FROM ticket_types WHERE id = %s FOR UPDATE", (shop.ticket_type.id,)
            )
            in_flight = asyncio.create_task(
                client.post("/orders", json=order_body(shop), headers=buyer.headers)
            )
            await poll(lambda: order_waiting_on_a_lock(locker), "the order to wait on the row lock")

            server.process.send_signal(signal.SIGTERM)
            await poll(lambda: _true(server.refuses_connections()), "new connections to be refused")
            async with httpx.AsyncClient(timeout=WATCHDOG) as newcomer:
                with pytest.raises(httpx.ConnectError):  # a new client is refused, not left hanging
                    await newcomer.get(f"http://127.0.0.1:{server.port}/health")
            assert server.process.poll() is None  # still running: the order is in flight
            assert not in_flight.done()
        # The lock is released: the order completes inside the grace period.
        placed = await asyncio.wait_for(in_flight, timeout=WATCHDOG)
        assert placed.status_code == 201, placed.text
        assert placed.headers["connection"] == "close"  # the server is going: no keep-alive
        code = await asyncio.to_thread(server.process.wait, WATCHDOG)
    assert code == 0, server.output
    assert "app.stopped" in server.output
    assert "timeout graceful shutdown exceeded" not in server.output
    assert await count_orders(database_url) == 1


async def test_a_request_past_the_grace_period_is_cut_and_leaves_nothing(
    database_url: str, tmp_path: Path, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    await session.close()
    async with (
        serve(database_url, tmp_path, grace_seconds=1) as server,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}/api/v1", timeout=WATCHDOG) as client,
        await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as locker,
    ):
        async with locker.transaction():
            await locker.execute(
                "SELECT 1 FROM ticket_types WHERE id = %s FOR UPDATE", (shop.ticket_type.id,)
            )
            in_flight = asyncio.create_task(
                client.post("/orders", json=order_body(shop), headers=buyer.headers)
            )
            await poll(lambda: order_waiting_on_a_lock(locker), "the order to wait on the row lock")
            server.process.send_signal(signal.SIGTERM)
            # The lock is never released while the server runs: the grace period runs out.
            code = await asyncio.to_thread(server.process.wait, WATCHDOG)
            outcome = await asyncio.gather(in_flight, return_exceptions=True)
        assert code == 0, server.output
        assert "timeout graceful shutdown exceeded" in server.output
        cut = outcome[0]
        # The client is told the request did not complete: the connection dropped, or a 5xx.
        assert isinstance(cut, httpx.HTTPError) or (
            isinstance(cut, httpx.Response) and cut.status_code >= 500
        )
    assert await count_orders(database_url) == 0  # the cut request's transaction was rolled back

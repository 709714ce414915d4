"""Overload and database outages (issue #23): the pool exhausted, every connection cut mid-load,
PostgreSQL unreachable or silent. Each time requests fail fast with ``503 SERVICE_UNAVAILABLE`` and
``Retry-After`` — never a 500, never a hang — and the same app serves normally again by itself once the
database is back, with no restart.

Real parts only: the outage is made at the network (a TCP relay started here and stopped, a relay that
accepts connections and never answers) or in PostgreSQL itself (``pg_terminate_backend``, a row lock held
by the test); nothing of the database is mocked. ``asyncio.wait_for`` deadlines are watchdogs against a
hang (far above what the answer needs), not timing assertions.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.util import await_only

from tests.conftest import make_settings
from tests.orders.helpers import Buyer, Shop, make_buyer, make_shop, order_body
from tixmo import db
from tixmo.app import create_app
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext

WATCHDOG = 60.0  # seconds: a request still unanswered after this is a hang


@asynccontextmanager
async def running_app(tmp_path: Path, database_url: str, **overrides: Any) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(tmp_path, **overrides), database_url=database_url)
    async with application.router.lifespan_context(application):
        yield application


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver/api/v1")


async def answer(request: Awaitable[httpx.Response]) -> httpx.Response:
    return await asyncio.wait_for(request, timeout=WATCHDOG)


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "1"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"


async def poll(condition: Callable[[], Awaitable[bool]], what: str, deadline: float = WATCHDOG) -> None:
    """Wait until ``condition()`` holds, checking again and again up to ``deadline`` seconds."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline
    while not await condition():
        if loop.time() > give_up:
            pytest.fail(f"gave up waiting for: {what}")
        await asyncio.sleep(0.05)


async def admin_connection(database_url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True)


async def held_count(database_url: str, shop: Shop) -> int:
    async with await admin_connection(database_url) as conn:
        cursor = await conn.execute(
            "SELECT quantity_held FROM ticket_types WHERE id = %s", (shop.ticket_type.id,)
        )
        row = await cursor.fetchone()
        assert row is not None
        return int(row[0])


async def order_count(database_url: str) -> int:
    async with await admin_connection(database_url) as conn:
        cursor = await conn.execute("SELECT count(*) FROM orders")
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


# ------------------------------------------------------------------------------------ pool exhausted


async def test_an_exhausted_pool_answers_503_with_retry_after_at_once_and_recovers(
    tmp_path: Path, database_url: str, session: AsyncSession, context: AppContext
) -> None:
    """A pool of one connection, held by a request stuck behind a row lock the test holds: the next
    request waits ``TIXMO_DB_POOL_TIMEOUT`` for it, then is answered 503 — it changes nothing, and the
    stuck request finishes normally once the lock goes."""
    shop = await make_shop(session, context)
    first, second = await make_buyer(session, context), await make_buyer(session, context)
    await session.close()
    async with (
        running_app(tmp_path, database_url, db_pool_size=1, db_max_overflow=0, db_pool_timeout=0.3) as app,
        client_for(app) as client,
        await admin_connection(database_url) as locker,
    ):
        pool = app.state.context.database.engine.sync_engine.pool
        async with locker.transaction():
            await locker.execute(
                "SELECT 1 FROM ticket_types WHERE id = %s FOR UPDATE", (shop.ticket_type.id,)
            )
            stuck = asyncio.create_task(client.post("/orders", json=order_body(shop), headers=first.headers))

            async def stuck_on_the_lock() -> bool:
                await locker.execute(
                    "SELECT pg_stat_clear_snapshot()"
                )  # a fresh look, inside the transaction
                cursor = await locker.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tixmo' "
                    "AND datname = current_database() AND wait_event_type = 'Lock'"
                )
                row = await cursor.fetchone()
                return bool(row and row[0])

            await poll(stuck_on_the_lock, "the first order to wait on the row lock")
            assert pool.checkedout() == 1  # the pool's only connection is busy

            refused = await answer(client.post("/orders", json=order_body(shop), headers=second.headers))
            assert_unavailable(refused)
            assert "busy" in refused.json()["detail"]
            assert not stuck.done()  # the first request is still in flight, not failed
        # The lock is gone: the stuck request completes, and the pool serves the next one.
        placed = await answer(stuck)
        assert placed.status_code == 201, placed.text
        again = await answer(client.post("/orders", json=order_body(shop), headers=second.headers))
        assert again.status_code == 201, again.text
    assert await held_count(database_url, shop) == 2  # the 503 held nothing
    assert await order_count(database_url) == 2


async def test_every_connection_checked_out_by_others_answers_503_then_recovers(
    tmp_path: Path, database_url: str, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    await session.close()
    async with (
        running_app(tmp_path, database_url, db_pool_size=2, db_max_overflow=1, db_pool_timeout=0.3) as app,
        client_for(app) as client,
    ):
        engine = app.state.context.database.engine
        held = [await engine.connect() for _ in range(3)]  # the pool and its overflow, all busy
        try:
            for _ in range(3):
                assert_unavailable(
                    await answer(client.post("/orders", json=order_body(shop), headers=buyer.headers))
                )
        finally:
            for connection in held:
                await connection.close()
        response = await answer(client.post("/orders", json=order_body(shop), headers=buyer.headers))
        assert response.status_code == 201, response.text
    assert await order_count(database_url) == 1


# -------------------------------------------------------------------- connections cut mid-load

NO_IDLE_PING = {"db_ping_skip_ms": 60_000}


async def _kill_all(database_url: str) -> int:
    async with await admin_connection(database_url) as conn:
        cursor = await conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = 'tixmo' AND pid <> pg_backend_pid()"
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


async def test_connections_cut_mid_load_answer_201_or_503_and_the_app_recovers_without_a_restart(
    tmp_path: Path, database_url: str, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10_000)
    buyers = [await make_buyer(session, context) for _ in range(16)]
    await session.close()
    answers: list[httpx.Response] = []
    crashes: list[BaseException] = []
    answered = asyncio.Event()
    async with (
        # No idle ping for a minute: recovery must come from the closed check and the loss hook.
        running_app(tmp_path, database_url, db_pool_size=4, db_max_overflow=4, **NO_IDLE_PING) as app,
        client_for(app) as client,
    ):

        async def buyer_loop(buyer: Buyer) -> None:
            for _ in range(6):
                try:
                    answers.append(
                        await answer(client.post("/orders", json=order_body(shop), headers=buyer.headers))
                    )
                except Exception as exc:  # the test transport re-raises what the app would answer 500
                    crashes.append(exc)
                answered.set()

        cuts: list[int] = []

        async def killer() -> None:
            seen = 0
            while len(cuts) < 5:  # every API connection cut, each time a few more answers came
                await answered.wait()
                answered.clear()
                if len(answers) >= seen + 8:
                    seen = len(answers)
                    cuts.append(await _kill_all(database_url))

        killing = asyncio.create_task(killer())
        await asyncio.gather(*(buyer_loop(buyer) for buyer in buyers))
        killing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await killing

        assert sum(cuts) > 0  # connections were cut while requests were running
        assert crashes == []
        statuses = Counter(response.status_code for response in answers)
        assert set(statuses) <= {201, 503}, statuses
        for response in answers:
            if response.status_code == 503:
                assert_unavailable(response)

        # The same app, no restart: cut once more while idle, then every request succeeds.
        await _kill_all(database_url)
        for buyer in buyers[:8]:
            response = await answer(client.post("/orders", json=order_body(shop), headers=buyer.headers))
            assert response.status_code == 201, response.text
        listed = await answer(client.get("/orders", headers=buyers[0].headers))
        assert listed.status_code == 200 and listed.json()["meta"]["total"] >= 1
    placed = statuses[201] + 8
    assert await order_count(database_url) == placed  # every 201 kept, no 503 left an order behind
    assert await held_count(database_url, shop) == placed


def _skip_window_only(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
    """The checkout check as it was before #23: the skip window alone decides."""
    if connection_record.info.get(db.SKIP_PING_UNTIL, 0.0) > time.monotonic():
        return
    try:
        await_only(dbapi_connection.driver_connection.fetchrow(";"))
    except Exception as exc:
        raise DisconnectionError(str(exc)) from exc


@pytest.mark.parametrize("check", ["tixmo", "skip_window_only"])
async def test_after_an_idle_cut_every_request_succeeds_with_a_negative_control(
    check: str,
    tmp_path: Path,
    database_url: str,
    session: AsyncSession,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every pooled connection cut while idle, none pinged for a minute: with TixMo's checkout check each
    request after the cut is a 201. The negative control, the check as it was before (the skip window
    alone decides), answers some of them 503: they met dead pooled connections."""
    if check == "skip_window_only":
        monkeypatch.setattr(db, "ping_on_checkout", _skip_window_only)
    shop = await make_shop(session, context, quantity=1000)
    buyers = [await make_buyer(session, context) for _ in range(8)]
    await session.close()
    async with (
        running_app(tmp_path, database_url, db_pool_size=4, db_max_overflow=0, **NO_IDLE_PING) as app,
        client_for(app) as client,
    ):
        # Four pooled connections, all recently used.
        opened = await asyncio.gather(
            *(client.post("/orders", json=order_body(shop), headers=b.headers) for b in buyers[:4])
        )
        assert [r.status_code for r in opened] == [201] * 4
        assert await _kill_all(database_url) > 0
        after = [
            (await answer(client.post("/orders", json=order_body(shop), headers=b.headers))).status_code
            for b in buyers
        ]
    if check == "tixmo":
        assert after == [201] * len(buyers)
    else:
        assert 503 in after, after
        assert set(after) <= {201, 503}, after


# ------------------------------------------------------------------------ PostgreSQL unreachable


class Relay:
    """A TCP relay in front of PostgreSQL that the test can stop (connections refused, open ones reset)
    and start again on the same port, or switch to swallowing everything (a server that accepts and
    never answers, as behind a dead link)."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        socket_dir = url.query.get("host")
        if url.host is None and socket_dir:
            self.unix: str | None = f"{socket_dir}/.s.PGSQL.{url.port or 5432}"
            self.target: tuple[str, int] = ("", 0)
        else:
            self.unix = None
            self.target = (url.host or "127.0.0.1", url.port or 5432)
        self.url = url
        self.port = 0
        self.silent = False
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def database_url(self) -> str:
        query = {key: value for key, value in self.url.query.items() if key != "host"}
        relayed = self.url.set(host="127.0.0.1", port=self.port, query=query)
        return relayed.render_as_string(hide_password=False)

    async def start(self, *, silent: bool = False) -> None:
        self.silent = silent
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()  # a reset, as when the database host goes away
        await self._server.wait_closed()
        self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            if self.silent:
                while await reader.read(65536):
                    pass  # swallowed: the client waits for an answer that never comes
                return
            if self.unix is not None:
                up_reader, up_writer = await asyncio.open_unix_connection(self.unix)
            else:
                up_reader, up_writer = await asyncio.open_connection(*self.target)
            self._writers.add(up_writer)
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        except OSError:
            pass
        finally:
            self._writers.discard(writer)
            writer.transport.abort()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            self._writers.discard(writer)
            writer.transport.abort()


@pytest.fixture
async def relay(database_url: str) -> AsyncIterator[Relay]:
    proxy = Relay(database_url)
    await proxy.start()
    yield proxy
    if proxy._server is not None:
        await proxy.stop()


async def test_postgres_briefly_unreachable_answers_503_and_the_app_recovers_by_itself(
    tmp_path: Path, database_url: str, session: AsyncSession, context: AppContext, relay: Relay
) -> None:
    shop = await make_shop(session, context, quantity=1000)
    buyer = await make_buyer(session, context)
    await session.close()
    async with (
        running_app(tmp_path, relay.database_url(), db_pool_size=2, db_max_overflow=0) as app,
        client_for(app) as client,
    ):

        async def order() -> httpx.Response:
            return await answer(client.post("/orders", json=order_body(shop), headers=buyer.headers))

        assert (await order()).status_code == 201  # through the relay, pooled connections open

        await relay.stop()  # the database is gone: open connections reset, new ones refused
        down = await asyncio.gather(*(order() for _ in range(4)))
        for response in down:
            assert_unavailable(response)
        health = await answer(client.get("http://testserver/health"))
        assert health.status_code == 503 and health.json()["database"]["status"] == "down"

        await relay.start()  # back, on the same address; the app is not restarted
        await poll(lambda: _placed(order), "the app to place orders again")
        for _ in range(5):
            assert (await order()).status_code == 201
    # Only the 201s left orders: one before the outage, then the ones after it.
    assert await order_count(database_url) == await held_count(database_url, shop)


async def test_a_database_that_accepts_and_never_answers_is_a_503_after_the_connect_timeout(
    tmp_path: Path, database_url: str, session: AsyncSession, context: AppContext, relay: Relay
) -> None:
    """No reset, no refusal: the relay takes the connection and is silent. Without a connect timeout
    asyncpg would wait its default minute, twice (the request is run once more after a lost connection)."""
    shop = await make_shop(session, context, quantity=1000)
    buyer = await make_buyer(session, context)
    await session.close()
    async with (
        running_app(
            tmp_path, relay.database_url(), db_pool_size=2, db_max_overflow=0, db_connect_timeout=0.5
        ) as app,
        client_for(app) as client,
    ):

        async def order() -> httpx.Response:
            return await answer(client.post("/orders", json=order_body(shop), headers=buyer.headers))

        assert (await order()).status_code == 201
        await relay.stop()
        await relay.start(silent=True)
        assert_unavailable(await order())
        assert_unavailable(await order())

        await relay.stop()
        await relay.start()
        await poll(lambda: _placed(order), "the app to place orders again")
    assert await order_count(database_url) == await held_count(database_url, shop) >= 2


async def _placed(order: Callable[[], Awaitable[httpx.Response]]) -> bool:
    response = await order()
    assert response.status_code in (201, 503), response.text
    return response.status_code == 201

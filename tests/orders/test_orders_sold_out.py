"""The sold-out short-circuit (``orders/soldout.py``): losers answered without the database, exactly.

Two API processes (two apps, each its own pool, coalescer and LISTEN connection) on one database. The
flag is shown to keep the database out by locking ``ticket_types`` exclusively from another connection:
any request that read it would wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.batches import eventually
from tests.orders.helpers import Shop, assert_problem, make_buyer, make_shop, order_body, place, place_ok
from tixmo.app import create_app
from tixmo.config import Settings
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.orders.soldout import CHANNEL, SoldOutBoard


class Process:
    def __init__(self, client: httpx.AsyncClient, context: AppContext) -> None:
        self.client = client
        self.context = context

    @property
    def board(self) -> SoldOutBoard:
        assert self.context.sold_out is not None
        return self.context.sold_out


async def _process(settings: Settings, database_url: str) -> AsyncIterator[Process]:
    settings = settings.model_copy(update={"order_sold_out_flag": True})
    application: FastAPI = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as http:
            process = Process(http, application.state.context)
            await process.board.start()
            yield process


@pytest.fixture
async def one(settings: Settings, database_url: str) -> AsyncIterator[Process]:
    async for process in _process(settings, database_url):
        yield process


@pytest.fixture
async def two(settings: Settings, database_url: str) -> AsyncIterator[Process]:
    async for process in _process(settings, database_url):
        yield process


async def _sell_out(session: AsyncSession, context: AppContext, process: Process) -> tuple[Shop, Any]:
    """Two tickets, both bought through ``process``; a third buyer refused there (the flag is set)."""
    shop = await make_shop(session, context, quantity=2, max_per_order=4)
    buyer = await make_buyer(session, context)
    held = await place_ok(process.client, buyer, order_body(shop, quantity=2))
    loser = await make_buyer(session, context)
    refused = await place(process.client, loser, order_body(shop))  # by the full path
    assert_problem(refused, 409, "INSUFFICIENT_INVENTORY")
    assert process.board.flagged(shop.ticket_type.id)
    return shop, (buyer, held, refused)


async def test_losers_after_a_sell_out_get_the_exact_409_without_the_database(
    session: AsyncSession, context: AppContext, one: Process, database_url: str
) -> None:
    shop, (_, _, reference) = await _sell_out(session, context, one)
    losers = [await make_buyer(session, context) for _ in range(20)]
    before = one.board.short_circuited

    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url)) as blocker:
        await blocker.execute("LOCK TABLE ticket_types IN ACCESS EXCLUSIVE MODE")  # any read would wait
        # (wait_for only turns a regression into a failure instead of a hang)
        answers = await asyncio.wait_for(
            asyncio.gather(*(place(one.client, buyer, order_body(shop)) for buyer in losers)), 120
        )
        await blocker.rollback()

    assert one.board.short_circuited - before == len(losers)
    for answer in answers:
        assert answer.status_code == 409
        assert answer.json() == reference.json()
    assert reference.json()["available"] == 0
    assert reference.json()["detail"] == "'General admission' is sold out."
    # Not for a request the full path refuses for another reason first (maxPerOrder 4): its own answer.
    assert_problem(await place(one.client, losers[0], order_body(shop, quantity=5)), 422, "VALIDATION_ERROR")
    assert one.board.short_circuited - before == len(losers)


async def test_a_cancel_in_another_process_clears_the_flag(
    session: AsyncSession, context: AppContext, one: Process, two: Process
) -> None:
    shop, (buyer, held, _) = await _sell_out(session, context, two)

    cancelled = await one.client.post(f"/orders/{held['id']}/cancel", headers=buyer.headers)
    assert cancelled.status_code == 200, cancelled.text

    async def cleared() -> bool:
        return not two.board.flagged(shop.ticket_type.id)

    await eventually(cleared, "the NOTIFY to clear the other process's flag")
    late = await make_buyer(session, context)
    order = await place_ok(two.client, late, order_body(shop, quantity=2))
    assert order["ticketCount"] == 2


async def test_negative_control_a_process_deaf_to_the_notification_keeps_refusing(
    session: AsyncSession,
    context: AppContext,
    one: Process,
    two: Process,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(two.board, "_on_notify", lambda *args: None)
    await two.board.close()
    await two.board.start()  # listening again, with the deaf callback
    shop, (buyer, held, _) = await _sell_out(session, context, two)

    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as ear:
        await ear.execute(f"LISTEN {CHANNEL}")
        cancelled = await one.client.post(f"/orders/{held['id']}/cancel", headers=buyer.headers)
        assert cancelled.status_code == 200, cancelled.text
        heard = [n.payload async for n in ear.notifies(timeout=20, stop_after=1)]
    assert heard == [str(shop.ticket_type.id)]  # the notification was sent; this process ignored it

    # The tickets are back, but the deaf process still answers sold out: what the test above catches.
    assert two.board.flagged(shop.ticket_type.id)
    late = await make_buyer(session, context)
    assert_problem(await place(two.client, late, order_body(shop)), 409, "INSUFFICIENT_INVENTORY")
    assert (await place(one.client, late, order_body(shop))).status_code == 201


async def test_no_flag_for_a_request_with_an_idempotency_key(
    session: AsyncSession, context: AppContext, one: Process
) -> None:
    shop, _ = await _sell_out(session, context, one)
    before = one.board.short_circuited
    loser = await make_buyer(session, context)
    answer = await place(one.client, loser, order_body(shop), **{"Idempotency-Key": "k-1"})
    assert_problem(answer, 409, "INSUFFICIENT_INVENTORY")
    assert one.board.short_circuited == before  # answered by the full path (a key may have a replay)

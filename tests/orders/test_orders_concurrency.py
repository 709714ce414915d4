"""A flash sale through the HTTP API on real PostgreSQL: 200 buyers, 50 tickets, never one too many.

Every way an order is placed is raced: the express path batched by the coalescer (one statement
reserves for many orders, ``orders/coalescer.py``), the express path one order at a time (one statement
reserves and inserts, ``orders/express.py``), with and without an Idempotency-Key, and the full path
(``orders/placement.py``, the express path switched off).

The negative control swaps the guard (one conditional UPDATE) for the classic check-then-update and
removes the CHECK constraint behind it: the very same test then sees the oversell. So the test can fail,
and the guard is what makes it pass.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Buyer, Ledger, Shop, ledger, make_buyer, make_shop, order_body, place
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.orders import express, inventory
from tixmo.orders.coalescer import Coalescer
from tixmo.ticketing.models import TicketType

BUYERS = 200
TICKETS = 50


@pytest.fixture(autouse=True)
def _no_order_gate(context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """All 200 orders in flight at once: the guard must hold without the per-process order gate."""
    monkeypatch.setattr(context, "order_gate", asyncio.Semaphore(BUYERS))


PATHS = ["coalesced", "coalesced-keyed", "express", "express-keyed", "full"]


def _headers(path: str) -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex} if path not in ("express", "coalesced") else {}


def _use(path: str, monkeypatch: pytest.MonkeyPatch, context: AppContext) -> None:
    assert context.coalescer is not None  # on by default
    if not path.startswith("coalesced"):
        monkeypatch.setattr(context, "coalescer", None)
    if path == "full":
        monkeypatch.setattr(express, "applies", lambda data: False)


@pytest.fixture
def express_placed(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The orders the express path placed (to show which path the race went through)."""
    placed: list[object] = []
    original = express.place

    async def counting(*args: Any, **kwargs: Any) -> Any:
        result = await original(*args, **kwargs)
        if result is not None:
            placed.append(result)
        return result

    monkeypatch.setattr(express, "place", counting)
    return placed


async def _flash_sale(
    client: httpx.AsyncClient, shop: Shop, buyers: list[Buyer], path: str
) -> list[httpx.Response]:
    return list(
        await asyncio.gather(*(place(client, buyer, order_body(shop), **_headers(path)) for buyer in buyers))
    )


def _outcomes(responses: list[httpx.Response]) -> Counter[str]:
    return Counter(
        "created" if r.status_code == 201 else r.json().get("code", str(r.status_code)) for r in responses
    )


async def _sale(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, path: str
) -> tuple[Counter[str], Ledger, list[httpx.Response]]:
    shop = await make_shop(session, context, quantity=TICKETS)
    buyers = [await make_buyer(session, context) for _ in range(BUYERS)]
    responses = await _flash_sale(client, shop, buyers, path)
    return _outcomes(responses), await ledger(session, shop.ticket_type.id), responses


@pytest.mark.parametrize("path", PATHS)
async def test_two_hundred_buyers_for_fifty_tickets(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    path: str,
    express_placed: list[object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _use(path, monkeypatch, context)
    outcomes, state, responses = await _sale(client, session, context, path)

    assert len(express_placed) == (0 if path == "full" else TICKETS)
    assert outcomes == {"created": TICKETS, "INSUFFICIENT_INVENTORY": BUYERS - TICKETS}, outcomes
    assert state.held + state.sold == TICKETS
    assert state.orders == TICKETS  # no order lost, none extra
    state.assert_consistent()
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == TICKETS


async def _naive_reserve(session: AsyncSession, ticket_type_id: uuid.UUID, quantity: int) -> int | None:
    """Check, then update: the race the guard exists to prevent."""
    row = await session.get(TicketType, ticket_type_id, populate_existing=True)
    assert row is not None
    left = row.quantity_total - row.quantity_sold - row.quantity_held
    if left < quantity:
        return None
    await session.execute(
        update(TicketType)
        .where(TicketType.id == ticket_type_id)
        .values(quantity_held=TicketType.quantity_held + quantity)
        .execution_options(synchronize_session=False)
    )
    return left - quantity


@asynccontextmanager
async def _without_check_constraint(database_url: str) -> AsyncIterator[None]:
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as conn:
        await conn.execute("SET lock_timeout = '30s'")  # fail loudly rather than hang on a stray lock
        await conn.execute("ALTER TABLE ticket_types DROP CONSTRAINT ck_ticket_types_no_oversell")
        try:
            yield
        finally:
            await conn.execute("UPDATE ticket_types SET quantity_held = 0, quantity_sold = 0")
            await conn.execute(
                "ALTER TABLE ticket_types ADD CONSTRAINT ck_ticket_types_no_oversell "
                "CHECK (quantity_sold + quantity_held <= quantity_total)"
            )


@pytest.mark.parametrize("path", PATHS)
async def test_negative_control_check_then_update_oversells(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    express_placed: list[object],
) -> None:
    _use(path, monkeypatch, context)
    monkeypatch.setattr(inventory, "reserve", _naive_reserve)
    # The express path's check is its read; without the guard its UPDATE is unconditional.
    monkeypatch.setattr(express, "_WRITE", express._write_statement(guarded=False))
    monkeypatch.setattr(express, "_WRITE_KEYED", express._write_statement(guarded=False, keyed=True))
    # The coalescer's batch grants every request in it, whatever is left.
    if path.startswith("coalesced"):
        monkeypatch.setattr(context, "coalescer", Coalescer(context.database, max_wait=0.001, guarded=False))
    async with _without_check_constraint(database_url):
        outcomes, state, _ = await _sale(client, session, context, path)

    assert (len(express_placed) > TICKETS) if path != "full" else not express_placed
    # The same assertions as the real test, inverted: the race happened and the ledger shows it.
    assert outcomes["created"] > TICKETS, outcomes
    assert state.held > state.total, state

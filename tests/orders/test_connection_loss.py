"""Connections cut under load: ``pg_terminate_backend`` on every API connection, again and again, in the
middle of a sale. Each request then either succeeds (it ran again on a fresh connection), is refused as
usual, or answers ``503 SERVICE_UNAVAILABLE`` with ``Retry-After`` — never a 500 — and the data stays
right: every order answered 201 exists, the counters equal the recount from the orders."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Buyer, Shop, make_buyer, make_shop
from tests.promos.helpers import create_promo
from tixmo import transient
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext

BUYERS = 24
ROUNDS = 5
CUTS = 6


async def _kill_all(database_url: str) -> int:
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as conn:
        cursor = await conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = 'tixmo' AND pid <> pg_backend_pid()"
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


async def _sale(
    client: httpx.AsyncClient, shop: Shop, buyers: list[Buyer], database_url: str
) -> tuple[list[httpx.Response | BaseException], list[str], int]:
    answers: list[httpx.Response | BaseException] = []
    placed: list[str] = []
    more = asyncio.Event()

    async def buyer_loop(index: int, buyer: Buyer) -> None:
        for round_ in range(ROUNDS):
            body: dict[str, Any] = {
                "eventId": str(shop.event.id),
                "items": [{"ticketTypeId": str(shop.ticket_type.id), "quantity": 1}],
            }
            if (index + round_) % 2:
                body["promoCode"] = "CUT5"  # the full path
            headers = (
                {**buyer.headers, "Idempotency-Key": uuid.uuid4().hex} if index % 3 == 0 else buyer.headers
            )
            try:
                response = await client.post("/orders", json=body, headers=headers)
            except Exception as exc:  # the test client re-raises what the app answered as a 500
                answers.append(exc)
                continue
            answers.append(response)
            if len(answers) % 10 == 0:
                more.set()
            if response.status_code == 201:
                placed.append(response.json()["id"])

    cuts: list[int] = []

    async def killer() -> None:
        for _ in range(CUTS):  # every connection of the API cut, each time ten more answers came
            await more.wait()
            more.clear()
            cuts.append(await _kill_all(database_url))

    killing = asyncio.create_task(killer())
    await asyncio.gather(*(buyer_loop(i, b) for i, b in enumerate(buyers)))
    killing.cancel()
    return answers, placed, sum(cuts)


async def _check_data(database_url: str, shop: Shop, placed: list[str]) -> None:
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as conn:
        cursor = await conn.execute("SELECT id::text FROM orders WHERE id = ANY(%s::uuid[])", (placed,))
        assert {row[0] for row in await cursor.fetchall()} == set(placed)
        cursor = await conn.execute(
            "SELECT quantity_held, (SELECT coalesce(sum(i.quantity), 0) FROM order_items i "
            "JOIN orders o ON o.id = i.order_id WHERE i.ticket_type_id = t.id AND o.status = 'PENDING') "
            "FROM ticket_types t WHERE t.id = %s",
            (shop.ticket_type.id,),
        )
        held, recount = await cursor.fetchone() or (None, None)
        assert held == recount
        cursor = await conn.execute(
            "SELECT used_count, (SELECT count(*) FROM orders o WHERE o.promo_code_id = p.id "
            "AND o.status = 'PENDING') FROM promo_codes p WHERE p.code = 'CUT5'"
        )
        used, claimed = await cursor.fetchone() or (None, None)
        assert used == claimed


async def test_connections_cut_during_a_sale_never_answer_500(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, database_url: str
) -> None:
    shop = await make_shop(session, context, quantity=10_000)
    await create_promo(session, event=shop.event, code="CUT5", discount_value=500)
    buyers = [await make_buyer(session, context) for _ in range(BUYERS)]
    await session.close()

    answers, placed, killed = await _sale(client, shop, buyers, database_url)

    assert killed > 0
    errors = [a for a in answers if isinstance(a, BaseException)]
    assert errors == []
    statuses = Counter(a.status_code for a in answers if isinstance(a, httpx.Response))
    assert set(statuses) <= {201, 503}, statuses
    assert statuses[201] > statuses[503]  # most requests that met a cut ran again and succeeded
    for answer in answers:
        if isinstance(answer, httpx.Response) and answer.status_code == 503:
            assert answer.headers["Retry-After"] == "1"
            assert answer.json()["code"] == "SERVICE_UNAVAILABLE"
    await _check_data(database_url, shop, placed)


async def test_negative_control_without_the_retry_connection_cuts_answer_500(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = await make_shop(session, context, quantity=10_000)
    await create_promo(session, event=shop.event, code="CUT5", discount_value=500)
    buyers = [await make_buyer(session, context) for _ in range(BUYERS)]
    await session.close()
    monkeypatch.setattr(transient, "classify", lambda error: None)

    answers, placed, _ = await _sale(client, shop, buyers, database_url)

    assert any(isinstance(a, BaseException) for a in answers)  # 500s: the lost connections
    await _check_data(database_url, shop, placed)  # the data stayed right even then

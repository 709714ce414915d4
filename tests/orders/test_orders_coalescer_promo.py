"""Promo-code orders in the coalescer (``orders/coalescer.py``): the batch claims the codes' uses.

An express-shaped order with a ``promoCode`` joins the batch with its evaluated discount; the batch grants
it only if its tickets fit in what is left AND its code still has a use left (``maxUses`` never exceeded,
as ``promos.claim_use``), in arrival order; one not granted takes the full path, which answers it as
without the coalescer. Batches are made deterministic as in ``test_orders_coalescer.py``: requests queued
in one step of the event loop form one batch, and a batch is held in flight by a row lock taken from
another connection (polled in ``pg_stat_activity``, no sleeping).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.batches import (
    batch_waits_on_a_lock,
    eventually,
    granted_requests,
    lockable,
    one_batch,
    order_id,
    order_ids,
)
from tests.orders.helpers import Shop, assert_problem, ledger, make_buyer, make_shop, order_body, place
from tests.orders.test_orders_express import _comparable
from tests.promos.helpers import create_promo
from tixmo.audit import service as audit
from tixmo.audit.models import AuditEntry
from tixmo.db import libpq_conninfo, utcnow
from tixmo.deps import AppContext
from tixmo.idempotency.service import Idempotency, json_response
from tixmo.orders import coalescer as coalescer_module
from tixmo.orders import express
from tixmo.orders.coalescer import Coalescer, Pending
from tixmo.orders.models import Order, OrderItem, OrderStatus
from tixmo.orders.router import order_read
from tixmo.orders.schemas import OrderCreate
from tixmo.promos import service as promos
from tixmo.promos.models import PromoCode
from tixmo.ticketing.lines import Line

HOLD = timedelta(minutes=15)
USED_UP = "This promo code has been used up."


async def _pending(
    session: AsyncSession, context: AppContext, shop: Shop, quantity: int, promo: PromoCode | None
) -> Pending:
    """An express order that passed its checks, as ``express.place`` hands it to the coalescer."""
    buyer = await make_buyer(session, context)
    now = utcnow()
    price = shop.ticket_type.price_minor
    discount = None
    if promo is not None:
        discount = promos.evaluate(promo, [Line(shop.ticket_type.id, quantity, price)], now)
    details = express._order(
        buyer.user.id, shop.event, shop.ticket_type, quantity, price, now, HOLD, discount
    )
    entry = audit.entry_values(
        action="order.created",
        entity_type="order",
        entity_id=details.order.id,
        actor_id=buyer.user.id,
        organization_id=shop.event.organization_id,
        after={"status": details.order.status, "total": details.order.total_minor},
    )
    lines = ((shop.ticket_type.id, quantity),)
    return Pending(lines, express._rows(details, entry), promo_id=promo.id if promo is not None else None)


@dataclass(frozen=True)
class Uses:
    """A promo code's counter next to the live orders that carry it."""

    max_uses: int | None
    used: int
    live_orders: int

    def problems(self) -> list[str]:
        found = []
        if self.max_uses is not None and self.used > self.max_uses:
            found.append(f"used {self.used} > maxUses {self.max_uses}")
        if self.used != self.live_orders:
            found.append(f"used {self.used} != {self.live_orders} live orders with the code")
        return found


async def uses(session: AsyncSession, promo: PromoCode) -> Uses:
    row = (
        await session.execute(
            select(PromoCode.max_uses, PromoCode.used_count).where(PromoCode.id == promo.id)
        )
    ).one()
    live = await session.scalar(
        select(func.count())
        .select_from(Order)
        .where(
            Order.promo_code_id == promo.id,
            Order.status.in_([OrderStatus.PENDING.value, OrderStatus.CONFIRMED.value]),
        )
    )
    await session.commit()
    return Uses(row[0], row[1], int(live or 0))


@asynccontextmanager
async def _without_promo_check_constraint(database_url: str) -> AsyncIterator[None]:
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as conn:
        await conn.execute("SET lock_timeout = '30s'")  # fail loudly rather than hang on a stray lock
        await conn.execute("ALTER TABLE promo_codes DROP CONSTRAINT ck_promo_codes_max_uses_not_exceeded")
        try:
            yield
        finally:
            await conn.execute("UPDATE promo_codes SET used_count = max_uses WHERE used_count > max_uses")
            await conn.execute(
                "ALTER TABLE promo_codes ADD CONSTRAINT ck_promo_codes_max_uses_not_exceeded "
                "CHECK (max_uses IS NULL OR used_count <= max_uses)"
            )


# 7 tickets; code A has 2 uses, code B 1. In arrival order:
#   3 with A: fits (4 left, A 1)       5 with A: too many tickets (A keeps its use)
#   1 with B: fits (3 left, B 0)       1 plain: fits (2 left)
#   1 with B: B used up (a ticket would have been left)
#   1 with A: fits (1 left, A 0)       1 with A: A used up          1 plain: fits (0 left)
MIXED = [(3, "A"), (5, "A"), (1, "B"), (1, None), (1, "B"), (1, "A"), (1, "A"), (1, None)]
FAIR = [True, False, True, True, False, True, False, True]


@pytest.mark.parametrize("promo_guarded", [True, False], ids=["coalescer", "negative-control"])
async def test_a_mixed_batch_claims_uses_in_arrival_order_never_beyond_max_uses(
    session: AsyncSession, context: AppContext, database_url: str, promo_guarded: bool
) -> None:
    shop = await make_shop(session, context, quantity=7)
    codes = {
        "A": await create_promo(session, event=shop.event, code="AAA", max_uses=2),
        "B": await create_promo(
            session, event=shop.event, code="BBB", max_uses=1, discount_type="FIXED", discount_value=300
        ),
    }
    coalescer = Coalescer(context.database, max_wait=0, promo_guarded=promo_guarded)
    batch = [
        await _pending(session, context, shop, quantity, codes[code] if code else None)
        for quantity, code in MIXED
    ]

    if not promo_guarded:  # the CHECK constraint would refuse it too: without it, only the test's checks
        async with _without_promo_check_constraint(database_url):
            granted = await one_batch(coalescer, shop, batch)
            counted = {name: await uses(session, promo) for name, promo in codes.items()}
        # A batch that ignores the uses left: the same checks catch it.
        assert granted != FAIR
        assert counted["B"].problems() == ["used 2 > maxUses 1"], counted
        return
    granted = await one_batch(coalescer, shop, batch)

    assert coalescer.stats.sizes == {len(batch): 1}  # one statement for all eight
    assert granted == FAIR
    placed = await order_ids(session)
    assert placed == {order_id(p) for p, ok in zip(batch, FAIR, strict=True) if ok}
    for promo in codes.values():
        counted = await uses(session, promo)
        assert counted.used == counted.max_uses and counted.problems() == [], counted
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 7 and state.orders == 5
    state.assert_consistent()
    # The granted orders carry their code and its discount, as the full path writes them.
    orders = {o.id: o for o in (await session.scalars(select(Order))).all()}
    for pending, (quantity, code) in zip(batch, MIXED, strict=True):
        order = orders.get(order_id(pending))
        if order is None:
            continue
        expected = codes[code] if code else None
        assert order.promo_code_id == (expected.id if expected else None)
        assert order.promo_code == (expected.code if expected else None)
        assert order.discount_minor == pending.rows["order"]["discount_minor"]
        assert order.total_minor == quantity * shop.ticket_type.price_minor - order.discount_minor
    assert orders[order_id(batch[2])].discount_minor == 300  # B: 3.00 off
    assert orders[order_id(batch[0])].discount_minor == 750  # A: 10 % of 75.00
    await session.commit()


async def test_a_code_disabled_or_deleted_before_the_batch_grants_no_order_with_it(
    session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    disabled = await create_promo(session, event=shop.event, code="OFF", max_uses=5)
    gone = await create_promo(session, event=shop.event, code="GONE")
    batch = [
        await _pending(session, context, shop, 1, disabled),
        await _pending(session, context, shop, 1, gone),
        await _pending(session, context, shop, 1, None),
    ]
    disabled.status = "DISABLED"  # after the read (as staff would, meanwhile)
    await session.delete(gone)
    await session.commit()

    granted = await one_batch(Coalescer(context.database, max_wait=0), shop, batch)

    assert granted == [False, False, True]
    assert await order_ids(session) == {order_id(batch[2])}
    assert (await uses(session, disabled)).used == 0
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 1
    state.assert_consistent()


async def _lock_promo(database_url: str, promo: PromoCode) -> psycopg.AsyncConnection[object]:
    conn = await psycopg.AsyncConnection.connect(libpq_conninfo(database_url))
    await conn.execute("SELECT 1 FROM promo_codes WHERE id = %s FOR UPDATE", [promo.id])
    return conn


@pytest.mark.parametrize("promo_first", [True, False], ids=["coalescer", "negative-control"])
async def test_the_batch_locks_the_event_then_the_promo_code_then_the_ticket_type(
    session: AsyncSession,
    context: AppContext,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    promo_first: bool,
) -> None:
    """The promo code's row is held elsewhere (as a cancel or an expiry holds it before the ticket type):
    the batch waits for it holding the event's lock but NOT the ticket type's — the global lock order
    (tixmo/locks.py). The negative control builds the statement with the promo codes locked after the
    ticket type: the same probe finds the ticket type held while the batch waits for the code."""
    if not promo_first:
        monkeypatch.setitem(coalescer_module.STATEMENTS, True, coalescer_module._batch_sql(promo_first=False))
    shop = await make_shop(session, context, quantity=10)
    promo = await create_promo(session, event=shop.event, code="LOCKS", max_uses=5)
    coalescer = Coalescer(context.database, max_wait=0)
    pending = await _pending(session, context, shop, 1, promo)

    lock = await _lock_promo(database_url, promo)
    try:
        task = asyncio.create_task(coalescer.reserve(shop.event.id, pending))
        await eventually(lambda: batch_waits_on_a_lock(database_url), "the batch to wait on the promo code")
        event_free = await lockable(
            database_url, "SELECT 1 FROM events WHERE id = %s FOR UPDATE", shop.event.id
        )
        ticket_type_free = await lockable(
            database_url, "SELECT 1 FROM ticket_types WHERE id = %s FOR NO KEY UPDATE", shop.ticket_type.id
        )
    finally:
        await lock.rollback()
        await lock.close()
    assert await task is True

    assert event_free is False  # the event's KEY SHARE lock came first, in both statements
    if promo_first:
        assert ticket_type_free is True
    else:
        assert ticket_type_free is False  # the ticket type held while waiting for a promo code: wrong
    assert (await uses(session, promo)).used == 1


async def test_promo_orders_through_the_app_batched_and_the_rest_answered_by_the_full_path(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ten promo orders for a code with 4 uses left, one batch of 9 behind a first one held in flight:
    exactly 4 placed, and the other 6 answered the full path's 422 for a used-up code."""
    monkeypatch.setattr(context, "order_gate", asyncio.Semaphore(1000))
    assert context.coalescer is not None
    coalescer = context.coalescer
    shop = await make_shop(session, context, quantity=50)
    promo = await create_promo(session, event=shop.event, code="FLASH", max_uses=4)
    buyers = [await make_buyer(session, context) for _ in range(10)]
    body = order_body(shop, promoCode="flash")
    key = shop.event.id
    before = dict(coalescer.stats.sizes)

    lock = await psycopg.AsyncConnection.connect(libpq_conninfo(database_url))
    await lock.execute("SELECT 1 FROM ticket_types WHERE id = %s FOR UPDATE", [shop.ticket_type.id])
    try:
        first = asyncio.create_task(place(client, buyers[0], body))
        await eventually(lambda: batch_waits_on_a_lock(database_url), "the first batch to wait")
        rest = [asyncio.create_task(place(client, buyer, body)) for buyer in buyers[1:]]

        async def all_queued() -> bool:
            return len(coalescer._queues.get(key, [])) == len(rest)

        await eventually(all_queued, "the other nine to queue")
    finally:
        await lock.rollback()
        await lock.close()
    responses = [await first, *[await task for task in rest]]

    batches = Counter(coalescer.stats.sizes)
    batches.subtract(before)
    assert +batches == Counter({1: 1, 9: 1})  # the first alone, then the nine in one statement
    created = [r for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code != 201]
    assert len(created) == 4 and responses[0].status_code == 201
    for response in refused:
        problem = assert_problem(response, 422, "PROMO_CODE_INVALID")
        assert problem["errors"] == [{"field": "promoCode", "message": USED_UP}], problem
    for response in created:
        assert response.json()["promoCode"] == "FLASH" and response.json()["discount"] == "2.50"
    counted = await uses(session, promo)
    assert (counted.used, counted.problems()) == (4, [])
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 4 and state.orders == 4
    state.assert_consistent()


async def test_a_batched_promo_order_answers_and_writes_as_the_full_path(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop(session, context, quantity=10, price_minor=4200)
    await create_promo(session, event=shop.event, code="SAVE15", discount_value=1500)
    alice, bob = await make_buyer(session, context), await make_buyer(session, context)
    assert context.coalescer is not None
    batches = sum(context.coalescer.stats.sizes.values())

    fast = await place(client, alice, order_body(shop, 3, promoCode=" save15 "))
    assert sum(context.coalescer.stats.sizes.values()) == batches + 1  # it went through the coalescer
    monkeypatch.setattr(express, "applies", lambda data: False)
    full = await place(client, bob, order_body(shop, 3, promoCode=" save15 "))

    assert fast.status_code == full.status_code == 201, (fast.text, full.text)
    assert _comparable(fast.json()) == _comparable(full.json())
    assert fast.json()["discount"] == "18.90" and fast.json()["total"] == "107.10"  # 15 % of 126.00
    rows = {}
    for answer in (fast, full):
        placed_id = uuid.UUID(answer.json()["id"])
        order = await session.get(Order, placed_id)
        assert order is not None
        [item] = (await session.scalars(select(OrderItem).where(OrderItem.order_id == placed_id))).all()
        [entry] = (await session.scalars(select(AuditEntry).where(AuditEntry.entity_id == placed_id))).all()
        rows[answer] = (
            (order.promo_code_id, order.promo_code, order.discount_minor, order.total_minor),
            (item.quantity, item.unit_price_minor, item.discount_minor),
            (entry.action, entry.actor_type, entry.organization_id, entry.after),
        )
    await session.commit()
    assert rows[fast] == rows[full]


async def test_a_promo_flood_from_two_processes_never_exceeds_max_uses_nor_oversells(
    client: httpx.AsyncClient,
    second_process: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """200 buyers through two apps (two coalescers): two in three with the code (30 uses), the rest
    without, for 60 tickets. The code's counter equals its live orders and never passes maxUses, the
    tickets never oversell, and every refusal is the full path's."""
    monkeypatch.setattr(context, "order_gate", asyncio.Semaphore(1000))
    shop = await make_shop(session, context, quantity=60)
    promo = await create_promo(session, event=shop.event, code="CROWD", max_uses=30)
    buyers = [await make_buyer(session, context) for _ in range(200)]
    spied = granted_requests(monkeypatch)

    def body(index: int) -> dict[str, Any]:
        return order_body(shop, promoCode="crowd") if index % 3 else order_body(shop)

    responses = await asyncio.gather(
        *(
            place(client if index % 2 else second_process, buyer, body(index))
            for index, buyer in enumerate(buyers)
        )
    )

    created = [r for r in responses if r.status_code == 201]
    answers = Counter(r.json()["code"] for r in responses if r.status_code != 201)
    assert set(answers) <= {"INSUFFICIENT_INVENTORY", "PROMO_CODE_INVALID"}, answers
    for index, response in enumerate(responses):
        if response.status_code == 422:
            assert index % 3, "only promo orders can be refused for their code"
            assert response.json()["errors"][0]["message"] == USED_UP
    counted = await uses(session, promo)
    assert counted.problems() == [], counted
    with_code = sum(1 for r in created if r.json()["promoCode"] == "CROWD")
    assert counted.used == with_code
    if answers["PROMO_CODE_INVALID"]:
        assert counted.used == 30  # refused as used up: every use was claimed
    assert any(p.promo_id == promo.id for p in spied)  # promo orders were placed by the batches
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == len(created) <= 60
    assert state.held == 60 or not answers["INSUFFICIENT_INVENTORY"]
    assert state.orders == len(created)
    state.assert_consistent()
    assert await session.scalar(select(func.count()).select_from(Order)) == len(created)


async def test_without_the_coalescer_a_promo_order_takes_the_full_path(
    session: AsyncSession, context: AppContext
) -> None:
    """The one-order express statement claims no promo use: with the coalescer off, the full path does."""
    shop = await make_shop(session, context, quantity=5)
    await create_promo(session, event=shop.event, code="SOLO")
    buyer = await make_buyer(session, context)

    result = await express.place(
        context.database,
        buyer.user.id,
        OrderCreate.model_validate(order_body(shop, promoCode="SOLO")),
        hold=HOLD,
        max_tickets=10,
        respond=lambda details: json_response(201, order_read(details)),
        idempotency=Idempotency(
            key=None, method="POST", path="/api/v1/orders", retention=timedelta(hours=24)
        ),
    )
    assert result is None
    assert (await ledger(session, shop.ticket_type.id)).held == 0


async def test_batched_claims_race_cancels_and_max_uses_edits_without_a_5xx(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches claim the code's uses while cancels give uses back (event → order → promo code → ticket
    type) and staff move ``maxUses`` between 12 and 15: no 5xx (a deadlock would surface as 503 after
    the retries), every refusal the full path's, and the code's counter equals its live orders."""
    monkeypatch.setattr(context, "order_gate", asyncio.Semaphore(1000))
    shop = await make_shop(session, context, quantity=40)
    promo = await create_promo(session, event=shop.event, code="RACE", max_uses=15)
    buyers = [await make_buyer(session, context) for _ in range(40)]
    responses: list[httpx.Response] = []
    done = asyncio.Event()

    async def buyer_loop(index: int, buyer: Any) -> None:
        for _ in range(3):
            placed = await place(client, buyer, order_body(shop, promoCode="race"))
            responses.append(placed)
            if placed.status_code == 201 and index % 2:
                cancel = await client.post(f"/orders/{placed.json()['id']}/cancel", headers=buyer.headers)
                responses.append(cancel)
                assert cancel.status_code == 200, cancel.text

    async def staff_loop() -> None:
        round_ = 0
        while not done.is_set():
            round_ += 1
            edited = await client.put(
                f"/promo-codes/{promo.id}",
                json={"maxUses": 12 if round_ % 2 else 15},
                headers=shop.staff_headers,
            )
            responses.append(edited)
            assert edited.status_code in (200, 409), edited.text

    staff = asyncio.create_task(staff_loop())
    try:
        await asyncio.gather(*(buyer_loop(index, buyer) for index, buyer in enumerate(buyers)))
    finally:
        done.set()
        await staff
    assert [r.status_code for r in responses if r.status_code >= 500] == []
    orders = [r for r in responses if r.request.url.path.endswith("/orders")]
    refusals = Counter(r.json()["errors"][0]["message"] for r in orders if r.status_code != 201)
    assert set(refusals) <= {USED_UP}, refusals
    assert any(r.status_code == 201 for r in orders) and refusals  # both happened
    assert any(r.request.method == "PUT" and r.status_code == 200 for r in responses)
    counted = await uses(session, promo)
    assert counted.problems() == [], counted
    state = await ledger(session, shop.ticket_type.id)
    state.assert_consistent()
    assert state.held == counted.live_orders  # one ticket per order, every one with the code


async def test_a_keyed_promo_request_whose_key_is_busy_claims_no_use(
    session: AsyncSession, context: AppContext, database_url: str
) -> None:
    """A request not granted for its key (its advisory lock held by another request of the same key)
    leaves the code's one use to the next request in the batch."""
    shop = await make_shop(session, context, quantity=10)
    promo = await create_promo(session, event=shop.event, code="ONCE", max_uses=1)
    keyed = await _pending(session, context, shop, 1, promo)
    plain = await _pending(session, context, shop, 1, promo)
    user_id = keyed.rows["order"]["user_id"]
    idempotency = Idempotency(
        key="busy-key", method="POST", path="/api/v1/orders", retention=timedelta(hours=24)
    )
    body = OrderCreate.model_validate(order_body(shop, promoCode="ONCE"))
    key = express._key_params(idempotency, body, user_id, json_response(201, {"id": "x"}), utcnow())
    record = {name.removeprefix("key_"): value for name, value in key.items() if name != "key_lock"}
    keyed.rows["key"] = record
    keyed.lock = key["key_lock"]

    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url)) as holder:
        await holder.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [keyed.lock])
        granted = await one_batch(Coalescer(context.database, max_wait=0), shop, [keyed, plain])
        await holder.rollback()

    assert granted == [False, True]
    assert await order_ids(session) == {order_id(plain)}
    counted = await uses(session, promo)
    assert (counted.used, counted.problems()) == (1, [])

"""The coalescer (``orders/coalescer.py``): many express orders, one statement, each its own answer.

Batches are made deterministic without timing: requests queued in one step of the event loop form one
batch, and a batch can be held in flight by locking the ticket type's row from another connection (the
test polls ``pg_stat_activity`` until the batch waits on it).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import timedelta

import httpx
import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.batches import batch_waits_on_a_lock, eventually, one_batch, order_id, order_ids
from tests.orders.helpers import Shop, assert_problem, ledger, make_buyer, make_shop, order_body, place
from tests.orders.test_orders_concurrency import _without_check_constraint
from tixmo.audit import service as audit
from tixmo.db import libpq_conninfo, utcnow
from tixmo.deps import AppContext
from tixmo.orders import express
from tixmo.orders.coalescer import Coalescer, Pending
from tixmo.orders.models import Order

HOLD = timedelta(minutes=15)


async def _pending(session: AsyncSession, context: AppContext, shop: Shop, quantity: int) -> Pending:
    """An express order that passed its checks, as ``express.place`` hands it to the coalescer."""
    buyer = await make_buyer(session, context)
    now = utcnow()
    details = express._order(
        buyer.user.id, shop.event, shop.ticket_type, quantity, shop.ticket_type.price_minor, now, HOLD
    )
    entry = audit.entry_values(
        action="order.created",
        entity_type="order",
        entity_id=details.order.id,
        actor_id=buyer.user.id,
        organization_id=shop.event.organization_id,
        after={"status": details.order.status, "total": details.order.total_minor},
    )
    return Pending(((shop.ticket_type.id, quantity),), express._rows(details, entry))


QUANTITIES = [2, 4, 1, 3, 2]  # 5 tickets left: 2 fits, 4 does not, 1 fits, 3 does not, 2 fits
FAIR = [True, False, True, False, True]


@pytest.mark.parametrize("guarded", [True, False], ids=["coalescer", "negative-control"])
async def test_a_batch_grants_what_is_left_in_arrival_order(
    session: AsyncSession, context: AppContext, database_url: str, guarded: bool
) -> None:
    shop = await make_shop(session, context, quantity=5)
    coalescer = Coalescer(context.database, max_wait=0, guarded=guarded)
    batch = [await _pending(session, context, shop, quantity) for quantity in QUANTITIES]

    if not guarded:  # the CHECK constraint would refuse it too: without it, only the test's checks stand
        async with _without_check_constraint(database_url):
            granted = await one_batch(coalescer, shop, batch)
            state = await ledger(session, shop.ticket_type.id)
        # A batch that grants everyone (no "what is left", no guard): the same checks catch it.
        assert granted == [True] * len(batch)
        assert state.held > state.total, state
        return
    granted = await one_batch(coalescer, shop, batch)
    assert coalescer.stats.sizes == {len(batch): 1}  # one statement for all five
    state = await ledger(session, shop.ticket_type.id)
    placed = await order_ids(session)
    assert granted == FAIR
    assert placed == {order_id(p) for p, ok in zip(batch, FAIR, strict=True) if ok}
    assert state.held == 5 and state.orders == 3
    state.assert_consistent()


async def test_an_event_no_longer_on_sale_grants_nothing_and_writes_nothing(
    session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=5)
    shop.event.status = "CANCELLED"
    session.add(shop.event)
    await session.commit()
    coalescer = Coalescer(context.database, max_wait=0)
    batch = [await _pending(session, context, shop, 1) for _ in range(3)]

    assert await one_batch(coalescer, shop, batch) == [False] * 3

    assert await order_ids(session) == set()
    assert (await ledger(session, shop.ticket_type.id)).held == 0


async def _lock_ticket_type(database_url: str, shop: Shop) -> psycopg.AsyncConnection[object]:
    conn = await psycopg.AsyncConnection.connect(libpq_conninfo(database_url))
    await conn.execute("SELECT 1 FROM ticket_types WHERE id = %s FOR UPDATE", [shop.ticket_type.id])
    return conn


async def test_a_client_gone_while_queued_or_in_flight_never_leaks_a_hold(
    session: AsyncSession, context: AppContext, database_url: str
) -> None:
    shop = await make_shop(session, context, quantity=10)
    coalescer = Coalescer(context.database, max_wait=0)
    key = shop.event.id
    in_flight, gone_in_flight, queued, gone_queued = [
        await _pending(session, context, shop, 1) for _ in range(4)
    ]

    lock = await _lock_ticket_type(database_url, shop)
    try:
        first = [asyncio.create_task(coalescer.reserve(key, p)) for p in (in_flight, gone_in_flight)]
        await eventually(lambda: batch_waits_on_a_lock(database_url), "the first batch to wait")
        later = [asyncio.create_task(coalescer.reserve(key, p)) for p in (queued, gone_queued)]

        async def both_queued() -> bool:
            return len(coalescer._queues.get(key, [])) == 2

        await eventually(both_queued, "the second batch to queue")
        first[1].cancel()  # its client went away while its batch is in flight
        later[1].cancel()  # and this one's while it waits for the next batch
    finally:
        await lock.rollback()
        await lock.close()

    assert await first[0] is True
    assert await later[0] is True
    for task in (first[1], later[1]):
        with pytest.raises(asyncio.CancelledError):
            await task

    placed = await order_ids(session)
    # In flight: committed with the others, a PENDING order that expires like any abandoned checkout.
    assert order_id(gone_in_flight) in placed
    # Queued: withdrawn before its batch, nothing written.
    assert order_id(gone_queued) not in placed
    assert placed == {order_id(p) for p in (in_flight, gone_in_flight, queued)}
    assert coalescer.stats.sizes == {2: 1, 1: 1}
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 3
    state.assert_consistent()  # every hold has its order


async def test_invalid_requests_in_a_batch_fail_alone(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=3, max_per_order=4)
    other = await make_shop(session, context, quantity=3)  # another organization's event
    good = [await make_buyer(session, context) for _ in range(5)]
    bad = [await make_buyer(session, context) for _ in range(4)]
    foreign = {
        "eventId": str(shop.event.id),
        "items": [{"ticketTypeId": str(other.ticket_type.id), "quantity": 1}],
    }
    invalid = [
        order_body(shop, quantity=5),  # above maxPerOrder
        foreign,  # another event's ticket type
        {"eventId": str(uuid.uuid4()), "items": order_body(shop)["items"]},  # no such event
        order_body(shop, quantity="two"),  # wrong type
    ]

    responses = await asyncio.gather(
        *(place(client, buyer, order_body(shop)) for buyer in good),
        *(place(client, buyer, body) for buyer, body in zip(bad, invalid, strict=True)),
    )

    answers = Counter("created" if r.status_code == 201 else r.json()["code"] for r in responses[: len(good)])
    assert answers == {"created": 3, "INSUFFICIENT_INVENTORY": 2}, answers
    too_many, wrong_type, no_event, not_a_number = responses[len(good) :]
    assert_problem(too_many, 422, "VALIDATION_ERROR")
    assert wrong_type.status_code in (404, 422), wrong_type.text
    assert_problem(no_event, 404, "NOT_FOUND")
    assert_problem(not_a_number, 422, "VALIDATION_ERROR")
    sold_out = next(r for r in responses[: len(good)] if r.status_code == 409).json()
    assert sold_out["available"] == 0
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 3 and state.orders == 3
    state.assert_consistent()
    assert (await ledger(session, other.ticket_type.id)).held == 0


async def test_two_processes_coalescing_never_oversell(
    client: httpx.AsyncClient,
    second_process: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(context, "order_gate", asyncio.Semaphore(1000))
    shop = await make_shop(session, context, quantity=50)
    buyers = [await make_buyer(session, context) for _ in range(200)]

    responses = await asyncio.gather(
        *(
            place(client if index % 2 else second_process, buyer, order_body(shop, quantity=1 + index % 2))
            for index, buyer in enumerate(buyers)
        )
    )

    created = [r for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code != 201]
    assert all(r.json()["code"] == "INSUFFICIENT_INVENTORY" for r in refused)
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == sum(r.json()["ticketCount"] for r in created) <= 50
    single_refused = any(r.status_code != 201 for i, r in enumerate(responses) if i % 2 == 0)
    assert state.held == 50 or not single_refused  # a 1-ticket order refused: none was left
    assert state.orders == len(created)
    state.assert_consistent()
    assert await session.scalar(select(func.count()).select_from(Order)) == len(created)


async def test_keyed_orders_in_one_batch_replay_and_never_place_twice(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys ride in the batch: a fresh key is placed and stored; the same key sent again while (or after)
    the first is placed gets the stored answer, never a second order."""
    monkeypatch.setattr(context, "order_gate", asyncio.Semaphore(1000))
    shop = await make_shop(session, context, quantity=30)
    buyers = [await make_buyer(session, context) for _ in range(10)]
    keys = [f"key-{i}" for i in range(10)]

    # every buyer sends its key three times at once
    responses = await asyncio.gather(
        *(
            place(client, buyer, order_body(shop), **{"Idempotency-Key": key})
            for _ in range(3)
            for buyer, key in zip(buyers, keys, strict=True)
        )
    )

    by_buyer: dict[str, set[str]] = {}
    for response in responses:
        if response.status_code == 409:  # the same key still in flight: IDEMPOTENCY_CONFLICT, retry later
            assert response.json()["code"] != "INSUFFICIENT_INVENTORY", response.text
            continue
        assert response.status_code == 201, response.text
        by_buyer.setdefault(response.json()["userId"], set()).add(response.json()["id"])
    assert all(len(ids) == 1 for ids in by_buyer.values())  # one order per key, replays are the same
    state = await ledger(session, shop.ticket_type.id)
    assert state.orders == 10 and state.held == 10
    state.assert_consistent()
    again = await place(client, buyers[0], order_body(shop), **{"Idempotency-Key": keys[0]})
    assert again.status_code == 201 and again.json()["id"] in by_buyer[str(buyers[0].user.id)]
    assert (await ledger(session, shop.ticket_type.id)).orders == 10

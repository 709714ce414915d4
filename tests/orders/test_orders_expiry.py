"""Holds run out: the periodic job, and everyone who touches a past-due order, release it exactly once."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import (
    assert_problem,
    ledger,
    make_buyer,
    make_due,
    make_shop,
    order_body,
    place,
    place_ok,
)
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext
from tixmo.jobs import run_worker
from tixmo.orders import service
from tixmo.orders.models import Order
from tixmo.orders.tasks import EXPIRE_ORDERS


async def _status(session: AsyncSession, order_id: str) -> str:
    status = await session.scalar(
        select(Order.status).where(Order.id == order_id).execution_options(populate_existing=True)
    )
    return str(status)


async def test_the_periodic_job_expires_due_orders_through_a_real_worker(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    due = await place_ok(client, buyer, order_body(shop, quantity=3))
    live = await place_ok(client, buyer, order_body(shop, quantity=2))
    await make_due(session, due["id"])

    async with context.database.sessionmaker() as jobs_session:
        from tixmo.jobs import enqueue

        await enqueue(jobs_session, EXPIRE_ORDERS, timestamp=0)
        await jobs_session.commit()
    await run_worker(context.database, wait=False, install_signal_handlers=False)

    assert await _status(session, due["id"]) == "EXPIRED"
    assert await _status(session, live["id"]) == "PENDING"
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.sold) == (2, 0)
    state.assert_consistent()
    audit = await session.scalar(
        select(AuditEntry).where(AuditEntry.entity_id == due["id"], AuditEntry.action == "order.expired")
    )
    assert audit is not None
    assert audit.actor_type == "system"


async def test_a_sold_out_ticket_type_sells_tickets_of_a_past_due_hold_without_the_job(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=2)
    first, second = await make_buyer(session, context), await make_buyer(session, context)
    held = await place_ok(client, first, order_body(shop, quantity=2))
    assert_problem(await place(client, second, order_body(shop)), 409, "INSUFFICIENT_INVENTORY")
    await make_due(session, held["id"])

    order = await place_ok(client, second, order_body(shop, quantity=2))

    assert order["status"] == "PENDING"
    assert await _status(session, held["id"]) == "EXPIRED"
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 2
    state.assert_consistent()


async def test_expired_holds_released_by_a_refused_order_stay_released(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """The buyer asks for more than even the expired hold frees: refused, but the expiry sticks."""
    shop = await make_shop(session, context, quantity=3, max_per_order=10)
    first, second = await make_buyer(session, context), await make_buyer(session, context)
    held = await place_ok(client, first, order_body(shop, quantity=2))
    await make_due(session, held["id"])

    response = await place(client, second, order_body(shop, quantity=4))

    assert assert_problem(response, 409, "INSUFFICIENT_INVENTORY")["available"] == 3
    assert await _status(session, held["id"]) == "EXPIRED"
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.orders) == (0, 1)
    state.assert_consistent()


async def test_availability_never_counts_a_past_due_hold(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=5)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=4))
    await make_due(session, order["id"])

    availability = (await client.get(f"/ticket-types/{shop.ticket_type.id}/availability")).json()

    assert (availability["quantityHeld"], availability["quantityAvailable"]) == (0, 5)
    assert availability["onSale"] is True
    # A public read writes nothing (and locks nothing an order needs): the job or the next order
    # releases the hold.
    assert await _status(session, order["id"]) == "PENDING"
    assert (await ledger(session, shop.ticket_type.id)).held == 4


async def test_a_hold_is_released_exactly_once_whoever_races_for_it(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """The job, confirms, cancels, reads and availability all hit one past-due order at once."""
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=4))
    await place_ok(client, buyer, order_body(shop, quantity=1))  # a live hold that must survive
    await make_due(session, order["id"])

    async def job() -> int:
        async with context.database.sessionmaker() as job_session, job_session.begin():
            return await service.expire_due(job_session)

    calls = []
    for _ in range(5):
        calls += [
            client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers),
            client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers),
            client.get(f"/orders/{order['id']}", headers=buyer.headers),
            client.get(f"/ticket-types/{shop.ticket_type.id}/availability"),
        ]
    results = await asyncio.gather(*calls, *(job() for _ in range(5)))

    for result in results:
        if isinstance(result, httpx.Response):
            assert result.status_code in {200, 409}, result.text
            if result.status_code == 409:
                assert result.json()["code"] == "ORDER_EXPIRED"
    assert sum(r for r in results if isinstance(r, int)) <= 1
    assert await _status(session, order["id"]) == "EXPIRED"
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.sold) == (1, 0)
    state.assert_consistent()
    expiries = await session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == order["id"], AuditEntry.action == "order.expired")
    )
    assert len(list(expiries)) == 1

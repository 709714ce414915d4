"""Every way tickets come back keeps them for the waiting entries in the same transaction: a pending
order cancelled or expired, a paid order cancelled (refund), a ticket cancelled, quantityTotal raised."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import make_buyer, make_due, order_body, place
from tests.waitlist.helpers import SoldOut, counters, join_ok, run_jobs, sold_out_shop, statuses
from tixmo.deps import AppContext

Release = Callable[[httpx.AsyncClient, AsyncSession, AppContext, SoldOut], Awaitable[int]]


async def _cancel_pending(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, sold: SoldOut
) -> int:
    response = await client.post(f"/orders/{sold.orders[0]['id']}/cancel", headers=sold.holder.headers)
    assert response.status_code == 200, response.text
    return 2


async def _expire_pending(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, sold: SoldOut
) -> int:
    await make_due(session, sold.orders[0]["id"])
    await run_jobs(context)  # the order expiry job releases; the offer job runs in the same worker
    return 2


async def _refund_paid(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, sold: SoldOut
) -> int:
    order_id = sold.orders[0]["id"]
    paid = await client.post(f"/orders/{order_id}/confirm", headers=sold.holder.headers)
    assert paid.status_code == 200, paid.text
    cancelled = await client.post(f"/orders/{order_id}/cancel", headers=sold.holder.headers)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "REFUNDED"
    return 2


async def _cancel_ticket(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, sold: SoldOut
) -> int:
    order_id = sold.orders[0]["id"]
    paid = await client.post(f"/orders/{order_id}/confirm", headers=sold.holder.headers)
    assert paid.status_code == 200, paid.text
    ticket = paid.json()["tickets"][0]
    cancelled = await client.post(f"/tickets/{ticket['id']}/cancel", headers=sold.shop.staff_headers)
    assert cancelled.status_code == 200, cancelled.text
    return 1


async def _raise_total(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, sold: SoldOut
) -> int:
    response = await client.put(
        f"/ticket-types/{sold.shop.ticket_type.id}",
        json={"quantityTotal": 6},
        headers=sold.shop.staff_headers,
    )
    assert response.status_code == 200, response.text
    return 2


@pytest.mark.parametrize(
    "release", [_cancel_pending, _expire_pending, _refund_paid, _cancel_ticket, _raise_total]
)
async def test_tickets_that_come_back_go_to_the_waitlist_first(
    release: Release, client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(2, 2))
    waiting = [await make_buyer(session, context) for _ in range(3)]
    for buyer in waiting:
        await join_ok(client, buyer, sold.shop, 1)

    came_back = await release(client, session, context, sold)

    # Before any job ran (or after, for the expiry path): nobody else can buy them.
    stranger = await make_buyer(session, context)
    refused = await place(client, stranger, order_body(sold.shop, 1))
    assert refused.status_code == 409, refused.text
    state = await counters(session, sold.shop.ticket_type.id)
    assert state.available == 0
    state.assert_consistent()

    await run_jobs(context)
    expected: list[tuple[int, str]] = [(1, "OFFERED")] * came_back + [(1, "WAITING")] * (3 - came_back)
    assert await statuses(session, sold.shop.event.id) == expected
    final = await counters(session, sold.shop.ticket_type.id)
    assert (final.pool, final.offered, final.available) == (0, came_back, 0)
    final.assert_consistent()


async def test_without_anyone_waiting_released_tickets_go_back_on_sale(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(2, 2))
    await _cancel_pending(client, session, context, sold)
    state = await counters(session, sold.shop.ticket_type.id)
    assert (state.available, state.pool) == (2, 0)
    stranger = await make_buyer(session, context)
    bought: dict[str, Any] = (await place(client, stranger, order_body(sold.shop, 2))).json()
    assert bought["status"] == "PENDING"


async def test_a_hold_past_due_is_not_shown_available_while_someone_waits(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(2, 2))
    url = f"/ticket-types/{sold.shop.ticket_type.id}/availability"
    person = await make_buyer(session, context)
    waiting_headers = person.headers
    waiting = await join_ok(client, person, sold.shop, 1)
    await make_due(session, sold.orders[0]["id"])
    assert (await client.get(url)).json()["quantityAvailable"] == 0  # it would go to the waitlist
    stranger = await make_buyer(session, context)
    assert (await place(client, stranger, order_body(sold.shop, 1))).status_code == 409
    state = await counters(session, sold.shop.ticket_type.id)
    assert (state.pending, state.pool, state.available) == (2, 2, 0)  # the stranger's try expired it
    state.assert_consistent()
    # Once nobody waits: the pool goes on sale, and a hold past due counts as available (the orders' rule).
    await make_due(session, sold.orders[1]["id"])
    gone = await client.delete(f"/waitlist/{waiting['id']}", headers=waiting_headers)
    assert gone.status_code == 204
    assert (await client.get(url)).json()["quantityAvailable"] == 4

"""Cancelling an event settles its orders; an event with orders cannot be deleted."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import assert_problem, ledger, make_buyer, make_shop, order_body, place_ok
from tixmo.deps import AppContext


async def test_event_cancel_cancels_pending_and_refunds_paid_orders(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    pending = await place_ok(client, buyer, order_body(shop, quantity=2))
    paid = await place_ok(client, buyer, order_body(shop, quantity=3))
    await client.post(f"/orders/{paid['id']}/confirm", headers=buyer.headers)

    response = await client.post(f"/events/{shop.event.id}/cancel", headers=shop.staff_headers)

    assert response.status_code == 200, response.text
    statuses = {
        order["id"]: order["status"]
        for order in (await client.get("/orders", headers=buyer.headers)).json()["data"]
    }
    assert statuses == {pending["id"]: "CANCELLED", paid["id"]: "REFUNDED"}
    tickets = (await client.get(f"/orders/{paid['id']}", headers=buyer.headers)).json()["tickets"]
    assert {ticket["status"] for ticket in tickets} == {"CANCELLED"}
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.sold) == (0, 0)
    state.assert_consistent()


async def test_an_event_with_orders_cannot_be_deleted(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    await place_ok(client, buyer, order_body(shop))
    shop.event.status = "DRAFT"
    await session.commit()

    response = await client.delete(f"/events/{shop.event.id}", headers=shop.staff_headers)

    assert_problem(response, 409, "INVALID_STATE")
    assert (await client.get(f"/events/{shop.event.id}", headers=shop.staff_headers)).status_code == 200

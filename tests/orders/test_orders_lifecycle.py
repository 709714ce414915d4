"""Confirm and cancel: who may, from which status, and what happens to the inventory and tickets."""

from __future__ import annotations

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_user
from tests.orders.helpers import (
    assert_problem,
    ledger,
    make_buyer,
    make_due,
    make_shop,
    order_body,
    place_ok,
)
from tixmo.accounts.models import Role
from tixmo.deps import AppContext
from tixmo.tickets.models import Ticket


async def test_confirm_sells_the_hold_and_issues_one_ticket_per_unit(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=3))

    response = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)

    assert response.status_code == 200, response.text
    confirmed = response.json()
    assert confirmed["status"] == "CONFIRMED"
    assert confirmed["confirmedAt"] is not None
    tickets = confirmed["tickets"]
    assert len(tickets) == 3
    barcodes = [ticket["barcode"] for ticket in tickets]
    assert len(set(barcodes)) == 3
    assert all(len(code) >= 26 and code.isalnum() for code in barcodes)
    assert {(t["status"], t["ownerId"], t["ticketTypeId"], t["orderId"]) for t in tickets} == {
        ("VALID", str(buyer.user.id), str(shop.ticket_type.id), order["id"])
    }
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held) == (3, 0)
    state.assert_consistent()
    again = await client.get(f"/orders/{order['id']}", headers=buyer.headers)
    assert again.json()["tickets"] == tickets


async def test_confirm_is_for_the_buyer_of_a_pending_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    stranger = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop))

    by_stranger = await client.post(f"/orders/{order['id']}/confirm", headers=stranger.headers)
    by_staff = await client.post(f"/orders/{order['id']}/confirm", headers=shop.staff_headers)
    unknown = await client.post("/orders/6a1b0c52-8a51-4a8e-9a40-08c1d3b1e001/confirm", headers=buyer.headers)
    not_a_uuid = await client.post("/orders/abc/confirm", headers=buyer.headers)

    assert_problem(by_stranger, 404, "NOT_FOUND")
    assert_problem(by_staff, 403, "FORBIDDEN")
    assert_problem(unknown, 404, "NOT_FOUND")
    assert_problem(not_a_uuid, 422, "VALIDATION_ERROR")
    assert (await ledger(session, shop.ticket_type.id)).held == 1
    assert (await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)).status_code == 200
    twice = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    assert_problem(twice, 409, "INVALID_STATE")
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.live_tickets) == (1, 1)


async def test_confirm_after_the_hold_ran_out_is_order_expired_and_releases_it(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=2)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=2))
    await make_due(session, order["id"])

    response = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    again = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)

    assert_problem(response, 409, "ORDER_EXPIRED")
    assert_problem(again, 409, "ORDER_EXPIRED")
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.sold, state.live_tickets) == (0, 0, 0)
    stored = (await client.get(f"/orders/{order['id']}", headers=buyer.headers)).json()
    assert stored["status"] == "EXPIRED"
    assert stored["expiredAt"] is not None


async def test_cancel_a_pending_order_releases_the_hold(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=5)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=5))

    response = await client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "CANCELLED"
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.sold) == (0, 0)
    state.assert_consistent()
    assert_problem(
        await client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers), 409, "INVALID_STATE"
    )
    assert (await ledger(session, shop.ticket_type.id)).held == 0
    # The tickets are on sale again.
    assert (await place_ok(client, buyer, order_body(shop, quantity=5)))["status"] == "PENDING"


async def test_cancel_a_confirmed_order_cancels_its_tickets_and_refunds_it(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=5)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=2))
    await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)

    response = await client.post(f"/orders/{order['id']}/cancel", headers=shop.staff_headers)

    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["status"] == "REFUNDED"
    assert {ticket["status"] for ticket in cancelled["tickets"]} == {"CANCELLED"}
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held, state.live_tickets) == (0, 0, 0)
    state.assert_consistent()


async def test_a_cancelled_free_order_ends_cancelled(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=5, price_minor=0)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=2))

    response = await client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers)

    assert response.json()["status"] == "CANCELLED"
    assert (await ledger(session, shop.ticket_type.id)).sold == 0


async def test_an_order_with_a_used_ticket_cannot_be_cancelled(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, price_minor=0)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=2))
    await session.execute(update(Ticket).where(Ticket.id == order["tickets"][0]["id"]).values(status="USED"))
    await session.commit()

    response = await client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers)

    assert_problem(response, 409, "INVALID_STATE")
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.live_tickets) == (2, 2)


async def test_who_may_cancel(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    stranger = await make_buyer(session, context)
    other_staff = await create_user(session, context, role=Role.PROMOTER)
    order = await place_ok(client, buyer, order_body(shop))

    assert_problem(
        await client.post(f"/orders/{order['id']}/cancel", headers=stranger.headers), 404, "NOT_FOUND"
    )
    assert_problem(
        await client.post(f"/orders/{order['id']}/cancel", headers=auth(context, other_staff)),
        404,
        "NOT_FOUND",
    )
    assert (await ledger(session, shop.ticket_type.id)).held == 1
    admin = await create_user(session, context, role=Role.ADMIN)
    response = await client.post(f"/orders/{order['id']}/cancel", headers=auth(context, admin))
    assert response.json()["status"] == "CANCELLED"


async def test_cancel_after_the_hold_ran_out_is_order_expired(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=2))
    await make_due(session, order["id"])

    assert_problem(
        await client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers), 409, "ORDER_EXPIRED"
    )
    assert_problem(
        await client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers), 409, "ORDER_EXPIRED"
    )
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 0
    state.assert_consistent()


async def test_a_ticket_type_with_past_orders_cannot_be_deleted(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """Nothing is sold or held any more, but the orders' lines still point at it: 409, not a 500."""
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop))
    await client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers)

    response = await client.delete(f"/ticket-types/{shop.ticket_type.id}", headers=shop.staff_headers)

    assert_problem(response, 409, "CONFLICT")
    assert (await client.get(f"/orders/{order['id']}", headers=buyer.headers)).json()["items"][0][
        "ticketTypeId"
    ] == str(shop.ticket_type.id)

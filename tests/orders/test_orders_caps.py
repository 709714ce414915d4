"""Per-buyer caps (anti-scalping): held + bought across all of a buyer's orders, even when concurrent."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_ticket_type
from tests.orders.helpers import (
    assert_problem,
    error_fields,
    ledger,
    make_buyer,
    make_due,
    make_shop,
    order_body,
    place,
    place_ok,
)
from tixmo.deps import AppContext


async def test_a_ticket_type_cap_counts_every_order_of_the_buyer(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, max_per_buyer=4, max_per_order=10)
    buyer, other = await make_buyer(session, context), await make_buyer(session, context)
    pending = await place_ok(client, buyer, order_body(shop, quantity=2))
    paid = await place_ok(client, buyer, order_body(shop, quantity=1))
    await client.post(f"/orders/{paid['id']}/confirm", headers=buyer.headers)

    over = await place(client, buyer, order_body(shop, quantity=2))

    body = assert_problem(over, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"items.0.quantity"}
    assert "3" in body["detail"]
    assert (await place(client, buyer, order_body(shop, quantity=1))).status_code == 201
    assert (await place(client, other, order_body(shop, quantity=4))).status_code == 201  # per buyer
    # A cancelled order and an expired hold give their share back.
    await client.post(f"/orders/{pending['id']}/cancel", headers=buyer.headers)
    assert (await place(client, buyer, order_body(shop, quantity=1))).status_code == 201
    latest = await place_ok(client, buyer, order_body(shop, quantity=1))
    await make_due(session, latest["id"])
    assert (await place(client, buyer, order_body(shop, quantity=1))).status_code == 201


async def test_an_event_cap_counts_all_ticket_types(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, max_per_order=10)
    shop.event.max_per_buyer = 3
    await session.commit()
    vip = await create_ticket_type(session, event=shop.event, name="VIP")
    buyer = await make_buyer(session, context)
    await place_ok(client, buyer, order_body(shop, quantity=2))

    body = order_body(shop, quantity=1)
    body["items"] = [{"ticketTypeId": str(vip.id), "quantity": 2}]
    response = await place(client, buyer, body)

    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"items"}
    body["items"][0]["quantity"] = 1
    assert (await place(client, buyer, body)).status_code == 201


async def test_a_cap_holds_under_concurrent_orders_of_one_buyer(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=100, max_per_buyer=5)
    buyer = await make_buyer(session, context)

    responses = await asyncio.gather(*(place(client, buyer, order_body(shop)) for _ in range(30)))

    outcomes = Counter(r.status_code for r in responses)
    assert outcomes == {201: 5, 422: 25}, outcomes
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 5
    state.assert_consistent()


async def test_caps_are_set_through_the_catalogue_api(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)

    type_cap = await client.put(
        f"/ticket-types/{shop.ticket_type.id}", json={"maxPerBuyer": 2}, headers=shop.staff_headers
    )
    event_cap = await client.put(
        f"/events/{shop.event.id}", json={"maxPerBuyer": 6}, headers=shop.staff_headers
    )
    bad = [
        await client.put(
            f"/ticket-types/{shop.ticket_type.id}", json={"maxPerBuyer": 0}, headers=shop.staff_headers
        ),
        await client.put(f"/events/{shop.event.id}", json={"maxPerBuyer": "6"}, headers=shop.staff_headers),
    ]

    assert type_cap.json()["maxPerBuyer"] == 2
    assert event_cap.json()["maxPerBuyer"] == 6
    for response in bad:
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"maxPerBuyer"}
    buyer = await make_buyer(session, context)
    assert (await place(client, buyer, order_body(shop, quantity=3))).status_code == 422
    cleared = await client.put(
        f"/ticket-types/{shop.ticket_type.id}", json={"maxPerBuyer": None}, headers=shop.staff_headers
    )
    assert cleared.json()["maxPerBuyer"] is None
    assert (await place(client, buyer, order_body(shop, quantity=3))).status_code == 201

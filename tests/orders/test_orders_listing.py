"""Who sees which orders: buyers their own, org staff their events', ADMIN all."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_user
from tests.orders.helpers import assert_problem, make_buyer, make_shop, order_body, place_ok
from tixmo.accounts.models import Role
from tixmo.deps import AppContext


async def test_listing_scopes(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> None:
    shop = await make_shop(session, context)
    other_shop = await make_shop(session, context)
    alice, bob = await make_buyer(session, context), await make_buyer(session, context)
    a1 = await place_ok(client, alice, order_body(shop))
    a2 = await place_ok(client, alice, order_body(other_shop))
    b1 = await place_ok(client, bob, order_body(shop))
    admin = await create_user(session, context, role=Role.ADMIN)

    async def ids(headers: dict[str, str], **params: str) -> set[str]:
        response = await client.get("/orders", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return {order["id"] for order in response.json()["data"]}

    assert await ids(alice.headers) == {a1["id"], a2["id"]}
    assert await ids(alice.headers, eventId=str(shop.event.id)) == {a1["id"]}
    assert await ids(bob.headers) == {b1["id"]}
    assert await ids(shop.staff_headers, eventId=str(shop.event.id)) == {a1["id"], b1["id"]}
    assert await ids(shop.staff_headers) == set()  # staff's own orders: none
    assert await ids(shop.staff_headers, eventId=str(other_shop.event.id)) == set()
    assert await ids(auth(context, admin)) == {a1["id"], a2["id"], b1["id"]}
    assert await ids(auth(context, admin), eventId=str(other_shop.event.id)) == {a2["id"]}
    assert await ids(alice.headers, status="PENDING") == {a1["id"], a2["id"]}
    assert await ids(alice.headers, status="CONFIRMED") == set()


async def test_pagination_newest_first(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    placed = [(await place_ok(client, buyer, order_body(shop)))["id"] for _ in range(5)]

    page1 = (await client.get("/orders", params={"limit": 2}, headers=buyer.headers)).json()
    page3 = (await client.get("/orders", params={"limit": 2, "page": 3}, headers=buyer.headers)).json()

    assert page1["meta"] == {"page": 1, "limit": 2, "total": 5, "totalPages": 3}
    assert [order["id"] for order in page1["data"]] == placed[::-1][:2]
    assert [order["id"] for order in page3["data"]] == placed[:1]
    bad = await client.get("/orders", params={"limit": 101}, headers=buyer.headers)
    assert_problem(bad, 422, "VALIDATION_ERROR")
    assert_problem(
        await client.get("/orders", params={"status": "NOPE"}, headers=buyer.headers), 422, "VALIDATION_ERROR"
    )
    assert_problem(await client.get("/orders"), 401, "UNAUTHORIZED")


async def test_get_one_order(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> None:
    shop = await make_shop(session, context)
    buyer, stranger = await make_buyer(session, context), await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop))
    other_staff = await create_user(session, context, role=Role.PROMOTER)

    assert (await client.get(f"/orders/{order['id']}", headers=buyer.headers)).json() == order
    assert (await client.get(f"/orders/{order['id']}", headers=shop.staff_headers)).json()["id"] == order[
        "id"
    ]
    for headers in (stranger.headers, auth(context, other_staff)):
        assert_problem(await client.get(f"/orders/{order['id']}", headers=headers), 404, "NOT_FOUND")

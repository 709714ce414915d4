"""POST /orders: what a buyer gets, and every bad input refused with nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event, create_ticket_type, token_for
from tests.orders.helpers import (
    assert_problem,
    error_fields,
    ledger,
    make_buyer,
    make_shop,
    order_body,
    order_count,
    place,
    place_ok,
)
from tixmo.deps import AppContext


async def test_an_order_holds_its_tickets_until_it_expires(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10, price_minor=2500)
    buyer = await make_buyer(session, context)
    before = datetime.now(UTC)

    order = await place_ok(client, buyer, order_body(shop, quantity=3))

    assert order["status"] == "PENDING"
    assert order["userId"] == str(buyer.user.id)
    assert order["eventId"] == str(shop.event.id)
    assert order["items"] == [
        {
            "ticketTypeId": str(shop.ticket_type.id),
            "ticketTypeName": shop.ticket_type.name,
            "quantity": 3,
            "unitPrice": "25.00",
            "discount": "0.00",
            "lineTotal": "75.00",
            "seats": [],
        }
    ]
    assert (order["subtotal"], order["discount"], order["total"], order["currency"]) == (
        "75.00",
        "0.00",
        "75.00",
        "USD",
    )
    assert order["tickets"] == []
    hold = datetime.fromisoformat(order["expiresAt"]) - before
    minutes = context.settings.order_hold_minutes
    assert timedelta(minutes=minutes) - timedelta(seconds=5) <= hold <= timedelta(minutes=minutes, seconds=5)
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.sold, state.orders) == (3, 0, 1)
    state.assert_consistent()
    availability = (await client.get(f"/ticket-types/{shop.ticket_type.id}/availability")).json()
    assert (availability["quantityHeld"], availability["quantityAvailable"]) == (3, 7)


async def test_a_free_order_is_confirmed_at_once_with_its_tickets(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=5, price_minor=0)
    buyer = await make_buyer(session, context)

    order = await place_ok(client, buyer, order_body(shop, quantity=2))

    assert order["status"] == "CONFIRMED"
    assert order["total"] == "0.00"
    assert len(order["tickets"]) == 2
    assert {ticket["status"] for ticket in order["tickets"]} == {"VALID"}
    assert {ticket["ownerId"] for ticket in order["tickets"]} == {str(buyer.user.id)}
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held) == (2, 0)
    state.assert_consistent()


async def test_several_ticket_types_in_one_order_use_the_current_prices(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, price_minor=2500)
    early_until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    vip = await create_ticket_type(
        session,
        event=shop.event,
        name="VIP",
        price_minor=9000,
        quantity_total=10,
        price_tiers=[{"kind": "DATE", "until": early_until, "priceMinor": 7000}],
    )
    buyer = await make_buyer(session, context)
    body = order_body(shop, quantity=2)
    body["items"].append({"ticketTypeId": str(vip.id), "quantity": 1})

    order = await place_ok(client, buyer, body)

    prices = {item["ticketTypeId"]: item["unitPrice"] for item in order["items"]}
    assert prices == {str(shop.ticket_type.id): "25.00", str(vip.id): "70.00"}
    assert order["total"] == "120.00"
    assert order["ticketCount"] == 3


async def test_not_enough_tickets_names_the_ticket_type_and_what_is_left(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=4, max_per_order=10)
    buyer = await make_buyer(session, context)
    await place_ok(client, buyer, order_body(shop, quantity=3))

    response = await place(client, buyer, order_body(shop, quantity=2))

    body = assert_problem(response, 409, "INSUFFICIENT_INVENTORY")
    assert body["ticketTypeId"] == str(shop.ticket_type.id)
    assert body["available"] == 1
    assert error_fields(body) == {"items.0.quantity"}
    assert "1" in body["detail"]
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.orders) == (3, 1)


def _item(shop: Any, **overrides: Any) -> dict[str, Any]:
    return {"ticketTypeId": str(shop.ticket_type.id), "quantity": 1, **overrides}


BAD_ITEMS = [
    ("quantity zero", lambda shop: [_item(shop, quantity=0)], "items.0.quantity"),
    ("quantity negative", lambda shop: [_item(shop, quantity=-2)], "items.0.quantity"),
    ("quantity huge", lambda shop: [_item(shop, quantity=10**9)], "items.0.quantity"),
    ("quantity as string", lambda shop: [_item(shop, quantity="2")], "items.0.quantity"),
    ("quantity fractional", lambda shop: [_item(shop, quantity=1.5)], "items.0.quantity"),
    ("quantity missing", lambda shop: [{"ticketTypeId": str(shop.ticket_type.id)}], "items.0.quantity"),
    ("ticket type not a uuid", lambda shop: [_item(shop, ticketTypeId="nope")], "items.0.ticketTypeId"),
    (
        "unknown ticket type",
        lambda shop: [_item(shop, ticketTypeId="6a1b0c52-8a51-4a8e-9a40-08c1d3b1e001")],
        "items.0.ticketTypeId",
    ),
    ("duplicate items", lambda shop: [_item(shop), _item(shop, quantity=2)], "items.1.ticketTypeId"),
    ("no items", lambda shop: [], "items"),
    ("unknown field", lambda shop: [_item(shop, price="0.01")], "items.0.price"),
    ("too many tickets in all", lambda shop: [_item(shop, quantity=51)], "items"),
]


@pytest.mark.parametrize(("case", "items", "field"), BAD_ITEMS, ids=[case for case, _, _ in BAD_ITEMS])
async def test_bad_items_are_refused_and_nothing_changes(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    case: str,
    items: Any,
    field: str,
) -> None:
    shop = await make_shop(session, context, quantity=1000, max_per_order=1000)
    buyer = await make_buyer(session, context)

    response = await place(client, buyer, {"eventId": str(shop.event.id), "items": items(shop)})

    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field in error_fields(body), (case, body)
    assert await order_count(session) == 0
    assert (await ledger(session, shop.ticket_type.id)).held == 0


async def test_a_ticket_type_of_another_event_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    other_event = await create_event(session, organization=shop.org, status="PUBLISHED", name="Other")
    other = await create_ticket_type(session, event=other_event)
    buyer = await make_buyer(session, context)
    body = order_body(shop)
    body["items"].append({"ticketTypeId": str(other.id), "quantity": 1})

    response = await place(client, buyer, body)

    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"items.1.ticketTypeId"}
    assert await order_count(session) == 0
    assert (await ledger(session, other.id)).held == 0
    assert (await ledger(session, shop.ticket_type.id)).held == 0


async def test_min_and_max_per_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, min_per_order=2, max_per_order=4)
    buyer = await make_buyer(session, context)

    too_few = await place(client, buyer, order_body(shop, quantity=1))
    too_many = await place(client, buyer, order_body(shop, quantity=5))

    for response in (too_few, too_many):
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"items.0.quantity"}
    assert (await place(client, buyer, order_body(shop, quantity=4))).status_code == 201
    assert await order_count(session) == 1


@pytest.mark.parametrize(
    ("window", "status"),
    [
        ({"sales_start": datetime.now(UTC) + timedelta(days=1)}, "PUBLISHED"),
        ({"sales_end": datetime.now(UTC) - timedelta(minutes=1)}, "PUBLISHED"),
        ({}, "CANCELLED"),
        ({}, "COMPLETED"),
    ],
    ids=["before sales start", "after sales end", "event cancelled", "event completed"],
)
async def test_sales_closed(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    window: dict[str, Any],
    status: str,
) -> None:
    shop = await make_shop(session, context, **window)
    shop.event.status = status
    await session.commit()
    buyer = await make_buyer(session, context)

    response = await place(client, buyer, order_body(shop))

    assert_problem(response, 409, "SALES_CLOSED")
    assert await order_count(session) == 0


async def test_unknown_and_draft_events_are_not_found(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    shop.event.status = "DRAFT"
    await session.commit()
    buyer = await make_buyer(session, context)

    draft = await place(client, buyer, order_body(shop))
    unknown = await place(
        client, buyer, {**order_body(shop), "eventId": "6a1b0c52-8a51-4a8e-9a40-08c1d3b1e001"}
    )

    for response in (draft, unknown):
        assert error_fields(assert_problem(response, 404, "NOT_FOUND")) == {"eventId"}
    # Staff of a DRAFT event see it, but it is not on sale.
    assert_problem(
        await client.post("/orders", json=order_body(shop), headers=shop.staff_headers), 409, "SALES_CLOSED"
    )
    assert await order_count(session) == 0


async def test_bad_requests(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)

    anonymous = await client.post("/orders", json=order_body(shop))
    bad_token = await client.post(
        "/orders", json=order_body(shop), headers={"Authorization": "Bearer not-a-token"}
    )
    expired = token_for(context, buyer.user, lifetime=timedelta(seconds=-1))
    expired_token = await client.post(
        "/orders", json=order_body(shop), headers={"Authorization": f"Bearer {expired}"}
    )
    not_json = await client.post(
        "/orders", content=b"{", headers={**buyer.headers, "Content-Type": "application/json"}
    )
    missing_event = await place(client, buyer, {"items": order_body(shop)["items"]})
    huge = await client.post(
        "/orders",
        content=b'{"eventId": "' + b"x" * 200_000 + b'"}',
        headers={**buyer.headers, "Content-Type": "application/json"},
    )
    long_code = await place(client, buyer, order_body(shop, promoCode="X" * 51))

    assert_problem(anonymous, 401, "UNAUTHORIZED")
    assert_problem(bad_token, 401, "UNAUTHORIZED")
    assert_problem(expired_token, 401, "UNAUTHORIZED")
    assert error_fields(assert_problem(not_json, 422, "VALIDATION_ERROR")) == {"body"}
    assert error_fields(assert_problem(missing_event, 422, "VALIDATION_ERROR")) == {"eventId"}
    assert_problem(huge, 413, "PAYLOAD_TOO_LARGE")
    assert error_fields(assert_problem(long_code, 422, "VALIDATION_ERROR")) == {"promoCode"}
    assert await order_count(session) == 0

"""Reserved seating through the orders API: named seats, best available, released with the order, and
no seat ever held or sold twice, even when a crowd wants the same one."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_venue
from tests.orders.helpers import (
    Shop,
    assert_problem,
    error_fields,
    ledger,
    make_buyer,
    make_shop,
    place,
    place_ok,
)
from tixmo.deps import AppContext
from tixmo.seating.models import EventSeat


def _chart(rows: int, seats: int) -> dict[str, Any]:
    return {
        "sections": [
            {
                "name": "Stalls",
                "rows": [
                    {"name": str(r), "seats": [str(s) for s in range(1, seats + 1)]}
                    for r in range(1, rows + 1)
                ],
            }
        ]
    }


async def _seated_shop(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, rows: int, seats: int
) -> Shop:
    shop = await make_shop(session, context, quantity=1, max_per_order=10)
    venue = await create_venue(
        session, organization=shop.org, capacity=1000, seating_chart=_chart(rows, seats)
    )
    shop.event.venue_id = venue.id
    await session.commit()
    response = await client.put(
        f"/ticket-types/{shop.ticket_type.id}/seats",
        json={"sections": ["Stalls"]},
        headers=shop.staff_headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["quantityTotal"] == rows * seats
    return shop


def _seat(row: str, seat: str) -> dict[str, str]:
    return {"section": "Stalls", "row": row, "seat": seat}


def _body(shop: Shop, quantity: int, seats: list[dict[str, str]] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"ticketTypeId": str(shop.ticket_type.id), "quantity": quantity}
    if seats is not None:
        item["seats"] = seats
    return {"eventId": str(shop.event.id), "items": [item]}


async def _taken(session: AsyncSession) -> int:
    count = await session.scalar(select(func.count()).where(EventSeat.order_id.is_not(None)))
    await session.commit()
    return int(count or 0)


async def test_named_seats_are_held_sold_and_printed_on_the_tickets(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await _seated_shop(client, session, context, rows=2, seats=4)
    buyer = await make_buyer(session, context)

    order = await place_ok(client, buyer, _body(shop, 2, [_seat("2", "3"), _seat("2", "4")]))
    confirmed = (await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)).json()

    assert order["items"][0]["seats"] == [_seat("2", "3"), _seat("2", "4")]
    assert sorted((t["seat"]["row"], t["seat"]["seat"]) for t in confirmed["tickets"]) == [
        ("2", "3"),
        ("2", "4"),
    ]
    seats = (await client.get(f"/ticket-types/{shop.ticket_type.id}/seats", params={"status": "SOLD"})).json()
    assert [(s["row"], s["seat"]) for s in seats["data"]] == [("2", "3"), ("2", "4")]


async def test_best_available_prefers_seats_together(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await _seated_shop(client, session, context, rows=2, seats=4)
    buyer = await make_buyer(session, context)
    await place_ok(client, buyer, _body(shop, 1, [_seat("1", "2")]))

    order = await place_ok(client, buyer, _body(shop, 3))

    assert order["items"][0]["seats"] == [_seat("2", "1"), _seat("2", "2"), _seat("2", "3")]


async def test_a_taken_seat_refuses_the_order_and_holds_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await _seated_shop(client, session, context, rows=1, seats=4)
    alice, bob = await make_buyer(session, context), await make_buyer(session, context)
    await place_ok(client, alice, _body(shop, 1, [_seat("1", "2")]))

    response = await place(client, bob, _body(shop, 2, [_seat("1", "1"), _seat("1", "2")]))

    body = assert_problem(response, 409, "CONFLICT")
    assert "items.0.seats.1" in error_fields(body)
    assert await _taken(session) == 1
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 1
    state.assert_consistent()


async def test_seats_return_with_a_cancelled_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await _seated_shop(client, session, context, rows=1, seats=2)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, _body(shop, 2))
    await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)

    await client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers)

    assert await _taken(session) == 0
    again = await place_ok(client, buyer, _body(shop, 2, [_seat("1", "1"), _seat("1", "2")]))
    assert again["status"] == "PENDING"


async def test_seat_lists_must_match_the_quantity_and_the_ticket_type(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await _seated_shop(client, session, context, rows=1, seats=4)
    plain = await make_shop(session, context)
    buyer = await make_buyer(session, context)

    wrong_count = await place(client, buyer, _body(shop, 2, [_seat("1", "1")]))
    unknown_seat = await place(client, buyer, _body(shop, 1, [_seat("9", "9")]))
    not_seated = await place(client, buyer, _body(plain, 1, [_seat("1", "1")]))

    assert error_fields(assert_problem(wrong_count, 422, "VALIDATION_ERROR")) == {"items.0.seats"}
    assert "items.0.seats.0" in error_fields(assert_problem(unknown_seat, 422, "VALIDATION_ERROR"))
    assert error_fields(assert_problem(not_seated, 422, "VALIDATION_ERROR")) == {"items.0.seats"}
    assert await _taken(session) == 0
    assert (await ledger(session, shop.ticket_type.id)).held == 0


async def test_a_crowd_for_one_seat_gets_it_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await _seated_shop(client, session, context, rows=2, seats=10)
    buyers = [await make_buyer(session, context) for _ in range(40)]

    responses = await asyncio.gather(*(place(client, b, _body(shop, 1, [_seat("1", "5")])) for b in buyers))

    outcomes = Counter(r.status_code for r in responses)
    assert outcomes == {201: 1, 409: 39}, outcomes
    assert await _taken(session) == 1
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 1
    state.assert_consistent()


async def test_best_available_for_a_crowd_never_gives_a_seat_twice(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await _seated_shop(client, session, context, rows=2, seats=10)  # 20 seats
    buyers = [await make_buyer(session, context) for _ in range(60)]

    responses = await asyncio.gather(*(place(client, b, _body(shop, 1)) for b in buyers))

    outcomes = Counter(r.status_code if r.status_code == 201 else r.json()["code"] for r in responses)
    assert outcomes == {201: 20, "INSUFFICIENT_INVENTORY": 40}, outcomes
    seats = [tuple(r.json()["items"][0]["seats"][0].values()) for r in responses if r.status_code == 201]
    assert len(set(seats)) == 20
    assert await _taken(session) == 20
    state = await ledger(session, shop.ticket_type.id)
    assert state.held == 20
    state.assert_consistent()


async def test_an_event_with_mapped_seats_keeps_its_venue(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await _seated_shop(client, session, context, rows=1, seats=2)
    other = await create_venue(session, organization=shop.org, name="Other hall", seating_chart=_chart(1, 2))

    response = await client.put(
        f"/events/{shop.event.id}", json={"venueId": str(other.id)}, headers=shop.staff_headers
    )

    assert_problem(response, 409, "CONFLICT")
    event = (await client.get(f"/events/{shop.event.id}", headers=shop.staff_headers)).json()
    assert event["venueId"] != str(other.id)


async def test_a_venue_chart_keeps_the_seats_its_events_sell(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await _seated_shop(client, session, context, rows=2, seats=2)
    assert shop.event.venue_id is not None

    shrink = await client.put(
        f"/venues/{shop.event.venue_id}", json={"seatingChart": _chart(1, 2)}, headers=shop.staff_headers
    )
    grow = await client.put(
        f"/venues/{shop.event.venue_id}", json={"seatingChart": _chart(3, 2)}, headers=shop.staff_headers
    )

    body = assert_problem(shrink, 409, "CONFLICT")
    assert body["missingSeats"] == ["Stalls / 2 / 1", "Stalls / 2 / 2"]
    assert grow.status_code == 200, grow.text
    assert grow.json()["seatCount"] == 6

"""``PUT /ticket-types/{id}/seats``: mapping seats, every rule, who may do it, and quantityTotal following."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_ticket_type, create_user, create_venue
from tests.seating.helpers import (
    SeatedShop,
    assert_problem,
    chart,
    create_order,
    error_fields,
    keys_of,
    make_seated_shop,
    map_seats,
    ref,
    refs,
    reload_ticket_type,
    seat_rows,
)
from tests.ticketing.helpers import make_staff, set_counters
from tixmo.accounts.models import Role
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext
from tixmo.seating import holds as seating
from tixmo.seating.models import EventSeat
from tixmo.seating.schemas import MAX_MAPPED_SEATS, SeatMapUpdate
from tixmo.ticketing.models import TicketType
from tixmo.venues.models import Venue

LAYOUT = {"A": {"1": 4, "2": 4}, "B": {"1": 3}}


@pytest.fixture
async def shop(session: AsyncSession, context: AppContext) -> SeatedShop:
    return await make_seated_shop(session, context, LAYOUT)


async def put_seats(
    client: httpx.AsyncClient, shop: SeatedShop, body: dict[str, Any], **kw: Any
) -> httpx.Response:
    headers = kw.get("headers", shop.staff.headers)
    return await client.put(f"/ticket-types/{shop.ticket_type.id}/seats", json=body, headers=headers)


async def assert_unchanged(session: AsyncSession, shop: SeatedShop, keys: list[Any], total: int) -> None:
    assert keys_of(await seat_rows(session, shop.ticket_type)) == keys
    assert (await reload_ticket_type(session, shop.ticket_type)).quantity_total == total


# ------------------------------------------------------------------------------------------- mapping


async def test_router_is_mounted(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert "put" in schema["paths"]["/api/v1/ticket-types/{ticketTypeId}/seats"]


async def test_map_named_seats_sets_the_quantity(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop
) -> None:
    body = {"seats": [ref("A", "2", "1"), ref("A", "1", "3"), ref("A", "1", "2")]}
    response = await put_seats(client, shop, body)

    assert response.status_code == 200, response.text
    assert response.json() == {"ticketTypeId": str(shop.ticket_type.id), "seatCount": 3, "quantityTotal": 3}
    seats = await seat_rows(session, shop.ticket_type)
    # Chart order: section A row 1 seats 1..4 are positions 0..3, row 2 starts at 4.
    assert [(seat.section, seat.row, seat.label, seat.position) for seat in seats] == [
        ("A", "1", "2", 1),
        ("A", "1", "3", 2),
        ("A", "2", "1", 4),
    ]
    assert {(seat.status, seat.order_id, seat.event_id) for seat in seats} == {
        ("AVAILABLE", None, shop.event.id)
    }
    assert (await reload_ticket_type(session, shop.ticket_type)).quantity_total == 3
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "ticket_type.seats_mapped"))
    assert entry is not None
    assert (entry.entity_id, entry.actor_id, entry.organization_id) == (
        shop.ticket_type.id,
        shop.staff.user.id,
        shop.staff.org.id,
    )
    assert entry.before == {"seatCount": 0, "quantityTotal": 0}
    assert entry.after == {"seatCount": 3, "quantityTotal": 3, "added": 3, "removed": 0}


async def test_map_whole_sections(client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop) -> None:
    response = await put_seats(client, shop, {"sections": ["B"]})

    assert response.status_code == 200, response.text
    assert response.json()["seatCount"] == 3
    assert keys_of(await seat_rows(session, shop.ticket_type)) == [
        ("B", "1", "1"),
        ("B", "1", "2"),
        ("B", "1", "3"),
    ]
    assert [seat.position for seat in await seat_rows(session, shop.ticket_type)] == [8, 9, 10]


async def test_remap_replaces_the_set_and_keeps_held_seats(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, shop: SeatedShop
) -> None:
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["A"])
    buyer = await create_user(session, context)
    order = await create_order(session, user=buyer, event=shop.event)
    await seating.hold_seats(
        session,
        order_id=order.id,
        ticket_type_id=shop.ticket_type.id,
        quantity=1,
        requested=refs(("A", "2", "4")),
        field="seats",
    )
    await set_counters(session, shop.ticket_type, held=1)  # what the order's reservation did
    before = {seat.label: seat.id for seat in await seat_rows(session, shop.ticket_type) if seat.row == "2"}

    response = await put_seats(
        client, shop, {"seats": [ref("A", "2", str(n)) for n in (4, 3, 2, 1)] + [ref("B", "1", "1")]}
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"ticketTypeId": str(shop.ticket_type.id), "seatCount": 5, "quantityTotal": 5}
    seats = await seat_rows(session, shop.ticket_type)
    assert keys_of(seats) == [
        ("A", "2", "1"),
        ("A", "2", "2"),
        ("A", "2", "3"),
        ("A", "2", "4"),
        ("B", "1", "1"),
    ]
    assert {seat.label: seat.id for seat in seats if seat.section == "A"} == before  # kept rows, not new ones
    assert [seat.status for seat in seats] == ["AVAILABLE", "AVAILABLE", "AVAILABLE", "HELD", "AVAILABLE"]
    assert seats[3].order_id == order.id


async def test_an_empty_list_unmaps_every_seat(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop
) -> None:
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["A"])

    response = await put_seats(client, shop, {"seats": []})

    assert response.json() == {"ticketTypeId": str(shop.ticket_type.id), "seatCount": 0, "quantityTotal": 0}
    assert await seat_rows(session, shop.ticket_type) == []


async def test_positions_follow_a_changed_chart(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop
) -> None:
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["B"])
    await session.execute(
        update(Venue)
        .where(Venue.id == shop.venue.id)
        .values(seating_chart=chart({"B": {"1": 3}, "A": {"1": 4}}))
    )
    await session.commit()

    response = await put_seats(client, shop, {"sections": ["B", "A"]})

    assert response.status_code == 200, response.text
    seats = await seat_rows(session, shop.ticket_type)
    assert [(seat.section, seat.label, seat.position) for seat in seats][:4] == [
        ("B", "1", 0),
        ("B", "2", 1),
        ("B", "3", 2),
        ("A", "1", 3),
    ]


async def test_admin_may_map_seats(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, shop: SeatedShop
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    response = await put_seats(client, shop, {"sections": ["B"]}, headers=auth(context, admin))
    assert response.status_code == 200, response.text


async def test_a_draft_event_may_be_mapped(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_seated_shop(session, context, LAYOUT, status="DRAFT")
    response = await put_seats(client, shop, {"sections": ["A"]})
    assert response.json()["quantityTotal"] == 8


# ---------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "seats"),
        ({"seats": [ref("A", "1", "1")], "sections": ["B"]}, "sections"),
        ({"seats": [{"section": "A", "row": "1"}]}, "seats.0.seat"),
        ({"sections": [""]}, "sections.0"),
        ({"seats": None, "sections": None}, "seats"),
    ],
)
async def test_the_body_gives_exactly_one_of_seats_and_sections(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop, body: dict[str, Any], field: str
) -> None:
    response = await put_seats(client, shop, body)
    assert field in error_fields(assert_problem(response, 422, "VALIDATION_ERROR"))
    await assert_unchanged(session, shop, [], 0)


async def test_seats_not_in_the_chart_are_named(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop
) -> None:
    body = {"seats": [ref("A", "1", "1"), ref("A", "1", "9"), ref("C", "1", "1"), ref("A", "1", "1")]}
    response = await put_seats(client, shop, body)

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(problem) == {"seats.1", "seats.2", "seats.3"}
    assert "twice" in {e["field"]: e["message"] for e in problem["errors"]}["seats.3"]
    await assert_unchanged(session, shop, [], 0)


async def test_unknown_or_repeated_sections_are_named(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop
) -> None:
    response = await put_seats(client, shop, {"sections": ["A", "Z", "A"]})
    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"sections.1", "sections.2"}
    await assert_unchanged(session, shop, [], 0)


async def test_an_event_without_a_venue_has_no_seats(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    staff = await make_staff(session, context)
    event = await create_event(session, organization=staff.org, status="PUBLISHED")
    ticket_type = await create_ticket_type(session, event=event, quantity_total=0)

    response = await client.put(
        f"/ticket-types/{ticket_type.id}/seats", json={"sections": ["A"]}, headers=staff.headers
    )

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(problem) == {"sections"}
    assert "venue" in problem["detail"]


async def test_a_venue_without_a_chart_has_no_seats(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    staff = await make_staff(session, context)
    venue = await create_venue(session, organization=staff.org)
    event = await create_event(session, organization=staff.org, venue=venue)
    ticket_type = await create_ticket_type(session, event=event, quantity_total=0)

    response = await client.put(
        f"/ticket-types/{ticket_type.id}/seats", json={"seats": [ref("A", "1", "1")]}, headers=staff.headers
    )

    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"seats"}


def test_at_most_ten_thousand_named_seats() -> None:
    seat = ref("A", "1", "1")
    SeatMapUpdate.model_validate({"seats": [seat] * MAX_MAPPED_SEATS})
    with pytest.raises(ValidationError) as caught:
        SeatMapUpdate.model_validate({"seats": [seat] * (MAX_MAPPED_SEATS + 1)})
    assert caught.value.errors()[0]["loc"] == ("seats",)


async def test_at_most_ten_thousand_seats_through_sections(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    rows = {str(n): 1000 for n in range(1, 11)}
    shop = await make_seated_shop(session, context, {"A": rows, "B": {"1": 1}}, venue_capacity=20_000)

    too_many = await put_seats(client, shop, {"sections": ["A", "B"]})
    assert error_fields(assert_problem(too_many, 422, "VALIDATION_ERROR")) == {"sections"}
    await assert_unchanged(session, shop, [], 0)

    exactly = await put_seats(client, shop, {"sections": ["A"]})
    assert exactly.status_code == 200, exactly.text
    assert exactly.json()["quantityTotal"] == MAX_MAPPED_SEATS


async def test_the_event_capacity_limits_the_seats(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_seated_shop(session, context, LAYOUT, capacity=6)
    await create_ticket_type(session, event=shop.event, name="Standing", quantity_total=2)

    too_many = await put_seats(client, shop, {"sections": ["B", "A"]})
    problem = assert_problem(too_many, 422, "VALIDATION_ERROR")
    assert error_fields(problem) == {"sections"}
    assert "capacity" in problem["detail"]
    await assert_unchanged(session, shop, [], 0)

    fits = await put_seats(client, shop, {"seats": [ref("A", "1", str(n)) for n in (1, 2, 3, 4)]})
    assert fits.json()["quantityTotal"] == 4


# ----------------------------------------------------------------------------------------- conflicts


async def test_a_seat_of_another_ticket_type_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop
) -> None:
    balcony = await create_ticket_type(session, event=shop.event, name="Balcony", quantity_total=0)
    await map_seats(session, shop.staff.user, balcony, seats=[("B", "1", "2")])

    response = await put_seats(client, shop, {"seats": [ref("B", "1", "1"), ref("B", "1", "2")]})

    problem = assert_problem(response, 409, "CONFLICT")
    assert error_fields(problem) == {"seats.1"}
    assert str(balcony.id) in problem["errors"][0]["message"]
    await assert_unchanged(session, shop, [], 0)

    by_section = await put_seats(client, shop, {"sections": ["A", "B"]})
    assert error_fields(assert_problem(by_section, 409, "CONFLICT")) == {"sections.1"}


async def test_the_same_seats_in_another_event_are_independent(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop
) -> None:
    other_event = await create_event(session, organization=shop.staff.org, venue=shop.venue, name="Matinee")
    other = await create_ticket_type(session, event=other_event, quantity_total=0)
    await map_seats(session, shop.staff.user, other, sections=["B"])

    response = await put_seats(client, shop, {"sections": ["B"]})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("sell", [False, True])
async def test_removing_a_held_or_sold_seat_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, shop: SeatedShop, sell: bool
) -> None:
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["B"])
    buyer = await create_user(session, context)
    order = await create_order(session, user=buyer, event=shop.event)
    await seating.hold_seats(
        session,
        order_id=order.id,
        ticket_type_id=shop.ticket_type.id,
        quantity=1,
        requested=None,
        field="seats",
    )
    if sell:
        await seating.sell_seats(session, order.id)
    await session.commit()

    response = await put_seats(client, shop, {"seats": [ref("B", "1", "2"), ref("B", "1", "3")]})

    problem = assert_problem(response, 409, "CONFLICT")
    assert error_fields(problem) == {"seats"}
    assert "'B', row '1', seat '1'" in problem["errors"][0]["message"]
    await assert_unchanged(session, shop, [("B", "1", "1"), ("B", "1", "2"), ("B", "1", "3")], 3)


async def test_quantity_cannot_drop_below_sold_and_held(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop
) -> None:
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["B"])
    await set_counters(session, shop.ticket_type, sold=3)  # tickets sold that hold no seat

    response = await put_seats(client, shop, {"seats": [ref("B", "1", "1")]})

    assert_problem(response, 409, "CONFLICT")
    await assert_unchanged(session, shop, [("B", "1", "1"), ("B", "1", "2"), ("B", "1", "3")], 3)


async def test_a_ticket_type_with_tickets_but_no_seats_cannot_get_seats(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_seated_shop(session, context, LAYOUT)
    await session.execute(
        update(TicketType)
        .where(TicketType.id == shop.ticket_type.id)
        .values(quantity_total=10, quantity_sold=2)
    )
    await session.commit()

    response = await put_seats(client, shop, {"sections": ["A"]})

    problem = assert_problem(response, 409, "CONFLICT")
    assert "without seats" in problem["detail"]
    await assert_unchanged(session, shop, [], 10)


@pytest.mark.parametrize("status", ["CANCELLED", "COMPLETED"])
async def test_a_frozen_event_cannot_be_mapped(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, status: str
) -> None:
    shop = await make_seated_shop(session, context, LAYOUT, status=status)
    response = await put_seats(client, shop, {"sections": ["A"]})
    assert_problem(response, 409, "INVALID_STATE")
    await assert_unchanged(session, shop, [], 0)


# --------------------------------------------------------------------------------------------- access


async def test_strangers_get_404_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, shop: SeatedShop
) -> None:
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["B"])
    other_staff = await make_staff(session, context, name="Other Org")
    customer = await create_user(session, context)

    for headers in (other_staff.headers, auth(context, customer)):
        response = await put_seats(client, shop, {"sections": ["A"]}, headers=headers)
        assert_problem(response, 404, "NOT_FOUND")
    assert_problem(await put_seats(client, shop, {"sections": ["A"]}, headers={}), 401, "UNAUTHORIZED")
    missing = await client.put(
        "/ticket-types/00000000-0000-4000-8000-000000000000/seats",
        json={"sections": ["A"]},
        headers=shop.staff.headers,
    )
    assert_problem(missing, 404, "NOT_FOUND")
    await assert_unchanged(session, shop, [("B", "1", "1"), ("B", "1", "2"), ("B", "1", "3")], 3)
    actions = list(await session.scalars(select(AuditEntry.action)))
    assert actions.count("ticket_type.seats_mapped") == 1


# --------------------------------------------------------------------------------- ticket type update


async def test_quantity_total_of_a_seated_ticket_type_follows_the_map(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop
) -> None:
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["B"])
    url = f"/ticket-types/{shop.ticket_type.id}"

    changed = await client.put(url, json={"quantityTotal": 10}, headers=shop.staff.headers)
    problem = assert_problem(changed, 409, "CONFLICT")
    assert f"/ticket-types/{shop.ticket_type.id}/seats" in problem["detail"]

    same = await client.put(url, json={"quantityTotal": 3, "name": "Stalls B"}, headers=shop.staff.headers)
    assert same.status_code == 200, same.text
    assert (same.json()["name"], same.json()["quantityTotal"]) == ("Stalls B", 3)


async def test_quantity_total_of_an_unseated_ticket_type_still_changes(
    client: httpx.AsyncClient, shop: SeatedShop
) -> None:
    response = await client.put(
        f"/ticket-types/{shop.ticket_type.id}", json={"quantityTotal": 5}, headers=shop.staff.headers
    )
    assert response.json()["quantityTotal"] == 5


async def test_deleting_a_ticket_type_removes_its_seats(
    client: httpx.AsyncClient, session: AsyncSession, shop: SeatedShop
) -> None:
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["B"])
    response = await client.delete(f"/ticket-types/{shop.ticket_type.id}", headers=shop.staff.headers)
    assert response.status_code == 204, response.text
    assert list(await session.scalars(select(EventSeat.id))) == []

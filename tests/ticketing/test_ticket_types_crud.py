"""Ticket types: create, read, list, partial update, delete, and input validation."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event, create_ticket_type
from tests.ticketing.helpers import (
    Staff,
    assert_problem,
    error_fields,
    make_staff,
    reload,
    set_counters,
    ticket_type_body,
)
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext
from tixmo.events.models import Event

READ_FIELDS = {
    "id",
    "eventId",
    "name",
    "description",
    "price",
    "currentPrice",
    "currency",
    "quantityTotal",
    "quantitySold",
    "quantityHeld",
    "quantityAvailable",
    "onSale",
    "salesStart",
    "salesEnd",
    "minPerOrder",
    "maxPerOrder",
    "maxPerBuyer",
    "priceTiers",
    "createdAt",
    "updatedAt",
}


@pytest.fixture
async def staff(session: AsyncSession, context: AppContext) -> Staff:
    return await make_staff(session, context)


@pytest.fixture
async def event(session: AsyncSession, staff: Staff) -> Event:
    return await create_event(session, organization=staff.org)


async def audit_actions(session: AsyncSession, entity_id: uuid.UUID) -> list[AuditEntry]:
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id == entity_id).order_by(AuditEntry.created_at)
    )
    return list(rows)


# ------------------------------------------------------------------------------------------- create


async def test_create_returns_the_full_shape_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    body = ticket_type_body(
        description="Standing room",
        salesStart="2030-01-01T10:00:00+02:00",
        salesEnd="2030-02-01T00:00:00Z",
        minPerOrder=2,
        maxPerOrder=6,
    )
    response = await client.post(f"/events/{event.id}/ticket-types", json=body, headers=staff.headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == READ_FIELDS
    assert created["eventId"] == str(event.id)
    assert created["price"] == "25.00"
    assert created["currentPrice"] == "25.00"
    assert created["currency"] == "USD"
    assert created["quantityTotal"] == 100
    assert created["quantityAvailable"] == 100
    assert (created["quantitySold"], created["quantityHeld"]) == (0, 0)
    assert created["onSale"] is False  # the event is a DRAFT
    assert created["salesStart"] == "2030-01-01T08:00:00Z"
    assert created["salesEnd"] == "2030-02-01T00:00:00Z"
    assert (created["minPerOrder"], created["maxPerOrder"]) == (2, 6)
    assert created["priceTiers"] == []

    entries = await audit_actions(session, uuid.UUID(created["id"]))
    assert [entry.action for entry in entries] == ["ticket_type.created"]
    assert entries[0].organization_id == staff.org.id
    assert entries[0].actor_id == staff.user.id
    assert entries[0].after is not None and entries[0].after["price"] == "25.00"


@pytest.mark.parametrize(
    ("price", "expected"), [(25, "25.00"), (25.5, "25.50"), ("0", "0.00"), ("7.1", "7.10")]
)
async def test_price_accepts_numbers_and_strings(
    client: httpx.AsyncClient, staff: Staff, event: Event, price: Any, expected: str
) -> None:
    response = await client.post(
        f"/events/{event.id}/ticket-types", json=ticket_type_body(price=price), headers=staff.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["price"] == expected


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "abc"}, "price"),
        ({"price": "12.345"}, "price"),
        ({"price": 12.345}, "price"),
        ({"price": "-1.00"}, "price"),
        ({"price": True}, "price"),
        ({"price": "1e30"}, "price"),
        ({"quantityTotal": "ten"}, "quantityTotal"),
        ({"quantityTotal": "10"}, "quantityTotal"),
        ({"quantityTotal": 10.5}, "quantityTotal"),
        ({"quantityTotal": -1}, "quantityTotal"),
        ({"quantityTotal": 10**12}, "quantityTotal"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"currency": "dollars"}, "currency"),
        ({"minPerOrder": 0}, "minPerOrder"),
        ({"maxPerOrder": 0}, "maxPerOrder"),
        ({"salesStart": "2030-01-01T10:00:00"}, "salesStart"),
        ({"salesEnd": "next week"}, "salesEnd"),
        ({"foo": 1}, "foo"),
        ({"quantity_total": 5}, "quantity_total"),
        ({"priceTiers": "early"}, "priceTiers"),
    ],
)
async def test_create_rejects_bad_input(
    client: httpx.AsyncClient, staff: Staff, event: Event, overrides: dict[str, Any], field: str
) -> None:
    response = await client.post(
        f"/events/{event.id}/ticket-types", json=ticket_type_body(**overrides), headers=staff.headers
    )
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field in error_fields(body)


@pytest.mark.parametrize("missing", ["name", "price", "quantityTotal"])
async def test_create_requires_fields(
    client: httpx.AsyncClient, staff: Staff, event: Event, missing: str
) -> None:
    body = ticket_type_body()
    del body[missing]
    response = await client.post(f"/events/{event.id}/ticket-types", json=body, headers=staff.headers)
    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {missing}


async def test_create_rejects_a_non_object_body(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    response = await client.post(
        f"/events/{event.id}/ticket-types",
        content=b"{not json",
        headers={**staff.headers, "content-type": "application/json"},
    )
    assert_problem(response, 422, "VALIDATION_ERROR")


# --------------------------------------------------------------------------------------- read, list


async def test_get_and_list_return_the_ticket_types_in_creation_order(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    ids = []
    for name in ("Early", "Regular", "VIP"):
        created = await client.post(
            f"/events/{event.id}/ticket-types", json=ticket_type_body(name=name), headers=staff.headers
        )
        ids.append(created.json()["id"])

    page = await client.get(f"/events/{event.id}/ticket-types", headers=staff.headers)
    assert page.status_code == 200
    assert [item["id"] for item in page.json()["data"]] == ids
    assert page.json()["meta"] == {"page": 1, "limit": 20, "total": 3, "totalPages": 1}

    second = await client.get(
        f"/events/{event.id}/ticket-types", params={"page": 2, "limit": 2}, headers=staff.headers
    )
    assert [item["name"] for item in second.json()["data"]] == ["VIP"]
    assert second.json()["meta"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2}

    one = await client.get(f"/ticket-types/{ids[1]}", headers=staff.headers)
    assert one.status_code == 200
    assert one.json()["name"] == "Regular"
    assert set(one.json()) == READ_FIELDS


async def test_list_rejects_bad_paging(client: httpx.AsyncClient, staff: Staff, event: Event) -> None:
    response = await client.get(
        f"/events/{event.id}/ticket-types", params={"limit": 101}, headers=staff.headers
    )
    assert "limit" in error_fields(assert_problem(response, 422, "VALIDATION_ERROR"))


async def test_unknown_ids_are_404(client: httpx.AsyncClient, staff: Staff) -> None:
    missing = uuid.uuid4()
    for response in (
        await client.get(f"/ticket-types/{missing}", headers=staff.headers),
        await client.get(f"/ticket-types/{missing}/availability"),
        await client.put(f"/ticket-types/{missing}", json={"name": "x"}, headers=staff.headers),
        await client.delete(f"/ticket-types/{missing}", headers=staff.headers),
        await client.get(f"/events/{missing}/ticket-types"),
        await client.post(f"/events/{missing}/ticket-types", json=ticket_type_body(), headers=staff.headers),
    ):
        assert_problem(response, 404, "NOT_FOUND")
    assert_problem(await client.get("/ticket-types/not-a-uuid"), 422, "VALIDATION_ERROR")


async def test_availability_has_the_live_counters(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff
) -> None:
    event = await create_event(session, organization=staff.org, status="PUBLISHED")
    ticket_type = await create_ticket_type(session, event=event, quantity_total=50, price_minor=1999)
    await set_counters(session, ticket_type, sold=20, held=5)
    response = await client.get(f"/ticket-types/{ticket_type.id}/availability")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "ticketTypeId": str(ticket_type.id),
        "quantityTotal": 50,
        "quantitySold": 20,
        "quantityHeld": 5,
        "quantityAvailable": 25,
        "onSale": True,
        "currentPrice": "19.99",
        "currency": "USD",
        "salesStart": None,
        "salesEnd": None,
        "nextPriceChange": None,
        "nextPrice": None,
    }


# ------------------------------------------------------------------------------------------- update


async def test_put_is_partial_and_audits_only_the_changes(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    ticket_type = await create_ticket_type(
        session, event=event, description="Old", max_per_order=8, quantity_total=40
    )
    response = await client.put(
        f"/ticket-types/{ticket_type.id}",
        json={"name": "Balcony", "price": 30, "description": None},
        headers=staff.headers,
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert (updated["name"], updated["price"], updated["description"]) == ("Balcony", "30.00", None)
    assert (updated["quantityTotal"], updated["maxPerOrder"], updated["currency"]) == (40, 8, "USD")

    entries = await audit_actions(session, ticket_type.id)
    assert entries[-1].action == "ticket_type.updated"
    assert entries[-1].organization_id == staff.org.id
    assert entries[-1].before == {"name": "General admission", "price": "25.00", "description": "Old"}
    assert entries[-1].after == {"name": "Balcony", "price": "30.00", "description": None}


async def test_put_with_no_change_writes_no_audit_entry(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    ticket_type = await create_ticket_type(session, event=event)
    response = await client.put(f"/ticket-types/{ticket_type.id}", json={}, headers=staff.headers)
    assert response.status_code == 200
    assert await audit_actions(session, ticket_type.id) == []


@pytest.mark.parametrize("field", ["name", "price", "quantityTotal", "minPerOrder", "currency"])
async def test_put_cannot_null_required_fields(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event, field: str
) -> None:
    ticket_type = await create_ticket_type(session, event=event)
    response = await client.put(f"/ticket-types/{ticket_type.id}", json={field: None}, headers=staff.headers)
    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {field}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price": "1.001"}, "price"),
        ({"quantityTotal": "many"}, "quantityTotal"),
        ({"eventId": "x"}, "eventId"),
    ],
)
async def test_put_rejects_bad_input(
    client: httpx.AsyncClient,
    session: AsyncSession,
    staff: Staff,
    event: Event,
    body: dict[str, Any],
    field: str,
) -> None:
    ticket_type = await create_ticket_type(session, event=event)
    response = await client.put(f"/ticket-types/{ticket_type.id}", json=body, headers=staff.headers)
    assert field in error_fields(assert_problem(response, 422, "VALIDATION_ERROR"))


# ------------------------------------------------------------------------------------------- delete


async def test_delete_removes_an_unsold_ticket_type_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    ticket_type = await create_ticket_type(session, event=event)
    response = await client.delete(f"/ticket-types/{ticket_type.id}", headers=staff.headers)
    assert response.status_code == 204
    assert await reload(session, ticket_type.id) is None
    assert_problem(
        await client.get(f"/ticket-types/{ticket_type.id}", headers=staff.headers), 404, "NOT_FOUND"
    )
    entries = await audit_actions(session, ticket_type.id)
    assert [entry.action for entry in entries] == ["ticket_type.deleted"]
    assert entries[0].organization_id == staff.org.id


@pytest.mark.parametrize(("sold", "held"), [(1, 0), (0, 1), (3, 2)])
async def test_delete_refuses_when_anything_is_sold_or_held(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event, sold: int, held: int
) -> None:
    ticket_type = await create_ticket_type(session, event=event)
    await set_counters(session, ticket_type, sold=sold, held=held)
    response = await client.delete(f"/ticket-types/{ticket_type.id}", headers=staff.headers)
    assert_problem(response, 409, "CONFLICT")
    assert await reload(session, ticket_type.id) is not None

"""``/venues``: create, validate, list, read, update, soft delete, and tenant isolation."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.events.helpers import Tenant, assert_problem, error_fields, make_tenant
from tests.factories import auth, create_event, create_user, create_venue
from tixmo.accounts.models import Role
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext
from tixmo.venues.models import Venue


def venue_body(org_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organizationId": str(org_id),
        "name": "Blue Hall",
        "address": {
            "line1": "Main Street 1",
            "line2": "Backyard",
            "city": "Berlin",
            "state": "BE",
            "postalCode": "10115",
            "country": "DE",
        },
        "capacity": 10,
        "timezone": "Europe/Berlin",
        "seatingChart": {
            "sections": [
                {
                    "name": "Stalls",
                    "rows": [{"name": "A", "seats": ["1", "2", "3"]}, {"name": "B", "seats": ["1"]}],
                }
            ]
        },
    }
    body.update(overrides)
    return body


@pytest.fixture
async def tenant(session: AsyncSession, context: AppContext) -> Tenant:
    return await make_tenant(session, context)


# ------------------------------------------------------------------------------------------- create


async def test_staff_create_a_venue_and_read_it_back(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    response = await client.post("/venues", json=venue_body(tenant.org.id), headers=tenant.headers)
    assert response.status_code == 201, response.text
    venue = response.json()
    assert set(venue) == {
        "id",
        "organizationId",
        "name",
        "address",
        "capacity",
        "timezone",
        "seatingChart",
        "seatCount",
        "createdAt",
        "updatedAt",
        "coverImage",
        "images",
    }
    assert (venue["coverImage"], venue["images"]) == (None, [])  # none uploaded yet (tests/media)
    assert venue["organizationId"] == str(tenant.org.id)
    assert venue["address"] == {
        "line1": "Main Street 1",
        "line2": "Backyard",
        "city": "Berlin",
        "state": "BE",
        "postalCode": "10115",
        "country": "DE",
    }
    assert (venue["capacity"], venue["timezone"], venue["seatCount"]) == (10, "Europe/Berlin", 4)
    assert venue["seatingChart"]["sections"][0]["rows"][0]["seats"] == ["1", "2", "3"]

    fetched = await client.get(f"/venues/{venue['id']}", headers=tenant.headers)
    assert fetched.status_code == 200
    assert fetched.json() == venue

    entry = await session.scalar(select(AuditEntry).where(AuditEntry.entity_id == uuid.UUID(venue["id"])))
    assert entry is not None
    assert (entry.action, entry.organization_id, entry.actor_id) == (
        "venue.created",
        tenant.org.id,
        tenant.user.id,
    )


async def test_optional_fields_may_be_left_out(client: httpx.AsyncClient, tenant: Tenant) -> None:
    body = venue_body(tenant.org.id)
    del body["seatingChart"]
    body["address"] = {"line1": "1 Road", "city": "Oslo", "postalCode": "0150", "country": "NO"}
    response = await client.post("/venues", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    venue = response.json()
    assert venue["seatingChart"] is None
    assert venue["seatCount"] == 0
    assert venue["address"]["line2"] is None
    assert venue["address"]["state"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": 5}, "timezone"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -5}, "capacity"),
        ({"capacity": "many"}, "capacity"),
        ({"name": ""}, "name"),
        ({"organizationId": "not-a-uuid"}, "organizationId"),
        ({"unknownField": 1}, "unknownField"),
        ({"organization_id": "x"}, "organization_id"),
        ({"address": {"line1": "x", "city": "y", "postalCode": "1", "country": "de"}}, "address.country"),
        ({"address": {"line1": "x", "city": "y", "postalCode": "1", "country": "DEU"}}, "address.country"),
        ({"address": {"line1": "x", "city": "y", "country": "DE"}}, "address.postalCode"),
        (
            {"address": {"line1": "x", "city": "y", "postalCode": "1", "country": "DE", "zip": 1}},
            "address.zip",
        ),
        (
            {"seatingChart": {"sections": [{"name": "S", "rows": [{"name": "A", "seats": ["1", "1"]}]}]}},
            "seatingChart.sections.0.rows.0.seats",
        ),
        (
            {
                "seatingChart": {
                    "sections": [
                        {"name": "S", "rows": [{"name": "A", "seats": []}, {"name": "A", "seats": []}]}
                    ]
                }
            },
            "seatingChart.sections.0.rows",
        ),
        (
            {"seatingChart": {"sections": [{"name": "S", "rows": []}, {"name": "S", "rows": []}]}},
            "seatingChart.sections",
        ),
        ({"seatingChart": {"sections": [{"name": "S"}]}}, "seatingChart.sections.0.rows"),
        ({"seatingChart": {"rows": []}}, "seatingChart.sections"),
    ],
)
async def test_invalid_bodies_are_422_naming_the_field(
    client: httpx.AsyncClient, tenant: Tenant, change: dict[str, Any], field: str
) -> None:
    response = await client.post("/venues", json=venue_body(tenant.org.id, **change), headers=tenant.headers)
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field in error_fields(body)


@pytest.mark.parametrize("missing", ["organizationId", "name", "address", "capacity", "timezone"])
async def test_missing_required_fields(client: httpx.AsyncClient, tenant: Tenant, missing: str) -> None:
    body = venue_body(tenant.org.id)
    del body[missing]
    problem = assert_problem(
        await client.post("/venues", json=body, headers=tenant.headers), 422, "VALIDATION_ERROR"
    )
    assert missing in error_fields(problem)


async def test_more_seats_than_capacity_is_422_on_seating_chart(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    response = await client.post(
        "/venues", json=venue_body(tenant.org.id, capacity=3), headers=tenant.headers
    )
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"seatingChart"}
    assert await session.scalar(select(Venue.id)) is None
    # exactly as many seats as capacity is fine
    ok = await client.post("/venues", json=venue_body(tenant.org.id, capacity=4), headers=tenant.headers)
    assert ok.status_code == 201, ok.text


async def test_needs_a_token(client: httpx.AsyncClient, tenant: Tenant) -> None:
    assert_problem(await client.post("/venues", json=venue_body(tenant.org.id)), 401, "UNAUTHORIZED")
    assert_problem(await client.get("/venues"), 401, "UNAUTHORIZED")


async def test_creating_under_a_foreign_or_unknown_organization_is_404(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    outsider = await make_tenant(session, context, name="Other")
    response = await client.post("/venues", json=venue_body(tenant.org.id), headers=outsider.headers)
    assert_problem(response, 404, "NOT_FOUND")
    response = await client.post("/venues", json=venue_body(uuid.uuid4()), headers=outsider.headers)
    assert_problem(response, 404, "NOT_FOUND")
    assert await session.scalar(select(Venue.id)) is None


async def test_platform_admin_creates_for_any_organization(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    response = await client.post("/venues", json=venue_body(tenant.org.id), headers=auth(context, admin))
    assert response.status_code == 201, response.text


# --------------------------------------------------------------------------------------------- list


async def test_list_shows_only_own_organizations_venues_with_filters_and_meta(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    other = await make_tenant(session, context, name="Other")
    await create_venue(session, organization=tenant.org, name="Alpha Arena", city="Berlin")
    await create_venue(session, organization=tenant.org, name="Beta Club", city="Hamburg")
    await create_venue(session, organization=tenant.org, name="Gamma 100% Hall", city="berlin")
    await create_venue(session, organization=other.org, name="Foreign Hall", city="Berlin")

    page = (await client.get("/venues", headers=tenant.headers)).json()
    assert [v["name"] for v in page["data"]] == ["Alpha Arena", "Beta Club", "Gamma 100% Hall"]
    assert page["meta"] == {"page": 1, "limit": 20, "total": 3, "totalPages": 1}

    berlin = (await client.get("/venues", params={"city": "BERLIN"}, headers=tenant.headers)).json()
    assert [v["name"] for v in berlin["data"]] == ["Alpha Arena", "Gamma 100% Hall"]

    search = (await client.get("/venues", params={"search": "100%"}, headers=tenant.headers)).json()
    assert [v["name"] for v in search["data"]] == ["Gamma 100% Hall"]
    search = (await client.get("/venues", params={"search": "hall"}, headers=tenant.headers)).json()
    assert [v["name"] for v in search["data"]] == ["Gamma 100% Hall"]

    foreign = await client.get(
        "/venues", params={"organizationId": str(other.org.id)}, headers=tenant.headers
    )
    assert foreign.json()["meta"]["total"] == 0

    paged = (await client.get("/venues", params={"page": 2, "limit": 2}, headers=tenant.headers)).json()
    assert [v["name"] for v in paged["data"]] == ["Gamma 100% Hall"]
    assert paged["meta"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2}

    admin = await create_user(session, context, role=Role.ADMIN)
    everything = (await client.get("/venues", headers=auth(context, admin))).json()
    assert everything["meta"]["total"] == 4
    only_other = await client.get(
        "/venues", params={"organizationId": str(other.org.id)}, headers=auth(context, admin)
    )
    assert [v["name"] for v in only_other.json()["data"]] == ["Foreign Hall"]


async def test_list_rejects_bad_pagination(client: httpx.AsyncClient, tenant: Tenant) -> None:
    body = assert_problem(
        await client.get("/venues?limit=101", headers=tenant.headers), 422, "VALIDATION_ERROR"
    )
    assert error_fields(body) == {"limit"}


# ----------------------------------------------------------------------------------------- update


async def test_partial_update_keeps_other_fields(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    created = (await client.post("/venues", json=venue_body(tenant.org.id), headers=tenant.headers)).json()
    response = await client.put(
        f"/venues/{created['id']}",
        json={"name": "Red Hall", "address": {"city": "Potsdam", "line2": None}},
        headers=tenant.headers,
    )
    assert response.status_code == 200, response.text
    venue = response.json()
    assert venue["name"] == "Red Hall"
    assert venue["address"] == {**created["address"], "city": "Potsdam", "line2": None}
    assert (venue["capacity"], venue["timezone"], venue["seatCount"]) == (10, "Europe/Berlin", 4)
    assert venue["updatedAt"] >= created["updatedAt"]

    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "venue.updated"))
    assert entry is not None
    assert entry.before == {"name": "Blue Hall", "city": "Berlin", "addressLine2": "Backyard"}
    assert entry.after == {"name": "Red Hall", "city": "Potsdam", "addressLine2": None}


async def test_update_checks_the_merged_seat_count_and_can_drop_the_chart(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    created = (await client.post("/venues", json=venue_body(tenant.org.id), headers=tenant.headers)).json()
    url = f"/venues/{created['id']}"
    body = assert_problem(
        await client.put(url, json={"capacity": 3}, headers=tenant.headers), 422, "VALIDATION_ERROR"
    )
    assert error_fields(body) == {"seatingChart"}
    dropped = await client.put(url, json={"seatingChart": None, "capacity": 3}, headers=tenant.headers)
    assert dropped.status_code == 200, dropped.text
    assert (dropped.json()["seatingChart"], dropped.json()["seatCount"], dropped.json()["capacity"]) == (
        None,
        0,
        3,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"capacity": None}, "capacity"),
        ({"timezone": None}, "timezone"),
        ({"timezone": "Europe/Nowhere"}, "timezone"),
        ({"address": {"city": None}}, "address.city"),
        ({"address": {"country": "xx"}}, "address.country"),
        ({"organizationId": str(uuid.uuid4())}, "organizationId"),
    ],
)
async def test_update_validation(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant, body: dict[str, Any], field: str
) -> None:
    venue = await create_venue(session, organization=tenant.org)
    problem = assert_problem(
        await client.put(f"/venues/{venue.id}", json=body, headers=tenant.headers), 422, "VALIDATION_ERROR"
    )
    assert field in error_fields(problem)


# ----------------------------------------------------------------------------------------- delete


async def test_delete_is_soft_and_hides_the_venue(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    venue = await create_venue(session, organization=tenant.org)
    await create_event(session, organization=tenant.org, venue=venue, status="CANCELLED")
    response = await client.delete(f"/venues/{venue.id}", headers=tenant.headers)
    assert response.status_code == 204, response.text
    assert_problem(await client.get(f"/venues/{venue.id}", headers=tenant.headers), 404, "NOT_FOUND")
    assert (await client.get("/venues", headers=tenant.headers)).json()["meta"]["total"] == 0
    await session.refresh(venue)
    assert venue.deleted_at is not None
    assert_problem(await client.delete(f"/venues/{venue.id}", headers=tenant.headers), 404, "NOT_FOUND")


@pytest.mark.parametrize("status", ["DRAFT", "PUBLISHED", "COMPLETED"])
async def test_delete_is_refused_while_a_live_event_uses_the_venue(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant, status: str
) -> None:
    venue = await create_venue(session, organization=tenant.org)
    await create_event(session, organization=tenant.org, venue=venue, status=status)
    assert_problem(await client.delete(f"/venues/{venue.id}", headers=tenant.headers), 409, "CONFLICT")
    assert (await client.get(f"/venues/{venue.id}", headers=tenant.headers)).status_code == 200


# ------------------------------------------------------------------------------------ tenant isolation


async def test_other_organizations_staff_get_404_everywhere(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    venue = await create_venue(session, organization=tenant.org, name="Mine")
    outsider = await make_tenant(session, context, name="Other")
    customer = await create_user(session, context)
    for headers in (outsider.headers, auth(context, customer)):
        assert_problem(await client.get(f"/venues/{venue.id}", headers=headers), 404, "NOT_FOUND")
        assert_problem(
            await client.put(f"/venues/{venue.id}", json={"name": "X"}, headers=headers), 404, "NOT_FOUND"
        )
        assert_problem(await client.delete(f"/venues/{venue.id}", headers=headers), 404, "NOT_FOUND")
        assert (await client.get("/venues", headers=headers)).json()["meta"]["total"] == 0
    await session.refresh(venue)
    assert (venue.name, venue.deleted_at) == ("Mine", None)
    assert_problem(await client.get(f"/venues/{uuid.uuid4()}", headers=tenant.headers), 404, "NOT_FOUND")

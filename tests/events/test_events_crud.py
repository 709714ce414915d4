"""``/events``: create, validate, read, update, delete, and tenant isolation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.events.helpers import Tenant, assert_problem, error_fields, make_tenant
from tests.factories import auth, create_event, create_ticket_type, create_user, create_venue
from tixmo.accounts.models import Role
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.ticketing.models import TicketType

STARTS = datetime(2031, 7, 1, 18, 30, tzinfo=UTC)


def event_body(org_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organizationId": str(org_id),
        "name": "Jazz Night",
        "description": "Smooth saxophone on the roof terrace.",
        "category": "CONCERT",
        "tags": [" Jazz ", "LIVE", "jazz", "roof top"],
        "startsAt": STARTS.isoformat(),
        "endsAt": (STARTS + timedelta(hours=3)).isoformat(),
    }
    body.update(overrides)
    return body


@pytest.fixture
async def tenant(session: AsyncSession, context: AppContext) -> Tenant:
    return await make_tenant(session, context)


# ------------------------------------------------------------------------------------------- create


async def test_create_returns_a_draft_with_the_full_shape(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    venue = await create_venue(session, organization=tenant.org, capacity=300, timezone="Europe/Berlin")
    body = event_body(
        tenant.org.id,
        venueId=str(venue.id),
        capacity=250,
        imageUrl="https://cdn.example.com/jazz.png",
        startsAt="2031-07-01T20:30:00+02:00",
        endsAt="2031-07-01T23:30:00+02:00",
    )
    response = await client.post("/events", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    event = response.json()
    assert set(event) == {
        "id",
        "organizationId",
        "venueId",
        "seriesId",
        "name",
        "description",
        "category",
        "tags",
        "startsAt",
        "endsAt",
        "startsAtLocal",
        "endsAtLocal",
        "timezone",
        "capacity",
        "maxPerBuyer",
        "imageUrl",
        "transfersAllowed",
        "currency",
        "refundPolicy",
        "refundDeadlineHours",
        "suspendTicketsOnDispute",
        "status",
        "soldOut",
        "publishedAt",
        "cancelledAt",
        "createdAt",
        "updatedAt",
        "priceRange",
        "coverImage",
        "images",
    }
    assert (event["coverImage"], event["images"]) == (None, [])  # none uploaded yet (tests/media)
    assert event["status"] == "DRAFT"
    assert event["tags"] == ["jazz", "live", "roof top"]
    assert event["startsAt"] == "2031-07-01T18:30:00Z"
    assert event["endsAt"] == "2031-07-01T21:30:00Z"
    assert event["timezone"] == "Europe/Berlin"  # from the venue
    assert event["startsAtLocal"] == "2031-07-01T20:30:00+02:00"
    assert event["endsAtLocal"] == "2031-07-01T23:30:00+02:00"
    assert (event["venueId"], event["capacity"], event["currency"]) == (str(venue.id), 250, "USD")
    assert event["imageUrl"] == "https://cdn.example.com/jazz.png"
    assert (event["refundPolicy"], event["refundDeadlineHours"]) == ("NONE", 24)
    assert (event["soldOut"], event["priceRange"], event["publishedAt"], event["cancelledAt"]) == (
        False,
        None,
        None,
        None,
    )
    assert event["createdAt"].endswith("Z")

    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "event.created"))
    assert entry is not None
    assert (entry.entity_id, entry.organization_id) == (uuid.UUID(event["id"]), tenant.org.id)


async def test_timezone_defaults_to_utc_without_a_venue_and_can_be_given(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    plain = (await client.post("/events", json=event_body(tenant.org.id), headers=tenant.headers)).json()
    assert plain["timezone"] == "UTC"
    assert plain["startsAtLocal"] == "2031-07-01T18:30:00+00:00"
    tokyo = await client.post(
        "/events", json=event_body(tenant.org.id, timezone="Asia/Tokyo"), headers=tenant.headers
    )
    assert tokyo.status_code == 201, tokyo.text
    assert tokyo.json()["startsAtLocal"] == "2031-07-02T03:30:00+09:00"
    minimal = event_body(tenant.org.id)
    del minimal["tags"], minimal["description"]
    bare = await client.post("/events", json=minimal, headers=tenant.headers)
    assert bare.status_code == 201, bare.text
    assert (bare.json()["tags"], bare.json()["description"]) == ([], None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "OPERA"}, "category"),
        ({"category": "concert"}, "category"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"name": ""}, "name"),
        ({"name": 12}, "name"),
        ({"startsAt": "tomorrow"}, "startsAt"),
        ({"startsAt": "2031-07-01T18:30:00"}, "startsAt"),  # no offset
        ({"capacity": 0}, "capacity"),
        ({"capacity": "lots"}, "capacity"),
        ({"tags": "jazz"}, "tags"),
        ({"tags": ["   "]}, "tags"),
        ({"tags": ["x" * 51]}, "tags"),
        ({"tags": [f"t{i}" for i in range(21)]}, "tags"),
        ({"imageUrl": "ftp://example.com/a.png"}, "imageUrl"),
        ({"imageUrl": "not a url"}, "imageUrl"),
        ({"venueId": "nope"}, "venueId"),
        ({"status": "PUBLISHED"}, "status"),
        ({"soldOut": True}, "soldOut"),
        ({"starts_at": STARTS.isoformat()}, "starts_at"),
    ],
)
async def test_invalid_bodies_are_422_naming_the_field(
    client: httpx.AsyncClient, tenant: Tenant, change: dict[str, Any], field: str
) -> None:
    response = await client.post("/events", json=event_body(tenant.org.id, **change), headers=tenant.headers)
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field in error_fields(body)


async def test_exactly_twenty_tags_of_fifty_characters_are_fine(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    tags = [f"{i:02d}" + "x" * 48 for i in range(20)]
    response = await client.post("/events", json=event_body(tenant.org.id, tags=tags), headers=tenant.headers)
    assert response.status_code == 201, response.text
    assert response.json()["tags"] == tags


@pytest.mark.parametrize("missing", ["organizationId", "name", "category", "startsAt", "endsAt"])
async def test_missing_required_fields(client: httpx.AsyncClient, tenant: Tenant, missing: str) -> None:
    body = event_body(tenant.org.id)
    del body[missing]
    problem = assert_problem(
        await client.post("/events", json=body, headers=tenant.headers), 422, "VALIDATION_ERROR"
    )
    assert missing in error_fields(problem)


@pytest.mark.parametrize("ends_offset", [timedelta(0), timedelta(hours=-1)])
async def test_ends_at_must_follow_starts_at(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant, ends_offset: timedelta
) -> None:
    body = event_body(tenant.org.id, endsAt=(STARTS + ends_offset).isoformat())
    problem = assert_problem(
        await client.post("/events", json=body, headers=tenant.headers), 422, "VALIDATION_ERROR"
    )
    assert error_fields(problem) == {"endsAt"}
    assert await session.scalar(select(func.count()).select_from(Event)) == 0


async def test_capacity_cannot_exceed_the_venues(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    venue = await create_venue(session, organization=tenant.org, capacity=100)
    body = event_body(tenant.org.id, venueId=str(venue.id), capacity=101)
    problem = assert_problem(
        await client.post("/events", json=body, headers=tenant.headers), 422, "VALIDATION_ERROR"
    )
    assert error_fields(problem) == {"capacity"}
    body["capacity"] = 100
    assert (await client.post("/events", json=body, headers=tenant.headers)).status_code == 201


async def test_a_foreign_deleted_or_unknown_venue_is_422_on_venue_id(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    other = await make_tenant(session, context, name="Other")
    foreign = await create_venue(session, organization=other.org)
    deleted = await create_venue(session, organization=tenant.org, deleted_at=datetime.now(UTC))
    for venue_id in (foreign.id, deleted.id, uuid.uuid4()):
        body = event_body(tenant.org.id, venueId=str(venue_id))
        problem = assert_problem(
            await client.post("/events", json=body, headers=tenant.headers), 422, "VALIDATION_ERROR"
        )
        assert error_fields(problem) == {"venueId"}
    assert await session.scalar(select(func.count()).select_from(Event)) == 0


async def test_creating_under_a_foreign_organization_is_404(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    outsider = await make_tenant(session, context, name="Other")
    for org_id in (tenant.org.id, uuid.uuid4()):
        response = await client.post("/events", json=event_body(org_id), headers=outsider.headers)
        assert_problem(response, 404, "NOT_FOUND")
    assert_problem(await client.post("/events", json=event_body(tenant.org.id)), 401, "UNAUTHORIZED")
    assert await session.scalar(select(func.count()).select_from(Event)) == 0


async def test_platform_admin_creates_for_any_organization(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    response = await client.post("/events", json=event_body(tenant.org.id), headers=auth(context, admin))
    assert response.status_code == 201, response.text


# --------------------------------------------------------------------------------------------- read


async def test_drafts_are_visible_to_staff_only(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    draft = await create_event(session, organization=tenant.org)
    outsider = await make_tenant(session, context, name="Other")
    assert_problem(await client.get(f"/events/{draft.id}"), 404, "NOT_FOUND")
    assert_problem(await client.get(f"/events/{draft.id}", headers=outsider.headers), 404, "NOT_FOUND")
    assert (await client.get(f"/events/{draft.id}", headers=tenant.headers)).json()["status"] == "DRAFT"
    admin = await create_user(session, context, role=Role.ADMIN)
    assert (await client.get(f"/events/{draft.id}", headers=auth(context, admin))).status_code == 200
    assert_problem(await client.get(f"/events/{uuid.uuid4()}"), 404, "NOT_FOUND")


@pytest.mark.parametrize("status", ["PUBLISHED", "CANCELLED", "COMPLETED"])
async def test_non_draft_events_are_public(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant, status: str
) -> None:
    event = await create_event(session, organization=tenant.org, status=status)
    response = await client.get(f"/events/{event.id}")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == status


async def test_sold_out_and_price_range(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    event = await create_event(session, organization=tenant.org, status="PUBLISHED")
    url = f"/events/{event.id}"
    assert (await client.get(url)).json()["soldOut"] is False  # no ticket types: not sold out

    first = await create_ticket_type(
        session, event=event, quantity_total=10, quantity_sold=10, price_minor=1500
    )
    body = (await client.get(url)).json()
    assert body["soldOut"] is True
    assert body["priceRange"] == {"min": "15.00", "max": "15.00", "currency": "USD"}

    second = await create_ticket_type(
        session, event=event, quantity_total=5, quantity_sold=3, price_minor=4999
    )
    body = (await client.get(url)).json()
    assert body["soldOut"] is False
    assert body["priceRange"] == {"min": "15.00", "max": "49.99", "currency": "USD"}

    second.quantity_held = 2  # held tickets are not available either
    await session.commit()
    assert (await client.get(url)).json()["soldOut"] is True
    listed = (await client.get("/events")).json()["data"]
    assert [(e["id"], e["soldOut"], e["priceRange"]["max"]) for e in listed] == [
        (str(event.id), True, "49.99")
    ]
    assert first.id != second.id


async def test_price_range_uses_the_current_tier_price(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    event = await create_event(session, organization=tenant.org, status="PUBLISHED")
    early = await create_ticket_type(session, event=event, price_minor=3000)
    early.price_tiers = [
        {"kind": "DATE", "until": (datetime.now(UTC) + timedelta(days=1)).isoformat(), "priceMinor": 1200}
    ]
    ended = await create_ticket_type(session, event=event, price_minor=4000)
    ended.price_tiers = [
        {"kind": "DATE", "until": (datetime.now(UTC) - timedelta(days=1)).isoformat(), "priceMinor": 500}
    ]
    await session.commit()
    body = (await client.get(f"/events/{event.id}")).json()
    assert body["priceRange"] == {"min": "12.00", "max": "40.00", "currency": "USD"}


# ------------------------------------------------------------------------------------------- update


async def test_partial_update_validates_the_merged_values(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    venue = await create_venue(session, organization=tenant.org, capacity=50, timezone="America/New_York")
    event = await create_event(session, organization=tenant.org, starts_at=STARTS)
    url = f"/events/{event.id}"

    response = await client.put(url, json={"name": "Jazz Brunch", "tags": ["Brunch"]}, headers=tenant.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["name"], body["tags"], body["category"]) == ("Jazz Brunch", ["brunch"], "CONCERT")
    assert body["startsAt"] == "2031-07-01T18:30:00Z"

    # endsAt alone before the stored startsAt
    problem = assert_problem(
        await client.put(url, json={"endsAt": "2031-07-01T17:00:00Z"}, headers=tenant.headers),
        422,
        "VALIDATION_ERROR",
    )
    assert error_fields(problem) == {"endsAt"}
    # capacity checked against a venue given in the same request
    problem = assert_problem(
        await client.put(url, json={"venueId": str(venue.id), "capacity": 51}, headers=tenant.headers),
        422,
        "VALIDATION_ERROR",
    )
    assert error_fields(problem) == {"capacity"}
    moved = await client.put(
        url,
        json={"venueId": str(venue.id), "capacity": 50, "timezone": "America/New_York"},
        headers=tenant.headers,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["startsAtLocal"] == "2031-07-01T14:30:00-04:00"
    # and a later capacity alone is checked against the stored venue
    problem = assert_problem(
        await client.put(url, json={"capacity": 60}, headers=tenant.headers), 422, "VALIDATION_ERROR"
    )
    assert error_fields(problem) == {"capacity"}
    # optional fields can be cleared; required ones cannot
    cleared = await client.put(url, json={"venueId": None, "capacity": None}, headers=tenant.headers)
    assert (cleared.json()["venueId"], cleared.json()["capacity"]) == (None, None)
    for field in ("name", "startsAt", "category", "tags", "timezone"):
        problem = assert_problem(
            await client.put(url, json={field: None}, headers=tenant.headers), 422, "VALIDATION_ERROR"
        )
        assert error_fields(problem) == {field}
    # read-only: the current organization may come back (GET-modify-PUT), another one is refused
    problem = assert_problem(
        await client.put(url, json={"organizationId": str(uuid.uuid4())}, headers=tenant.headers),
        422,
        "VALIDATION_ERROR",
    )
    assert error_fields(problem) == {"organizationId"}

    entries = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "event.updated"))).all()
    assert len(entries) == 3
    assert entries[0].before == {"name": "Jazz Night", "tags": []}
    assert entries[0].after == {"name": "Jazz Brunch", "tags": ["brunch"]}


@pytest.mark.parametrize("status", ["CANCELLED", "COMPLETED"])
async def test_cancelled_or_completed_events_cannot_be_edited(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant, status: str
) -> None:
    event = await create_event(session, organization=tenant.org, status=status)
    response = await client.put(f"/events/{event.id}", json={"name": "New"}, headers=tenant.headers)
    assert_problem(response, 409, "INVALID_STATE")
    await session.refresh(event)
    assert event.name == "Jazz Night"


async def test_published_events_can_be_edited(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    event = await create_event(session, organization=tenant.org, status="PUBLISHED")
    response = await client.put(
        f"/events/{event.id}", json={"description": "Now outdoors"}, headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["description"] == "Now outdoors"


# ------------------------------------------------------------------------------------------- delete


async def test_delete_a_draft_removes_it_and_its_ticket_types(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    event = await create_event(session, organization=tenant.org)
    await create_ticket_type(session, event=event)
    response = await client.delete(f"/events/{event.id}", headers=tenant.headers)
    assert response.status_code == 204, response.text
    assert_problem(await client.get(f"/events/{event.id}", headers=tenant.headers), 404, "NOT_FOUND")
    assert await session.scalar(select(func.count()).select_from(TicketType)) == 0
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "event.deleted"))
    assert entry is not None
    assert entry.organization_id == tenant.org.id


@pytest.mark.parametrize("status", ["PUBLISHED", "CANCELLED", "COMPLETED"])
async def test_only_drafts_can_be_deleted(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant, status: str
) -> None:
    event = await create_event(session, organization=tenant.org, status=status)
    assert_problem(await client.delete(f"/events/{event.id}", headers=tenant.headers), 409, "INVALID_STATE")
    assert (await client.get(f"/events/{event.id}")).status_code == 200


# ------------------------------------------------------------------------------------ tenant isolation


async def test_other_organizations_staff_get_404_on_every_endpoint(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    outsider = await make_tenant(session, context, name="Other")
    customer = await create_user(session, context)
    draft = await create_event(session, organization=tenant.org, name="Secret Draft")
    published = await create_event(session, organization=tenant.org, status="PUBLISHED")
    await create_ticket_type(session, event=draft)
    for headers in (outsider.headers, auth(context, customer)):
        assert_problem(await client.get(f"/events/{draft.id}", headers=headers), 404, "NOT_FOUND")
        for event in (draft, published):
            url = f"/events/{event.id}"
            assert_problem(await client.put(url, json={"name": "Mine"}, headers=headers), 404, "NOT_FOUND")
            assert_problem(await client.delete(url, headers=headers), 404, "NOT_FOUND")
            assert_problem(await client.post(f"{url}/publish", headers=headers), 404, "NOT_FOUND")
            assert_problem(await client.post(f"{url}/cancel", headers=headers), 404, "NOT_FOUND")
        listed = (await client.get("/events", params={"status": "DRAFT"}, headers=headers)).json()
        assert listed["meta"]["total"] == 0
    await session.refresh(draft)
    await session.refresh(published)
    assert (draft.name, draft.status, published.status) == ("Secret Draft", "DRAFT", "PUBLISHED")


async def test_other_organizations_venue_cannot_be_attached_by_update(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    other = await make_tenant(session, context, name="Other")
    foreign = await create_venue(session, organization=other.org)
    event = await create_event(session, organization=tenant.org)
    response = await client.put(
        f"/events/{event.id}", json={"venueId": str(foreign.id)}, headers=tenant.headers
    )
    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"venueId"}


async def test_capacity_cannot_drop_below_what_the_ticket_types_offer(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    small_venue = await create_venue(session, organization=tenant.org, capacity=50)
    event = await create_event(session, organization=tenant.org, starts_at=STARTS, capacity=100)
    await create_ticket_type(session, event=event, quantity_total=60)
    url = f"/events/{event.id}"

    problem = assert_problem(
        await client.put(url, json={"capacity": 59}, headers=tenant.headers), 422, "VALIDATION_ERROR"
    )
    assert error_fields(problem) == {"capacity"}
    # Dropping the event's own capacity so the smaller venue's applies is refused the same way.
    problem = assert_problem(
        await client.put(
            url, json={"capacity": None, "venueId": str(small_venue.id)}, headers=tenant.headers
        ),
        422,
        "VALIDATION_ERROR",
    )
    assert error_fields(problem) == {"capacity"}
    await session.refresh(event)
    assert (event.capacity, event.venue_id) == (100, None)

    response = await client.put(url, json={"capacity": 60}, headers=tenant.headers)
    assert response.status_code == 200, response.text
    assert response.json()["capacity"] == 60


async def test_transfers_allowed_defaults_to_true_and_is_a_strict_boolean(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    default = await client.post("/events", json=event_body(tenant.org.id), headers=tenant.headers)
    forbidden = await client.post(
        "/events", json=event_body(tenant.org.id, transfersAllowed=False), headers=tenant.headers
    )
    assert default.json()["transfersAllowed"] is True
    assert forbidden.json()["transfersAllowed"] is False
    path = f"/events/{default.json()['id']}"

    for bad in (None, "yes", 1):
        response = await client.put(path, json={"transfersAllowed": bad}, headers=tenant.headers)
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"transfersAllowed"}, bad
    created = await client.post(
        "/events", json=event_body(tenant.org.id, transfersAllowed="no"), headers=tenant.headers
    )
    assert error_fields(assert_problem(created, 422, "VALIDATION_ERROR")) == {"transfersAllowed"}
    switched = await client.put(path, json={"transfersAllowed": False}, headers=tenant.headers)
    assert switched.json()["transfersAllowed"] is False
    assert (await client.get(path, headers=tenant.headers)).json()["transfersAllowed"] is False
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "event.updated"))
    assert entry is not None and entry.after == {"transfersAllowed": False}

"""``GET /events``: who sees what, full-text search, filters, sorting and pagination."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.events.helpers import Tenant, assert_problem, error_fields, make_tenant
from tests.factories import auth, create_event, create_user, create_venue
from tixmo.accounts.models import Role
from tixmo.deps import AppContext
from tixmo.events.service import search_terms, tsquery_text

BASE = datetime(2031, 3, 1, 20, 0, tzinfo=UTC)


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [event["name"] for event in response.json()["data"]]


@pytest.fixture
async def tenant(session: AsyncSession, context: AppContext) -> Tenant:
    return await make_tenant(session, context)


async def _event(session: AsyncSession, tenant: Tenant, name: str, days: int = 0, **kw: Any) -> None:
    kw.setdefault("status", "PUBLISHED")
    await create_event(
        session, organization=tenant.org, name=name, starts_at=BASE + timedelta(days=days), **kw
    )


# -------------------------------------------------------------------------------------- visibility


async def test_who_sees_which_statuses(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    other = await make_tenant(session, context, name="Other")
    await _event(session, tenant, "Mine Published", 1)
    await _event(session, tenant, "Mine Draft", 2, status="DRAFT")
    await _event(session, tenant, "Mine Cancelled", 3, status="CANCELLED")
    await _event(session, tenant, "Mine Completed", 4, status="COMPLETED")
    await _event(session, other, "Theirs Published", 5)
    await _event(session, other, "Theirs Draft", 6, status="DRAFT")

    assert names(await client.get("/events")) == ["Mine Published", "Theirs Published"]
    assert names(await client.get("/events", headers=tenant.headers)) == [
        "Mine Published",
        "Mine Draft",
        "Mine Cancelled",
        "Mine Completed",
        "Theirs Published",
    ]
    customer = await create_user(session, context)
    assert names(await client.get("/events", headers=auth(context, customer))) == [
        "Mine Published",
        "Theirs Published",
    ]
    admin = await create_user(session, context, role=Role.ADMIN)
    assert len(names(await client.get("/events", headers=auth(context, admin)))) == 6

    # asking for drafts only shows the ones the caller may see
    assert names(await client.get("/events", params={"status": "DRAFT"})) == []
    assert names(await client.get("/events", params={"status": "DRAFT"}, headers=other.headers)) == [
        "Theirs Draft"
    ]
    assert names(await client.get("/events", params={"status": "CANCELLED"}, headers=tenant.headers)) == [
        "Mine Cancelled"
    ]
    # an invalid token is not treated as anonymous
    assert_problem(await client.get("/events", headers={"Authorization": "Bearer nope"}), 401, "UNAUTHORIZED")


# ------------------------------------------------------------------------------------------- search


async def test_prefix_search_on_name_and_description(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    await _event(session, tenant, "Jazz Night", 1)
    await _event(session, tenant, "Rock Festival", 2, description="Loud guitars and jazzy interludes")
    await _event(session, tenant, "Poetry Slam", 3, description="Spoken word on the waterfront")
    await _event(session, tenant, "Jazz Draft", 4, status="DRAFT")

    assert names(await client.get("/events", params={"q": "jaz"})) == ["Jazz Night", "Rock Festival"]
    assert names(await client.get("/events", params={"q": "JAZZ"})) == ["Jazz Night", "Rock Festival"]
    assert names(await client.get("/events", params={"q": "waterfront"})) == ["Poetry Slam"]
    assert names(await client.get("/events", params={"q": "guitar"})) == ["Rock Festival"]  # stem/prefix
    # every word must match
    assert names(await client.get("/events", params={"q": "rock jaz"})) == ["Rock Festival"]
    assert names(await client.get("/events", params={"q": "poetry jazz"})) == []
    # no match: an empty page with meta
    empty = await client.get("/events", params={"q": "zzzzzz"})
    assert empty.json() == {"data": [], "meta": {"page": 1, "limit": 20, "total": 0, "totalPages": 0}}


@pytest.mark.parametrize(
    "q", ["'", "jazz & | !", "jaz:* | rock", "(", "\\", "jazz')) OR 1=1 --", "::", "<->", "   ", "%_"]
)
async def test_hostile_queries_never_break_the_search(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant, q: str
) -> None:
    await _event(session, tenant, "Jazz Night", 1)
    await _event(session, tenant, "Rock Night", 2)
    response = await client.get("/events", params={"q": q})
    assert response.status_code == 200, response.text
    expected = {"jazz & | !": ["Jazz Night"], "jaz:* | rock": [], "jazz')) OR 1=1 --": []}
    assert names(response) == expected.get(q, [])


def test_search_terms_keep_only_letters_and_digits() -> None:
    assert search_terms("Jaz-Fest!! 2031 Café's") == ["jaz", "fest", "2031", "café", "s"]
    assert tsquery_text(search_terms("jaz fest")) == "jaz:* & fest:*"
    assert search_terms("a_b") == ["a", "b"]
    assert search_terms("!!!") == []


async def test_relevance_order_and_explicit_sort(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    # ts_rank_cd: a name hit (weight A, 1.0) beats one description hit (B 0.4 + C 0.2); a word repeated
    # three times in the description (3 x 0.6) beats a single name hit.
    await _event(session, tenant, "Evening Show", 1, description="A little salsa")
    await _event(session, tenant, "Salsa Party", 3)
    await _event(session, tenant, "Dance Class", 2, description="Salsa, salsa and more salsa dancing")
    await _event(session, tenant, "Tango Evening", 4)
    assert names(await client.get("/events", params={"q": "salsa"})) == [
        "Dance Class",
        "Salsa Party",
        "Evening Show",
    ]
    assert names(await client.get("/events", params={"q": "salsa", "sort": "startsAt"})) == [
        "Evening Show",
        "Dance Class",
        "Salsa Party",
    ]
    assert names(await client.get("/events", params={"q": "salsa", "sort": "-startsAt"})) == [
        "Salsa Party",
        "Dance Class",
        "Evening Show",
    ]
    assert names(await client.get("/events", params={"sort": "name"})) == [
        "Dance Class",
        "Evening Show",
        "Salsa Party",
        "Tango Evening",
    ]
    assert names(await client.get("/events")) == [
        "Evening Show",
        "Dance Class",
        "Salsa Party",
        "Tango Evening",
    ]
    # with a query and no sort, equal ranks fall back to startsAt
    assert names(await client.get("/events", params={"q": "even"})) == ["Evening Show", "Tango Evening"]
    problem = assert_problem(await client.get("/events", params={"sort": "price"}), 422, "VALIDATION_ERROR")
    assert error_fields(problem) == {"sort"}


# ------------------------------------------------------------------------------------------ filters


async def test_filters_combine(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    other = await make_tenant(session, context, name="Other")
    hall = await create_venue(session, organization=tenant.org)
    await _event(session, tenant, "Jazz Night", 1, venue=hall, tags=["jazz", "live"])
    await _event(session, tenant, "Jazz Brunch", 5, tags=["jazz", "food"], category="OTHER")
    await _event(session, tenant, "Jazz Club", 10, venue=hall, tags=["jazz"])
    await _event(session, other, "Jazz Abroad", 2, tags=["jazz", "live"])

    assert names(await client.get("/events", params={"category": "CONCERT", "q": "jazz"})) == [
        "Jazz Night",
        "Jazz Abroad",
        "Jazz Club",
    ]
    assert names(await client.get("/events", params={"tag": "LIVE"})) == ["Jazz Night", "Jazz Abroad"]
    assert names(await client.get("/events", params=[("tag", "jazz"), ("tag", "live")])) == [
        "Jazz Night",
        "Jazz Abroad",
    ]
    assert names(await client.get("/events", params={"tag": "food", "q": "night"})) == []
    assert names(await client.get("/events", params={"venueId": str(hall.id)})) == ["Jazz Night", "Jazz Club"]
    assert names(await client.get("/events", params={"organizationId": str(other.org.id)})) == ["Jazz Abroad"]
    window = {"from": (BASE + timedelta(days=2)).isoformat(), "to": (BASE + timedelta(days=10)).isoformat()}
    assert names(await client.get("/events", params=window)) == ["Jazz Abroad", "Jazz Brunch"]  # to exclusive
    assert names(await client.get("/events", params={**window, "organizationId": str(tenant.org.id)})) == [
        "Jazz Brunch"
    ]
    naive = {"from": "2031-03-06T20:00:00"}  # no offset: read as UTC
    assert names(await client.get("/events", params=naive)) == ["Jazz Brunch", "Jazz Club"]
    combined = {"q": "jaz", "tag": "jazz", "venueId": str(hall.id), "to": window["to"], "sort": "-startsAt"}
    assert names(await client.get("/events", params=combined)) == ["Jazz Night"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "OPERA"}, "category"),
        ({"status": "LIVE"}, "status"),
        ({"from": "yesterday"}, "from"),
        ({"venueId": "x"}, "venueId"),
        ({"organizationId": "x"}, "organizationId"),
        ({"page": 0}, "page"),
        ({"limit": 0}, "limit"),
        ({"q": "x" * 201}, "q"),
    ],
)
async def test_bad_filters_are_422(client: httpx.AsyncClient, params: dict[str, Any], field: str) -> None:
    problem = assert_problem(await client.get("/events", params=params), 422, "VALIDATION_ERROR")
    assert field in error_fields(problem)


# --------------------------------------------------------------------------------------- pagination


async def test_pagination_meta(client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant) -> None:
    for day in range(5):
        await _event(session, tenant, f"Show {day}", day)
    first = (await client.get("/events", params={"limit": 2})).json()
    assert [e["name"] for e in first["data"]] == ["Show 0", "Show 1"]
    assert first["meta"] == {"page": 1, "limit": 2, "total": 5, "totalPages": 3}
    last = (await client.get("/events", params={"limit": 2, "page": 3})).json()
    assert [e["name"] for e in last["data"]] == ["Show 4"]
    beyond = (await client.get("/events", params={"limit": 2, "page": 4})).json()
    assert beyond == {"data": [], "meta": {"page": 4, "limit": 2, "total": 5, "totalPages": 3}}

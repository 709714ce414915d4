"""Bad input is a 422 naming the field (or a 401 for a bad token), never a 500, and writes nothing.

Each case here answered 500 before the edge refused it: PostgreSQL cannot store U+0000 in text, an instant
far from UTC overflows on conversion, ``"1e999999"`` overflowed the decimal context, a token's huge ``exp``
overflowed ``datetime``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.events.helpers import make_tenant
from tests.factories import auth, create_event, create_ticket_type, create_user, create_venue
from tests.problems import assert_problem, error_fields
from tixmo.accounts.models import Role
from tixmo.deps import AppContext
from tixmo.models import Base
from tixmo.ticketing.models import TicketType


@dataclass
class World:
    """A PROMOTER's organization with a venue, a PUBLISHED event and a ticket type; an ADMIN."""

    headers: dict[str, str]
    admin_headers: dict[str, str]
    org_id: str
    venue_id: str
    event_id: str
    ticket_type_id: str
    user_id: str


@pytest.fixture
async def world(session: AsyncSession, context: AppContext) -> World:
    tenant = await make_tenant(session, context)
    admin = await create_user(session, context, role=Role.ADMIN)
    venue = await create_venue(session, organization=tenant.org)
    event = await create_event(session, organization=tenant.org, venue=venue, status="PUBLISHED")
    ticket_type = await create_ticket_type(session, event=event)
    return World(
        headers=tenant.headers,
        admin_headers=auth(context, admin),
        org_id=str(tenant.org.id),
        venue_id=str(venue.id),
        event_id=str(event.id),
        ticket_type_id=str(ticket_type.id),
        user_id=str(tenant.user.id),
    )


async def row_counts(session: AsyncSession) -> dict[str, int]:
    """Rows per table: equal before and after a refused request when nothing was written."""
    counts = {}
    for table in Base.metadata.sorted_tables:
        counts[table.name] = int(await session.scalar(select(func.count()).select_from(table)) or 0)
    await session.commit()
    return counts


def event_body(world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organizationId": world.org_id,
        "name": "Jazz Night",
        "category": "CONCERT",
        "startsAt": "2031-07-05T19:30:00Z",
        "endsAt": "2031-07-05T23:00:00Z",
    }
    body.update(overrides)
    return body


def venue_body(world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organizationId": world.org_id,
        "name": "Blue Hall",
        "address": {"line1": "Main Street 1", "city": "Berlin", "postalCode": "10115", "country": "DE"},
        "capacity": 100,
        "timezone": "Europe/Berlin",
    }
    body.update(overrides)
    return body


# ------------------------------------------------------------------------------------------- NUL


NUL_BODIES: list[tuple[str, str, str, Any, set[str]]] = [
    # (method, path template, who, body, fields named)
    ("POST", "/auth/login", "", {"email": "a\u0000b@example.com", "password": "x"}, {"email"}),
    (
        "POST",
        "/auth/register",
        "",
        {"email": "nul@example.com", "password": "Passw0rd!", "firstName": "A\u0000", "lastName": "B"},
        {"firstName"},
    ),
    ("POST", "/organizations", "staff", {"name": "Acme\u0000", "type": "PROMOTER"}, {"name"}),
    ("PUT", "/organizations/{org}", "staff", {"description": "x\u0000y"}, {"description"}),
    (
        "PUT",
        "/users/{user}",
        "staff",
        {"firstName": "A\u0000", "lastName": "B\u0000"},
        {"firstName", "lastName"},
    ),
    ("POST", "/venues", "staff", "venue:address.city", {"address.city"}),
    ("POST", "/events", "staff", "event:description", {"description"}),
    ("POST", "/events", "staff", "event:tags", {"tags.1"}),
    ("PUT", "/events/{event}", "staff", {"name": "\u0000"}, {"name"}),
    ("POST", "/scanners/register", "staff", {"eventId": "{event}", "name": "Gate\u0000A"}, {"name"}),
    (
        "POST",
        "/orders",
        "staff",
        {"eventId": "{event}", "items": [{"ticketTypeId": "{tt}", "quantity": 1}], "promoCode": "A\u0000"},
        {"promoCode"},
    ),
    (
        "POST",
        "/events/{event}/ticket-types",
        "staff",
        {"name": "VIP\u0000", "price": "1", "quantityTotal": 1},
        {"name"},
    ),
]


def _fill(value: Any, world: World) -> Any:
    if isinstance(value, str):
        return (
            value.replace("{event}", world.event_id)
            .replace("{tt}", world.ticket_type_id)
            .replace("{org}", world.org_id)
            .replace("{user}", world.user_id)
        )
    if isinstance(value, dict):
        return {key: _fill(item, world) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, world) for item in value]
    return value


def _nul_body(spec: Any, world: World) -> Any:
    if spec == "venue:address.city":
        body = venue_body(world)
        body["address"]["city"] = "Ber\u0000lin"
        return body
    if spec == "event:description":
        return event_body(world, description="Live\u0000music")
    if spec == "event:tags":
        return event_body(world, tags=["jazz", "late\u0000night"])
    return _fill(spec, world)


@pytest.mark.parametrize(("method", "path", "who", "spec", "fields"), NUL_BODIES)
async def test_a_nul_character_in_a_body_is_a_422_naming_the_field(
    client: httpx.AsyncClient,
    session: AsyncSession,
    world: World,
    method: str,
    path: str,
    who: str,
    spec: Any,
    fields: set[str],
) -> None:
    before = await row_counts(session)
    response = await client.request(
        method,
        _fill(path, world),
        json=_nul_body(spec, world),
        headers=world.headers if who else {},
    )
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == fields
    assert all("NUL" in error["message"] for error in body["errors"])
    assert await row_counts(session) == before


@pytest.mark.parametrize(
    ("path", "admin", "field"),
    [
        ("/events?tag=jazz&tag=a%00", False, "tag"),
        ("/events?q=jazz%00", False, "q"),
        ("/venues?city=Ber%00lin", False, "city"),
        ("/venues?search=%00", False, "search"),
        ("/users?search=a%00b", True, "search"),
    ],
)
async def test_a_nul_character_in_the_query_is_a_422_naming_the_parameter(
    client: httpx.AsyncClient, world: World, path: str, admin: bool, field: str
) -> None:
    response = await client.get(path, headers=world.admin_headers if admin else world.headers)
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {field}


async def test_a_nul_character_in_the_path_is_a_422(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post(f"/events/{world.event_id}/signing-keys/a%00b/retire", headers=world.headers)
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"path"}


async def test_an_escaped_backslash_before_u0000_is_plain_text(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    # JSON "\\u0000" is the six characters \u0000, not a NUL: stored as sent.
    response = await client.post(
        "/events", json=event_body(world, description="\\u0000"), headers=world.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["description"] == "\\u0000"


async def test_a_nul_character_in_a_key_names_the_key(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post(
        "/organizations", json={"na\u0000me": "x", "type": "OTHER"}, headers=world.headers
    )
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"na\\u0000me"}


async def test_a_large_body_without_nul_still_reaches_the_handler_and_the_limit_still_applies(
    client: httpx.AsyncClient, world: World
) -> None:
    ok = await client.post("/events", json=event_body(world, description="x" * 9000), headers=world.headers)
    assert ok.status_code == 201, ok.text
    too_large = await client.post(
        "/events", json=event_body(world, description="\u0000" + "x" * 70_000), headers=world.headers
    )
    assert_problem(too_large, 413, "PAYLOAD_TOO_LARGE")


# ------------------------------------------------------------------------------------- instants

FAR_WEST = "9999-12-31T23:59:59-23:59"  # past year 9999 in UTC: overflowed on conversion
FAR_EAST = "0001-01-01T00:00:00+23:59"  # before year 1 in UTC


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"from={FAR_WEST}", "from"),
        ("to=0001-01-01T00:00:00%2B23:59", "to"),
        ("from=0001-01-01T00:00:00%2B01:00", "from"),
    ],
)
async def test_an_event_filter_out_of_range_in_utc_is_a_422(
    client: httpx.AsyncClient, world: World, query: str, field: str
) -> None:
    body = assert_problem(await client.get(f"/events?{query}"), 422, "VALIDATION_ERROR")
    assert error_fields(body) == {field}


async def test_event_filters_still_take_any_representable_instant(
    client: httpx.AsyncClient, world: World
) -> None:
    # A filter bound is not stored: far dates that exist in UTC (or carry no offset) still filter.
    response = await client.get("/events?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59")
    assert response.status_code == 200, response.text
    assert [event["id"] for event in response.json()["data"]] == [world.event_id]


@pytest.mark.parametrize(
    ("starts", "ends", "field"),
    [
        ("9999-12-31T22:00:00-23:59", FAR_WEST, "startsAt"),
        ("2031-07-05T19:30:00Z", FAR_WEST, "endsAt"),
        ("0001-01-01T00:00:00Z", "0001-01-01T03:00:00Z", "startsAt"),  # was accepted and stored
        ("1999-12-31T23:59:59Z", "2000-01-01T03:00:00Z", "startsAt"),
        ("2000-01-01T00:30:00+01:00", "2000-01-01T03:00:00Z", "startsAt"),  # 1999 in UTC
        ("2099-12-31T20:00:00Z", "2100-01-01T00:00:00Z", "endsAt"),
        ("9999-12-31T00:00:00Z", "9999-12-31T23:00:00Z", "startsAt"),
    ],
)
async def test_event_dates_must_lie_in_the_business_window(
    client: httpx.AsyncClient, session: AsyncSession, world: World, starts: str, ends: str, field: str
) -> None:
    before = await row_counts(session)
    response = await client.post(
        "/events", json=event_body(world, startsAt=starts, endsAt=ends), headers=world.headers
    )
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field in error_fields(body)
    assert await row_counts(session) == before
    value = starts if field == "startsAt" else ends
    update = await client.put(f"/events/{world.event_id}", json={field: value}, headers=world.headers)
    assert field in error_fields(assert_problem(update, 422, "VALIDATION_ERROR"))


async def test_the_window_edges_are_accepted_and_answered_in_utc(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        "/events",
        json=event_body(world, startsAt="2000-01-01T01:00:00+01:00", endsAt="2099-12-31T23:59:59.999999Z"),
        headers=world.headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["startsAt"] == "2000-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/events/{event}/ticket-types", {"salesStart": FAR_WEST}, "salesStart"),
        ("POST", "/events/{event}/ticket-types", {"salesEnd": FAR_EAST}, "salesEnd"),
        (
            "POST",
            "/events/{event}/ticket-types",
            {"priceTiers": [{"kind": "DATE", "until": FAR_WEST, "price": "1"}]},
            "priceTiers.0.until",
        ),
        ("PUT", "/ticket-types/{tt}", {"salesEnd": FAR_EAST}, "salesEnd"),
        ("PUT", "/ticket-types/{tt}", {"salesStart": "1970-01-01T00:00:00Z"}, "salesStart"),
        ("POST", "/promo-codes", {"validFrom": FAR_WEST}, "validFrom"),
        ("POST", "/promo-codes", {"validUntil": "2100-01-01T00:00:00Z"}, "validUntil"),
    ],
)
async def test_sales_and_promo_dates_out_of_range_are_a_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    world: World,
    method: str,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    base: dict[str, Any] = {}
    if path == "/events/{event}/ticket-types":
        base = {"name": "VIP", "price": "10", "quantityTotal": 10}
    elif path == "/promo-codes":
        base = {"eventId": world.event_id, "code": "SAVE", "discountType": "FIXED", "discountValue": "1"}
    before = await row_counts(session)
    response = await client.request(method, _fill(path, world), json={**base, **body}, headers=world.headers)
    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {field}
    assert await row_counts(session) == before


async def test_scan_times_out_of_range_in_utc_are_a_422(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    from tests.checkin.helpers import make_shop, register

    shop = await make_shop(session, context)
    device = await register(client, shop)
    before = await row_counts(session)
    scan = await client.post(
        "/scanners/scan",
        json={"barcode": "NOPE", "direction": "ENTRY", "scannedAt": FAR_WEST},
        headers=device.headers,
    )
    assert error_fields(assert_problem(scan, 422, "VALIDATION_ERROR")) == {"scannedAt"}
    upload = await client.post(
        "/scanners/sync",
        json={
            "scans": [{"clientScanId": "a1", "barcode": "NOPE", "direction": "ENTRY", "scannedAt": FAR_EAST}]
        },
        headers=device.headers,
    )
    assert error_fields(assert_problem(upload, 422, "VALIDATION_ERROR")) == {"scans.0.scannedAt"}
    bundle = await client.get("/scanners/sync", params={"since": FAR_WEST}, headers=device.headers)
    assert error_fields(assert_problem(bundle, 422, "VALIDATION_ERROR")) == {"since"}
    assert await row_counts(session) == before


# ---------------------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    "price",
    [
        '"1e999999"',  # overflowed the decimal context: 500
        '"1E+1000000"',
        '"-1e999999"',
        '"10000000000.01"',  # one cent above the maximum
        '"1e-999999999"',
        '"NaN"',
        '"sNaN"',
        '"Infinity"',
        "1e999999",  # a JSON number too large for a float: inf
        "-0.001",
        '"9' + "9" * 5000 + '"',
    ],
)
async def test_money_that_is_not_finite_or_above_the_maximum_is_a_422(
    client: httpx.AsyncClient, session: AsyncSession, world: World, price: str
) -> None:
    before = await row_counts(session)
    raw = '{"name": "VIP", "quantityTotal": 1, "price": ' + price + "}"
    response = await client.post(
        f"/events/{world.event_id}/ticket-types",
        content=raw.encode(),
        headers={**world.headers, "content-type": "application/json"},
    )
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) <= {"price", "body"}
    assert await row_counts(session) == before


async def test_the_maximum_amount_is_accepted_and_stored(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    response = await client.post(
        f"/events/{world.event_id}/ticket-types",
        json={"name": "Gold", "quantityTotal": 1, "price": "10000000000.00"},
        headers=world.headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["price"] == "10000000000.00"
    row = await session.get(TicketType, response.json()["id"])
    assert row is not None and row.price_minor == 10**12


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/promo-codes", {"discountValue": "1e999999"}, "discountValue"),
        ("/promo-codes", {"minOrderAmount": "1e999999"}, "minOrderAmount"),
    ],
)
async def test_promo_amounts_that_overflow_are_a_422(
    client: httpx.AsyncClient, world: World, path: str, body: dict[str, Any], field: str
) -> None:
    base = {"eventId": world.event_id, "code": "SAVE", "discountType": "FIXED", "discountValue": "1"}
    response = await client.post(path, json={**base, **body}, headers=world.headers)
    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {field}


# ---------------------------------------------------------------------------------------- tokens


def _signed(secret: str, claims: dict[str, Any]) -> str:
    """A token signed with the server's own key: only its claims are wrong. PyJWT writes a float
    infinity as ``Infinity``, which Python's JSON parser reads back."""
    import jwt

    return jwt.encode(claims, secret, algorithm="HS256")


@pytest.mark.parametrize(
    "times",
    [
        {"exp": 10**20},  # datetime.fromtimestamp overflowed: 500
        {"exp": 1e300},
        {"exp": float("inf")},  # int(inf) overflowed inside PyJWT
        {"iat": float("inf")},
        {"exp": 2**63},
    ],
)
async def test_a_validly_signed_token_with_a_huge_time_is_a_401(
    client: httpx.AsyncClient, context: AppContext, world: World, times: dict[str, Any]
) -> None:
    import time

    now = int(time.time())
    claims = {
        "sub": world.user_id,
        "role": "PROMOTER",
        "typ": "access",
        "iss": "tixmo",
        "iat": now,
        "exp": now + 60,
    }
    response = await client.get(
        "/auth/me", headers={"Authorization": f"Bearer {_signed(context.secret_key, claims | times)}"}
    )
    assert_problem(response, 401, "UNAUTHORIZED")
    scanner_claims = claims | {"typ": "scanner", "aud": "tixmo-scanner", "evt": world.event_id} | times
    scan = await client.post(
        "/scanners/scan",
        json={"barcode": "NOPE", "direction": "ENTRY"},
        headers={"Authorization": f"Bearer {_signed(context.secret_key, scanner_claims)}"},
    )
    assert_problem(scan, 401, "UNAUTHORIZED")


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "1970-01-01T00:00:00Z"]
)
async def test_scan_times_at_the_ends_of_the_calendar_are_answered(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, moment: str
) -> None:
    from tests.checkin.helpers import make_shop, register

    shop = await make_shop(session, context)
    device = await register(client, shop)
    scan = await client.post(
        "/scanners/scan",
        json={"barcode": "NOPE", "direction": "ENTRY", "scannedAt": moment},
        headers=device.headers,
    )
    assert scan.status_code == 200, scan.text
    upload = await client.post(
        "/scanners/sync",
        json={
            "scans": [{"clientScanId": "a1", "barcode": "NOPE", "direction": "ENTRY", "scannedAt": moment}]
        },
        headers=device.headers,
    )
    assert upload.status_code == 200, upload.text
    # since (a cursor: overflowed when the server subtracted its overlap) reads as the window's edge
    bundle = await client.get("/scanners/sync", params={"since": moment}, headers=device.headers)
    assert bundle.status_code == 200, bundle.text
    assert bundle.json()["full"] is False


# ------------------------------------------------------------------------------ lengths vs columns


async def test_a_phone_longer_than_its_column_is_a_422(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    # "+" and 32 digits matched the pattern ({5,32} after the "+") but not VARCHAR(32): 500.
    before = await row_counts(session)
    too_long = await client.put(
        f"/users/{world.user_id}", json={"phone": "+" + "1" * 32}, headers=world.headers
    )
    assert error_fields(assert_problem(too_long, 422, "VALIDATION_ERROR")) == {"phone"}
    register = await client.post(
        "/auth/register",
        json={
            "email": "p@example.com",
            "password": "Passw0rd!",
            "firstName": "A",
            "lastName": "B",
            "phone": "+" + "1" * 32,
        },
    )
    assert error_fields(assert_problem(register, 422, "VALIDATION_ERROR")) == {"phone"}
    assert await row_counts(session) == before
    longest = await client.put(
        f"/users/{world.user_id}", json={"phone": "+" + "1" * 31}, headers=world.headers
    )
    assert longest.status_code == 200, longest.text

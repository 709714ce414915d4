"""Property: whatever JSON body a client sends to any endpoint that takes one, and whatever it puts in a
list's query, the API answers a 2xx or a 4xx problem+json — never a 500.

Bodies are the endpoint's valid body with a few values (anywhere in it, nested ones included) replaced by
hostile ones: NULs, line breaks and control characters, lone surrogates, extreme and non-finite numbers
(``1e999999`` as JSON text), datetimes far from UTC or outside the business window, wrong types, unknown and
read-only fields; now and then any JSON value at all. Requests go through the real app, to the real database,
as the caller each endpoint expects.

Deterministic (``derandomize``: the same examples on every run) and bounded (``max_examples``), so the whole
module runs in well under a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import os
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_user
from tests.media.helpers import png, uploaded
from tixmo.accounts.models import Role
from tixmo.deps import AppContext

# TIXMO_PROPERTY_EXAMPLES=20000: a deeper (slower) search; TIXMO_PROPERTY_RANDOM=1: a new one each run.
DEEPER = os.environ.get("TIXMO_PROPERTY_EXAMPLES")


def _settings(examples: int) -> settings:
    return settings(
        derandomize=not os.environ.get("TIXMO_PROPERTY_RANDOM"),
        database=None,
        deadline=None,
        max_examples=int(DEEPER) if DEEPER else examples,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


class Raw(str):
    """JSON text sent as it is: numbers JSON allows but Python cannot hold (``1e999999``, 400 digits)."""


def dumps(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(key))}:{dumps(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    return json.dumps(value)  # escapes NUL, control characters and lone surrogates as \uXXXX


HOSTILE_TEXT = [
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "Jazz\r\nBcc: victim@example.com",
    "line\nbreak",
    "\t",
    "\x1b[31m",
    "\x7f\x85",
    "\u2028",
    "\ud800",
    "x\udfffy",
    "\U0001f3b7",
    "é" * 3,
    "x" * 201,
    "x" * 5000,
    "%00",
    "\\u0000",
    "' OR 1=1 --",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "1999-12-31T23:59:59Z",
    "2100-01-01T00:00:00Z",
    "2031-07-05T19:30:00Z",
    "2031-07-05T19:30:00",
    "2031-02-30T00:00:00Z",
    "1e999999",
    "-1e999999",
    "1E+1000000",
    "1e-999999999",
    "NaN",
    "sNaN",
    "Infinity",
    "10000000000.00",
    "10000000000.01",
    "0.001",
    "-0",
    "25.00",
    "USD",
    "usd",
    "XXX",
    "PERCENTAGE",
    "FIXED",
    "ENTRY",
    "EXIT",
    "CONCERT",
    "PROMOTER",
    "ADMIN",
    "OWNER",
    "MEMBER",
    "DRAFT",
    "PUBLISHED",
    "ACTIVE",
    "DISABLED",
    "DATE",
    "DEMAND",
    "Europe/Berlin",
    "Not/AZone",
    "DE",
    "a@example.com",
    "not-an-email",
    "https://example.com/x",
    "javascript:alert(1)",
    "SUMMER",
    str(uuid.UUID(int=0)),
    "not-a-uuid",
]
# A URL carries UTF-8: no lone surrogates.
URL_TEXT = [text for text in HOSTILE_TEXT if not any("\ud800" <= char <= "\udfff" for char in text)]
HOSTILE_NUMBERS: list[Any] = [
    0,
    -1,
    1,
    2**31 - 1,
    2**31,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    10**30,
    0.5,
    -0.0,
    1e308,
    -1e308,
    5e-324,
    Raw("1e999999"),
    Raw("-1e999999"),
    Raw("1e-999999"),
    Raw("1" + "0" * 400),
    Raw("100.000000000000000000000000000000001"),
]


@dataclass
class Endpoint:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # a valid body
    schema: str  # the request body's schema name in the OpenAPI document
    fresh: bool = False  # a PUT of the resource as GET answers it now (its read-only fields move)


@dataclass
class Plan:
    """What to send: ``anything``, or the endpoint's valid body with ``changes`` (place, value, delete)
    and perhaps one ``extra`` field."""

    endpoint: Endpoint
    anything: Any = None
    changes: list[tuple[tuple[Any, ...], Any, bool]] | None = None
    extra: tuple[str, Any] | None = None

    def body(self, base: Any) -> Any:
        if self.changes is None:
            return self.anything
        body = copy.deepcopy(base)
        for place, value, delete in self.changes:
            with contextlib.suppress(KeyError, IndexError, TypeError):  # an earlier change removed it
                _replace(body, place, value, delete)
        if self.extra is not None and isinstance(body, dict):
            body[self.extra[0]] = self.extra[1]
        return body


@dataclass
class Shop:
    endpoints: list[Endpoint]
    ids: list[str]
    queries: list[tuple[str, dict[str, str], list[str]]]  # (list path, headers, parameter names)


@pytest.fixture
async def shop(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> Shop:
    """One of everything, made through the API, and a valid body for every endpoint that takes one."""
    staff_user = await create_user(session, context, role=Role.PROMOTER)
    admin = await create_user(session, context, role=Role.ADMIN)
    buyer_user = await create_user(session, context, email=f"buyer-{uuid.uuid4().hex[:8]}@example.com")
    friend = await create_user(session, context, email=f"friend-{uuid.uuid4().hex[:8]}@example.com")
    staff, buyer = auth(context, staff_user), auth(context, buyer_user)

    async def call(method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code in (200, 201), response.text
        return response.json()

    org = await call("POST", "/organizations", {"name": "Acme", "type": "PROMOTER"}, staff)
    chart = {"sections": [{"name": "Stalls", "rows": [{"name": "A", "seats": ["1", "2", "3"]}]}]}
    address = {"line1": "Main Street 1", "city": "Berlin", "postalCode": "10115", "country": "DE"}
    venue_body = {
        "organizationId": org["id"],
        "name": "Blue Hall",
        "address": address,
        "capacity": 1_000_000,
        "timezone": "Europe/Berlin",
        "seatingChart": chart,
    }
    venue = await call("POST", "/venues", venue_body, staff)
    event_body = {
        "organizationId": org["id"],
        "venueId": venue["id"],
        "name": "Jazz Night",
        "category": "CONCERT",
        "tags": ["jazz"],
        "startsAt": "2031-07-05T19:30:00Z",
        "endsAt": "2031-07-05T23:00:00Z",
    }
    event = await call("POST", "/events", event_body, staff)
    tiers = [
        {"kind": "DATE", "until": "2031-01-01T00:00:00Z", "price": "20.00"},
        {"kind": "DEMAND", "afterSoldPercent": 50, "price": "30.00"},
    ]
    tt_body = {
        "name": "General",
        "price": "25.00",
        "quantityTotal": 100,
        "salesEnd": "2031-07-05T19:00:00Z",
        "maxPerOrder": 10,
        "priceTiers": tiers,
    }
    ticket_type = await call("POST", f"/events/{event['id']}/ticket-types", tt_body, staff)
    seated = await call("POST", f"/events/{event['id']}/ticket-types", {**tt_body, "name": "Seated"}, staff)
    await call("POST", f"/events/{event['id']}/publish", None, staff)
    promo_body = {
        "eventId": event["id"],
        "code": "SUMMER",
        "discountType": "PERCENTAGE",
        "discountValue": "10",
        "maxUses": 100,
        "minOrderAmount": "1",
        "validFrom": "2020-01-01T00:00:00Z",
        "validUntil": "2031-07-01T00:00:00Z",
        "ticketTypeIds": [ticket_type["id"]],
    }
    promo = await call("POST", "/promo-codes", promo_body, staff)
    items = [{"ticketTypeId": ticket_type["id"], "quantity": 2}]
    order = await call("POST", "/orders", {"eventId": event["id"], "items": items}, buyer)
    confirmed = await call("POST", f"/orders/{order['id']}/confirm", None, buyer)
    ticket = confirmed["tickets"][0]
    pending = await call("POST", "/orders", {"eventId": event["id"], "items": items}, buyer)
    payments = await call("GET", "/payments", None, buyer)
    payment = payments["data"][0]
    registered = await call("POST", "/scanners/register", {"eventId": event["id"], "name": "Gate A"}, staff)
    scanner_token = (await call("POST", "/scanners/auth", {"apiKey": registered["apiKey"]}, {}))["token"]
    device = {"Authorization": f"Bearer {scanner_token}"}
    login = await call("POST", "/auth/login", {"email": friend.email, "password": "Passw0rd!"}, {})

    image = await uploaded(client, f"/events/{event['id']}/images", png(), staff, role="COVER", alt="Stage")
    user_read = await call("GET", f"/users/{buyer_user.id}", None, buyer)
    org_read = await call("GET", f"/organizations/{org['id']}", None, staff)
    prefs = await call("GET", "/notifications/preferences", None, buyer)
    subscription_body = {
        "organizationId": org["id"],
        "report": "SALES",
        "frequency": "DAILY",
        "eventId": event["id"],
        "timezone": "Europe/Berlin",
        "recipients": [str(staff_user.id)],
    }
    subscription = await call("POST", "/analytics/subscriptions", subscription_body, staff)

    def e(method: str, path: str, headers: dict[str, str], body: Any, schema: str) -> Endpoint:
        return Endpoint(
            method, path, headers, body, schema, fresh=method == "PUT" and schema != "SeatMapUpdate"
        )

    scan = {"barcode": ticket["barcode"], "direction": "ENTRY", "scannedAt": "2031-07-05T19:35:00Z"}
    api_key = await call(
        "POST", f"/organizations/{org['id']}/api-keys", {"name": "Fuzz", "scopes": ["events:read"]}, staff
    )
    hook_body = {"url": "https://hooks.example.com/fuzz", "events": ["order.created"]}
    hook = await call("POST", f"/organizations/{org['id']}/webhooks", hook_body, staff)
    endpoints = [
        e(
            "POST",
            "/auth/register",
            {},
            {"email": "new@example.com", "password": "Passw0rd!", "firstName": "Ada", "lastName": "L"},
            "RegisterRequest",
        ),
        e("POST", "/auth/login", {}, {"email": friend.email, "password": "Passw0rd!"}, "LoginRequest"),
        e("POST", "/auth/refresh", {}, {"refreshToken": login["refreshToken"]}, "RefreshRequest"),
        e(
            "POST",
            "/auth/logout",
            auth(context, friend),
            {"refreshToken": login["refreshToken"]},
            "LogoutRequest",
        ),
        e("PUT", f"/users/{buyer_user.id}", buyer, user_read, "UserUpdate"),
        e("POST", "/organizations", staff, {"name": "Beta", "type": "OTHER"}, "OrganizationCreate"),
        e("PUT", f"/organizations/{org['id']}", staff, org_read, "OrganizationUpdate"),
        e(
            "POST",
            f"/organizations/{org['id']}/members",
            staff,
            {"email": friend.email, "role": "MEMBER"},
            "MemberAdd",
        ),
        e("POST", "/venues", staff, venue_body, "VenueCreate"),
        e("PUT", f"/venues/{venue['id']}", staff, venue, "VenueUpdate"),
        e("POST", "/events", staff, event_body, "EventCreate"),
        e("PUT", f"/events/{event['id']}", staff, event, "EventUpdate"),
        e("POST", f"/events/{event['id']}/ticket-types", staff, tt_body, "TicketTypeCreate"),
        e("PUT", f"/ticket-types/{ticket_type['id']}", staff, ticket_type, "TicketTypeUpdate"),
        e("PUT", f"/ticket-types/{seated['id']}/seats", staff, {"sections": ["Stalls"]}, "SeatMapUpdate"),
        e(
            "POST",
            "/orders",
            buyer,
            {"eventId": event["id"], "items": items, "promoCode": "SUMMER"},
            "OrderCreate",
        ),
        e(
            "POST",
            "/promo-codes/validate",
            {},
            {"eventId": event["id"], "code": "SUMMER", "items": items},
            "PromoCodeValidate",
        ),
        e("POST", "/promo-codes", staff, {**promo_body, "code": "WINTER"}, "PromoCodeCreate"),
        e("PUT", f"/promo-codes/{promo['id']}", staff, promo, "PromoCodeUpdate"),
        e("POST", "/payments/create-intent", buyer, {"orderId": pending["id"]}, "IntentCreate"),
        e(
            "POST",
            f"/payments/{payment['id']}/refund",
            staff,
            {"amount": "1.00", "ticketIds": [ticket["id"]], "reason": "Asked"},
            "RefundCreate",
        ),
        e(
            "POST",
            "/tickets/validate",
            staff,
            {"barcode": ticket["barcode"], "eventId": event["id"]},
            "ValidateRequest",
        ),
        e("POST", f"/tickets/{ticket['id']}/transfer", buyer, {"email": friend.email}, "TransferCreate"),
        e("PUT", "/notifications/preferences", buyer, prefs, "PreferencesUpdate"),
        e("POST", "/scanners/register", staff, {"eventId": event["id"], "name": "Gate B"}, "ScannerCreate"),
        e("POST", "/scanners/auth", {}, {"apiKey": registered["apiKey"]}, "ScannerAuthRequest"),
        e("POST", "/scanners/scan", device, {**scan, "clientScanId": "s-1"}, "ScanRequest"),
        e("POST", "/scanners/sync", device, {"scans": [{**scan, "clientScanId": "o-1"}]}, "SyncUpload"),
        e("PUT", f"/scanners/{registered['scanner']['id']}", staff, registered["scanner"], "ScannerUpdate"),
        e("PUT", f"/images/{image['id']}", staff, image, "ImageUpdate"),
        e("POST", "/analytics/subscriptions", staff, subscription_body, "SubscriptionCreate"),
        e("PUT", f"/analytics/subscriptions/{subscription['id']}", staff, subscription, "SubscriptionUpdate"),
        e(
            "PUT",
            f"/events/{event['id']}/waiting-room",
            staff,
            {"opensAt": "2031-01-01T10:00:00Z", "admitPerMinute": 100, "passMinutes": 10},
            "WaitingRoomUpdate",
        ),
        e(
            "POST",
            f"/events/{event['id']}/waitlist",
            buyer,
            {"ticketTypeId": ticket_type["id"], "quantity": 1},
            "WaitlistJoin",
        ),
        e(
            "PUT",
            f"/events/{event['id']}/waitlist/settings",
            staff,
            {"enabled": True},
            "WaitlistSettingsUpdate",
        ),
        e(
            "POST",
            f"/organizations/{org['id']}/api-keys",
            staff,
            {"name": "CI", "scopes": ["events:read"]},
            "ApiKeyCreate",
        ),
        Endpoint(
            "PUT",
            f"/organizations/{org['id']}/api-keys/{api_key['apiKey']['id']}/tier",
            auth(context, admin),
            {"rateLimitPerMinute": 100},
            "ApiKeyTier",
        ),
        e("POST", f"/organizations/{org['id']}/webhooks", staff, hook_body, "WebhookCreate"),
        Endpoint("PUT", f"/webhooks/{hook['webhook']['id']}", staff, {"description": "x"}, "WebhookUpdate"),
        e(
            "POST",
            f"/events/{event['id']}/ticket-types/bulk",
            staff,
            {"items": [tt_body]},
            "TicketTypesBulkCreate",
        ),
        e(
            "POST",
            "/promo-codes/bulk",
            staff,
            {"items": [{**promo_body, "code": "BULKY"}]},
            "PromoCodesBulkCreate",
        ),
    ]
    ids = [
        org["id"],
        venue["id"],
        event["id"],
        ticket_type["id"],
        promo["id"],
        ticket["id"],
        order["id"],
        image["id"],
    ]
    queries = [
        (
            "/events",
            {},
            ["q", "category", "tag", "venueId", "organizationId", "from", "to", "status", "sort"],
        ),
        ("/venues", staff, ["organizationId", "city", "search"]),
        ("/users", auth(context, admin), ["role", "search"]),
        ("/orders", staff, ["eventId", "status"]),
        ("/promo-codes", staff, ["eventId", "status"]),
        ("/payments", staff, ["eventId", "orderId", "status"]),
        ("/tickets", buyer, ["eventId", "status"]),
        ("/scanners/logs", staff, ["eventId", "scannerId", "status"]),
        ("/scanners/sync", device, ["since"]),
        (f"/ticket-types/{seated['id']}/seats", staff, ["status"]),
        ("/notifications", buyer, ["unread"]),
        (f"/events/{event['id']}/images", {}, ["page"]),
        (f"/venues/{venue['id']}/images", staff, ["limit"]),
        ("/analytics/subscriptions", staff, ["organizationId"]),
        *(
            (f"/analytics/{report}", staff, ["organizationId", "eventId", "from", "to", "tz", "format"])
            for report in ("sales", "events", "customers", "promo-codes", "dashboard", "funnel")
        ),
    ]
    return Shop(endpoints, ids, queries)


def test_every_request_body_schema_is_exercised(app: FastAPI, shop: Shop) -> None:
    """The endpoints of the property below are all the API's JSON bodies: a new one must be added there."""
    schemas = set()
    for item in app.openapi()["paths"].values():
        for operation in item.values():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content is not None:
                refs = [content["schema"], *content["schema"].get("anyOf", [])]
                schemas |= {ref["$ref"].rsplit("/", 1)[-1] for ref in refs if "$ref" in ref}
    assert schemas == {endpoint.schema for endpoint in shop.endpoints}


# ------------------------------------------------------------------------------------------ strategies


def _values(ids: list[str], keys: list[str]) -> st.SearchStrategy[Any]:
    """Mostly one hostile value; sometimes anything, nested."""
    hostile = st.sampled_from([*HOSTILE_TEXT, *HOSTILE_NUMBERS, *ids, None, True, False, [], {}])
    scalars = st.one_of(hostile, st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text())
    nested = st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), children, max_size=3)
        ),
        max_leaves=6,
    )
    return st.one_of(hostile, hostile, hostile, nested)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, by keys and indexes."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _twists(value: Any) -> list[Any]:
    """Hostile variants of a valid value that keep its JSON type."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [-1, 0, 2**31, 2**63, 10**30, value + 0.5, Raw("1e999999"), Raw("-1e999999")]
    if not isinstance(value, str):
        return []
    twisted = [
        value + "\u0000",
        "\u0000" + value,
        value + "\r\nX-Injected: 1",
        value + "\x1b\x85",
        value + "\ud800",
    ]
    twisted += [value * 60, value.upper(), value.lower(), f" {value} "]
    if value[:4].isdigit() and "T" in value:  # an instant
        twisted += ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", value.replace("Z", "-23:59")]
        twisted += ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", value.removesuffix("Z")]
    if value.replace(".", "", 1).isdigit():  # an amount
        twisted += ["1e999999", "-" + value, value + "1", "NaN", "1E+1000000", "10000000000.01"]
    return twisted


def _replace(value: Any, path: tuple[Any, ...], new: Any, delete: bool) -> None:
    *parents, last = path
    for part in parents:
        value = value[part]
    if delete and isinstance(value, dict):
        value.pop(last, None)
    else:
        value[last] = new


@st.composite
def _plans(draw: st.DrawFn, shop: Shop, field_names: Callable[[str], list[str]]) -> Plan:
    endpoint = draw(st.sampled_from(shop.endpoints))
    keys = field_names(endpoint.schema)
    values = _values(shop.ids, keys)
    if draw(st.integers(0, 9)) == 0:
        return Plan(endpoint, anything=draw(values))  # any JSON at all
    places = _paths(endpoint.body)
    # Mostly one change, so that the rest of the body stays valid and the request gets deep. Half the
    # changes twist the valid value (a NUL or a line break added, an offset that overflows, ...), so it
    # still has its type and reaches the code behind the schema; the others put any hostile value there.
    count = draw(st.sampled_from([0, 1, 1, 1, 1, 2, 3])) if places else 0
    changes = []
    for place in draw(st.lists(st.sampled_from(places), min_size=count, max_size=count)):
        twists = _twists(_at(endpoint.body, place))
        value = draw(st.sampled_from(twists)) if twists and draw(st.booleans()) else draw(values)
        changes.append((place, value, draw(st.integers(0, 5)) == 0))
    extra = None
    if keys and draw(st.integers(0, 4)) == 0:
        extra = (draw(st.sampled_from(keys)), draw(values))  # a field the body lacks, or a read-only one
    return Plan(endpoint, changes=changes, extra=extra)


def _field_names(app: FastAPI) -> Callable[[str], list[str]]:
    components = app.openapi()["components"]["schemas"]

    def names(schema: str) -> list[str]:
        return sorted({"unknownField", *components[schema].get("properties", {})})

    return names


def _acceptable(response: httpx.Response) -> bool:
    if 200 <= response.status_code < 300:
        return True
    return 400 <= response.status_code < 500 and response.headers["content-type"].startswith(
        "application/problem+json"
    )


# ------------------------------------------------------------------------------------------ properties


def _on(loop: asyncio.AbstractEventLoop) -> Callable[[Coroutine[Any, Any, httpx.Response]], httpx.Response]:
    """Hypothesis drives plain functions: each example's request runs on the test's event loop, while the
    property itself runs in a worker thread (``asyncio.to_thread``)."""

    def run(request: Coroutine[Any, Any, httpx.Response]) -> httpx.Response:
        return asyncio.run_coroutine_threadsafe(request, loop).result(timeout=60)

    return run


async def test_no_body_makes_the_api_answer_a_server_error(
    app: FastAPI, client: httpx.AsyncClient, shop: Shop
) -> None:
    run = _on(asyncio.get_running_loop())

    @_settings(1500)
    @given(plan=_plans(shop, _field_names(app)))
    def check(plan: Plan) -> None:
        endpoint = plan.endpoint
        base = (
            run(client.get(endpoint.path, headers=endpoint.headers)).json()
            if endpoint.fresh
            else endpoint.body
        )
        body = plan.body(base)
        response = run(
            client.request(
                endpoint.method,
                endpoint.path,
                content=dumps(body).encode(),
                headers={**endpoint.headers, "content-type": "application/json"},
            )
        )
        answers[endpoint.schema][response.status_code] += 1
        assert _acceptable(response), (endpoint.method, endpoint.path, response.status_code, response.text)

    answers: dict[str, Counter[int]] = defaultdict(Counter)
    await asyncio.to_thread(check)
    # The bodies get past validation too: most endpoints accepted some of them.
    accepted = {schema for schema, counts in answers.items() if any(200 <= status < 300 for status in counts)}
    assert len(accepted) > len(shop.endpoints) * 2 // 3, {schema: dict(c) for schema, c in answers.items()}


async def test_no_list_query_makes_the_api_answer_a_server_error(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    run = _on(asyncio.get_running_loop())
    query_values = st.one_of(
        st.sampled_from([*URL_TEXT, *(str(n) for n in HOSTILE_NUMBERS), *shop.ids]), st.text(max_size=12)
    )

    @_settings(500)
    @given(
        target=st.sampled_from(shop.queries),
        params=st.lists(st.tuples(st.integers(0, 20), query_values), max_size=4),
        paging=st.lists(
            st.sampled_from(["page", "limit"]).flatmap(lambda n: st.tuples(st.just(n), query_values))
        ),
    )
    def check(
        target: tuple[str, dict[str, str], list[str]],
        params: list[tuple[int, str]],
        paging: list[tuple[str, str]],
    ) -> None:
        path, headers, names = target
        query = [(names[index % len(names)], value) for index, value in params] + paging
        response = run(client.get(path, params=query, headers=headers))
        assert _acceptable(response), (path, query, response.status_code, response.text)

    await asyncio.to_thread(check)

"""The authorization matrix: every route of the app, called as every kind of caller.

The matrix is keyed by the app's own route table (``iter_route_contexts``), so a route added without an
entry here fails ``test_every_route_has_a_matrix_entry``. Each entry names a policy (who may call it) and,
for routes with a body, a valid body — so a caller who is turned away is turned away by authorization
(401 no/wrong credential, 403 role too low, 404 not visible to this tenant), not by validation.

"Allowed" means authorization let the call through: any answer but 401/403/404 and never a 5xx (a 409 for
a state rule, e.g. confirming an already-confirmed order, is an allowed caller). A refused caller must get
exactly the status in the table. After an allowed call that may have changed something (any non-GET that
answered 2xx) the world is built afresh, so every caller meets the same data.

The callers: anonymous, a customer, another organization's staff, the owning organization's member, admin
and owner, a scanner token, a platform admin, and an API key of the owning organization with every scope
(docs/webhooks.md). The key's expectation is worked out per route unless the entry names it (``AS_KEY``):
on a route of an area keys may use, what the organization's admin gets (the key acts through a member of
its organization); elsewhere 403 — a leaked key cannot reach accounts, organizations, keys or webhooks.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import TABLES_TO_KEEP
from tests.factories import (
    auth,
    create_event,
    create_organization,
    create_ticket_type,
    create_user,
    create_venue,
)
from tixmo.accounts.models import Role, User
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.models import Base
from tixmo.organizations.models import MemberRole

ROLES = (
    "anonymous",
    "customer",
    "other_staff",
    "member",
    "org_admin",
    "owner",
    "scanner",
    "platform_admin",
    "api_key",
)
OK = 0  # authorization let the call through
# The API key's expectation, unless an entry names it: what the owning organization's admin gets on a
# route of an area keys may use (the key acts as a member of its organization), 403 elsewhere. The areas,
# by OpenAPI tag, are docs/webhooks.md's scope table, copied here rather than read from the code under test.
AS_KEY = -1
KEY_AREAS = frozenset(
    {
        "events",
        "venues",
        "ticket-types",
        "seating",
        "promo-codes",
        "images",
        "waitlist",
        "orders",
        "payments",
        "tickets",
        "scanners",
        "attendance",
        "signing-keys",
        "analytics",
    }
)
ALL_SCOPES = ["events:read", "events:write", "orders:read", "orders:write", "checkin", "analytics:read"]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
USERS = ("customer", "other_staff", "member", "org_admin", "owner", "platform_admin")
Policy = dict[str, int]


def policy(allowed: tuple[str, ...], denied: dict[str, int] | None = None, default: int = 404) -> Policy:
    """``allowed`` pass; anonymous/scanner get 401 unless ``denied`` says otherwise; the rest ``default``;
    the API key ``AS_KEY`` unless named."""
    table: Policy = {}
    for role in ROLES:
        if role in allowed:
            table[role] = OK
        elif role == "api_key":
            table[role] = AS_KEY
        elif role in ("anonymous", "scanner"):
            table[role] = 401
        else:
            table[role] = default
    table.update(denied or {})
    return table


PUBLIC = policy(ROLES)
# Public reads, sign-in optional: a credential that is no user's (a scanner token) is refused, not ignored.
PUBLIC_READ = policy((*USERS, "anonymous"))
ANY_USER = policy(USERS)
SCANNER_ONLY = policy(("scanner",), default=401)
STAFF = policy(("member", "org_admin", "owner", "platform_admin"))
MANAGERS = policy(("org_admin", "owner", "platform_admin"), {"member": 403})
OWNER = policy(("owner", "platform_admin"), {"member": 403, "org_admin": 403})
PLATFORM_ADMIN = policy(("platform_admin",), default=403)
BUYER_OR_STAFF = policy(("customer", "member", "org_admin", "owner", "platform_admin"))
# Only the buyer/holder acts; staff who can see the order/ticket are told 403, other tenants 404.
HOLDER = policy(("customer",), {"member": 403, "org_admin": 403, "owner": 403, "platform_admin": 403})
ANY_STAFF = policy(("other_staff", "member", "org_admin", "owner", "platform_admin"), {"customer": 403})
SELF_OR_ADMIN = policy(("customer", "platform_admin"))
# A path id nobody in the world owns: every signed-in caller sees 404, the anonymous one 401.
UNKNOWN = policy((), default=404)
UNKNOWN_PUBLIC = policy((), {"anonymous": 404}, default=404)
CSRF = policy((), dict.fromkeys(ROLES, 403))  # dashboard forms: cookie session + CSRF token, no bearer login


@dataclass
class Entry:
    access: Policy
    body: Callable[[World], Any] | None = None
    params: Callable[[World], dict[str, str]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # An endless stream cannot be read to its end in-process: only the refused callers are called
    # (the allowed ones are covered by tests/checkin/test_stats_live.py).
    denied_only: bool = False
    files: bool = False  # a multipart image upload instead of a JSON body


@dataclass
class World:
    users: dict[str, User]
    headers: dict[str, dict[str, str]]
    ids: dict[str, str]


def _ids(**names: str) -> Callable[[World], dict[str, str]]:
    return lambda w: {k: w.ids[v] for k, v in names.items()}


def _order_body(w: World) -> dict[str, Any]:
    return {"eventId": w.ids["eventId"], "items": [{"ticketTypeId": w.ids["ticketTypeId"], "quantity": 1}]}


def _unknown_key(w: World) -> dict[str, str]:
    """An API key id nobody has (the world's ``keyId`` is a ticket signing key's)."""
    return {"organizationId": w.ids["organizationId"], "keyId": str(uuid.uuid4())}


MATRIX: dict[tuple[str, str], Entry] = {
    ("GET", "/api/v1/openapi.json"): Entry(PUBLIC),
    ("HEAD", "/api/v1/openapi.json"): Entry(PUBLIC),
    ("GET", "/api/v1/docs"): Entry(PUBLIC),
    ("GET", "/api/v1/health"): Entry(PUBLIC),
    ("GET", "/api/v1/health/ready"): Entry(PUBLIC),
    ("GET", "/health"): Entry(PUBLIC),
    ("GET", "/health/ready"): Entry(PUBLIC),
    ("GET", "/metrics"): Entry(PUBLIC),
    # auth
    ("POST", "/api/v1/auth/register"): Entry(
        PUBLIC,
        lambda w: {
            "email": f"new-{uuid.uuid4().hex[:8]}@example.com",
            "password": "Passw0rd!x",
            "firstName": "N",
            "lastName": "U",
        },
    ),
    ("POST", "/api/v1/auth/login"): Entry(
        PUBLIC, lambda w: {"email": w.users["customer"].email, "password": "Passw0rd!"}
    ),
    ("POST", "/api/v1/auth/refresh"): Entry(  # the refresh token in the body is the credential
        policy((), {"api_key": 401}, default=401), lambda w: {"refreshToken": "not-a-token"}
    ),
    ("GET", "/api/v1/auth/me"): Entry(ANY_USER),
    ("POST", "/api/v1/auth/logout"): Entry(ANY_USER, lambda w: {}),
    # users
    ("GET", "/api/v1/users"): Entry(PLATFORM_ADMIN),
    ("GET", "/api/v1/users/{userId}"): Entry(SELF_OR_ADMIN, params=_ids(userId="customerId")),
    ("PUT", "/api/v1/users/{userId}"): Entry(
        SELF_OR_ADMIN, lambda w: {"firstName": "X"}, _ids(userId="customerId")
    ),
    ("DELETE", "/api/v1/users/{userId}"): Entry(PLATFORM_ADMIN, params=_ids(userId="customerId")),
    ("GET", "/api/v1/users/me/payment-methods"): Entry(ANY_USER),
    ("DELETE", "/api/v1/users/me/payment-methods/{methodId}"): Entry(UNKNOWN),
    # organizations
    ("POST", "/api/v1/organizations"): Entry(
        policy(("other_staff", "owner", "platform_admin"), default=403),
        lambda w: {"name": "New org", "type": "PROMOTER"},
    ),
    ("GET", "/api/v1/organizations"): Entry(ANY_USER),
    ("GET", "/api/v1/organizations/{organizationId}"): Entry(STAFF),
    ("PUT", "/api/v1/organizations/{organizationId}"): Entry(MANAGERS, lambda w: {"description": "x"}),
    ("DELETE", "/api/v1/organizations/{organizationId}"): Entry(OWNER),
    ("GET", "/api/v1/organizations/{organizationId}/members"): Entry(STAFF),
    ("POST", "/api/v1/organizations/{organizationId}/members"): Entry(
        MANAGERS, lambda w: {"userId": w.ids["customerId"], "role": "MEMBER"}
    ),
    ("DELETE", "/api/v1/organizations/{organizationId}/members/{userId}"): Entry(
        MANAGERS, params=_ids(organizationId="organizationId", userId="memberId")
    ),
    ("GET", "/api/v1/organizations/{organizationId}/audit-log"): Entry(STAFF),
    # venues
    ("POST", "/api/v1/venues"): Entry(
        STAFF,
        lambda w: {
            "organizationId": w.ids["organizationId"],
            "name": "Hall",
            "address": {"line1": "A 1", "city": "Berlin", "postalCode": "10115", "country": "DE"},
            "capacity": 100,
            "timezone": "Europe/Berlin",
        },
    ),
    ("GET", "/api/v1/venues"): Entry(ANY_USER),
    ("GET", "/api/v1/venues/{venueId}"): Entry(STAFF),
    ("PUT", "/api/v1/venues/{venueId}"): Entry(STAFF, lambda w: {"name": "Hall 2"}),
    ("DELETE", "/api/v1/venues/{venueId}"): Entry(STAFF),
    ("POST", "/api/v1/venues/{venueId}/images"): Entry(STAFF, files=True),
    ("GET", "/api/v1/venues/{venueId}/images"): Entry(
        policy(("member", "org_admin", "owner", "platform_admin"), {"anonymous": 404})
    ),
    # events
    ("POST", "/api/v1/events"): Entry(
        STAFF,
        lambda w: {
            "organizationId": w.ids["organizationId"],
            "name": "Show",
            "category": "CONCERT",
            "startsAt": "2030-01-01T19:00:00Z",
            "endsAt": "2030-01-01T22:00:00Z",
        },
    ),
    ("GET", "/api/v1/events"): Entry(PUBLIC_READ),
    ("GET", "/api/v1/events/{eventId}"): Entry(PUBLIC_READ),
    ("PUT", "/api/v1/events/{eventId}"): Entry(STAFF, lambda w: {"description": "x"}),
    ("DELETE", "/api/v1/events/{eventId}"): Entry(STAFF),
    ("POST", "/api/v1/events/{eventId}/publish"): Entry(STAFF),
    ("POST", "/api/v1/events/{eventId}/cancel"): Entry(STAFF),
    ("POST", "/api/v1/events/{eventId}/ticket-types"): Entry(
        STAFF, lambda w: {"name": "VIP", "price": "10.00", "quantityTotal": 5}
    ),
    ("GET", "/api/v1/events/{eventId}/ticket-types"): Entry(PUBLIC_READ),
    ("GET", "/api/v1/events/{eventId}/signing-keys"): Entry(STAFF),
    ("POST", "/api/v1/events/{eventId}/signing-keys/rotate"): Entry(STAFF),
    ("POST", "/api/v1/events/{eventId}/signing-keys/{keyId}/retire"): Entry(STAFF),
    ("POST", "/api/v1/events/{eventId}/images"): Entry(STAFF, files=True),
    ("GET", "/api/v1/events/{eventId}/images"): Entry(PUBLIC_READ),
    ("GET", "/api/v1/images/{imageId}"): Entry(UNKNOWN_PUBLIC),
    ("PUT", "/api/v1/images/{imageId}"): Entry(UNKNOWN, lambda w: {"alt": "x"}),
    ("DELETE", "/api/v1/images/{imageId}"): Entry(UNKNOWN),
    # ticket types and seats
    ("GET", "/api/v1/ticket-types/{ticketTypeId}"): Entry(PUBLIC_READ),
    ("PUT", "/api/v1/ticket-types/{ticketTypeId}"): Entry(STAFF, lambda w: {"description": "x"}),
    ("DELETE", "/api/v1/ticket-types/{ticketTypeId}"): Entry(STAFF),
    ("GET", "/api/v1/ticket-types/{ticketTypeId}/availability"): Entry(PUBLIC_READ),
    ("PUT", "/api/v1/ticket-types/{ticketTypeId}/seats"): Entry(STAFF, lambda w: {"seats": []}),
    ("GET", "/api/v1/ticket-types/{ticketTypeId}/seats"): Entry(PUBLIC_READ),
    # orders
    ("POST", "/api/v1/orders"): Entry(ANY_USER, _order_body),
    ("GET", "/api/v1/orders"): Entry(ANY_USER),
    ("GET", "/api/v1/orders/{orderId}"): Entry(BUYER_OR_STAFF),
    ("POST", "/api/v1/orders/{orderId}/confirm"): Entry(HOLDER),
    ("POST", "/api/v1/orders/{orderId}/cancel"): Entry(BUYER_OR_STAFF),
    # promo codes
    ("POST", "/api/v1/promo-codes/validate"): Entry(
        PUBLIC_READ,
        lambda w: {"eventId": w.ids["eventId"], "code": "SAVE10", "items": _order_body(w)["items"]},
    ),
    ("POST", "/api/v1/promo-codes"): Entry(
        STAFF,
        lambda w: {
            "eventId": w.ids["eventId"],
            "code": "NEW5",
            "discountType": "FIXED",
            "discountValue": "5.00",
        },
    ),
    ("GET", "/api/v1/promo-codes"): Entry(ANY_USER),
    ("GET", "/api/v1/promo-codes/{promoCodeId}"): Entry(STAFF),
    ("PUT", "/api/v1/promo-codes/{promoCodeId}"): Entry(STAFF, lambda w: {"maxUses": 50}),
    ("DELETE", "/api/v1/promo-codes/{promoCodeId}"): Entry(STAFF),
    # payments
    ("POST", "/api/v1/payments/create-intent"): Entry(HOLDER, lambda w: {"orderId": w.ids["pendingOrderId"]}),
    ("POST", "/api/v1/payments/webhook"): Entry(
        policy((), {role: 400 for role in ROLES}), lambda w: {"type": "payment_intent.succeeded"}
    ),
    ("GET", "/api/v1/payments"): Entry(ANY_USER),
    ("GET", "/api/v1/payments/{paymentId}"): Entry(BUYER_OR_STAFF),
    ("POST", "/api/v1/payments/{paymentId}/refund"): Entry(
        policy(("member", "org_admin", "owner", "platform_admin"), {"customer": 403}), lambda w: {}
    ),
    # tickets
    ("POST", "/api/v1/tickets/{ticketId}/cancel"): Entry(
        policy(("member", "org_admin", "owner", "platform_admin"), {"customer": 403})
    ),
    ("GET", "/api/v1/tickets"): Entry(ANY_USER),
    ("POST", "/api/v1/tickets/validate"): Entry(
        policy(("other_staff", "member", "org_admin", "owner", "platform_admin"), {"customer": 403}),
        lambda w: {"barcode": w.ids["barcode"]},
    ),
    ("GET", "/api/v1/tickets/{ticketId}"): Entry(BUYER_OR_STAFF),
    ("GET", "/api/v1/tickets/{ticketId}/qr"): Entry(HOLDER),
    ("POST", "/api/v1/tickets/{ticketId}/regenerate-qr"): Entry(HOLDER),
    ("GET", "/api/v1/tickets/{ticketId}/pdf"): Entry(HOLDER),
    ("POST", "/api/v1/tickets/{ticketId}/transfer"): Entry(
        HOLDER, lambda w: {"email": w.users["member"].email}
    ),
    ("POST", "/api/v1/tickets/{ticketId}/check-in"): Entry(STAFF),
    # notifications
    ("GET", "/api/v1/notifications"): Entry(ANY_USER),
    ("PUT", "/api/v1/notifications/read-all"): Entry(ANY_USER),
    ("GET", "/api/v1/notifications/preferences"): Entry(ANY_USER),
    ("PUT", "/api/v1/notifications/preferences"): Entry(ANY_USER, lambda w: {"marketing": False}),
    ("PUT", "/api/v1/notifications/{notificationId}/read"): Entry(UNKNOWN),
    # waitlist
    ("POST", "/api/v1/events/{eventId}/waitlist"): Entry(ANY_USER, lambda w: {"quantity": 1}),
    ("GET", "/api/v1/events/{eventId}/waitlist"): Entry(STAFF),
    ("GET", "/api/v1/events/{eventId}/waitlist/settings"): Entry(STAFF),
    ("PUT", "/api/v1/events/{eventId}/waitlist/settings"): Entry(STAFF, lambda w: {"enabled": True}),
    ("GET", "/api/v1/waitlist"): Entry(ANY_USER),
    ("GET", "/api/v1/waitlist/{waitlistId}"): Entry(UNKNOWN),
    ("DELETE", "/api/v1/waitlist/{waitlistId}"): Entry(UNKNOWN),
    ("POST", "/api/v1/waitlist/{waitlistId}/claim"): Entry(UNKNOWN),
    # scanners
    ("POST", "/api/v1/scanners/register"): Entry(
        STAFF, lambda w: {"eventId": w.ids["eventId"], "name": "Gate B"}
    ),
    ("POST", "/api/v1/scanners/auth"): Entry(PUBLIC, lambda w: {"apiKey": w.ids["apiKey"]}),
    ("GET", "/api/v1/scanners"): Entry(ANY_USER),
    ("POST", "/api/v1/scanners/scan"): Entry(
        SCANNER_ONLY, lambda w: {"barcode": w.ids["barcode"], "direction": "ENTRY"}
    ),
    ("GET", "/api/v1/scanners/logs"): Entry(ANY_USER),
    ("GET", "/api/v1/scanners/sync"): Entry(SCANNER_ONLY),
    ("POST", "/api/v1/scanners/sync"): Entry(SCANNER_ONLY, lambda w: {"scans": []}),
    ("GET", "/api/v1/scanners/{scannerId}"): Entry(STAFF),
    ("PUT", "/api/v1/scanners/{scannerId}"): Entry(STAFF, lambda w: {"name": "Gate C"}),
    ("DELETE", "/api/v1/scanners/{scannerId}"): Entry(STAFF),
    # attendance
    ("GET", "/api/v1/events/{eventId}/stats"): Entry(STAFF),
    ("GET", "/api/v1/events/{eventId}/occupancy"): Entry(STAFF),
    ("GET", "/api/v1/events/{eventId}/timeline"): Entry(STAFF),
    ("GET", "/api/v1/events/{eventId}/scanner-stats"): Entry(STAFF),
    ("POST", "/api/v1/events/{eventId}/live-ticket"): Entry(STAFF),
    ("GET", "/api/v1/events/{eventId}/live"): Entry(STAFF, denied_only=True),
    # analytics
    ("GET", "/api/v1/analytics/sales"): Entry(ANY_STAFF),
    ("GET", "/api/v1/analytics/events"): Entry(ANY_STAFF),
    ("GET", "/api/v1/analytics/customers"): Entry(ANY_STAFF),
    ("GET", "/api/v1/analytics/promo-codes"): Entry(ANY_STAFF),
    ("GET", "/api/v1/analytics/dashboard"): Entry(ANY_STAFF),
    ("GET", "/api/v1/analytics/funnel"): Entry(ANY_STAFF),
    ("GET", "/api/v1/analytics/payments"): Entry(ANY_STAFF),
    ("POST", "/api/v1/analytics/subscriptions"): Entry(ANY_USER, lambda w: {}),
    ("GET", "/api/v1/analytics/subscriptions"): Entry(ANY_USER),
    ("GET", "/api/v1/analytics/subscriptions/{subscriptionId}"): Entry(UNKNOWN),
    ("PUT", "/api/v1/analytics/subscriptions/{subscriptionId}"): Entry(UNKNOWN, lambda w: {}),
    ("DELETE", "/api/v1/analytics/subscriptions/{subscriptionId}"): Entry(UNKNOWN),
    # integrations: API keys (org OWNER/ADMIN; tiers: platform ADMIN), webhooks, bulk creation
    ("POST", "/api/v1/organizations/{organizationId}/api-keys"): Entry(
        MANAGERS, lambda w: {"name": "CI", "scopes": ["events:read"]}
    ),
    ("GET", "/api/v1/organizations/{organizationId}/api-keys"): Entry(MANAGERS),
    ("DELETE", "/api/v1/organizations/{organizationId}/api-keys/{keyId}"): Entry(
        policy((), {"member": 403}, default=404), params=_unknown_key
    ),
    ("PUT", "/api/v1/organizations/{organizationId}/api-keys/{keyId}/tier"): Entry(
        policy((), {"platform_admin": 404}, default=403),
        lambda w: {"rateLimitPerMinute": 100},
        params=_unknown_key,
    ),
    ("POST", "/api/v1/organizations/{organizationId}/webhooks"): Entry(
        MANAGERS, lambda w: {"url": "https://hooks.example.com/ci", "events": ["order.created"]}
    ),
    ("GET", "/api/v1/organizations/{organizationId}/webhooks"): Entry(MANAGERS),
    ("GET", "/api/v1/webhooks/{webhookId}"): Entry(UNKNOWN),
    ("PUT", "/api/v1/webhooks/{webhookId}"): Entry(UNKNOWN, lambda w: {"description": "x"}),
    ("DELETE", "/api/v1/webhooks/{webhookId}"): Entry(UNKNOWN),
    ("POST", "/api/v1/webhooks/{webhookId}/rotate-secret"): Entry(UNKNOWN),
    ("GET", "/api/v1/webhooks/{webhookId}/deliveries"): Entry(UNKNOWN),
    ("POST", "/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver"): Entry(UNKNOWN),
    ("POST", "/api/v1/events/{eventId}/ticket-types/bulk"): Entry(
        STAFF, lambda w: {"items": [{"name": "Bulk", "price": "10.00", "quantityTotal": 5}]}
    ),
    ("POST", "/api/v1/promo-codes/bulk"): Entry(
        STAFF,
        lambda w: {
            "items": [
                {
                    "eventId": w.ids["eventId"],
                    "code": "BULK5",
                    "discountType": "FIXED",
                    "discountValue": "5.00",
                }
            ]
        },
    ),
    # waiting room
    ("GET", "/api/v1/events/{eventId}/waiting-room"): Entry(
        policy((), {"customer": 404, "other_staff": 404}, default=404)
    ),
    ("PUT", "/api/v1/events/{eventId}/waiting-room"): Entry(STAFF, lambda w: {}),
    ("POST", "/api/v1/events/{eventId}/queue"): Entry(ANY_USER),
    ("GET", "/api/v1/events/{eventId}/queue/{token}"): Entry(
        policy((), dict.fromkeys(ROLES, 404)), params=lambda w: {"eventId": w.ids["eventId"], "token": "nope"}
    ),
    # media files and the dashboard (HTML; cookie sessions, so a bearer token is no login: 401/303 for all)
    ("GET", "/media/placeholder.svg"): Entry(PUBLIC),
    ("GET", "/media/{key:path}"): Entry(
        policy((), {r: 404 for r in ROLES}), params=lambda w: {"key:path": "nope/none.png"}
    ),
    ("GET", "/dashboard/login"): Entry(PUBLIC),
    ("POST", "/dashboard/login"): Entry(CSRF),
    ("POST", "/dashboard/logout"): Entry(CSRF),
    ("GET", "/dashboard"): Entry(PUBLIC),
    ("GET", "/dashboard/events/{eventId}"): Entry(PUBLIC),
    ("GET", "/dashboard/events/{eventId}/sales"): Entry(PUBLIC),
    ("GET", "/dashboard/events/{eventId}/live.json"): Entry(policy((), {r: 401 for r in ROLES})),
    ("POST", "/dashboard/events/{eventId}/live-ticket"): Entry(CSRF),
    ("GET", "/dashboard/events/{eventId}/sales.json"): Entry(policy((), {r: 401 for r in ROLES})),
    ("GET", "/dashboard/events/{eventId}/reports/{report}.{fmt}"): Entry(
        policy((), {r: 401 for r in ROLES}),
        params=lambda w: {"eventId": w.ids["eventId"], "report": "sales", "fmt": "csv"},
    ),
}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    routes: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.router.routes):
        for method in getattr(route, "methods", None) or ():
            routes.add((method, route.path))
    return routes


def route_tags(app: FastAPI) -> dict[tuple[str, str], set[str]]:
    tags: dict[tuple[str, str], set[str]] = {}
    for route in iter_route_contexts(app.router.routes):
        for method in getattr(route, "methods", None) or ():
            tags[(method, route.path)] = {str(tag) for tag in getattr(route, "tags", None) or ()}
    return tags


def expected_status(access: Policy, role: str, tags: set[str]) -> int:
    """The table's expectation for ``role``; the API key's ``AS_KEY`` worked out from the route's area."""
    expected = access[role]
    if expected == AS_KEY:
        return access["org_admin"] if tags & KEY_AREAS else 403
    return expected


def test_every_route_has_a_matrix_entry(app: FastAPI) -> None:
    routes = app_routes(app)
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes without an authorization matrix entry: {missing}"
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


async def _truncate(database_url: str) -> None:
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in TABLES_TO_KEEP]
    tables += ["procrastinate_jobs", "procrastinate_periodic_defers", "procrastinate_events"]
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as conn:
        await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


async def build_world(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> World:
    users = {
        "customer": await create_user(session, context),
        "other_staff": await create_user(session, context, role=Role.PROMOTER),
        "member": await create_user(session, context),
        "org_admin": await create_user(session, context),
        "owner": await create_user(session, context, role=Role.PROMOTER),
        "platform_admin": await create_user(session, context, role=Role.ADMIN),
    }
    org = await create_organization(
        session,
        owner=users["owner"],
        members={users["member"]: MemberRole.MEMBER, users["org_admin"]: MemberRole.ADMIN},
    )
    other = await create_organization(session, owner=users["other_staff"], name="Rival Events")
    venue = await create_venue(session, organization=org)
    event = await create_event(session, organization=org, venue=venue, status="PUBLISHED")
    ticket_type = await create_ticket_type(session, event=event, quantity_total=100, price_minor=2500)
    await create_venue(session, organization=other, name="Rival Hall")
    headers = {role: auth(context, user) for role, user in users.items()}
    headers["anonymous"] = {}
    ids = {
        "customerId": str(users["customer"].id),
        "memberId": str(users["member"].id),
        "organizationId": str(org.id),
        "venueId": str(venue.id),
        "eventId": str(event.id),
        "ticketTypeId": str(ticket_type.id),
    }
    items = [{"ticketTypeId": ids["ticketTypeId"], "quantity": 1}]
    order_body = {"eventId": ids["eventId"], "items": items}
    placed = await client.post("/api/v1/orders", json=order_body, headers=headers["customer"])
    assert placed.status_code == 201, placed.text
    ids["orderId"] = placed.json()["id"]
    confirmed = await client.post(f"/api/v1/orders/{ids['orderId']}/confirm", headers=headers["customer"])
    assert confirmed.status_code == 200, confirmed.text
    ticket = confirmed.json()["tickets"][0]
    ids["ticketId"], ids["barcode"] = ticket["id"], ticket["barcode"]
    pending = await client.post("/api/v1/orders", json=order_body, headers=headers["customer"])
    assert pending.status_code == 201, pending.text
    ids["pendingOrderId"] = pending.json()["id"]
    payments = await client.get("/api/v1/payments", headers=headers["customer"])
    assert payments.status_code == 200, payments.text
    ids["paymentId"] = payments.json()["data"][0]["id"]
    promo = await client.post(
        "/api/v1/promo-codes",
        json={"eventId": ids["eventId"], "code": "SAVE10", "discountType": "PERCENTAGE", "discountValue": 10},
        headers=headers["owner"],
    )
    assert promo.status_code == 201, promo.text
    ids["promoCodeId"] = promo.json()["id"]
    made = await client.post(
        "/api/v1/scanners/register",
        json={"eventId": ids["eventId"], "name": "Gate A"},
        headers=headers["owner"],
    )
    assert made.status_code == 201, made.text
    ids["scannerId"], ids["apiKey"] = made.json()["scanner"]["id"], made.json()["apiKey"]
    authed = await client.post("/api/v1/scanners/auth", json={"apiKey": ids["apiKey"]})
    assert authed.status_code == 200, authed.text
    headers["scanner"] = {"Authorization": f"Bearer {authed.json()['token']}"}
    rotated = await client.post(
        f"/api/v1/events/{ids['eventId']}/signing-keys/rotate", headers=headers["owner"]
    )
    assert rotated.status_code in (200, 201), rotated.text
    keys = await client.get(f"/api/v1/events/{ids['eventId']}/signing-keys", headers=headers["owner"])
    assert keys.status_code == 200, keys.text
    ids["keyId"] = keys.json()["data"][-1]["keyId"]
    # An API key of the organization with every scope: what it may not do, no scope would let it do.
    minted = await client.post(
        f"/api/v1/organizations/{ids['organizationId']}/api-keys",
        json={"name": "Matrix", "scopes": ALL_SCOPES},
        headers=headers["owner"],
    )
    assert minted.status_code == 201, minted.text
    headers["api_key"] = {"Authorization": f"Bearer {minted.json()['key']}"}
    return World(users, headers, ids)


def _path(template: str, entry: Entry, world: World) -> str:
    params = entry.params(world) if entry.params else {}
    path = template
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    while "{" in path:
        name = path[path.index("{") + 1 : path.index("}")]
        path = path.replace("{" + name + "}", world.ids.get(name, str(uuid.uuid4())))
    return path


async def _call(
    client: httpx.AsyncClient, method: str, path: str, entry: Entry, world: World, role: str
) -> httpx.Response:
    headers = {**world.headers[role], **entry.headers}
    if entry.files:
        return await client.request(
            method, path, files={"file": ("a.png", PNG, "image/png")}, headers=headers
        )
    body = entry.body(world) if entry.body else None
    return await client.request(method, path, json=body, headers=headers)


@pytest.fixture
async def raw_client(app: FastAPI) -> Any:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.mark.parametrize(("method", "template"), sorted(MATRIX), ids=lambda v: str(v))
async def test_route_answers_each_caller_as_the_matrix_says(
    method: str,
    template: str,
    app: FastAPI,
    raw_client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    database_url: str,
) -> None:
    entry = MATRIX[(method, template)]
    tags = route_tags(app)[(method, template)]
    world = await build_world(raw_client, session, context)
    wrong: list[str] = []
    for role in ROLES:
        expected = expected_status(entry.access, role, tags)
        if entry.denied_only and expected == OK:
            continue
        path = _path(template, entry, world)
        response = await _call(raw_client, method, path, entry, world, role)
        got = response.status_code
        if got >= 500:
            wrong.append(f"{role}: {got} {response.text[:200]}")
        elif expected == OK and got in (401, 403, 404):
            wrong.append(f"{role}: expected allowed, got {got} {response.text[:160]}")
        elif expected != OK and got != expected:
            wrong.append(f"{role}: expected {expected}, got {got} {response.text[:160]}")
        if method not in ("GET", "HEAD") and response.is_success:
            await _truncate(database_url)
            await context.rate_limiter.reset()
            session.expunge_all()
            world = await build_world(raw_client, session, context)
    assert not wrong, f"{method} {template}:\n" + "\n".join(wrong)


def test_the_api_key_column_covers_both_open_and_closed_areas(app: FastAPI) -> None:
    # The key's derived column is no copy of the admin's: some routes the admin may use are closed to it.
    tags = route_tags(app)
    key = {route: expected_status(entry.access, "api_key", tags[route]) for route, entry in MATRIX.items()}
    admin = {route: entry.access["org_admin"] for route, entry in MATRIX.items()}
    closed = {route for route in MATRIX if key[route] == 403 and admin[route] == OK}
    assert ("POST", "/api/v1/organizations/{organizationId}/api-keys") in closed
    assert ("POST", "/api/v1/organizations/{organizationId}/webhooks") in closed
    assert ("GET", "/api/v1/auth/me") in closed
    assert key[("POST", "/api/v1/events")] == OK
    assert key[("GET", "/api/v1/analytics/sales")] == OK


def test_a_route_added_without_an_entry_is_caught(app: FastAPI) -> None:
    # The route table is read, not a copy of it: a route mounted on any router shows up as missing.
    extra = FastAPI()
    extra.include_router(app.router)

    @extra.post("/api/v1/brand-new/{thingId}")
    async def brand_new(thingId: str) -> None:  # noqa: N803 - the path parameter's API spelling
        return None

    assert ("POST", "/api/v1/brand-new/{thingId}") in app_routes(extra) - MATRIX.keys()
    assert app_routes(app) <= app_routes(extra)

"""GET-modify-PUT: a client may PUT back what it read with one field changed.

Read-only fields (``id``, ``createdAt``, ``status``, ``usedCount``, ``soldOut``, ...) sent with their current
value are accepted and ignored; a different value is a 422 naming the field, and nothing changes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_user
from tests.media.helpers import png, uploaded
from tests.problems import assert_problem, error_fields
from tixmo.accounts.models import Role
from tixmo.deps import AppContext
from tixmo.schemas import UpdateModel


@dataclass
class Shop:
    headers: dict[str, str]
    user_headers: dict[str, str]
    paths: dict[str, str]  # resource -> its path


@pytest.fixture
async def shop(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> Shop:
    """Every updatable resource, made through the API so that each has its real shape."""
    staff = await create_user(session, context, role=Role.PROMOTER)
    customer = await create_user(session, context)
    headers = auth(context, staff)

    async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await client.post(path, json=body, headers=headers)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    org = await post(
        "/organizations",
        {
            "name": "Acme",
            "type": "PROMOTER",
            "website": "https://acme.example.com",
            "email": "hi@acme.example",
        },
    )
    venue = await post(
        "/venues",
        {
            "organizationId": org["id"],
            "name": "Blue Hall",
            "address": {"line1": "Main Street 1", "city": "Berlin", "postalCode": "10115", "country": "DE"},
            "capacity": 500,
            "timezone": "Europe/Berlin",
            "seatingChart": {"sections": [{"name": "Stalls", "rows": [{"name": "A", "seats": ["1", "2"]}]}]},
        },
    )
    event = await post(
        "/events",
        {
            "organizationId": org["id"],
            "venueId": venue["id"],
            "name": "Jazz Night",
            "category": "CONCERT",
            "tags": ["jazz", "live"],
            "startsAt": "2031-07-05T19:30:00+02:00",
            "endsAt": "2031-07-05T23:00:00+02:00",
            "capacity": 400,
            "imageUrl": "https://img.example.com/jazz.png",
        },
    )
    ticket_type = await post(
        f"/events/{event['id']}/ticket-types",
        {
            "name": "General",
            "price": "25.00",
            "quantityTotal": 100,
            "salesStart": "2030-01-01T00:00:00Z",
            "salesEnd": "2031-07-05T17:00:00Z",
            "maxPerOrder": 10,
            "priceTiers": [
                {"kind": "DATE", "name": "Early bird", "until": "2030-06-01T00:00:00Z", "price": "20.00"},
                {"kind": "DEMAND", "afterSoldPercent": 80, "price": "30.00"},
            ],
        },
    )
    promo = await post(
        "/promo-codes",
        {
            "eventId": event["id"],
            "code": "SUMMER",
            "discountType": "PERCENTAGE",
            "discountValue": "12.50",
            "maxUses": 100,
            "minOrderAmount": "10",
            "validFrom": "2030-01-01T00:00:00Z",
            "validUntil": "2031-07-01T00:00:00Z",
            "ticketTypeIds": [ticket_type["id"]],
        },
    )
    scanner = (await post("/scanners/register", {"eventId": event["id"], "name": "Gate A"}))["scanner"]
    image = await uploaded(client, f"/events/{event['id']}/images", png(), headers, role="COVER", alt="Stage")
    subscription = await post(
        "/analytics/subscriptions",
        {"organizationId": org["id"], "report": "SALES", "frequency": "DAILY", "recipients": [str(staff.id)]},
    )
    room = await client.put(
        f"/events/{event['id']}/waiting-room",
        json={"opensAt": "2031-07-01T10:00:00Z", "admitPerMinute": 100},
        headers=headers,
    )
    assert room.status_code == 200, room.text
    paths = {
        "user": f"/users/{customer.id}",
        "organization": f"/organizations/{org['id']}",
        "venue": f"/venues/{venue['id']}",
        "event": f"/events/{event['id']}",
        "ticketType": f"/ticket-types/{ticket_type['id']}",
        "promoCode": f"/promo-codes/{promo['id']}",
        "scanner": f"/scanners/{scanner['id']}",
        "preferences": "/notifications/preferences",
        "image": f"/images/{image['id']}",
        "subscription": f"/analytics/subscriptions/{subscription['id']}",
        "waitingRoom": f"/events/{event['id']}/waiting-room",
    }
    return Shop(headers=headers, user_headers=auth(context, customer), paths=paths)


def _headers(shop: Shop, resource: str) -> dict[str, str]:
    return shop.user_headers if resource in {"user", "preferences"} else shop.headers


async def _read(client: httpx.AsyncClient, shop: Shop, resource: str) -> dict[str, Any]:
    response = await client.get(shop.paths[resource], headers=_headers(shop, resource))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# One editable field per resource, and the value the client gives it.
CHANGES: dict[str, dict[str, Any]] = {
    "user": {"firstName": "Grace"},
    "organization": {"description": "Concerts since 1999."},
    "venue": {"name": "Red Hall"},
    "event": {"name": "Jazz & Soul Night"},
    "ticketType": {"name": "Standing"},
    "promoCode": {"discountValue": "15.00"},
    "scanner": {"name": "Gate B"},
    "preferences": {"marketing": True},
    "image": {"alt": "The stage at night"},
    "subscription": {"frequency": "WEEKLY"},
    "waitingRoom": {"passMinutes": 15},
}


@pytest.mark.parametrize("resource", sorted(CHANGES))
async def test_get_modify_put_changes_only_the_modified_field(
    client: httpx.AsyncClient, shop: Shop, resource: str
) -> None:
    before = await _read(client, shop, resource)
    change = CHANGES[resource]
    response = await client.put(
        shop.paths[resource], json={**before, **change}, headers=_headers(shop, resource)
    )
    assert response.status_code == 200, response.text
    after = await _read(client, shop, resource)
    assert {key: after[key] for key in change} == change
    kept = {key: value for key, value in before.items() if key not in change and key != "updatedAt"}
    assert {key: after[key] for key in kept} == kept


async def test_a_round_trip_with_nothing_changed_is_accepted(client: httpx.AsyncClient, shop: Shop) -> None:
    for resource in CHANGES:
        before = await _read(client, shop, resource)
        response = await client.put(shop.paths[resource], json=before, headers=_headers(shop, resource))
        assert response.status_code == 200, (resource, response.text)


async def test_instants_and_amounts_sent_back_in_another_notation_are_the_same_value(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    event = await _read(client, shop, "event")
    created = event["createdAt"].replace("Z", "+00:00")  # as another JSON library writes it
    local = event["startsAtLocal"]  # the same instant in the event's zone
    response = await client.put(
        shop.paths["event"],
        json={
            **event,
            "createdAt": created,
            "startsAtLocal": event["startsAt"],
            "endsAtLocal": event["endsAt"],
        },
        headers=shop.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["startsAtLocal"] == local
    ticket_type = await _read(client, shop, "ticketType")
    assert ticket_type["currentPrice"] == "20.00"  # the early-bird tier
    response = await client.put(
        shop.paths["ticketType"], json={**ticket_type, "currentPrice": 20}, headers=shop.headers
    )
    assert response.status_code == 200, response.text


# A read-only field of each resource and a value it does not have.
DIFFERENT: dict[str, dict[str, Any]] = {
    "user": {"email": "someone-else@example.com"},
    "organization": {"createdAt": "2001-01-01T00:00:00Z", "myRole": "MEMBER"},
    "venue": {"id": str(uuid.uuid4())},
    "event": {"status": "PUBLISHED"},
    "ticketType": {"eventId": str(uuid.uuid4())},
    "promoCode": {"eventId": str(uuid.uuid4())},
    "scanner": {"organizationId": str(uuid.uuid4())},
    "image": {"width": 1, "eventId": str(uuid.uuid4())},
    "subscription": {"organizationId": str(uuid.uuid4())},
}

# Values the server moves by itself (sales, uses, the clock), sent back stale: ignored.
STALE: dict[str, dict[str, Any]] = {
    "venue": {"seatCount": 3},
    "event": {"soldOut": True, "updatedAt": "2001-01-01T00:00:00Z"},
    "ticketType": {"quantitySold": 5, "quantityHeld": 2, "onSale": False},
    "promoCode": {"usedCount": 7, "remainingUses": 1},
    "preferences": {"updatedAt": "2001-01-01T00:00:00Z"},
    "image": {"renditionStatus": "READY", "webpUrls": {"w320": "https://stale.example/a.webp"}},
    "subscription": {"lastPeriodSent": "2001-01-01T00:00:00Z", "updatedAt": "2001-01-01T00:00:00Z"},
    "waitingRoom": {"joined": 99, "admitted": 5, "drawnAt": "2001-01-01T00:00:00Z", "closedAt": None},
}


@pytest.mark.parametrize("resource", sorted(STALE))
async def test_values_the_server_moves_are_ignored_when_sent_back_stale(
    client: httpx.AsyncClient, shop: Shop, resource: str
) -> None:
    """A client that read a ticket type before a sale moved its counters can still send it back."""
    before = await _read(client, shop, resource)
    body = {**before, **CHANGES[resource], **STALE[resource]}
    response = await client.put(shop.paths[resource], json=body, headers=_headers(shop, resource))
    assert response.status_code == 200, response.text
    after = await _read(client, shop, resource)
    for name, value in CHANGES[resource].items():
        assert after[name] == value or str(after[name]) == str(value)
    for name in STALE[resource]:
        if name != "updatedAt":
            assert after[name] == before[name]  # not taken from the body


@pytest.mark.parametrize("resource", sorted(DIFFERENT))
async def test_a_read_only_field_with_another_value_is_a_422_naming_it_and_nothing_changes(
    client: httpx.AsyncClient, shop: Shop, resource: str
) -> None:
    before = await _read(client, shop, resource)
    body = {**before, **CHANGES[resource], **DIFFERENT[resource]}
    response = await client.put(shop.paths[resource], json=body, headers=_headers(shop, resource))
    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(problem) == set(DIFFERENT[resource])
    assert all(error["message"].startswith("Read-only") for error in problem["errors"])
    assert await _read(client, shop, resource) == before


async def test_a_field_that_is_neither_editable_nor_answered_is_still_refused(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    venue = await _read(client, shop, "venue")
    response = await client.put(shop.paths["venue"], json={**venue, "nickname": "Blue"}, headers=shop.headers)
    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(problem) == {"nickname"}


async def test_a_customer_may_send_back_their_own_role_but_not_change_it(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    me = await _read(client, shop, "user")
    assert me["role"] == "CUSTOMER"
    same = await client.put(shop.paths["user"], json={**me, "lastName": "Hopper"}, headers=shop.user_headers)
    assert same.status_code == 200, same.text
    other = await client.put(shop.paths["user"], json={**me, "role": "ADMIN"}, headers=shop.user_headers)
    assert_problem(other, 403, "FORBIDDEN")
    assert (await _read(client, shop, "user"))["role"] == "CUSTOMER"


def _subclasses(model: type[UpdateModel]) -> set[type[UpdateModel]]:
    found = set(model.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found))


def test_every_update_body_is_covered_here(app: FastAPI) -> None:
    """Each PUT whose body is an UpdateModel compares its read-only fields in its router: the round trips
    above cover every one of them, and a new one must be added here (and to CHANGES and DIFFERENT)."""
    names = {model.__name__ for model in _subclasses(UpdateModel)}
    operations = {
        re.sub(r"\{[^}]+\}", "{}", path.removeprefix("/api/v1")): item["put"]
        for path, item in app.openapi()["paths"].items()
        if "put" in item and "requestBody" in item["put"]
    }
    bodies = {
        path: operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        for path, operation in operations.items()
    }
    assert {path for path, name in bodies.items() if name in names} == {
        "/users/{}",
        "/organizations/{}",
        "/venues/{}",
        "/events/{}",
        "/ticket-types/{}",
        "/promo-codes/{}",
        "/scanners/{}",
        "/notifications/preferences",
        "/images/{}",
        "/analytics/subscriptions/{}",
        "/events/{}/waiting-room",
    }
    assert names <= set(bodies.values())


def test_openapi_documents_the_read_only_fields_of_an_update_body(app: FastAPI) -> None:
    schema = app.openapi()["components"]["schemas"]["VenueUpdate"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["id"]["readOnly"] is True
    assert "seatCount" in schema["properties"]

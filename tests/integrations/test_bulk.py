"""Bulk creation of ticket types and promo codes: all or nothing, errors naming the item and field."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.integrations.helpers import bearer, create_key
from tests.orders.helpers import make_shop
from tixmo.deps import AppContext
from tixmo.integrations.bulk import MAX_ITEMS
from tixmo.promos.models import PromoCode
from tixmo.ticketing.models import TicketType


def ticket_type(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "price": "10.00", "quantityTotal": 5, **extra}


def promo(event_id: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"eventId": event_id, "code": code, "discountType": "PERCENTAGE", "discountValue": "10", **extra}


async def count(session: AsyncSession, model: type[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_ticket_types_bulk(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    other = await make_shop(session, context)
    path = f"/events/{shop.event.id}/ticket-types/bulk"
    before = await count(session, TicketType)
    created = await client.post(
        path, json={"items": [ticket_type(f"Tier {i}") for i in range(3)]}, headers=shop.staff_headers
    )
    assert created.status_code == 201, created.text
    assert [t["name"] for t in created.json()["data"]] == ["Tier 0", "Tier 1", "Tier 2"]
    assert await count(session, TicketType) == before + 3

    # A schema error names the item and field; nothing is created.
    bad = await client.post(
        path,
        json={"items": [ticket_type("A"), {"name": "B", "quantityTotal": 5}]},
        headers=shop.staff_headers,
    )
    assert bad.status_code == 422
    assert any(
        "items" in e["field"] and "1" in e["field"] and "price" in e["field"] for e in bad.json()["errors"]
    )
    # A rule of the service (sales window backwards) on item 2: the two before it are rolled back too.
    window = ticket_type("C", salesStart="2030-01-02T00:00:00Z", salesEnd="2030-01-01T00:00:00Z")
    refused = await client.post(
        path, json={"items": [ticket_type("A"), ticket_type("B"), window]}, headers=shop.staff_headers
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["index"] == 2 and problem["detail"].startswith("Item 2:")
    assert all(e["field"].startswith("items.2") for e in problem["errors"])
    assert await count(session, TicketType) == before + 3
    # Limits, wrong types, other organizations.
    too_many = await client.post(
        path, json={"items": [ticket_type("X")] * (MAX_ITEMS + 1)}, headers=shop.staff_headers
    )
    assert too_many.status_code == 422
    assert (await client.post(path, json={"items": []}, headers=shop.staff_headers)).status_code == 422
    assert (await client.post(path, json={"items": "many"}, headers=shop.staff_headers)).status_code == 422
    assert (
        await client.post(path, json={"items": [ticket_type("Y")]}, headers=other.staff_headers)
    ).status_code == 404
    assert await count(session, TicketType) == before + 3


async def test_bulk_with_an_api_key_needs_events_write(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    path = f"/events/{shop.event.id}/ticket-types/bulk"
    reader, _ = await create_key(client, shop.staff_headers, shop.org.id, ["events:read"])
    writer, _ = await create_key(client, shop.staff_headers, shop.org.id, ["events:write"])
    body = {"items": [ticket_type("K")]}
    assert (await client.post(path, json=body, headers=bearer(reader))).status_code == 403
    assert (await client.post(path, json=body, headers=bearer(writer))).status_code == 201


async def test_promo_codes_bulk(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    other = await make_shop(session, context)
    event_id = str(shop.event.id)
    codes = [promo(event_id, f"SPRING{i}") for i in range(50)]
    created = await client.post("/promo-codes/bulk", json={"items": codes}, headers=shop.staff_headers)
    assert created.status_code == 201, created.text
    assert len(created.json()["data"]) == 50
    assert await count(session, PromoCode) == 50
    duplicate = [promo(event_id, "NEW1"), promo(event_id, "SPRING3")]
    refused = await client.post("/promo-codes/bulk", json={"items": duplicate}, headers=shop.staff_headers)
    assert refused.status_code in (409, 422), refused.text
    assert refused.json()["index"] == 1
    assert await count(session, PromoCode) == 50
    foreign = [promo(event_id, "MINE")]
    assert (
        await client.post("/promo-codes/bulk", json={"items": foreign}, headers=other.staff_headers)
    ).status_code == 404
    wrong = [promo(event_id, "BAD", discountValue="lots")]
    bad = await client.post("/promo-codes/bulk", json={"items": wrong}, headers=shop.staff_headers)
    assert bad.status_code == 422
    assert any("discountValue" in e["field"] for e in bad.json()["errors"])
    assert await count(session, PromoCode) == 50

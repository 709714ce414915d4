"""Shared set-up for the check-in tests: a shop with tickets, registered scanner devices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_ticket_type
from tests.tickets.helpers import Shop, buy, make_buyer, make_shop
from tixmo.accounts.models import User
from tixmo.deps import AppContext

__all__ = [
    "Device",
    "Shop",
    "buy",
    "iso",
    "make_buyer",
    "make_shop",
    "owner_headers",
    "register",
    "scan",
    "sibling_of",
    "tickets_for",
    "upload",
]


@dataclass
class Device:
    id: str
    api_key: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def register(client: httpx.AsyncClient, shop: Shop, name: str = "Gate A") -> Device:
    made = await client.post(
        "/scanners/register", json={"eventId": str(shop.event.id), "name": name}, headers=shop.staff_headers
    )
    assert made.status_code == 201, made.text
    api_key = made.json()["apiKey"]
    authed = await client.post("/scanners/auth", json={"apiKey": api_key})
    assert authed.status_code == 200, authed.text
    return Device(made.json()["scanner"]["id"], api_key, authed.json()["token"])


async def scan(
    client: httpx.AsyncClient, device: Device, code: str, direction: str = "ENTRY", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"barcode": code, "direction": direction, **extra}
    if "qrData" in extra:
        del body["barcode"]
    response = await client.post("/scanners/scan", json=body, headers=device.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def upload(client: httpx.AsyncClient, device: Device, scans: list[dict[str, Any]]) -> dict[str, Any]:
    """``POST /scanners/sync``, which must answer 200; the body."""
    answer = await client.post("/scanners/sync", json={"scans": scans}, headers=device.headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def tickets_for(
    client: httpx.AsyncClient, session: Any, context: AppContext, shop: Shop, quantity: int
) -> list[dict[str, Any]]:
    buyer = await make_buyer(session, context)
    return await buy(client, shop, buyer, quantity)


async def sibling_of(session: AsyncSession, shop: Shop) -> Shop:
    """Another PUBLISHED event of the same organization, on sale, with the same staff."""
    event = await create_event(session, organization=shop.org, status="PUBLISHED", name="Sibling")
    ticket_type = await create_ticket_type(session, event=event, quantity_total=10, price_minor=100)
    return Shop(shop.staff, shop.staff_headers, shop.org, event, ticket_type)


async def owner_headers(session: AsyncSession, context: AppContext, ticket: dict[str, Any]) -> dict[str, str]:
    """The ticket holder's Authorization header (from the ticket's ``ownerId``)."""
    owner = await session.get(User, uuid.UUID(ticket["ownerId"]))
    assert owner is not None
    await session.commit()
    return auth(context, owner)

"""Shared set-up for the check-in tests: a shop with tickets, registered scanner devices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.tickets.helpers import Shop, buy, make_buyer, make_shop
from tixmo.deps import AppContext

__all__ = ["Device", "Shop", "buy", "make_buyer", "make_shop", "register", "scan", "tickets_for"]


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


async def tickets_for(
    client: httpx.AsyncClient, session: Any, context: AppContext, shop: Shop, quantity: int
) -> list[dict[str, Any]]:
    buyer = await make_buyer(session, context)
    return await buy(client, shop, buyer, quantity)

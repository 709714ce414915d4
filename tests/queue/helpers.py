"""Set-up for the waiting-room tests: a shop with a room, buyers who join it, moving the room's clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Buyer, Shop, make_buyer, make_shop, order_body
from tixmo.db import utcnow
from tixmo.deps import AppContext


async def open_room(
    client: httpx.AsyncClient, shop: Shop, *, opens_in: timedelta = timedelta(minutes=-1), **fields: Any
) -> dict[str, Any]:
    """The shop's event gets a waiting room opening ``opens_in`` from now (in the past by default)."""
    body = {"opensAt": (utcnow() + opens_in).isoformat(), "admitPerMinute": 600, "passMinutes": 10, **fields}
    response = await client.put(
        f"/events/{shop.event.id}/waiting-room", json=body, headers=shop.staff_headers
    )
    assert response.status_code == 200, response.text
    room: dict[str, Any] = response.json()
    return room


async def join(client: httpx.AsyncClient, shop: Shop, buyer: Buyer) -> dict[str, Any]:
    response = await client.post(f"/events/{shop.event.id}/queue", headers=buyer.headers)
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


async def poll(client: httpx.AsyncClient, shop: Shop, token: str) -> dict[str, Any]:
    response = await client.get(f"/events/{shop.event.id}/queue/{token}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def buyers(session: AsyncSession, context: AppContext, count: int) -> list[Buyer]:
    return [await make_buyer(session, context) for _ in range(count)]


async def set_room(session: AsyncSession, shop: Shop, sql: str, **params: Any) -> None:
    """Change the room's state directly (e.g. move its clock back), as time passing would."""
    statement = text(f"UPDATE waiting_rooms SET {sql} WHERE event_id = :e")  # noqa: S608 - tests' literals
    await session.execute(statement, {"e": shop.event.id, **params})
    await session.commit()


async def order_with(
    client: httpx.AsyncClient, shop: Shop, buyer: Buyer, admission: str | None, quantity: int = 1
) -> httpx.Response:
    headers = dict(buyer.headers)
    if admission is not None:
        headers["TixMo-Admission"] = admission
    return await client.post("/orders", json=order_body(shop, quantity), headers=headers)


async def held_and_sold(session: AsyncSession, shop: Shop) -> tuple[int, int]:
    row = (
        await session.execute(
            text("SELECT quantity_held, quantity_sold FROM ticket_types WHERE id = :t"),
            {"t": shop.ticket_type.id},
        )
    ).one()
    return int(row[0]), int(row[1])


__all__ = ["Buyer", "Shop", "make_buyer", "make_shop"]

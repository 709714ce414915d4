"""A real local HTTP receiver for webhook deliveries, and helpers to create keys and endpoints."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.integrations.models import WebhookDelivery


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next planned (status, delay seconds); 200 once the plan is used up."""

    url: str = ""
    plan: list[tuple[int, float]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append(Received(dict(request.headers), body))
        status, delay = self.plan.pop(0) if self.plan else (200, 0.0)
        if delay:
            await asyncio.sleep(delay)  # a slow receiver (the sender's timeout is under test)
        return web.Response(status=status, text=f"answered {status}")


@asynccontextmanager
async def receiving(host: str = "127.0.0.1") -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    receiver.url = f"http://{'[::1]' if ':' in host else host}:{port}/hook"
    try:
        yield receiver
    finally:
        await runner.cleanup()


def verify(secret: str, header: str, body: bytes) -> bool:
    """The receiver's check, as docs/webhooks.md shows it."""
    items = [part.split("=", 1) for part in header.split(",")]
    timestamp = next(value for key, value in items if key == "t")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return any(key == "v1" and hmac.compare_digest(value, expected) for key, value in items)


async def create_key(
    client: httpx.AsyncClient, headers: dict[str, str], org_id: uuid.UUID, scopes: list[str], **extra: Any
) -> tuple[str, dict[str, Any]]:
    response = await client.post(
        f"/organizations/{org_id}/api-keys", json={"name": "CI", "scopes": scopes, **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return body["key"], body["apiKey"]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def deliveries(session: AsyncSession, endpoint_id: uuid.UUID | str) -> list[WebhookDelivery]:
    rows = await session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == uuid.UUID(str(endpoint_id)))
        .order_by(WebhookDelivery.created_at, WebhookDelivery.attempt)
        .execution_options(populate_existing=True)
    )
    return list(rows)

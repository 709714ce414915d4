"""Payment test helpers: Stripe-signed webhook deliveries, paying through the fake, the money ledger."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from typing import Any

import httpx
import orjson
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Buyer, Shop, order_body, place_ok
from tixmo.payments.models import Payment, PaymentEvent, Refund, WebhookEvent

WEBHOOK_SECRET = "whsec_tixmo_test_secret"


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header exactly as Stripe builds it: ``t=<unix>,v1=<hex HMAC-SHA256 of
    "<t>.<body>" keyed with the endpoint secret>``."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def stripe_event(type_: str, obj: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": "2025-09-30.clover",
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "type": type_,
        "data": {"object": obj},
    }


async def deliver(
    client: httpx.AsyncClient,
    event: dict[str, Any],
    *,
    secret: str = WEBHOOK_SECRET,
    timestamp: int | None = None,
    signature: str | None = None,
) -> httpx.Response:
    payload = orjson.dumps(event)
    headers = {"Content-Type": "application/json"}
    headers["Stripe-Signature"] = signature if signature is not None else sign(payload, secret, timestamp)
    return await client.post("/payments/webhook", content=payload, headers=headers)


async def pending_with_intent(
    client: httpx.AsyncClient, shop: Shop, buyer: Buyer, quantity: int = 2
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A PENDING order and its PaymentIntent (through the Stripe app)."""
    order = await place_ok(client, buyer, order_body(shop, quantity=quantity))
    response = await client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )
    assert response.status_code == 200, response.text
    return order, response.json()


async def order_of(client: httpx.AsyncClient, buyer: Buyer, order_id: str) -> dict[str, Any]:
    response = await client.get(f"/orders/{order_id}", headers=buyer.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def payment_of(client: httpx.AsyncClient, headers: dict[str, str], payment_id: str) -> dict[str, Any]:
    response = await client.get(f"/payments/{payment_id}", headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def counts(session: AsyncSession) -> dict[str, int]:
    """Rows of each payment table (to show that a refused request changed nothing)."""
    result = {}
    for name, model in (
        ("payments", Payment),
        ("history", PaymentEvent),
        ("refunds", Refund),
        ("webhooks", WebhookEvent),
    ):
        result[name] = int(await session.scalar(select(func.count()).select_from(model)) or 0)
    await session.commit()
    return result


async def refunded_total(session: AsyncSession, order_id: str) -> tuple[int, int]:
    """(amount refunded per the payment, sum of its PENDING + SUCCEEDED refunds)."""
    payment = await session.scalar(
        select(Payment)
        .where(Payment.order_id == uuid.UUID(order_id))
        .execution_options(populate_existing=True)
    )
    assert payment is not None
    total = await session.scalar(
        select(func.coalesce(func.sum(Refund.amount_minor), 0)).where(
            Refund.payment_id == payment.id, Refund.status.in_(["PENDING", "SUCCEEDED"])
        )
    )
    await session.commit()
    return payment.amount_refunded_minor, int(total or 0)

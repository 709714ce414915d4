"""Money under concurrency, through the HTTP API on real PostgreSQL.

* One Stripe event delivered ten times at once confirms the order once.
* A payment's webhook racing the buyer's cancel: whichever wins, the money goes back once and the
  inventory numbers add up.
* Ten partial refunds at once never add up to more than was paid. The negative control takes the row
  locks away (and the CHECK behind them): the same requests then refund more than was paid.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import ledger, make_buyer, make_shop, order_body, place_ok
from tests.payments.fake_stripe import FakeStripe
from tests.payments.helpers import deliver, order_of, pending_with_intent, refunded_total, stripe_event
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.orders import service as orders_service
from tixmo.orders import settlement
from tixmo.orders.models import Order
from tixmo.payments import service as payments
from tixmo.payments.models import Payment, Refund
from tixmo.tickets.models import Ticket


async def test_ten_simultaneous_deliveries_of_one_event_confirm_once(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=3)
    event = stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"]))

    responses = await asyncio.gather(*(deliver(stripe_client, event) for _ in range(10)))

    assert [r.status_code for r in responses] == [200] * 10
    outcomes = Counter("duplicate" if r.json()["duplicate"] else r.json()["outcome"] for r in responses)
    assert outcomes == {"confirmed": 1, "duplicate": 9}
    tickets = await session.scalar(select(func.count()).where(Ticket.order_id == uuid.UUID(order["id"])))
    assert tickets == 3
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held) == (3, 0)
    state.assert_consistent()


class _LockOrder:
    """Who takes the order's row lock first in a webhook/cancel race, without sleeping: the side that
    must go second waits (before asking PostgreSQL for the lock) until the first side holds it, then
    queues on the row lock while the first side's transaction is still open."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, webhook_first: set[uuid.UUID]) -> None:
        self.webhook_first = webhook_first
        self.held: dict[tuple[str, uuid.UUID], asyncio.Event] = {}
        real_lock, real_get = settlement.lock, orders_service._lock_visible

        async def webhook_lock(session: AsyncSession, order_id: uuid.UUID, **options: Any) -> Any:
            if order_id not in self.webhook_first:
                await self._event("cancel", order_id).wait()
            result = await real_lock(session, order_id, **options)
            self._event("webhook", order_id).set()
            return result

        async def cancel_lock(session: AsyncSession, user: Any, order_id: uuid.UUID, **options: Any) -> Any:
            if order_id in self.webhook_first:
                await self._event("webhook", order_id).wait()
            result = await real_get(session, user, order_id, **options)
            self._event("cancel", order_id).set()
            return result

        monkeypatch.setattr(settlement, "lock", webhook_lock)
        monkeypatch.setattr(orders_service, "_lock_visible", cancel_lock)

    def _event(self, side: str, order_id: uuid.UUID) -> asyncio.Event:
        return self.held.setdefault((side, order_id), asyncio.Event())


async def test_webhook_and_cancel_racing_on_one_order_refund_it_once(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=50)
    buyers = [await make_buyer(session, stripe_context) for _ in range(6)]
    placed = [await pending_with_intent(stripe_client, shop, buyer, quantity=2) for buyer in buyers]
    _LockOrder(monkeypatch, webhook_first={uuid.UUID(order["id"]) for order, _ in placed[1::2]})

    async def race(index: int) -> tuple[httpx.Response, httpx.Response]:
        (order, intent), buyer = placed[index], buyers[index]
        event = stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"]))
        webhook, cancelled = await asyncio.gather(
            deliver(stripe_client, event),
            stripe_client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers),
        )
        return webhook, cancelled

    results = await asyncio.gather(*(race(i) for i in range(len(placed))))

    finals: Counter[str] = Counter()
    for (order, _), buyer, (webhook, cancelled) in zip(placed, buyers, results, strict=True):
        assert (webhook.status_code, cancelled.status_code) == (200, 200), (webhook.text, cancelled.text)
        final = await order_of(stripe_client, buyer, order["id"])
        finals[f"{final['status']} via {webhook.json()['outcome']}"] += 1
        # The cancel came first (CANCELLED, the late payment refunded) or the payment did (CONFIRMED,
        # then the cancel of a paid order: REFUNDED). Either way: refunded once, in full.
        assert {t["status"] for t in final["tickets"]} <= {"CANCELLED"}
        assert await refunded_total(session, order["id"]) == (5000, 5000)
        refunds = await session.scalar(
            select(func.count())
            .select_from(Refund)
            .join(Payment, Payment.id == Refund.payment_id)
            .where(Payment.order_id == uuid.UUID(order["id"]))
        )
        assert refunds == 1
    assert finals == {"CANCELLED via refunded": 3, "REFUNDED via confirmed": 3}
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held, state.live_tickets) == (0, 0, 0)
    state.assert_consistent()


async def _ten_refunds_of_15(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> tuple[list[httpx.Response], dict[str, Any], int]:
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=4))  # 100.00
    await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    payment = (await client.get("/payments", headers=buyer.headers)).json()["data"][0]
    responses = await asyncio.gather(
        *(
            client.post(
                f"/payments/{payment['id']}/refund", json={"amount": "15"}, headers=shop.staff_headers
            )
            for _ in range(10)
        )
    )
    refunded = await session.scalar(
        select(func.coalesce(func.sum(Refund.amount_minor), 0)).where(
            Refund.payment_id == uuid.UUID(payment["id"])
        )
    )
    await session.commit()
    return list(responses), order, int(refunded or 0)


async def test_simultaneous_partial_refunds_never_exceed_what_was_paid(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    responses, order, refunded = await _ten_refunds_of_15(client, session, context)

    assert Counter(r.status_code for r in responses) == {200: 6, 422: 4}
    assert refunded == 9000
    assert await refunded_total(session, order["id"]) == (9000, 9000)
    status = await session.scalar(select(Order.status).where(Order.id == uuid.UUID(order["id"])))
    assert status == "PARTIALLY_REFUNDED"


async def _lock_nothing(session: AsyncSession, order_id: uuid.UUID, **_: Any) -> Any:
    from tixmo.events.models import Event

    row = (
        await session.execute(
            select(Order, Event.organization_id, Event.status)
            .join(Event, Event.id == Order.event_id)
            .where(Order.id == order_id)
        )
    ).first()
    return orders_service.Locked(row[0], row[1], row[2]) if row is not None else None


async def _payment_unlocked(session: AsyncSession, order_id: uuid.UUID) -> Payment | None:
    payment: Payment | None = await session.scalar(select(Payment).where(Payment.order_id == order_id))
    return payment


@asynccontextmanager
async def _without_refund_check(database_url: str) -> AsyncIterator[None]:
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as conn:
        await conn.execute("SET lock_timeout = '30s'")
        await conn.execute("ALTER TABLE payments DROP CONSTRAINT ck_payments_refunds_within_received")
        try:
            yield
        finally:
            await conn.execute("TRUNCATE payment_events, refunds, payments CASCADE")
            await conn.execute(
                "ALTER TABLE payments ADD CONSTRAINT ck_payments_refunds_within_received "
                "CHECK (amount_refunded_minor >= 0 AND amount_refunded_minor <= amount_received_minor)"
            )


async def test_negative_control_without_the_locks_refunds_more_than_was_paid(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settlement, "lock", _lock_nothing)
    monkeypatch.setattr(payments, "lock_payment", _payment_unlocked)
    async with _without_refund_check(database_url):
        responses, _, refunded = await _ten_refunds_of_15(client, session, context)

    # The same requests as above, inverted: more than 6 went through and more than 100.00 went back.
    assert Counter(r.status_code for r in responses)[200] > 6
    assert refunded > 10000

"""A payment that arrives when the order can no longer take it: refunded in full, the buyer told."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Shop, ledger, make_buyer, make_due, make_shop, order_body, place_ok
from tests.payments.fake_stripe import FakeStripe
from tests.payments.helpers import deliver, order_of, payment_of, pending_with_intent, stripe_event
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.notifications.models import Notification


async def _end_event(client: httpx.AsyncClient, session: AsyncSession, shop: Shop, status: str) -> None:
    """The event is cancelled by its staff, or completed (its end passed: what the periodic job does)."""
    if status == "CANCELLED":
        response = await client.post(f"/events/{shop.event.id}/cancel", headers=shop.staff_headers)
        assert response.status_code == 200, response.text
    else:
        await session.execute(update(Event).where(Event.id == shop.event.id).values(status=status))
        await session.commit()


@pytest.mark.parametrize("event_status", ["CANCELLED", "COMPLETED"])
async def test_a_payment_after_expiry_is_refunded_when_the_event_is_no_longer_on(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    event_status: str,
) -> None:
    """The tickets are still there, but the event was cancelled or is over: the order is not revived."""
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    await make_due(session, order["id"])
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "EXPIRED"
    await _end_event(stripe_client, session, shop, event_status)

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )

    assert response.json()["outcome"] == "refunded"
    expired = await order_of(stripe_client, buyer, order["id"])
    assert (expired["status"], expired["tickets"]) == ("EXPIRED", [])
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["status"], payment["amountRefunded"]) == ("REFUNDED", "50.00")
    [refund] = payment["refunds"]
    assert refund["reason"] == (
        f"The event is {event_status}: no tickets can be issued for it. Refunded in full."
    )
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held, state.live_tickets) == (0, 0, 0)
    state.assert_consistent()


async def test_a_payment_for_a_pending_order_of_an_event_that_ended_is_refunded(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    """Paid within the hold, but the event completed meanwhile: the hold goes back, the money too."""
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    await _end_event(stripe_client, session, shop, "COMPLETED")

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )

    assert response.json()["outcome"] == "refunded"
    cancelled = await order_of(stripe_client, buyer, order["id"])
    assert (cancelled["status"], cancelled["tickets"]) == ("CANCELLED", [])
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["status"], payment["amountRefunded"]) == ("REFUNDED", "50.00")
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held) == (0, 0)
    state.assert_consistent()


async def test_a_payment_refunded_because_the_tickets_were_gone_notifies_the_buyer(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=2)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    await make_due(session, order["id"])
    rival = await make_buyer(session, stripe_context)
    await place_ok(stripe_client, rival, order_body(shop, quantity=1))
    event = stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"]))

    for _ in range(2):  # a redelivery notifies nobody again
        await deliver(stripe_client, event)

    notices = list(
        await session.scalars(
            select(Notification)
            .where(Notification.user_id == buyer.user.id)
            .order_by(Notification.created_at, Notification.id)
        )
    )
    await session.commit()
    assert [n.kind for n in notices] == ["order.expired", "order.refunded"]
    refunded = notices[-1]
    assert (refunded.data["orderId"], refunded.data["amount"], refunded.data["status"]) == (
        order["id"],
        "50.00",
        "EXPIRED",
    )
    assert refunded.body.startswith("Your payment of 50.00 USD arrived after the order had expired")


@pytest.mark.parametrize("event_status", ["CANCELLED", "COMPLETED"])
async def test_a_late_payment_for_a_cancelled_order_or_event_notifies_the_buyer(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    event_status: str,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=5)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    await _end_event(stripe_client, session, shop, event_status)

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )

    assert response.json()["outcome"] == "refunded"
    notices = list(
        await session.scalars(
            select(Notification)
            .where(Notification.user_id == buyer.user.id)
            .order_by(Notification.created_at, Notification.id)
        )
    )
    await session.commit()
    # An event cancellation sends its own notice first; then the late payment's refund is announced.
    expected = ["event.cancelled"] if event_status == "CANCELLED" else []
    assert [n.kind for n in notices] == [*expected, "order.refunded"]
    happened = "was cancelled" if event_status == "CANCELLED" else "had ended"
    assert notices[-1].body.startswith(f"Your payment of 50.00 USD arrived after Jazz Night {happened}")
    assert notices[-1].data["amount"] == "50.00"
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "CANCELLED"

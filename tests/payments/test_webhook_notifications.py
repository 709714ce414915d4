"""A payment confirmed by Stripe's webhook notifies the buyer (and queues the confirmation email) once,
however often the event is delivered."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import make_buyer, make_shop
from tests.payments.fake_stripe import FakeStripe
from tests.payments.helpers import deliver, pending_with_intent, stripe_event
from tixmo.deps import AppContext
from tixmo.notifications.models import EmailMessage, Notification


async def test_webhook_confirmation_notifies_and_emails_once(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    event = stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"]))
    for _ in range(3):
        assert (await deliver(stripe_client, event)).status_code == 200

    kinds = list(
        await session.scalars(select(Notification.kind).where(Notification.user_id == buyer.user.id))
    )
    assert kinds == ["order.confirmed"]
    [notice] = await session.scalars(select(Notification).where(Notification.user_id == buyer.user.id))
    assert notice.data["orderId"] == order["id"]
    emails = list(await session.scalars(select(EmailMessage).where(EmailMessage.user_id == buyer.user.id)))
    assert [(m.kind, m.status, m.to) for m in emails] == [("order.confirmed", "QUEUED", buyer.user.email)]

"""Each domain change notifies the right people once, and emails them by the preference policy."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.notifications.helpers import MailSink, messages, notification_kinds, parts, run_worker
from tests.orders.helpers import make_buyer, make_due, order_body, place_ok
from tests.tickets.helpers import buy, buy_one, make_shop
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.orders import service as orders
from tixmo.payments.models import Payment


async def test_transfer_notifies_both_and_the_senders_email_can_be_switched_off(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context)
    sender, recipient = await make_buyer(session, context), await make_buyer(session, context)
    ticket = await buy_one(client, shop, sender)
    for buyer in (sender, recipient):  # neither switch stops the recipient's (transactional) email
        body = {"ticketTransfers": False} if buyer is sender else {"emailEnabled": False}
        assert (
            await client.put("/notifications/preferences", json=body, headers=buyer.headers)
        ).status_code == 200
    response = await client.post(
        f"/tickets/{ticket['id']}/transfer", json={"email": recipient.user.email}, headers=sender.headers
    )
    assert response.status_code == 200, response.text
    await run_worker(context, mail_settings)

    assert "ticket.transfer.sent" in await notification_kinds(session, sender.user.id)
    assert await notification_kinds(session, recipient.user.id) == ["ticket.transfer.received"]
    assert sink.kinds_to(sender.user.email) == ["order.confirmed"]
    [mail] = sink.to(recipient.user.email)
    plain, html, _ = parts(mail)
    assert f"/api/v1/tickets/{ticket['id']}/pdf" in plain and f"/api/v1/tickets/{ticket['id']}/pdf" in html
    assert shop.event.name in plain


async def test_event_cancel_sends_one_message_per_person_instead_of_per_order(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context, name="Open Air")
    paid, pending, holder = [await make_buyer(session, context) for _ in range(3)]
    tickets = await buy(client, shop, paid, 2)
    await buy(client, shop, paid, 1)  # a second order: still one message
    await place_ok(client, pending, order_body(shop, 1))  # type: ignore[arg-type]
    moved = await client.post(
        f"/tickets/{tickets[0]['id']}/transfer", json={"email": holder.user.email}, headers=paid.headers
    )
    assert moved.status_code == 200
    await run_worker(context, mail_settings)
    sink.received.clear()

    response = await client.post(f"/events/{shop.event.id}/cancel", headers=shop.staff_headers)
    assert response.status_code == 200, response.text
    await run_worker(context, mail_settings)

    for person in (paid, pending, holder):
        assert sink.kinds_to(person.user.email) == ["event.cancelled"], person
        assert (await notification_kinds(session, person.user.id)).count("event.cancelled") == 1
        assert not {"order.refunded", "order.cancelled"} & set(
            await notification_kinds(session, person.user.id)
        )
    [mail] = sink.to(pending.user.email)
    assert str(mail["Subject"]) == "Open Air is cancelled"


async def test_expired_order_notifies_and_order_updates_switch_governs_its_email(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context)
    keen, quiet = await make_buyer(session, context), await make_buyer(session, context)
    body = {"orderUpdates": False}
    assert (
        await client.put("/notifications/preferences", json=body, headers=quiet.headers)
    ).status_code == 200
    for buyer in (keen, quiet):
        order = await place_ok(client, buyer, order_body(shop, 1))  # type: ignore[arg-type]
        await make_due(session, order["id"])
    async with context.database.sessionmaker() as work, work.begin():
        assert await orders.expire_due(work) == 2
    await run_worker(context, mail_settings)

    for buyer in (keen, quiet):
        assert await notification_kinds(session, buyer.user.id) == ["order.expired"]
    assert sink.kinds_to(keen.user.email) == ["order.expired"]
    assert sink.kinds_to(quiet.user.email) == []


async def test_cancel_and_refund_notify_the_buyer(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    first = (await buy(client, shop, buyer, 1))[0]["orderId"]
    second = (await buy(client, shop, buyer, 1))[0]["orderId"]
    pending = await place_ok(client, buyer, order_body(shop, 1))  # type: ignore[arg-type]

    assert (await client.post(f"/orders/{first}/cancel", headers=buyer.headers)).status_code == 200
    assert (await client.post(f"/orders/{pending['id']}/cancel", headers=buyer.headers)).status_code == 200
    payment_id = await session.scalar(select(Payment.id).where(Payment.order_id == uuid.UUID(second)))
    refunded = await client.post(f"/payments/{payment_id}/refund", json={}, headers=shop.staff_headers)
    assert refunded.status_code == 200, refunded.text
    await run_worker(context, mail_settings)

    assert sink.kinds_to(buyer.user.email) == [
        "order.cancelled",
        "order.confirmed",
        "order.confirmed",
        "order.refunded",
        "order.refunded",
    ]
    refund_mails = [m for m in sink.to(buyer.user.email) if m["X-TixMo-Kind"] == "order.refunded"]
    texts = sorted(parts(mail)[0] for mail in refund_mails)
    assert "25.00 USD was refunded; your order is now refunded in full" in texts[0]  # the staff refund
    assert "Your order was refunded in full (25.00 USD)" in texts[1]  # the buyer's cancel
    assert all(parts(mail)[2] == [] for mail in refund_mails)
    assert all(m.status == "SENT" for m in await messages(session, buyer.user.id))


async def test_every_partial_refund_tells_the_buyer_how_much(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    order_id = (await buy(client, shop, buyer, 2))[0]["orderId"]  # 2 x 25.00
    payment_id = await session.scalar(select(Payment.id).where(Payment.order_id == uuid.UUID(order_id)))
    for amount in ("10.00", "15.00"):  # both leave the order PARTIALLY_REFUNDED
        refunded = await client.post(
            f"/payments/{payment_id}/refund", json={"amount": amount}, headers=shop.staff_headers
        )
        assert refunded.status_code == 200, refunded.text
    await run_worker(context, mail_settings)

    refund_mails = [m for m in sink.to(buyer.user.email) if m["X-TixMo-Kind"] == "order.refunded"]
    texts = [parts(mail)[0] for mail in refund_mails]
    assert len(texts) == 2
    assert any("10.00 USD of your order was refunded" in text for text in texts)
    assert any("15.00 USD of your order was refunded" in text for text in texts)
    assert all("Refunded: " in text for text in texts)

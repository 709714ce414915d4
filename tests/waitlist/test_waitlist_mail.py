"""Joining, an offer (with its claim link), an offer that ran out and the event's cancellation are
told in-app and by email, through a real SMTP server."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.notifications.helpers import MailSink, notification_kinds, parts, run_worker
from tests.orders.helpers import make_buyer
from tests.waitlist.helpers import cancel_order, join_ok, make_offer_due, sold_out_shop, statuses
from tests.waitlist.test_offers import _settle_periodic
from tixmo.config import Settings
from tixmo.deps import AppContext


async def test_join_offer_and_expiry_are_told_by_email_with_the_claim_link(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(2,))
    alice = await make_buyer(session, context)
    joined = await join_ok(client, alice, sold.shop, 2)
    await run_worker(context, mail_settings)
    assert sink.kinds_to(alice.user.email) == ["waitlist.joined"]
    plain, html, _ = parts(sink.to(alice.user.email)[0])
    assert sold.shop.event.name in plain and sold.shop.event.name in html

    await cancel_order(client, sold.holder, sold.orders[0])
    await run_worker(context, mail_settings)  # the offer job (it queues the email)
    await run_worker(context, mail_settings)  # the email
    assert sink.kinds_to(alice.user.email) == ["waitlist.joined", "waitlist.offer"]
    offer_mail = next(m for m in sink.to(alice.user.email) if m["X-TixMo-Kind"] == "waitlist.offer")
    plain, html, _ = parts(offer_mail)
    link = f"/api/v1/waitlist/{joined['id']}/claim"
    assert link in plain and link in html
    assert "(2)" in plain

    await make_offer_due(session, joined["id"])
    await _settle_periodic(context)
    await run_worker(context, mail_settings)
    assert sink.kinds_to(alice.user.email) == ["waitlist.expired", "waitlist.joined", "waitlist.offer"]
    assert await notification_kinds(session, alice.user.id) == [
        "waitlist.expired",
        "waitlist.joined",
        "waitlist.offer",
    ]


async def test_a_cancelled_event_cancels_its_entries_and_tells_them(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1, 1))
    offered, waiting = [await make_buyer(session, context) for _ in range(2)]
    await join_ok(client, offered, sold.shop, 1)
    await join_ok(client, waiting, sold.shop, 1)
    await cancel_order(client, sold.holder, sold.orders[0])
    await run_worker(context, mail_settings)
    await run_worker(context, mail_settings)
    assert await statuses(session, sold.shop.event.id) == [(1, "OFFERED"), (1, "WAITING")]

    cancel = await client.post(f"/events/{sold.shop.event.id}/cancel", headers=sold.shop.staff_headers)
    assert cancel.status_code == 200, cancel.text
    assert await statuses(session, sold.shop.event.id) == [(1, "CANCELLED"), (1, "CANCELLED")]
    await run_worker(context, mail_settings)
    for person in (offered, waiting):
        assert "event.cancelled" in sink.kinds_to(person.user.email)
        assert "event.cancelled" in await notification_kinds(session, person.user.id)
    mine = (await client.get("/waitlist", headers=offered.headers)).json()
    assert [(e["status"], e["heldQuantity"], e["claimUrl"]) for e in mine["data"]] == [("CANCELLED", 0, None)]

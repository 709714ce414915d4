"""Disputes (chargebacks) through signed ``charge.dispute.*`` webhooks: recorded on the payment, the
organizer told at once (in-app + email), repeated and out-of-order deliveries, a lost dispute counted as
a refund (a partially refunded order included, and in the sales report), ``GET /payments?disputed=true``."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Buyer, Shop, assert_problem, ledger, make_buyer, make_shop
from tests.payments.fake_stripe import FakeStripe
from tests.payments.helpers import counts, deliver, order_of, payment_of, pending_with_intent, stripe_event
from tixmo.deps import AppContext
from tixmo.notifications.models import EmailMessage, Notification


async def _paid(
    client: httpx.AsyncClient, fake: FakeStripe, session: AsyncSession, context: AppContext, quantity: int = 2
) -> tuple[Shop, Buyer, dict[str, Any], dict[str, Any]]:
    """A shop and an order of ``quantity`` x 25.00 paid through Stripe."""
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    order, intent = await pending_with_intent(client, shop, buyer, quantity=quantity)
    response = await deliver(
        client, stripe_event("payment_intent.succeeded", fake.succeed(intent["paymentIntentId"]))
    )
    assert response.json()["outcome"] == "confirmed"
    return shop, buyer, order, intent


async def test_a_dispute_is_recorded_and_the_organizer_told_at_once(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop, buyer, order, intent = await _paid(stripe_client, fake_stripe, session, stripe_context)
    due = int(time.time()) + 5 * 86400
    dispute = fake_stripe.dispute(intent["paymentIntentId"], reason="fraudulent", due_by=due)
    created = stripe_event("charge.dispute.created", dispute)
    for _ in range(3):  # delivered again: recorded and told once
        response = await deliver(stripe_client, created)
        assert response.status_code == 200, response.text

    payment = await payment_of(stripe_client, shop.staff_headers, intent["paymentId"])
    [recorded] = payment["disputes"]
    assert recorded["providerDisputeId"] == dispute["id"]
    assert (recorded["amount"], recorded["currency"], recorded["reason"], recorded["status"]) == (
        "50.00",
        "USD",
        "fraudulent",
        "needs_response",
    )
    assert recorded["evidenceDueBy"].startswith(time.strftime("%Y-%m-%dT%H:%M", time.gmtime(due)))
    assert (payment["status"], payment["orderStatus"], payment["amountRefunded"]) == (
        "SUCCEEDED",
        "CONFIRMED",
        "0.00",
    )
    opened = [e for e in payment["history"] if e["type"] == "dispute_opened"]
    assert len(opened) == 1 and opened[0]["code"] == "fraudulent"

    notes = list(await session.scalars(select(Notification).where(Notification.user_id == shop.staff.id)))
    assert [n.kind for n in notes] == ["payment.disputed"]
    assert notes[0].data["paymentId"] == intent["paymentId"]
    assert notes[0].data["evidenceDueBy"] is not None
    emails = list(await session.scalars(select(EmailMessage).where(EmailMessage.user_id == shop.staff.id)))
    assert [(m.kind, m.to) for m in emails] == [("payment.disputed", shop.staff.email)]
    # The buyer is not told about the organizer's chargeback.
    buyer_kinds = set(
        await session.scalars(select(Notification.kind).where(Notification.user_id == buyer.user.id))
    )
    assert "payment.disputed" not in buyer_kinds
    await session.commit()
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "CONFIRMED"


async def test_a_lost_dispute_on_a_partially_refunded_order_counts_as_the_rest_of_the_refund(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop, buyer, order, intent = await _paid(stripe_client, fake_stripe, session, stripe_context)
    refund = await stripe_client.post(
        f"/payments/{intent['paymentId']}/refund", json={"amount": "10.00"}, headers=shop.staff_headers
    )
    assert refund.status_code == 200, refund.text
    assert refund.json()["orderStatus"] == "PARTIALLY_REFUNDED"
    # Stripe disputes what was not refunded: 40.00.
    dispute = fake_stripe.dispute(intent["paymentIntentId"], amount=4000, reason="product_not_received")
    await deliver(stripe_client, stripe_event("charge.dispute.created", dispute))
    updated = await deliver(
        stripe_client, stripe_event("charge.dispute.updated", {**dispute, "status": "under_review"})
    )
    assert updated.json()["outcome"] == "dispute_updated"

    lost = {**dispute, "status": "lost"}
    response = await deliver(stripe_client, stripe_event("charge.dispute.closed", lost))
    assert response.json()["outcome"] == "dispute_lost"

    payment = await payment_of(stripe_client, shop.staff_headers, intent["paymentId"])
    assert (payment["status"], payment["amountRefunded"], payment["refundable"]) == (
        "REFUNDED",
        "50.00",
        "0.00",
    )
    assert payment["orderStatus"] == "REFUNDED"
    by_origin = {r["origin"]: r for r in payment["refunds"]}
    assert (by_origin["dispute"]["amount"], by_origin["dispute"]["status"]) == ("40.00", "SUCCEEDED")
    assert by_origin["api"]["amount"] == "10.00"
    [recorded] = payment["disputes"]
    assert (recorded["status"], recorded["refundId"]) == ("lost", by_origin["dispute"]["id"])
    assert recorded["closedAt"] is not None
    # Nothing left: the tickets are cancelled and their inventory is back on sale.
    assert {t["status"] for t in (await order_of(stripe_client, buyer, order["id"]))["tickets"]} == {
        "CANCELLED"
    }
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held) == (0, 0)
    state.assert_consistent()

    # A redelivery, and an older status arriving after the close, change nothing.
    assert (await deliver(stripe_client, stripe_event("charge.dispute.closed", lost))).json()["outcome"] == (
        "already_settled"
    )
    late = stripe_event("charge.dispute.updated", {**dispute, "status": "under_review"})
    assert (await deliver(stripe_client, late)).json()["outcome"] == "late_status"
    again = await payment_of(stripe_client, shop.staff_headers, intent["paymentId"])
    assert (again["amountRefunded"], len(again["refunds"])) == ("50.00", 2)

    # Every figure counts it: the sales report's refunds are the 10.00 and the 40.00 lost.
    report = await stripe_client.get(
        "/analytics/sales", params={"eventId": str(shop.event.id)}, headers=shop.staff_headers
    )
    assert report.status_code == 200, report.text
    [totals] = report.json()["totals"]
    assert (totals["gross"], totals["refunds"], totals["net"]) == ("50.00", "50.00", "0.00")


async def test_a_close_delivered_before_the_dispute_opened_is_recorded_and_the_open_ignored(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop, buyer, order, intent = await _paid(stripe_client, fake_stripe, session, stripe_context)
    dispute = fake_stripe.dispute(intent["paymentIntentId"], amount=2500)
    closed = await deliver(
        stripe_client, stripe_event("charge.dispute.closed", {**dispute, "status": "lost"})
    )
    assert closed.json()["outcome"] == "dispute_lost"
    opened = await deliver(stripe_client, stripe_event("charge.dispute.created", dispute))
    assert opened.json()["outcome"] == "late_status"

    payment = await payment_of(stripe_client, shop.staff_headers, intent["paymentId"])
    assert [d["status"] for d in payment["disputes"]] == ["lost"]
    assert (payment["status"], payment["amountRefunded"]) == ("PARTIALLY_REFUNDED", "25.00")
    assert payment["orderStatus"] == "PARTIALLY_REFUNDED"
    # Half the money went back: the tickets stay (a person decides), inventory untouched.
    assert {t["status"] for t in (await order_of(stripe_client, buyer, order["id"]))["tickets"]} == {"VALID"}
    (await ledger(session, shop.ticket_type.id)).assert_consistent()


async def test_a_won_dispute_keeps_the_money_and_the_order(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop, _, _, intent = await _paid(stripe_client, fake_stripe, session, stripe_context)
    dispute = fake_stripe.dispute(intent["paymentIntentId"])
    await deliver(stripe_client, stripe_event("charge.dispute.created", dispute))
    won = await deliver(stripe_client, stripe_event("charge.dispute.closed", {**dispute, "status": "won"}))
    assert won.json()["outcome"] == "dispute_won"
    payment = await payment_of(stripe_client, shop.staff_headers, intent["paymentId"])
    assert (payment["status"], payment["amountRefunded"], payment["refunds"]) == ("SUCCEEDED", "0.00", [])
    assert payment["orderStatus"] == "CONFIRMED"
    kinds = list(
        await session.scalars(
            select(Notification.title)
            .where(Notification.user_id == shop.staff.id)
            .order_by(Notification.created_at)
        )
    )
    await session.commit()
    assert len(kinds) == 2 and kinds[1].startswith("Dispute won")


async def test_a_dispute_before_the_payment_succeeded_is_refused_for_redelivery(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    _, intent = await pending_with_intent(stripe_client, shop, buyer)
    fake_stripe.intents[intent["paymentIntentId"]]["latest_charge"] = "ch_x"
    fake_stripe.intents[intent["paymentIntentId"]]["amount_received"] = 5000
    early = stripe_event("charge.dispute.created", fake_stripe.dispute(intent["paymentIntentId"]))
    before = await counts(session)
    assert_problem(await deliver(stripe_client, early), 409, "CONFLICT")
    assert await counts(session) == before

    await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )
    assert (await deliver(stripe_client, early)).json()["outcome"] == "dispute_opened"


async def test_concurrent_deliveries_of_a_lost_dispute_refund_once(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop, _, _, intent = await _paid(stripe_client, fake_stripe, session, stripe_context)
    dispute = {**fake_stripe.dispute(intent["paymentIntentId"]), "status": "lost"}
    events = [stripe_event("charge.dispute.closed", dispute) for _ in range(4)]  # distinct event ids
    events += [events[0]] * 4  # and one of them redelivered
    answers = await asyncio.gather(*(deliver(stripe_client, e) for e in events))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
    outcomes = sorted(str(a.json()["outcome"]) for a in answers if not a.json()["duplicate"])
    assert outcomes == ["already_settled"] * 3 + ["dispute_lost"]
    payment = await payment_of(stripe_client, shop.staff_headers, intent["paymentId"])
    assert (payment["amountRefunded"], [r["origin"] for r in payment["refunds"]]) == ("50.00", ["dispute"])
    (await ledger(session, shop.ticket_type.id)).assert_consistent()


async def test_staff_list_disputed_payments_of_their_events_only(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop, buyer, _, disputed = await _paid(stripe_client, fake_stripe, session, stripe_context)
    await deliver(
        stripe_client,
        stripe_event("charge.dispute.created", fake_stripe.dispute(disputed["paymentIntentId"])),
    )
    # Another payment of the same event, not disputed; and another organization's disputed payment.
    other_buyer = await make_buyer(session, stripe_context)
    _, calm = await pending_with_intent(stripe_client, shop, other_buyer)
    other_shop, _, _, elsewhere = await _paid(stripe_client, fake_stripe, session, stripe_context)
    await deliver(
        stripe_client,
        stripe_event("charge.dispute.created", fake_stripe.dispute(elsewhere["paymentIntentId"])),
    )

    async def ids(headers: dict[str, str], **query: str) -> list[str]:
        response = await stripe_client.get("/payments", params=query, headers=headers)
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()["data"]]

    assert await ids(shop.staff_headers, disputed="true") == [disputed["paymentId"]]
    assert await ids(other_shop.staff_headers, disputed="true") == [elsewhere["paymentId"]]
    assert await ids(shop.staff_headers, disputed="false", eventId=str(shop.event.id)) == [calm["paymentId"]]
    assert await ids(buyer.headers, disputed="true") == [disputed["paymentId"]]  # their own
    assert await ids(other_buyer.headers, disputed="true") == []
    # Someone else's payment stays invisible, disputes and all.
    assert (
        await stripe_client.get(f"/payments/{elsewhere['paymentId']}", headers=shop.staff_headers)
    ).status_code == 404


@pytest.mark.parametrize("value", ["maybe", "2", ""])
async def test_the_disputed_filter_refuses_what_is_not_a_boolean(
    stripe_client: httpx.AsyncClient, session: AsyncSession, stripe_context: AppContext, value: str
) -> None:
    buyer = await make_buyer(session, stripe_context)
    response = await stripe_client.get("/payments", params={"disputed": value}, headers=buyer.headers)
    assert_problem(response, 422, "VALIDATION_ERROR")

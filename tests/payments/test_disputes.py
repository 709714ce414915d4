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


async def _scanner(client: httpx.AsyncClient, shop: Shop) -> dict[str, str]:
    made = await client.post(
        "/scanners/register", json={"eventId": str(shop.event.id), "name": "Door"}, headers=shop.staff_headers
    )
    assert made.status_code == 201, made.text
    authed = await client.post("/scanners/auth", json={"apiKey": made.json()["apiKey"]})
    assert authed.status_code == 200, authed.text
    return {"Authorization": f"Bearer {authed.json()['token']}"}


async def _scan(client: httpx.AsyncClient, device: dict[str, str], barcode: str) -> dict[str, Any]:
    answer = await client.post(
        "/scanners/scan", json={"barcode": barcode, "direction": "ENTRY"}, headers=device
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def _suspending_shop(client: httpx.AsyncClient, shop: Shop, on: bool) -> None:
    answer = await client.put(
        f"/events/{shop.event.id}", json={"suspendTicketsOnDispute": on}, headers=shop.staff_headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["suspendTicketsOnDispute"] is on


async def test_a_dispute_suspends_the_orders_tickets_when_the_event_says_so_until_it_is_won(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    await _suspending_shop(stripe_client, shop, True)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=3)
    await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )
    tickets = (await order_of(stripe_client, buyer, order["id"]))["tickets"]
    device = await _scanner(stripe_client, shop)
    assert (await _scan(stripe_client, device, tickets[0]["barcode"]))["status"] == "VALID"  # one got in

    dispute = fake_stripe.dispute(intent["paymentIntentId"])
    await deliver(stripe_client, stripe_event("charge.dispute.created", dispute))

    refused = await _scan(stripe_client, device, tickets[1]["barcode"])
    assert refused["status"] == "INVALID"
    assert "disputed" in refused["message"]
    manual = await stripe_client.post(f"/tickets/{tickets[2]['id']}/check-in", headers=shop.staff_headers)
    assert_problem(manual, 409, "INVALID_STATE")
    checked = await stripe_client.post(
        "/tickets/validate", json={"barcode": tickets[2]["barcode"]}, headers=shop.staff_headers
    )
    assert (checked.json()["valid"], checked.json()["status"], checked.json()["reason"]) == (
        False,
        "INVALID",
        "SUSPENDED",
    )
    bundle = await stripe_client.get("/scanners/sync", headers=device)
    assert bundle.status_code == 200, bundle.text
    statuses = {t["ticketId"]: t["status"] for t in bundle.json()["tickets"]}
    assert [statuses[t["id"]] for t in tickets] == ["USED", "CANCELLED", "CANCELLED"]
    offline = await stripe_client.post(
        "/scanners/sync",
        json={
            "scans": [
                {
                    "clientScanId": "offline-1",
                    "barcode": tickets[2]["barcode"],
                    "direction": "ENTRY",
                    "scannedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                }
            ]
        },
        headers=device,
    )
    assert offline.status_code == 200, offline.text
    [result] = offline.json()["results"]
    assert (result["clientScanId"], result["status"]) == ("offline-1", "INVALID")
    payment = await payment_of(stripe_client, shop.staff_headers, intent["paymentId"])
    assert "tickets_suspended" in [e["type"] for e in payment["history"]]

    won = await deliver(stripe_client, stripe_event("charge.dispute.closed", {**dispute, "status": "won"}))
    assert won.json()["outcome"] == "dispute_won"
    assert (await _scan(stripe_client, device, tickets[1]["barcode"]))["status"] == "VALID"
    manual = await stripe_client.post(f"/tickets/{tickets[2]['id']}/check-in", headers=shop.staff_headers)
    assert manual.status_code == 200, manual.text
    (await ledger(session, shop.ticket_type.id)).assert_consistent()


async def test_without_the_event_setting_a_dispute_suspends_nothing(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop, buyer, order, intent = await _paid(stripe_client, fake_stripe, session, stripe_context)
    tickets = (await order_of(stripe_client, buyer, order["id"]))["tickets"]
    await deliver(
        stripe_client, stripe_event("charge.dispute.created", fake_stripe.dispute(intent["paymentIntentId"]))
    )
    device = await _scanner(stripe_client, shop)
    assert (await _scan(stripe_client, device, tickets[0]["barcode"]))["status"] == "VALID"


async def test_a_dispute_lost_in_full_cancels_the_suspended_tickets(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    await _suspending_shop(stripe_client, shop, True)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )
    dispute = fake_stripe.dispute(intent["paymentIntentId"])
    await deliver(stripe_client, stripe_event("charge.dispute.created", dispute))
    await deliver(stripe_client, stripe_event("charge.dispute.closed", {**dispute, "status": "lost"}))
    tickets = (await order_of(stripe_client, buyer, order["id"]))["tickets"]
    assert {t["status"] for t in tickets} == {"CANCELLED"}
    device = await _scanner(stripe_client, shop)
    assert (await _scan(stripe_client, device, tickets[0]["barcode"]))["status"] == "CANCELLED"
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held) == (0, 0)
    state.assert_consistent()


@pytest.mark.parametrize("value", ["sometimes", 2, None, "true", 1])
async def test_the_event_setting_takes_a_boolean_only(
    stripe_client: httpx.AsyncClient, session: AsyncSession, stripe_context: AppContext, value: object
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    answer = await stripe_client.put(
        f"/events/{shop.event.id}", json={"suspendTicketsOnDispute": value}, headers=shop.staff_headers
    )
    assert_problem(answer, 422, "VALIDATION_ERROR")


async def test_staff_cannot_refund_a_payment_while_its_dispute_is_open(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    """Stripe refuses to refund a disputed charge; refunding would also pay the buyer twice if the
    dispute is then lost."""
    shop, _, _, intent = await _paid(stripe_client, fake_stripe, session, stripe_context)
    dispute = fake_stripe.dispute(intent["paymentIntentId"])
    await deliver(stripe_client, stripe_event("charge.dispute.created", dispute))
    before = await counts(session)
    refused = await stripe_client.post(
        f"/payments/{intent['paymentId']}/refund", json={}, headers=shop.staff_headers
    )
    assert_problem(refused, 409, "INVALID_STATE")
    assert await counts(session) == before
    assert fake_stripe.created["refund"] == 0

    await deliver(stripe_client, stripe_event("charge.dispute.closed", {**dispute, "status": "won"}))
    allowed = await stripe_client.post(
        f"/payments/{intent['paymentId']}/refund", json={"amount": "5.00"}, headers=shop.staff_headers
    )
    assert allowed.status_code == 200, allowed.text

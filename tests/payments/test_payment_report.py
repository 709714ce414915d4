"""``/analytics/payments``: successes, failed attempts, disputes and refunds (a lost dispute included)
per currency, day and method, and the decline reasons — from payments made through the real ``stripe``
SDK and signed webhooks; the analytics filters' 403/404/422 rules; CSV and PDF."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Buyer, Shop, assert_problem, make_buyer, make_shop
from tests.payments.fake_stripe import FakeStripe
from tests.payments.helpers import deliver, pending_with_intent, stripe_event
from tixmo.deps import AppContext


async def _pay(client: httpx.AsyncClient, fake: FakeStripe, shop: Shop, buyer: Buyer) -> dict[str, Any]:
    _, intent = await pending_with_intent(client, shop, buyer, quantity=2)  # 50.00
    return intent


async def _succeed(client: httpx.AsyncClient, fake: FakeStripe, intent: dict[str, Any]) -> None:
    answer = await deliver(
        client, stripe_event("payment_intent.succeeded", fake.succeed(intent["paymentIntentId"]))
    )
    assert answer.json()["outcome"] == "confirmed", answer.text


async def test_the_payment_report_counts_successes_failures_disputes_and_refunds(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=20)
    buyer = await make_buyer(session, stripe_context)
    plain = await _pay(stripe_client, fake_stripe, shop, buyer)
    await _succeed(stripe_client, fake_stripe, plain)
    retried = await _pay(stripe_client, fake_stripe, shop, buyer)
    await deliver(
        stripe_client,
        stripe_event("payment_intent.payment_failed", fake_stripe.decline(retried["paymentIntentId"])),
    )
    await deliver(
        stripe_client,
        stripe_event("payment_intent.payment_failed", fake_stripe.fail_attempt(retried["paymentIntentId"])),
    )
    await _succeed(stripe_client, fake_stripe, retried)
    chargeback = await _pay(stripe_client, fake_stripe, shop, buyer)
    await _succeed(stripe_client, fake_stripe, chargeback)
    lost = {**fake_stripe.dispute(chargeback["paymentIntentId"]), "status": "lost"}
    await deliver(stripe_client, stripe_event("charge.dispute.created", {**lost, "status": "needs_response"}))
    await deliver(stripe_client, stripe_event("charge.dispute.closed", lost))
    refunded = await _pay(stripe_client, fake_stripe, shop, buyer)
    await _succeed(stripe_client, fake_stripe, refunded)
    answer = await stripe_client.post(
        f"/payments/{refunded['paymentId']}/refund", json={"amount": "10.00"}, headers=shop.staff_headers
    )
    assert answer.status_code == 200, answer.text
    never_paid = await _pay(stripe_client, fake_stripe, shop, buyer)  # still open: counts nowhere
    assert never_paid["status"] == "REQUIRES_PAYMENT"

    response = await stripe_client.get(
        "/analytics/payments", params={"eventId": str(shop.event.id), "tz": "UTC"}, headers=shop.staff_headers
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["report"] == "PAYMENTS"
    expected = {
        "currency": "USD",
        "succeeded": 4,
        "succeededAmount": "200.00",
        "failed": 2,
        "failedAmount": "100.00",
        "disputed": 1,
        "disputedAmount": "50.00",
        "refunded": 2,
        "refundedAmount": "60.00",  # the 10.00 refund and the 50.00 lost in the dispute
    }
    assert report["totals"] == [expected]
    assert report["byMethod"] == [{**expected, "method": "card"}]
    assert sum(day["succeeded"] for day in report["byDay"]) == 4
    assert sum(day["refunded"] for day in report["byDay"]) == 2
    assert report["declineReasons"] == [
        {"code": "card_declined", "count": 1},
        {"code": "insufficient_funds", "count": 1},
    ]

    # The sales report subtracts the same refunds: a lost dispute counts in every figure.
    sales = await stripe_client.get(
        "/analytics/sales", params={"eventId": str(shop.event.id)}, headers=shop.staff_headers
    )
    assert sales.json()["totals"][0]["refunds"] == "60.00"

    csv = await stripe_client.get(
        "/analytics/payments",
        params={"eventId": str(shop.event.id), "format": "csv"},
        headers=shop.staff_headers,
    )
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "byMethod,card,,USD,refundedAmount,60.00" in csv.text
    assert "declineReasons,insufficient_funds,,,count,1" in csv.text
    pdf = await stripe_client.get(
        "/analytics/payments",
        params={"eventId": str(shop.event.id), "format": "pdf"},
        headers=shop.staff_headers,
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_the_payment_report_follows_the_analytics_access_rules(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=20)
    other = await make_shop(session, stripe_context, quantity=20)
    buyer = await make_buyer(session, stripe_context)
    await _succeed(stripe_client, fake_stripe, await _pay(stripe_client, fake_stripe, other, buyer))

    mine = await stripe_client.get("/analytics/payments", headers=shop.staff_headers)
    assert mine.status_code == 200, mine.text
    assert mine.json()["totals"] == []  # the other organization's payment is not in it
    hidden = await stripe_client.get(
        "/analytics/payments", params={"eventId": str(other.event.id)}, headers=shop.staff_headers
    )
    assert_problem(hidden, 404, "NOT_FOUND")
    assert_problem(await stripe_client.get("/analytics/payments", headers=buyer.headers), 403, "FORBIDDEN")
    assert_problem(await stripe_client.get("/analytics/payments"), 401, "UNAUTHORIZED")
    for bad in ({"from": "yesterday"}, {"tz": "Mars/Olympus"}, {"eventId": "42"}):
        answer = await stripe_client.get("/analytics/payments", params=bad, headers=shop.staff_headers)
        assert_problem(answer, 422, "VALIDATION_ERROR")

"""Zero-decimal (JPY) and three-decimal (KWD) currencies through the real SDK and the fake Stripe server:
TixMo keeps hundredths, Stripe counts the currency's own unit, in both directions."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_organization, create_ticket_type, create_user
from tests.orders.helpers import Shop, assert_problem, error_fields, make_buyer, order_body, place_ok
from tests.payments.fake_stripe import FakeStripe
from tests.payments.helpers import counts, deliver, order_of, payment_of, pending_with_intent, stripe_event
from tixmo import jobs
from tixmo.accounts.models import Role
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.promos.models import PromoCode


async def _shop(session: AsyncSession, context: AppContext, currency: str, price_minor: int) -> Shop:
    staff = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=staff, name=f"Org {uuid.uuid4().hex[:6]}")
    event = await create_event(session, organization=org, status="PUBLISHED", currency=currency)
    ticket_type = await create_ticket_type(session, event=event, quantity_total=20, price_minor=price_minor)
    return Shop(staff, auth(context, staff), org, event, ticket_type)


async def _pay(
    client: httpx.AsyncClient, fake: FakeStripe, intent: dict[str, Any], **paid: Any
) -> dict[str, Any]:
    response = await deliver(
        client, stripe_event("payment_intent.succeeded", fake.succeed(intent["paymentIntentId"], **paid))
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def _run_jobs(context: AppContext, settings: Settings) -> None:
    await jobs.run_worker(context.database, settings=settings, wait=False, install_signal_handlers=False)


@pytest.mark.parametrize(
    ("currency", "price_minor", "stripe_amount", "refund", "stripe_refund", "dashboard", "recorded"),
    [
        # ¥1,000 a ticket: TixMo's 100000 hundredths, Stripe's 1000 yen.
        ("JPY", 100000, 2000, "500", 500, 300, "300.00"),
        # KWD 1.250 a ticket: TixMo's 125 hundredths, Stripe's 1250 fils.
        ("KWD", 125, 2500, "1.00", 1000, 250, "0.25"),
    ],
)
async def test_amounts_go_to_stripe_and_come_back_in_the_currencys_units(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    stripe_settings: Settings,
    currency: str,
    price_minor: int,
    stripe_amount: int,
    refund: str,
    stripe_refund: int,
    dashboard: int,
    recorded: str,
) -> None:
    shop = await _shop(session, stripe_context, currency, price_minor)
    buyer = await make_buyer(session, stripe_context)

    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)

    at_stripe = fake_stripe.intents[intent["paymentIntentId"]]
    assert (at_stripe["amount"], at_stripe["currency"]) == (stripe_amount, currency.lower())
    assert (intent["amountMinor"], intent["currency"]) == (stripe_amount, currency)
    assert intent["amount"] == order["total"]
    # payment_intent.succeeded reports Stripe's units: they match the order's total.
    assert (await _pay(stripe_client, fake_stripe, intent))["outcome"] == "confirmed"
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "CONFIRMED"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["amountReceived"], payment["amountMinor"]) == (order["total"], stripe_amount)

    # A refund is sent in Stripe's units.
    refunded = await stripe_client.post(
        f"/payments/{intent['paymentId']}/refund", json={"amount": refund}, headers=shop.staff_headers
    )
    assert refunded.status_code == 200, refunded.text
    await _run_jobs(stripe_context, stripe_settings)
    [ours] = fake_stripe.refunds.values()
    assert ours["amount"] == stripe_refund

    # Money refunded in the dashboard comes back (charge.refunded's cumulative amount) in hundredths.
    fake_stripe.refund_in_dashboard(intent["paymentIntentId"], dashboard)
    charge = fake_stripe.charge(intent["paymentIntentId"])
    reconciled = await deliver(stripe_client, stripe_event("charge.refunded", charge))
    assert reconciled.json()["outcome"] == "external_refund"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert [(r["amount"], r["origin"]) for r in payment["refunds"]] == [
        (f"{float(refund):.2f}", "api"),
        (recorded, "external"),
    ]


async def test_a_fraction_of_a_yen_is_refused_before_stripe_is_asked(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await _shop(session, stripe_context, "JPY", 100050)  # ¥1,000.50: no such amount
    buyer = await make_buyer(session, stripe_context)
    order = await place_ok(stripe_client, buyer, order_body(shop))
    before = await counts(session)

    response = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )

    body = assert_problem(response, 422, "PAYMENT_REFUSED")
    assert error_fields(body) == {"amount"}
    assert "JPY has no minor unit" in body["detail"]
    assert sum(fake_stripe.calls.values()) == 0
    assert await counts(session) == before
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "PENDING"


async def test_a_refund_of_a_fraction_of_a_yen_is_422(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await _shop(session, stripe_context, "JPY", 100000)
    buyer = await make_buyer(session, stripe_context)
    _, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=1)
    await _pay(stripe_client, fake_stripe, intent)

    response = await stripe_client.post(
        f"/payments/{intent['paymentId']}/refund", json={"amount": "10.50"}, headers=shop.staff_headers
    )

    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"amount"}
    assert (await payment_of(stripe_client, buyer.headers, intent["paymentId"]))["refunds"] == []


@pytest.mark.parametrize(
    ("currency", "price_minor", "paid"),
    [
        ("JPY", 100000, {"amount_received": 1999}),  # ¥1 short
        ("KWD", 125, {"amount_received": 2501}),  # 1 fils more than TixMo can hold: not exact
        ("JPY", 100000, {"currency": "usd"}),  # $20.00 is not ¥2,000
    ],
)
async def test_what_stripe_received_is_compared_in_its_own_units(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    currency: str,
    price_minor: int,
    paid: dict[str, Any],
) -> None:
    shop = await _shop(session, stripe_context, currency, price_minor)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)

    assert (await _pay(stripe_client, fake_stripe, intent, **paid))["outcome"] == "amount_mismatch"
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "PENDING"


async def test_ticket_shares_of_a_yen_order_are_whole_yen(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """Three ¥1,000 tickets with ¥1,000 off: ¥667 + ¥667 + ¥666, never a third of a yen."""
    shop = await _shop(session, context, "JPY", 100000)
    session.add(
        PromoCode(event_id=shop.event.id, code="YEN1000", discount_type="FIXED", discount_value=100000)
    )
    await session.commit()
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=3, promoCode="YEN1000"))
    confirmed = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    tickets = sorted(t["id"] for t in confirmed.json()["tickets"])

    refunded = []
    for ticket_id in tickets:
        response = await client.post(f"/tickets/{ticket_id}/cancel", headers=shop.staff_headers)
        assert response.status_code == 200, response.text
        refunded.append(response.json()["refunded"])

    assert confirmed.json()["total"] == "2000.00"
    assert refunded == ["667.00", "667.00", "666.00"]

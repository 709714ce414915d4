"""Saved payment methods: a Stripe Customer per user made lazily on the first opt-in,
``setup_future_usage`` on that intent, and ``GET/DELETE /users/me/payment-methods`` showing brand, last 4
and expiry only."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Buyer, Shop, assert_problem, make_buyer, make_shop, order_body, place_ok
from tests.payments.fake_stripe import FakeStripe
from tixmo.deps import AppContext
from tixmo.payments.models import PaymentCustomer


async def _intent(client: httpx.AsyncClient, shop: Shop, buyer: Buyer, save: bool) -> str:
    order = await place_ok(client, buyer, order_body(shop))
    response = await client.post(
        "/payments/create-intent",
        json={"orderId": order["id"], "savePaymentMethod": save},
        headers=buyer.headers,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["paymentIntentId"])


async def test_opting_in_makes_one_customer_and_asks_stripe_to_keep_the_card(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=20)
    buyer = await make_buyer(session, stripe_context)
    plain = await _intent(stripe_client, shop, buyer, save=False)
    assert fake_stripe.intents[plain]["customer"] is None
    assert fake_stripe.intents[plain]["setup_future_usage"] is None
    assert fake_stripe.created["customer"] == 0  # made lazily: not before the first opt-in

    first, second = await asyncio.gather(
        _intent(stripe_client, shop, buyer, save=True), _intent(stripe_client, shop, buyer, save=True)
    )
    assert fake_stripe.created["customer"] == 1  # one customer for the user, however many opt-ins
    [customer_id] = fake_stripe.customers
    for intent_id in (first, second):
        assert fake_stripe.intents[intent_id]["customer"] == customer_id
        assert fake_stripe.intents[intent_id]["setup_future_usage"] == "on_session"
    assert fake_stripe.customers[customer_id]["metadata"] == {"user_id": str(buyer.user.id)}
    stored = await session.scalar(
        select(func.count()).select_from(PaymentCustomer).where(PaymentCustomer.user_id == buyer.user.id)
    )
    await session.commit()
    assert stored == 1


async def test_saved_cards_are_listed_with_brand_last4_and_expiry_only_and_can_be_removed(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=20)
    buyer = await make_buyer(session, stripe_context)
    other = await make_buyer(session, stripe_context)
    assert (await stripe_client.get("/users/me/payment-methods", headers=buyer.headers)).json()["data"] == []

    intent_id = await _intent(stripe_client, shop, buyer, save=True)
    customer_id = fake_stripe.intents[intent_id]["customer"]
    visa = fake_stripe.save_card(customer_id, brand="visa", last4="4242", exp=(12, 2030))
    fake_stripe.save_card(customer_id, brand="mastercard", last4="4444", exp=(1, 2031))

    response = await stripe_client.get("/users/me/payment-methods", headers=buyer.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"]["total"] == 2
    for card in body["data"]:
        assert set(card) == {"id", "brand", "last4", "expMonth", "expYear"}  # no fingerprint, no name
    assert {(c["brand"], c["last4"], c["expMonth"], c["expYear"]) for c in body["data"]} == {
        ("visa", "4242", 12, 2030),
        ("mastercard", "4444", 1, 2031),
    }
    assert "fingerprint" not in response.text and "buyer@example.com" not in response.text

    # Someone else cannot see or remove them; an unknown id is 404 too.
    assert (await stripe_client.get("/users/me/payment-methods", headers=other.headers)).json()["data"] == []
    for headers, method in ((other.headers, visa), (buyer.headers, "pm_unknown")):
        answer = await stripe_client.delete(f"/users/me/payment-methods/{method}", headers=headers)
        assert_problem(answer, 404, "NOT_FOUND")
    assert fake_stripe.methods[visa]["customer"] == customer_id

    removed = await stripe_client.delete(f"/users/me/payment-methods/{visa}", headers=buyer.headers)
    assert removed.status_code == 204, removed.text
    assert fake_stripe.methods[visa]["customer"] is None
    left = (await stripe_client.get("/users/me/payment-methods", headers=buyer.headers)).json()["data"]
    assert [c["last4"] for c in left] == ["4444"]
    again = await stripe_client.delete(f"/users/me/payment-methods/{visa}", headers=buyer.headers)
    assert_problem(again, 404, "NOT_FOUND")


async def test_payment_methods_need_a_user_and_survive_a_stripe_outage_with_502(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    assert_problem(await stripe_client.get("/users/me/payment-methods"), 401, "UNAUTHORIZED")
    assert_problem(await stripe_client.delete("/users/me/payment-methods/pm_x"), 401, "UNAUTHORIZED")
    shop = await make_shop(session, stripe_context, quantity=20)
    buyer = await make_buyer(session, stripe_context)
    await _intent(stripe_client, shop, buyer, save=True)
    fake_stripe.fail_next("GET /v1/customers/payment_methods", 500)
    response = await stripe_client.get("/users/me/payment-methods", headers=buyer.headers)
    assert_problem(response, 502, "PAYMENT_PROVIDER_ERROR")


async def test_a_failed_customer_creation_changes_nothing_and_the_retry_works(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=20)
    buyer = await make_buyer(session, stripe_context)
    order = await place_ok(stripe_client, buyer, order_body(shop))
    fake_stripe.fail_next("POST /v1/customers", 500)
    body = {"orderId": order["id"], "savePaymentMethod": True}
    failed = await stripe_client.post("/payments/create-intent", json=body, headers=buyer.headers)
    assert_problem(failed, 502, "PAYMENT_PROVIDER_ERROR")
    assert fake_stripe.created["payment_intent"] == 0
    retried = await stripe_client.post("/payments/create-intent", json=body, headers=buyer.headers)
    assert retried.status_code == 200, retried.text
    assert fake_stripe.intents[retried.json()["paymentIntentId"]]["setup_future_usage"] == "on_session"

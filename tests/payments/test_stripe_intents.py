"""``POST /payments/create-intent`` through the real ``stripe`` SDK against the fake Stripe server."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import (
    assert_problem,
    error_fields,
    ledger,
    make_buyer,
    make_due,
    make_shop,
    order_body,
    place_ok,
)
from tests.payments.fake_stripe import FakeStripe
from tests.payments.helpers import counts, order_of, pending_with_intent
from tixmo.deps import AppContext

INTENTS = "POST /v1/payment_intents"


async def test_an_intent_for_the_order_total_with_the_order_in_its_metadata(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, price_minor=1250)
    buyer = await make_buyer(session, stripe_context)

    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=3)

    assert intent["paymentIntentId"].startswith("pi_")
    assert intent["clientSecret"].startswith(f"{intent['paymentIntentId']}_secret_")
    assert (intent["amount"], intent["amountMinor"], intent["currency"]) == ("37.50", 3750, "USD")
    assert (intent["status"], intent["provider"]) == ("REQUIRES_PAYMENT", "stripe")
    at_stripe = fake_stripe.intents[intent["paymentIntentId"]]
    assert (at_stripe["amount"], at_stripe["currency"], at_stripe["metadata"]) == (
        3750,
        "usd",
        {"order_id": order["id"]},
    )
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "PENDING"


async def test_retries_never_create_a_second_intent(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)

    again = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )

    assert again.status_code == 200, again.text
    assert again.json() == intent
    assert fake_stripe.created["payment_intent"] == 1
    assert fake_stripe.calls["GET /v1/payment_intents"] == 1  # the second answer came from Stripe too


async def test_stripe_500_changes_nothing_and_a_retry_works(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context)
    buyer = await make_buyer(session, stripe_context)
    order = await place_ok(stripe_client, buyer, order_body(shop))
    before = await counts(session)
    fake_stripe.fail_next(INTENTS, 500)

    failed = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )

    assert_problem(failed, 502, "PAYMENT_PROVIDER_ERROR")
    assert await counts(session) == before
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "PENDING"
    assert (await ledger(session, shop.ticket_type.id)).held == 1
    retry = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )
    assert retry.status_code == 200, retry.text
    assert fake_stripe.created["payment_intent"] == 1


async def test_a_timeout_after_stripe_made_the_intent_gives_the_same_intent_on_retry(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    """Stripe created the intent but its answer never came: the retry's idempotency key (derived from the
    order) gets the very same intent back."""
    shop = await make_shop(session, stripe_context)
    buyer = await make_buyer(session, stripe_context)
    order = await place_ok(stripe_client, buyer, order_body(shop))
    fake_stripe.hang_next(INTENTS, after_effect=True)

    timed_out = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )

    assert_problem(timed_out, 502, "PAYMENT_PROVIDER_ERROR")
    assert fake_stripe.created["payment_intent"] == 1
    assert (await counts(session))["payments"] == 0
    retry = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )
    assert retry.status_code == 200, retry.text
    assert fake_stripe.created["payment_intent"] == 1
    assert retry.json()["paymentIntentId"] == next(iter(fake_stripe.intents))


async def test_confirm_is_refused_when_payments_go_through_stripe(
    stripe_client: httpx.AsyncClient, session: AsyncSession, stripe_context: AppContext
) -> None:
    shop = await make_shop(session, stripe_context)
    buyer = await make_buyer(session, stripe_context)
    order = await place_ok(stripe_client, buyer, order_body(shop))

    response = await stripe_client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)

    body = assert_problem(response, 409, "INVALID_STATE")
    assert "create-intent" in body["detail"]
    assert (await ledger(session, shop.ticket_type.id)).sold == 0


async def test_idempotency_key_on_create_intent(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context)
    buyer = await make_buyer(session, stripe_context)
    order = await place_ok(stripe_client, buyer, order_body(shop))
    other = await place_ok(stripe_client, buyer, order_body(shop))
    headers = {**buyer.headers, "Idempotency-Key": "pay-1"}

    first = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=headers
    )
    again = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=headers
    )
    clash = await stripe_client.post(
        "/payments/create-intent", json={"orderId": other["id"]}, headers=headers
    )

    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert_problem(clash, 409, "CONFLICT")
    assert sum(fake_stripe.calls.values()) == 1  # the replay did not even ask Stripe


async def test_an_expired_or_paid_order_gets_no_intent(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=5)
    buyer = await make_buyer(session, stripe_context)
    order = await place_ok(stripe_client, buyer, order_body(shop, quantity=2))
    await make_due(session, order["id"])

    expired = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )

    assert_problem(expired, 409, "ORDER_EXPIRED")
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "EXPIRED"
    assert (await ledger(session, shop.ticket_type.id)).held == 0  # the expiry stuck
    free_shop = await make_shop(session, stripe_context, price_minor=0)
    free = await place_ok(stripe_client, buyer, order_body(free_shop))
    assert_problem(
        await stripe_client.post(
            "/payments/create-intent", json={"orderId": free["id"]}, headers=buyer.headers
        ),
        409,
        "INVALID_STATE",
    )
    assert sum(fake_stripe.calls.values()) == 0


async def test_a_permanent_refusal_is_422_naming_the_field_and_changes_nothing(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    """Stripe answers 400 invalid_request_error (an amount below its minimum): retrying cannot help, so
    it is not a 502 "retry shortly" but a 422 naming the field Stripe named."""
    shop = await make_shop(session, stripe_context, price_minor=25)
    buyer = await make_buyer(session, stripe_context)
    order = await place_ok(stripe_client, buyer, order_body(shop))
    before = await counts(session)
    fake_stripe.fail_next(
        INTENTS,
        400,
        kind="invalid_request_error",
        message="Amount must be at least $0.50 usd",
        code="amount_too_small",
        param="amount",
    )

    refused = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )

    body = assert_problem(refused, 422, "PAYMENT_REFUSED")
    assert error_fields(body) == {"amount"}
    assert "Amount must be at least $0.50 usd" in body["detail"]
    assert "retry shortly" not in body["detail"]
    assert await counts(session) == before
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "PENDING"


async def test_a_card_error_is_422_and_bad_credentials_are_not_retry_shortly(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context)
    buyer = await make_buyer(session, stripe_context)
    order = await place_ok(stripe_client, buyer, order_body(shop))
    fake_stripe.fail_next(INTENTS, 402, kind="card_error", message="Your card was declined.")
    fake_stripe.fail_next(INTENTS, 401, kind="invalid_request_error", message="Invalid API Key provided.")
    fake_stripe.fail_next(INTENTS, 429, kind="invalid_request_error", message="Too many requests.")

    async def attempt() -> httpx.Response:
        return await stripe_client.post(
            "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
        )

    card = assert_problem(await attempt(), 422, "PAYMENT_REFUSED")
    credentials = assert_problem(await attempt(), 502, "PAYMENT_PROVIDER_ERROR")
    rate_limited = assert_problem(await attempt(), 502, "PAYMENT_PROVIDER_ERROR")

    assert (card["errors"], "declined" in card["detail"]) == ([], True)
    assert "retry shortly" not in credentials["detail"]
    assert "configuration" in credentials["detail"]
    assert "retry shortly" in rate_limited["detail"]
    assert (await counts(session))["payments"] == 0
    assert (await attempt()).status_code == 200

"""``POST /payments/webhook``: Stripe-signed events, processed once, in any order."""

from __future__ import annotations

import time

import httpx
import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import assert_problem, ledger, make_buyer, make_due, make_shop, order_body, place_ok
from tests.payments.fake_stripe import FakeStripe
from tests.payments.helpers import (
    counts,
    deliver,
    order_of,
    payment_of,
    pending_with_intent,
    sign,
    stripe_event,
)
from tixmo import jobs
from tixmo.config import Settings
from tixmo.deps import AppContext


async def test_a_succeeded_payment_confirms_the_order_and_issues_tickets(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"received": True, "duplicate": False, "outcome": "confirmed"}
    confirmed = await order_of(stripe_client, buyer, order["id"])
    assert confirmed["status"] == "CONFIRMED"
    assert len(confirmed["tickets"]) == 2
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["status"], payment["amountReceived"], payment["succeededAt"] is not None) == (
        "SUCCEEDED",
        "50.00",
        True,
    )
    assert [h["type"] for h in payment["history"]] == ["intent_created", "succeeded"]
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held) == (2, 0)
    state.assert_consistent()


async def test_duplicate_deliveries_change_nothing(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    event = stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"]))

    answers = [(await deliver(stripe_client, event)).json() for _ in range(3)]
    # Stripe may also send the same fact as a new event id: the payment is settled already.
    resent = await deliver(stripe_client, stripe_event("payment_intent.succeeded", event["data"]["object"]))

    assert [a["duplicate"] for a in answers] == [False, True, True]
    assert resent.json()["outcome"] == "already_settled"
    assert len((await order_of(stripe_client, buyer, order["id"]))["tickets"]) == 2
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.live_tickets) == (2, 2)
    history = (await payment_of(stripe_client, buyer.headers, intent["paymentId"]))["history"]
    assert [h["type"] for h in history] == ["intent_created", "succeeded"]


async def test_events_out_of_order(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    """A failed attempt, the success, then the failure's event again late: the failure never undoes it."""
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    pi = intent["paymentIntentId"]
    failed = stripe_event("payment_intent.payment_failed", fake_stripe.fail_attempt(pi, "Card declined."))
    succeeded = stripe_event("payment_intent.succeeded", fake_stripe.succeed(pi))
    late_failure = stripe_event("payment_intent.payment_failed", failed["data"]["object"])

    assert (await deliver(stripe_client, failed)).json()["outcome"] == "failed"
    assert (await payment_of(stripe_client, buyer.headers, intent["paymentId"]))["status"] == "FAILED"
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "PENDING"
    assert (await deliver(stripe_client, succeeded)).json()["outcome"] == "confirmed"
    assert (await deliver(stripe_client, late_failure)).json()["outcome"] == "late_failure"

    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert payment["status"] == "SUCCEEDED"
    assert [(h["type"], h["status"]) for h in payment["history"]] == [
        ("intent_created", "REQUIRES_PAYMENT"),
        ("payment_failed", "FAILED"),
        ("succeeded", "SUCCEEDED"),
        ("payment_failed", "SUCCEEDED"),
    ]
    assert payment["history"][1]["message"] == "Card declined."
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "CONFIRMED"


async def test_bad_signatures_are_400_and_store_nothing(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    event = stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"]))
    payload = orjson.dumps(event)
    before = await counts(session)

    wrong_secret = await deliver(stripe_client, event, secret="whsec_someone_else")
    missing = await stripe_client.post("/payments/webhook", content=payload)
    garbage = await deliver(stripe_client, event, signature="nonsense")
    tampered = await stripe_client.post(
        "/payments/webhook",
        content=payload.replace(b'"amount_received":5000', b'"amount_received":9000'),
        headers={"Stripe-Signature": sign(payload)},
    )
    replayed_old = await deliver(stripe_client, event, timestamp=int(time.time()) - 301)

    for response in (wrong_secret, missing, garbage, tampered, replayed_old):
        assert_problem(response, 400, "INVALID_SIGNATURE")
    assert await counts(session) == before
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "PENDING"
    # Nothing was recorded, so the genuine delivery still counts.
    assert (await deliver(stripe_client, event)).json()["outcome"] == "confirmed"


async def test_a_signed_body_that_is_not_an_event_is_400(
    stripe_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    for payload in (b"not json", b"[]", b'{"id": "evt_1", "type": "x"}'):
        response = await stripe_client.post(
            "/payments/webhook", content=payload, headers={"Stripe-Signature": sign(payload)}
        )
        assert_problem(response, 400, "INVALID_SIGNATURE")
    assert (await counts(session))["webhooks"] == 0


async def test_webhooks_are_refused_where_no_secret_is_configured(client: httpx.AsyncClient) -> None:
    event = stripe_event("payment_intent.succeeded", {"id": "pi_1"})
    assert_problem(await deliver(client, event), 400, "INVALID_SIGNATURE")


async def test_an_amount_or_currency_that_does_not_match_is_recorded_and_does_not_confirm(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    other_order, other_intent = await pending_with_intent(stripe_client, shop, buyer)

    short = await deliver(
        stripe_client,
        stripe_event(
            "payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"], amount_received=4000)
        ),
    )
    euros = await deliver(
        stripe_client,
        stripe_event(
            "payment_intent.succeeded", fake_stripe.succeed(other_intent["paymentIntentId"], currency="eur")
        ),
    )

    assert short.json()["outcome"] == euros.json()["outcome"] == "amount_mismatch"
    for placed, paid in ((order, intent), (other_order, other_intent)):
        assert (await order_of(stripe_client, buyer, placed["id"]))["status"] == "PENDING"
        payment = await payment_of(stripe_client, buyer.headers, paid["paymentId"])
        assert payment["status"] == "REQUIRES_REVIEW"
        assert payment["history"][-1]["type"] == "amount_mismatch"
    mismatch = (await payment_of(stripe_client, buyer.headers, intent["paymentId"]))["history"][-1]
    assert (mismatch["amount"], mismatch["message"][:29]) == ("40.00", "Received 40.00 USD; the order")
    assert (await ledger(session, shop.ticket_type.id)).sold == 0


async def test_a_payment_after_expiry_revives_the_order_when_its_tickets_are_still_there(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=2)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    await make_due(session, order["id"])
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "EXPIRED"

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )

    assert response.json()["outcome"] == "revived"
    revived = await order_of(stripe_client, buyer, order["id"])
    assert (revived["status"], len(revived["tickets"])) == ("CONFIRMED", 2)
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held) == (2, 0)
    state.assert_consistent()


async def test_a_payment_after_expiry_is_refunded_when_the_tickets_are_gone(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    stripe_settings: Settings,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=2)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    await make_due(session, order["id"])
    rival = await make_buyer(session, stripe_context)
    await place_ok(stripe_client, rival, order_body(shop, quantity=1))  # takes a ticket the order released

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )

    assert response.json()["outcome"] == "refunded"
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "EXPIRED"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["status"], payment["amountRefunded"]) == ("REFUNDED", "50.00")
    assert [(r["amount"], r["status"]) for r in payment["refunds"]] == [("50.00", "PENDING")]
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.sold) == (1, 0)
    state.assert_consistent()
    # The refund job (enqueued in the webhook's transaction) pays it out through Stripe.
    await jobs.run_worker(
        stripe_context.database, settings=stripe_settings, wait=False, install_signal_handlers=False
    )
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert [r["status"] for r in payment["refunds"]] == ["SUCCEEDED"]
    [at_stripe] = fake_stripe.refunds.values()
    assert (at_stripe["amount"], at_stripe["payment_intent"]) == (5000, intent["paymentIntentId"])
    assert at_stripe["metadata"]["tixmo_refund_id"] == payment["refunds"][0]["id"]


async def test_a_payment_for_a_cancelled_order_is_refunded(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=5)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    assert (
        await stripe_client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers)
    ).status_code == 200

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )

    assert response.json()["outcome"] == "refunded"
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "CANCELLED"
    assert (await payment_of(stripe_client, buyer.headers, intent["paymentId"]))["status"] == "REFUNDED"
    (await ledger(session, shop.ticket_type.id)).assert_consistent()


async def test_a_lost_payment_record_is_found_through_the_intents_metadata(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    """The intent was made at Stripe but TixMo's record of it is gone (say, a crash before the commit):
    the order id in the intent's metadata still finds the order, and the paid order is not lost."""
    shop = await make_shop(session, stripe_context)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    await session.execute(text("DELETE FROM payment_events"))
    await session.execute(text("DELETE FROM payments"))
    await session.commit()

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )

    assert response.json()["outcome"] == "confirmed"
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "CONFIRMED"
    payments = (await stripe_client.get("/payments", headers=buyer.headers)).json()["data"]
    assert [(p["paymentIntentId"], p["status"]) for p in payments] == [
        (intent["paymentIntentId"], "SUCCEEDED")
    ]


async def test_other_events_are_acknowledged_and_ignored(
    stripe_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    response = await deliver(stripe_client, stripe_event("customer.created", {"id": "cus_1"}))
    unknown_intent = await deliver(
        stripe_client, stripe_event("payment_intent.succeeded", {"id": "pi_unknown"})
    )

    assert response.json() == {"received": True, "duplicate": False, "outcome": "ignored"}
    assert unknown_intent.json()["outcome"] == "unknown_intent"
    assert (await counts(session))["webhooks"] == 2


async def test_refunds_made_in_the_stripe_dashboard_are_reconciled(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    pi = intent["paymentIntentId"]
    await deliver(stripe_client, stripe_event("payment_intent.succeeded", fake_stripe.succeed(pi)))

    fake_stripe.refund_in_dashboard(pi, 1000)
    partial = await deliver(stripe_client, stripe_event("charge.refunded", fake_stripe.charge(pi)))
    assert partial.json()["outcome"] == "external_refund"
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "PARTIALLY_REFUNDED"
    fake_stripe.refund_in_dashboard(pi, 4000)
    charge = fake_stripe.charge(pi)
    full = await deliver(stripe_client, stripe_event("charge.refunded", charge))
    again = await deliver(stripe_client, stripe_event("charge.refunded", charge))

    assert full.json()["outcome"] == "external_refund"
    assert again.json()["outcome"] == "in_sync"
    reconciled = await order_of(stripe_client, buyer, order["id"])
    assert reconciled["status"] == "REFUNDED"
    assert {t["status"] for t in reconciled["tickets"]} == {"CANCELLED"}
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["status"], payment["amountRefunded"]) == ("REFUNDED", "50.00")
    assert [(r["amount"], r["origin"], r["status"]) for r in payment["refunds"]] == [
        ("10.00", "external", "SUCCEEDED"),
        ("40.00", "external", "SUCCEEDED"),
    ]
    (await ledger(session, shop.ticket_type.id)).assert_consistent()


async def test_a_refund_reported_before_the_payment_is_kept_for_stripes_redelivery(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    """charge.refunded overtakes payment_intent.succeeded: it is answered 409 and not stored, so Stripe's
    redelivery (same event id) reconciles the refund once the payment is known to have succeeded."""
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    pi = intent["paymentIntentId"]
    succeeded = stripe_event("payment_intent.succeeded", fake_stripe.succeed(pi))
    fake_stripe.refund_in_dashboard(pi, 5000)
    refunded = stripe_event("charge.refunded", fake_stripe.charge(pi))
    before = await counts(session)

    early = await deliver(stripe_client, refunded)

    assert_problem(early, 409, "CONFLICT")
    assert await counts(session) == before  # the event id was not stored: its redelivery will count
    assert (await deliver(stripe_client, succeeded)).json()["outcome"] == "confirmed"
    redelivered = await deliver(stripe_client, refunded)
    assert redelivered.json() == {"received": True, "duplicate": False, "outcome": "external_refund"}
    assert (await deliver(stripe_client, refunded)).json()["duplicate"] is True

    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["status"], payment["amountRefunded"], payment["refundable"]) == (
        "REFUNDED",
        "50.00",
        "0.00",
    )
    assert [(r["amount"], r["origin"]) for r in payment["refunds"]] == [("50.00", "external")]
    final = await order_of(stripe_client, buyer, order["id"])
    assert final["status"] == "REFUNDED"
    assert {t["status"] for t in final["tickets"]} == {"CANCELLED"}
    (await ledger(session, shop.ticket_type.id)).assert_consistent()

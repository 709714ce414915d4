"""3-D Secure / SCA and failed attempts through the real ``stripe`` SDK and signed webhooks: the next
action surfaced to the client, the hold extended once while the bank confirms, decline reasons kept, a
canceled intent replaced once (never two live intents for one order), events out of order and repeated."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_settings
from tests.orders.helpers import assert_problem, ledger, make_buyer, make_due, make_shop, order_body, place_ok
from tests.payments.fake_stripe import FakeStripe
from tests.payments.helpers import deliver, order_of, payment_of, pending_with_intent, stripe_event
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.orders.models import Order


def _at(event: dict[str, Any], created: int) -> dict[str, Any]:
    """The event as Stripe dated it (``created``, unix seconds)."""
    event["created"] = created
    return event


def _types(payment: dict[str, Any]) -> list[str]:
    return [entry["type"] for entry in payment["history"]]


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def test_requires_action_is_surfaced_with_the_next_action_until_the_payment_succeeds(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    intent_id = intent["paymentIntentId"]
    assert (intent["status"], intent["nextAction"]) == ("REQUIRES_PAYMENT", None)

    response = await deliver(
        stripe_client, stripe_event("payment_intent.requires_action", fake_stripe.require_action(intent_id))
    )
    assert response.json()["outcome"] == "requires_action"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert payment["status"] == "REQUIRES_ACTION"
    assert payment["nextAction"]["type"] == "redirect_to_url"
    assert intent_id in payment["nextAction"]["redirect_to_url"]["url"]
    assert payment["orderStatus"] == "PENDING"

    # The client asks again (e.g. after a reload): the same intent, with its next action.
    again = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )
    assert again.status_code == 200, again.text
    assert (again.json()["paymentIntentId"], again.json()["status"]) == (intent_id, "REQUIRES_ACTION")
    assert again.json()["nextAction"]["type"] == "redirect_to_url"
    assert fake_stripe.created["payment_intent"] == 1

    response = await deliver(
        stripe_client, stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent_id))
    )
    assert response.json()["outcome"] == "confirmed"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["status"], payment["nextAction"], payment["method"]) == ("SUCCEEDED", None, "card")
    assert _types(payment) == ["intent_created", "requires_action", "succeeded"]


async def test_processing_extends_the_hold_once_and_no_further_than_the_setting(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    minutes = stripe_context.settings.payment_processing_hold_minutes
    assert minutes > stripe_context.settings.order_hold_minutes  # or the test shows nothing
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    held_until = _parse(order["expiresAt"])
    processing = fake_stripe.processing(intent["paymentIntentId"])

    before = utcnow()
    first = await deliver(stripe_client, stripe_event("payment_intent.processing", processing))
    after = utcnow()
    assert first.json()["outcome"] == "processing"
    extended = _parse((await order_of(stripe_client, buyer, order["id"]))["expiresAt"])
    assert extended > held_until
    assert before + timedelta(minutes=minutes) <= extended <= after + timedelta(minutes=minutes)

    # Another processing report (a new attempt, a redelivery under a new id, a replay): not again.
    second = await deliver(stripe_client, stripe_event("payment_intent.processing", processing))
    replay = stripe_event("payment_intent.processing", processing)
    await deliver(stripe_client, replay)
    assert (await deliver(stripe_client, replay)).json()["duplicate"] is True
    assert second.json()["outcome"] == "processing"
    assert _parse((await order_of(stripe_client, buyer, order["id"]))["expiresAt"]) == extended
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert _types(payment).count("hold_extended") == 1
    assert payment["status"] == "PROCESSING"
    assert payment["holdExtendedAt"] is not None

    # The extended hold is what the expiry job honours: not due now, so the order stays PENDING.
    row = await session.scalar(select(Order).where(Order.id == uuid.UUID(order["id"])))
    assert row is not None and row.expires_at == extended
    await session.commit()

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )
    assert response.json()["outcome"] == "confirmed"


async def test_processing_after_the_hold_ran_out_does_not_extend_and_late_payment_rules_hold(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    """A bank that reports ``processing`` only after the hold ended revives nothing by itself; the success
    then revives the order (its tickets are still there), as for any late payment."""
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    await make_due(session, order["id"])

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.processing", fake_stripe.processing(intent["paymentIntentId"])),
    )
    assert response.json()["outcome"] == "processing"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert "hold_extended" not in _types(payment)
    assert payment["holdExtendedAt"] is None
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "EXPIRED"

    response = await deliver(
        stripe_client,
        stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent["paymentIntentId"])),
    )
    assert response.json()["outcome"] == "revived"
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "CONFIRMED"
    (await ledger(session, shop.ticket_type.id)).assert_consistent()


async def test_a_declined_attempt_keeps_the_reason_and_the_order_payable_with_the_same_intent(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    intent_id = intent["paymentIntentId"]

    response = await deliver(
        stripe_client, stripe_event("payment_intent.payment_failed", fake_stripe.decline(intent_id))
    )
    assert response.json()["outcome"] == "failed"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    failed = payment["history"][-1]
    assert (failed["type"], failed["status"], failed["code"]) == (
        "payment_failed",
        "FAILED",
        "insufficient_funds",
    )
    assert failed["message"] == "Your card has insufficient funds."
    assert payment["method"] == "card"
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "PENDING"

    again = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )
    assert again.status_code == 200, again.text
    assert again.json()["paymentIntentId"] == intent_id  # reused, not a second intent
    assert fake_stripe.created["payment_intent"] == 1

    response = await deliver(
        stripe_client, stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent_id))
    )
    assert response.json()["outcome"] == "confirmed"


async def test_open_status_events_out_of_order_and_after_success_change_nothing(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    _, intent = await pending_with_intent(stripe_client, shop, buyer)
    intent_id = intent["paymentIntentId"]
    now = int(time.time())
    failed_earlier = _at(
        stripe_event("payment_intent.payment_failed", fake_stripe.decline(intent_id)), now - 60
    )
    action_later = _at(
        stripe_event("payment_intent.requires_action", fake_stripe.require_action(intent_id)), now - 30
    )

    assert (await deliver(stripe_client, action_later)).json()["outcome"] == "requires_action"
    assert (await deliver(stripe_client, failed_earlier)).json()["outcome"] == "late_failure"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert payment["status"] == "REQUIRES_ACTION"
    assert payment["nextAction"] is not None
    assert payment["history"][-1]["message"].startswith("Late report (out of order)")

    succeeded = stripe_event("payment_intent.succeeded", fake_stripe.succeed(intent_id))
    for _ in range(3):
        await deliver(stripe_client, succeeded)
    late = _at(stripe_event("payment_intent.processing", fake_stripe.processing(intent_id)), now + 60)
    assert (await deliver(stripe_client, late)).json()["outcome"] == "late_status"
    canceled = stripe_event("payment_intent.canceled", fake_stripe.cancel(intent_id))
    assert (await deliver(stripe_client, canceled)).json()["outcome"] == "late_status"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["status"], payment["orderStatus"]) == ("SUCCEEDED", "CONFIRMED")
    assert _types(payment).count("succeeded") == 1


async def test_a_canceled_intent_is_replaced_once_under_concurrent_retries(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    """Never two live intents for one order: ten concurrent create-intents after the intent was canceled
    make one new intent between them, and the old one's events no longer touch the payment."""
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    old = intent["paymentIntentId"]
    response = await deliver(stripe_client, stripe_event("payment_intent.canceled", fake_stripe.cancel(old)))
    assert response.json()["outcome"] == "canceled"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["status"], payment["orderStatus"]) == ("CANCELED", "PENDING")
    assert payment["history"][-1]["code"] == "abandoned"

    answers = await asyncio.gather(
        *(
            stripe_client.post(
                "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
            )
            for _ in range(10)
        )
    )
    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    new_ids = {a.json()["paymentIntentId"] for a in answers}
    assert len(new_ids) == 1 and old not in new_ids
    [new] = new_ids
    assert {a.json()["paymentId"] for a in answers} == {intent["paymentId"]}
    assert fake_stripe.created["payment_intent"] == 2
    live = [i for i in fake_stripe.intents.values() if i["status"] != "canceled"]
    assert [i["id"] for i in live] == [new]
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["paymentIntentId"], payment["status"]) == (new, "REQUIRES_PAYMENT")
    assert _types(payment).count("intent_replaced") == 1

    # A late event about the old intent finds nothing to change.
    stale = await deliver(
        stripe_client, stripe_event("payment_intent.payment_failed", fake_stripe.decline(old))
    )
    assert stale.json()["outcome"] == "unknown_intent"
    response = await deliver(
        stripe_client, stripe_event("payment_intent.succeeded", fake_stripe.succeed(new))
    )
    assert response.json()["outcome"] == "confirmed"
    (await ledger(session, shop.ticket_type.id)).assert_consistent()


async def test_an_intent_canceled_at_stripe_before_its_webhook_is_replaced_too(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    fake_stripe.cancel(intent["paymentIntentId"])  # the webhook has not arrived

    again = await stripe_client.post(
        "/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers
    )
    assert again.status_code == 200, again.text
    assert again.json()["paymentIntentId"] != intent["paymentIntentId"]
    assert fake_stripe.intents[again.json()["paymentIntentId"]]["status"] == "requires_payment_method"
    # Now the cancellation's webhook arrives: it is about the old intent, the new one stays.
    late = await deliver(
        stripe_client, stripe_event("payment_intent.canceled", fake_stripe.intents[intent["paymentIntentId"]])
    )
    assert late.json()["outcome"] == "unknown_intent"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert payment["status"] == "REQUIRES_PAYMENT"


@pytest.mark.parametrize("value", ["maybe", 3, None, [True], {"on": True}, "true", 1])
async def test_create_intent_refuses_a_save_flag_that_is_not_a_boolean(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    value: object,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order = await place_ok(stripe_client, buyer, order_body(shop))
    response = await stripe_client.post(
        "/payments/create-intent",
        json={"orderId": order["id"], "savePaymentMethod": value},
        headers=buyer.headers,
    )
    assert_problem(response, 422, "VALIDATION_ERROR")
    assert fake_stripe.created["payment_intent"] == 0


async def test_concurrent_processing_reports_extend_the_hold_once(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer, quantity=2)
    processing = fake_stripe.processing(intent["paymentIntentId"])
    events = [stripe_event("payment_intent.processing", processing) for _ in range(8)]
    answers = await asyncio.gather(*(deliver(stripe_client, event) for event in events))
    assert [a.status_code for a in answers] == [200] * 8, [a.text for a in answers]
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert _types(payment).count("hold_extended") == 1
    assert _types(payment).count("processing") == 8
    assert _parse((await order_of(stripe_client, buyer, order["id"]))["expiresAt"]) > _parse(
        order["expiresAt"]
    )
    (await ledger(session, shop.ticket_type.id)).assert_consistent()


async def test_a_zero_setting_never_extends_the_hold(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stripe_context.settings, "payment_processing_hold_minutes", 0)
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await pending_with_intent(stripe_client, shop, buyer)
    answer = await deliver(
        stripe_client,
        stripe_event("payment_intent.processing", fake_stripe.processing(intent["paymentIntentId"])),
    )
    assert answer.json()["outcome"] == "processing"
    assert (await order_of(stripe_client, buyer, order["id"]))["expiresAt"] == order["expiresAt"]
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["status"], payment["holdExtendedAt"]) == ("PROCESSING", None)


@pytest.mark.parametrize("minutes", ["-1", "1441", "soon"])
def test_the_extension_setting_is_bounded(tmp_path: Path, minutes: str) -> None:
    with pytest.raises(ValidationError):
        make_settings(tmp_path, payment_processing_hold_minutes=minutes)

"""Refunds through Stripe: recorded PENDING, paid out after the commit, never twice, failures visible."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Buyer, Shop, ledger, make_buyer, make_shop
from tests.payments.fake_stripe import FakeStripe
from tests.payments.helpers import deliver, order_of, payment_of, pending_with_intent, stripe_event
from tixmo import jobs
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.payments import refunds as service
from tixmo.payments import tasks
from tixmo.payments.models import Refund
from tixmo.payments.providers import ProviderError

REFUNDS = "POST /v1/refunds"


async def _paid(
    client: httpx.AsyncClient, fake: FakeStripe, shop: Shop, buyer: Buyer, quantity: int = 2
) -> tuple[dict[str, Any], dict[str, Any]]:
    order, intent = await pending_with_intent(client, shop, buyer, quantity=quantity)
    paid = await deliver(
        client, stripe_event("payment_intent.succeeded", fake.succeed(intent["paymentIntentId"]))
    )
    assert paid.json()["outcome"] == "confirmed"
    return order, intent


async def _only_refund_id(session: AsyncSession) -> uuid.UUID:
    refund_id = await session.scalar(select(Refund.id))
    await session.commit()
    assert refund_id is not None
    return refund_id


async def _settle(context: AppContext, refund_id: uuid.UUID) -> str:
    return await service.settle_refund(context.database.sessionmaker, context.payments, refund_id)


async def _sweep_only(
    session: AsyncSession, context: AppContext, settings: Settings, refund_id: uuid.UUID
) -> None:
    """The refund's own jobs are gone (ran out of retries long ago) and it is old enough for the sweep:
    run the sweep, through a real worker."""
    await session.execute(text("DELETE FROM procrastinate_jobs"))
    await session.execute(
        text("UPDATE refunds SET created_at = now() - interval '11 minutes' WHERE id = :id"),
        {"id": refund_id},
    )
    await jobs.enqueue(session, tasks.SWEEP_REFUNDS)
    await session.commit()
    await jobs.run_worker(context.database, settings=settings, wait=False, install_signal_handlers=False)


async def test_a_refund_is_pending_until_the_job_has_stripe_pay_it(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    stripe_settings: Settings,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    _, intent = await _paid(stripe_client, fake_stripe, shop, buyer)

    response = await stripe_client.post(
        f"/payments/{intent['paymentId']}/refund", json={"amount": "20"}, headers=shop.staff_headers
    )

    body = response.json()
    assert (body["status"], body["orderStatus"], body["amountRefunded"]) == (
        "PARTIALLY_REFUNDED",
        "PARTIALLY_REFUNDED",
        "20.00",
    )
    assert [r["status"] for r in body["refunds"]] == ["PENDING"]
    assert fake_stripe.created["refund"] == 0  # nothing is sent before the commit
    await jobs.run_worker(
        stripe_context.database, settings=stripe_settings, wait=False, install_signal_handlers=False
    )
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    [refund] = payment["refunds"]
    assert refund["status"] == "SUCCEEDED"
    [at_stripe] = fake_stripe.refunds.values()
    assert (refund["providerRefundId"], at_stripe["amount"]) == (at_stripe["id"], 2000)
    assert [h["type"] for h in payment["history"]][-2:] == ["refund_requested", "refund_succeeded"]
    # Stripe's charge.refunded for our own refund adds nothing.
    charge = await deliver(
        stripe_client, stripe_event("charge.refunded", fake_stripe.charge(intent["paymentIntentId"]))
    )
    assert charge.json()["outcome"] == "in_sync"
    assert (await payment_of(stripe_client, buyer.headers, intent["paymentId"]))["amountRefunded"] == "20.00"


async def test_stripe_500_keeps_the_refund_pending_and_a_retry_pays_it_once(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, intent = await _paid(stripe_client, fake_stripe, shop, buyer)
    cancelled = await stripe_client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers)
    assert cancelled.json()["status"] == "REFUNDED"
    refund_id = await _only_refund_id(session)
    fake_stripe.fail_next(REFUNDS, 500)

    with pytest.raises(ProviderError):  # the job fails and procrastinate retries it
        await _settle(stripe_context, refund_id)

    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert [r["status"] for r in payment["refunds"]] == ["PENDING"]
    assert payment["amountRefunded"] == "50.00"  # still claimed: no second refund can be asked for
    assert await _settle(stripe_context, refund_id) == "SUCCEEDED"
    assert await _settle(stripe_context, refund_id) == "SUCCEEDED"  # a late duplicate run does nothing
    assert fake_stripe.created["refund"] == 1
    assert fake_stripe.calls[REFUNDS] == 2
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held) == (0, 0)
    state.assert_consistent()


async def test_a_timeout_after_stripe_refunded_does_not_refund_twice(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    """Stripe paid the refund but its answer was lost: the retry carries the same idempotency key (the
    refund's id), and Stripe answers with the refund it already made."""
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    _, intent = await _paid(stripe_client, fake_stripe, shop, buyer)
    await stripe_client.post(f"/payments/{intent['paymentId']}/refund", json={}, headers=shop.staff_headers)
    refund_id = await _only_refund_id(session)
    fake_stripe.hang_next(REFUNDS, after_effect=True)

    with pytest.raises(ProviderError):
        await _settle(stripe_context, refund_id)
    assert fake_stripe.created["refund"] == 1
    assert await _settle(stripe_context, refund_id) == "SUCCEEDED"

    assert fake_stripe.created["refund"] == 1
    [at_stripe] = fake_stripe.refunds.values()
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert payment["refunds"][0]["providerRefundId"] == at_stripe["id"]
    attempts = await session.scalar(select(Refund.attempts).where(Refund.id == refund_id))
    assert attempts == 1


async def test_a_refund_stripe_refuses_is_failed_and_its_amount_can_be_refunded_again(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    _, intent = await _paid(stripe_client, fake_stripe, shop, buyer)
    await stripe_client.post(
        f"/payments/{intent['paymentId']}/refund", json={"amount": "10"}, headers=shop.staff_headers
    )
    refund_id = await _only_refund_id(session)
    fake_stripe.refund_in_dashboard(intent["paymentIntentId"], 4500)  # only 5.00 left at Stripe

    assert await _settle(stripe_context, refund_id) == "FAILED"

    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert (payment["amountRefunded"], payment["refundable"], payment["status"]) == (
        "0.00",
        "50.00",
        "SUCCEEDED",
    )
    [refund] = payment["refunds"]
    assert refund["status"] == "FAILED"
    assert payment["history"][-1]["type"] == "refund_failed"
    audit = await session.scalar(
        text("SELECT count(*) FROM audit_log WHERE action = 'payment.refund_failed'")
    )
    assert audit == 1


async def test_the_refund_job_is_enqueued_with_the_refund(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    order, _ = await _paid(stripe_client, fake_stripe, shop, buyer)
    await stripe_client.post(f"/events/{shop.event.id}/cancel", headers=shop.staff_headers)

    rows = (
        await session.execute(
            text("SELECT args->>'refund_id' FROM procrastinate_jobs WHERE task_name = :task"),
            {"task": service.SETTLE_REFUND},
        )
    ).all()

    assert [row[0] for row in rows] == [str(await _only_refund_id(session))]
    assert (await order_of(stripe_client, buyer, order["id"]))["status"] == "REFUNDED"


async def test_the_sweep_pays_out_a_refund_whose_job_gave_up(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    stripe_settings: Settings,
) -> None:
    shop = await make_shop(session, stripe_context, quantity=10)
    buyer = await make_buyer(session, stripe_context)
    _, intent = await _paid(stripe_client, fake_stripe, shop, buyer)
    await stripe_client.post(f"/payments/{intent['paymentId']}/refund", json={}, headers=shop.staff_headers)
    refund_id = await _only_refund_id(session)
    fake_stripe.fail_next(REFUNDS, 503)
    with pytest.raises(ProviderError):
        await _settle(stripe_context, refund_id)
    # Its job ran out of retries long ago (Stripe was down): only the sweep is left to pay it out.
    await _sweep_only(session, stripe_context, stripe_settings, refund_id)

    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert [r["status"] for r in payment["refunds"]] == ["SUCCEEDED"]
    assert fake_stripe.created["refund"] == 1


async def test_the_refund_tasks_are_registered() -> None:
    app = jobs.load_tasks()
    assert {service.SETTLE_REFUND, tasks.SWEEP_REFUNDS} <= set(app.tasks)
    crons = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert crons.get(tasks.SWEEP_REFUNDS) == "*/10 * * * *"


async def _pending_at_stripe(
    client: httpx.AsyncClient,
    fake: FakeStripe,
    session: AsyncSession,
    context: AppContext,
    body: dict[str, Any],
) -> tuple[Shop, Buyer, dict[str, Any], uuid.UUID, str]:
    """A paid order, a refund of ``body`` that Stripe answered ``pending``: (…, TixMo's id, Stripe's id)."""
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    _, intent = await _paid(client, fake, shop, buyer)
    fake.refunds_pending()
    response = await client.post(
        f"/payments/{intent['paymentId']}/refund", json=body, headers=shop.staff_headers
    )
    assert response.status_code == 200, response.text
    refund_id = await _only_refund_id(session)
    assert await _settle(context, refund_id) == "PENDING"
    [stripe_id] = fake.refunds
    payment = await payment_of(client, buyer.headers, intent["paymentId"])
    assert [(r["status"], r["providerRefundId"]) for r in payment["refunds"]] == [("PENDING", stripe_id)]
    return shop, buyer, intent, refund_id, stripe_id


@pytest.mark.parametrize("event_type", ["refund.updated", "charge.refund.updated"])
async def test_a_refund_stripe_answered_pending_is_settled_by_its_refund_updated_event(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    event_type: str,
) -> None:
    _, buyer, intent, _, stripe_id = await _pending_at_stripe(
        stripe_client, fake_stripe, session, stripe_context, {"amount": "20"}
    )
    # charge.refunded comes first: it no longer lists the refunds, and the pending one is counted already.
    charge = await deliver(
        stripe_client, stripe_event("charge.refunded", fake_stripe.charge(intent["paymentIntentId"]))
    )
    assert charge.json()["outcome"] == "in_sync"
    event = stripe_event(event_type, fake_stripe.settle_refund(stripe_id))

    settled = await deliver(stripe_client, event)
    again = await deliver(stripe_client, stripe_event(event_type, event["data"]["object"]))

    assert settled.json() == {"received": True, "duplicate": False, "outcome": "refund_succeeded"}
    assert again.json()["outcome"] == "already_settled"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert [r["status"] for r in payment["refunds"]] == ["SUCCEEDED"]
    assert (payment["amountRefunded"], payment["status"]) == ("20.00", "PARTIALLY_REFUNDED")
    assert (payment["history"][-1]["type"], payment["history"][-1]["providerEventId"]) == (
        "refund_succeeded",
        event["id"],
    )


async def test_a_pending_refund_that_stripe_reports_failed_frees_its_amount(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
) -> None:
    _, buyer, intent, _, stripe_id = await _pending_at_stripe(
        stripe_client, fake_stripe, session, stripe_context, {"amount": "20"}
    )
    failed = fake_stripe.settle_refund(stripe_id, "failed", failure_reason="expired_or_canceled_card")

    response = await deliver(stripe_client, stripe_event("refund.failed", failed))

    assert response.json()["outcome"] == "refund_failed"
    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert [r["status"] for r in payment["refunds"]] == ["FAILED"]
    assert (payment["amountRefunded"], payment["refundable"], payment["status"]) == (
        "0.00",
        "50.00",
        "SUCCEEDED",
    )
    assert payment["history"][-1]["message"] == "Stripe reports the refund failed (expired_or_canceled_card)."


async def test_the_sweep_fetches_a_pending_refund_again_and_settles_it(
    stripe_client: httpx.AsyncClient,
    fake_stripe: FakeStripe,
    session: AsyncSession,
    stripe_context: AppContext,
    stripe_settings: Settings,
) -> None:
    """Stripe answered pending and its refund.updated never came: the sweep asks Stripe (Refund.retrieve)."""
    _, buyer, intent, refund_id, stripe_id = await _pending_at_stripe(
        stripe_client, fake_stripe, session, stripe_context, {}
    )
    await _sweep_only(session, stripe_context, stripe_settings, refund_id)
    still = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert [r["status"] for r in still["refunds"]] == ["PENDING"]  # Stripe still says pending
    fake_stripe.settle_refund(stripe_id)
    await jobs.enqueue(session, tasks.SWEEP_REFUNDS)
    await session.commit()

    await jobs.run_worker(
        stripe_context.database, settings=stripe_settings, wait=False, install_signal_handlers=False
    )

    payment = await payment_of(stripe_client, buyer.headers, intent["paymentId"])
    assert [r["status"] for r in payment["refunds"]] == ["SUCCEEDED"]
    assert (payment["status"], payment["amountRefunded"]) == ("REFUNDED", "50.00")
    assert fake_stripe.created["refund"] == 1  # fetched again (each sweep), never made again
    assert fake_stripe.calls["GET /v1/refunds"] >= 2

"""The manual provider (the default): confirm records the payment, cancels refund it, reads, create-intent."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_user
from tests.orders.helpers import (
    Buyer,
    Shop,
    assert_problem,
    ledger,
    make_buyer,
    make_shop,
    order_body,
    place_ok,
)
from tests.payments.helpers import counts, payment_of
from tixmo.accounts.models import Role
from tixmo.deps import AppContext


async def _paid(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, quantity: int = 2
) -> tuple[Shop, Buyer, dict[str, Any], dict[str, Any]]:
    """A shop and a buyer with a confirmed order (25.00 a ticket) and its payment, as the API shows them."""
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=quantity))
    confirmed = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    payments = (await client.get("/payments", headers=buyer.headers)).json()["data"]
    assert len(payments) == 1
    return shop, buyer, confirmed.json(), payments[0]


async def test_confirm_records_a_succeeded_manual_payment(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop, _, order, payment = await _paid(client, session, context)

    assert payment["orderId"] == order["id"]
    assert (payment["provider"], payment["status"], payment["orderStatus"]) == (
        "manual",
        "SUCCEEDED",
        "CONFIRMED",
    )
    assert (payment["amount"], payment["amountMinor"], payment["amountReceived"]) == ("50.00", 5000, "50.00")
    assert (payment["amountRefunded"], payment["refundable"], payment["currency"]) == ("0.00", "50.00", "USD")
    assert payment["paymentIntentId"].startswith("manual_pi_")
    assert [(h["type"], h["status"]) for h in payment["history"]] == [("succeeded", "SUCCEEDED")]
    assert payment["refunds"] == []
    # The event's staff see it too (with eventId), a stranger does not.
    staff_list = await client.get(f"/payments?eventId={shop.event.id}", headers=shop.staff_headers)
    assert [p["id"] for p in staff_list.json()["data"]] == [payment["id"]]
    assert (await payment_of(client, shop.staff_headers, payment["id"]))["id"] == payment["id"]
    stranger = await make_buyer(session, context)
    assert_problem(await client.get(f"/payments/{payment['id']}", headers=stranger.headers), 404, "NOT_FOUND")
    assert (await client.get("/payments", headers=stranger.headers)).json()["meta"]["total"] == 0
    assert (await client.get(f"/payments?eventId={shop.event.id}", headers=stranger.headers)).json()[
        "data"
    ] == []


async def test_a_free_order_has_no_payment(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, price_minor=0)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop))

    assert order["status"] == "CONFIRMED"
    assert (await client.get("/payments", headers=buyer.headers)).json()["data"] == []


async def test_cancelling_a_paid_order_refunds_it_in_full(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop, buyer, order, payment = await _paid(client, session, context)

    cancelled = await client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers)

    assert cancelled.json()["status"] == "REFUNDED"
    after = await payment_of(client, buyer.headers, payment["id"])
    assert (after["status"], after["amountRefunded"], after["refundable"]) == ("REFUNDED", "50.00", "0.00")
    assert [(r["amount"], r["status"], r["reason"]) for r in after["refunds"]] == [
        ("50.00", "SUCCEEDED", "Order cancelled.")
    ]
    assert [h["type"] for h in after["history"]] == ["succeeded", "refund_requested", "refund_succeeded"]
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held) == (0, 0)
    state.assert_consistent()


async def test_event_cancel_refunds_every_paid_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop, _, _, _ = await _paid(client, session, context)
    other = await make_buyer(session, context)
    second = await place_ok(client, other, order_body(shop, quantity=3))
    await client.post(f"/orders/{second['id']}/confirm", headers=other.headers)

    response = await client.post(f"/events/{shop.event.id}/cancel", headers=shop.staff_headers)

    assert response.status_code == 200, response.text
    payments = (await client.get(f"/payments?eventId={shop.event.id}", headers=shop.staff_headers)).json()[
        "data"
    ]
    assert sorted((p["amountRefunded"], p["status"], p["orderStatus"]) for p in payments) == [
        ("50.00", "REFUNDED", "REFUNDED"),
        ("75.00", "REFUNDED", "REFUNDED"),
    ]
    assert {p["refunds"][0]["reason"] for p in payments} == {"Event cancelled."}


async def test_create_intent_with_the_manual_provider_then_confirm(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, price_minor=1999)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=3))

    first = await client.post("/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers)
    again = await client.post("/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers)

    assert first.status_code == 200, first.text
    intent = first.json()
    assert (intent["amount"], intent["amountMinor"], intent["currency"]) == ("59.97", 5997, "USD")
    assert (intent["status"], intent["provider"]) == ("REQUIRES_PAYMENT", "manual")
    assert again.json() == intent  # one intent per order
    confirmed = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    assert confirmed.json()["status"] == "CONFIRMED"
    payment = await payment_of(client, buyer.headers, intent["paymentId"])
    assert payment["status"] == "SUCCEEDED"
    assert [h["type"] for h in payment["history"]] == ["intent_created", "succeeded"]
    assert_problem(
        await client.post("/payments/create-intent", json={"orderId": order["id"]}, headers=buyer.headers),
        409,
        "INVALID_STATE",
    )


async def test_create_intent_refuses_bad_input_and_other_peoples_orders(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    stranger = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop))
    before = await counts(session)

    async def intent(body: object, headers: dict[str, str]) -> httpx.Response:
        return await client.post("/payments/create-intent", json=body, headers=headers)

    assert_problem(await intent({"orderId": order["id"]}, stranger.headers), 404, "NOT_FOUND")
    assert_problem(await intent({"orderId": order["id"]}, shop.staff_headers), 403, "FORBIDDEN")
    missing = assert_problem(await intent({}, buyer.headers), 422, "VALIDATION_ERROR")
    assert [e["field"] for e in missing["errors"]] == ["orderId"]
    wrong = assert_problem(await intent({"orderId": 12}, buyer.headers), 422, "VALIDATION_ERROR")
    assert [e["field"] for e in wrong["errors"]] == ["orderId"]
    extra = assert_problem(
        await intent({"orderId": order["id"], "amount": 1}, buyer.headers), 422, "VALIDATION_ERROR"
    )
    assert [e["field"] for e in extra["errors"]] == ["amount"]
    assert_problem(
        await client.post("/payments/create-intent", json={"orderId": order["id"]}), 401, "UNAUTHORIZED"
    )
    assert await counts(session) == before


async def test_payment_reads_are_scoped(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    _, buyer, order, payment = await _paid(client, session, context)
    other_staff = await create_user(session, context, role=Role.PROMOTER)
    admin = await create_user(session, context, role=Role.ADMIN)

    assert_problem(
        await client.get(f"/payments/{payment['id']}", headers=auth(context, other_staff)), 404, "NOT_FOUND"
    )
    assert (await client.get(f"/payments/{payment['id']}", headers=auth(context, admin))).status_code == 200
    assert (await client.get("/payments", headers=auth(context, admin))).json()["meta"]["total"] == 1
    by_order = await client.get(f"/payments?orderId={order['id']}", headers=buyer.headers)
    assert by_order.json()["meta"]["total"] == 1
    by_status = await client.get("/payments?status=REFUNDED", headers=buyer.headers)
    assert by_status.json()["meta"]["total"] == 0
    assert_problem(await client.get("/payments?status=NOPE", headers=buyer.headers), 422, "VALIDATION_ERROR")
    assert_problem(await client.get("/payments/not-a-uuid", headers=buyer.headers), 422, "VALIDATION_ERROR")

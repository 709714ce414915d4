"""``POST /payments/{id}/refund`` (manual provider): full, partial, by ticket; never more than was paid."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select, update
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
from tests.payments.helpers import counts, order_of, payment_of
from tests.promos.helpers import create_promo
from tixmo.accounts.models import Role
from tixmo.deps import AppContext
from tixmo.promos.models import PromoCode
from tixmo.tickets.models import Ticket


async def _paid(
    client: httpx.AsyncClient, shop: Shop, buyer: Buyer, quantity: int = 4, **extra: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    order = await place_ok(client, buyer, order_body(shop, quantity=quantity, **extra))
    confirmed = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    payment = (await client.get(f"/payments?orderId={order['id']}", headers=buyer.headers)).json()["data"][0]
    return confirmed.json(), payment


async def _refund(
    client: httpx.AsyncClient, shop: Shop, payment: dict[str, Any], body: dict[str, Any], **headers: str
) -> httpx.Response:
    return await client.post(
        f"/payments/{payment['id']}/refund", json=body, headers={**shop.staff_headers, **headers}
    )


async def test_partial_then_the_rest(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    order, payment = await _paid(client, shop, buyer)  # 4 x 25.00

    partial = await _refund(client, shop, payment, {"amount": "30.50", "reason": "Late start"})

    assert partial.status_code == 200, partial.text
    body = partial.json()
    assert (body["status"], body["orderStatus"], body["amountRefunded"], body["refundable"]) == (
        "PARTIALLY_REFUNDED",
        "PARTIALLY_REFUNDED",
        "30.50",
        "69.50",
    )
    assert [(r["amount"], r["status"], r["reason"]) for r in body["refunds"]] == [
        ("30.50", "SUCCEEDED", "Late start")
    ]
    assert {t["status"] for t in (await order_of(client, buyer, order["id"]))["tickets"]} == {"VALID"}
    assert (await ledger(session, shop.ticket_type.id)).sold == 4

    rest = await _refund(client, shop, payment, {})

    body = rest.json()
    assert (body["status"], body["orderStatus"], body["amountRefunded"], body["refundable"]) == (
        "REFUNDED",
        "REFUNDED",
        "100.00",
        "0.00",
    )
    assert [r["amount"] for r in body["refunds"]] == ["30.50", "69.50"]
    assert {t["status"] for t in (await order_of(client, buyer, order["id"]))["tickets"]} == {"CANCELLED"}
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.live_tickets) == (0, 0)
    state.assert_consistent()
    assert_problem(await _refund(client, shop, payment, {}), 409, "INVALID_STATE")


async def test_refund_by_ticket_refunds_its_share_and_shares_add_up_to_the_total(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """3 tickets at 10.00 with 1.00 off: 29.00 split 9.67 + 9.67 + 9.66, whatever order they go in."""
    shop = await make_shop(session, context, quantity=10, price_minor=1000)
    await create_promo(session, event=shop.event, code="ONEOFF", discount_type="FIXED", discount_value=100)
    buyer = await make_buyer(session, context)
    order, payment = await _paid(client, shop, buyer, quantity=3, promoCode="ONEOFF")
    assert order["total"] == "29.00"
    tickets = [t["id"] for t in order["tickets"]]

    first = await _refund(client, shop, payment, {"ticketIds": [tickets[2]]})

    assert first.status_code == 200, first.text
    assert first.json()["orderStatus"] == "PARTIALLY_REFUNDED"
    statuses = {t["id"]: t["status"] for t in (await order_of(client, buyer, order["id"]))["tickets"]}
    assert [statuses[t] for t in tickets] == ["VALID", "VALID", "CANCELLED"]
    assert (await ledger(session, shop.ticket_type.id)).sold == 2
    await _refund(client, shop, payment, {"ticketIds": [tickets[0]]})
    last = await _refund(client, shop, payment, {"ticketIds": [tickets[1]]})

    body = last.json()
    amounts = sorted(r["amount"] for r in body["refunds"])
    assert amounts == ["9.66", "9.67", "9.67"]
    assert (body["amountRefunded"], body["status"], body["orderStatus"]) == ("29.00", "REFUNDED", "REFUNDED")
    assert [r["ticketIds"] for r in body["refunds"]] == [[tickets[2]], [tickets[0]], [tickets[1]]]
    # REFUNDED gave the promo use back, once.
    promo = await session.scalar(select(PromoCode).execution_options(populate_existing=True))
    assert promo is not None and promo.used_count == 0


async def test_an_amount_with_tickets_and_the_full_amount_cancels_every_ticket(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    order, payment = await _paid(client, shop, buyer, quantity=2)
    ticket = order["tickets"][0]["id"]

    goodwill = await _refund(client, shop, payment, {"amount": "5", "ticketIds": [ticket]})
    assert goodwill.json()["amountRefunded"] == "5.00"
    statuses = sorted(t["status"] for t in (await order_of(client, buyer, order["id"]))["tickets"])
    assert statuses == ["CANCELLED", "VALID"]

    full = await _refund(client, shop, payment, {"amount": 45})
    assert full.json()["orderStatus"] == "REFUNDED"
    assert {t["status"] for t in (await order_of(client, buyer, order["id"]))["tickets"]} == {"CANCELLED"}
    (await ledger(session, shop.ticket_type.id)).assert_consistent()


async def test_bad_refunds_change_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    order, payment = await _paid(client, shop, buyer, quantity=2)
    other_order, _ = await _paid(client, shop, await make_buyer(session, context), quantity=1)
    used = order["tickets"][1]["id"]
    await session.execute(update(Ticket).where(Ticket.id == used).values(status="USED"))
    await session.commit()
    before = await counts(session)

    too_much = assert_problem(
        await _refund(client, shop, payment, {"amount": "50.01"}), 422, "VALIDATION_ERROR"
    )
    assert [e["field"] for e in too_much["errors"]] == ["amount"]
    for bad in ("0", "-1", "1.001", "abc", True):
        body = assert_problem(await _refund(client, shop, payment, {"amount": bad}), 422, "VALIDATION_ERROR")
        assert [e["field"] for e in body["errors"]] == ["amount"], bad
    foreign = assert_problem(
        await _refund(client, shop, payment, {"ticketIds": [other_order["tickets"][0]["id"]]}),
        422,
        "VALIDATION_ERROR",
    )
    assert [e["field"] for e in foreign["errors"]] == ["ticketIds.0"]
    twice = assert_problem(
        await _refund(client, shop, payment, {"ticketIds": [used, used]}), 422, "VALIDATION_ERROR"
    )
    assert [e["field"] for e in twice["errors"]] == ["ticketIds"]
    used_body = assert_problem(
        await _refund(client, shop, payment, {"ticketIds": [used]}), 409, "INVALID_STATE"
    )
    assert [e["field"] for e in used_body["errors"]] == ["ticketIds.0"]
    assert_problem(await _refund(client, shop, payment, {"ticketIds": ["nope"]}), 422, "VALIDATION_ERROR")
    assert_problem(await _refund(client, shop, payment, {"unknown": 1}), 422, "VALIDATION_ERROR")
    # Who may refund: staff of the event only (the buyer sees the payment but may not refund it).
    assert_problem(
        await client.post(f"/payments/{payment['id']}/refund", json={}, headers=buyer.headers),
        403,
        "FORBIDDEN",
    )
    other_staff = await create_user(session, context, role=Role.PROMOTER)
    assert_problem(
        await client.post(f"/payments/{payment['id']}/refund", json={}, headers=auth(context, other_staff)),
        404,
        "NOT_FOUND",
    )
    assert_problem(
        await client.post(
            "/payments/6a1b0c52-8a51-4a8e-9a40-08c1d3b1e001/refund", json={}, headers=shop.staff_headers
        ),
        404,
        "NOT_FOUND",
    )
    assert await counts(session) == before
    after = await payment_of(client, buyer.headers, payment["id"])
    assert (after["amountRefunded"], after["status"]) == ("0.00", "SUCCEEDED")


async def test_idempotency_key_replays_a_refund(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    _, payment = await _paid(client, shop, buyer, quantity=2)

    first = await _refund(client, shop, payment, {"amount": "10"}, **{"Idempotency-Key": "refund-1"})
    again = await _refund(client, shop, payment, {"amount": "10"}, **{"Idempotency-Key": "refund-1"})
    other = await _refund(client, shop, payment, {"amount": "11"}, **{"Idempotency-Key": "refund-1"})

    assert first.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert_problem(other, 409, "CONFLICT")
    assert (await payment_of(client, buyer.headers, payment["id"]))["amountRefunded"] == "10.00"

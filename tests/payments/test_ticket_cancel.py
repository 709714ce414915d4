"""``POST /tickets/{ticketId}/cancel``: the owner within the refund policy, or staff; the share refunded."""

from __future__ import annotations

from datetime import timedelta
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
from tests.orders.test_orders_seats import _seated_shop
from tests.payments.helpers import counts, order_of
from tixmo.accounts.models import Role
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.notifications.models import EmailMessage, Notification
from tixmo.seating.models import EventSeat
from tixmo.tickets.models import Ticket


async def _policy(
    session: AsyncSession, shop: Shop, policy: str, hours: int = 24, starts_in: timedelta | None = None
) -> None:
    values: dict[str, Any] = {"refund_policy": policy, "refund_deadline_hours": hours}
    if starts_in is not None:
        values["starts_at"] = utcnow() + starts_in
        values["ends_at"] = utcnow() + starts_in + timedelta(hours=3)
    await session.execute(update(Event).where(Event.id == shop.event.id).values(**values))
    await session.commit()


async def _paid(client: httpx.AsyncClient, shop: Shop, buyer: Buyer, quantity: int = 3) -> dict[str, Any]:
    order = await place_ok(client, buyer, order_body(shop, quantity=quantity))
    confirmed = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    result: dict[str, Any] = confirmed.json()
    return result


async def test_the_owner_cancels_a_ticket_for_its_share_and_the_last_one_refunds_the_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10, price_minor=1001)
    await _policy(session, shop, "FULL")
    buyer = await make_buyer(session, context)
    order = await _paid(client, shop, buyer)  # 30.03

    answers = []
    for ticket in order["tickets"]:
        response = await client.post(f"/tickets/{ticket['id']}/cancel", headers=buyer.headers)
        assert response.status_code == 200, response.text
        answers.append(response.json())

    assert [a["ticket"]["status"] for a in answers] == ["CANCELLED"] * 3
    assert [a["orderStatus"] for a in answers] == ["PARTIALLY_REFUNDED", "PARTIALLY_REFUNDED", "REFUNDED"]
    assert sorted(a["refunded"] for a in answers) == ["10.01", "10.01", "10.01"]
    assert all(a["refund"]["status"] == "SUCCEEDED" for a in answers)
    payment = (await client.get("/payments", headers=buyer.headers)).json()["data"][0]
    assert (payment["amountRefunded"], payment["status"]) == ("30.03", "REFUNDED")
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.live_tickets) == (0, 0)
    state.assert_consistent()
    again = await client.post(f"/tickets/{order['tickets'][0]['id']}/cancel", headers=buyer.headers)
    assert_problem(again, 409, "INVALID_STATE")


async def test_owners_need_a_refund_policy_and_time_staff_do_not(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    order = await _paid(client, shop, buyer, quantity=2)
    first, second = (t["id"] for t in order["tickets"])
    before = await counts(session)

    no_policy = await client.post(f"/tickets/{first}/cancel", headers=buyer.headers)
    await _policy(session, shop, "FULL", hours=48, starts_in=timedelta(hours=47))
    too_late = await client.post(f"/tickets/{first}/cancel", headers=buyer.headers)

    assert_problem(no_policy, 403, "FORBIDDEN")
    assert_problem(too_late, 409, "INVALID_STATE")
    assert await counts(session) == before
    assert (await ledger(session, shop.ticket_type.id)).sold == 2
    by_staff = await client.post(f"/tickets/{second}/cancel", headers=shop.staff_headers)
    assert by_staff.status_code == 200, by_staff.text
    assert (by_staff.json()["refunded"], by_staff.json()["orderStatus"]) == ("25.00", "PARTIALLY_REFUNDED")
    assert (await ledger(session, shop.ticket_type.id)).sold == 1


async def test_who_may_cancel_and_which_tickets(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    await _policy(session, shop, "FULL")
    buyer = await make_buyer(session, context)
    order = await _paid(client, shop, buyer, quantity=2)
    used = order["tickets"][0]["id"]
    await session.execute(update(Ticket).where(Ticket.id == used).values(status="USED"))
    await session.commit()
    stranger = await make_buyer(session, context)
    other_staff = await create_user(session, context, role=Role.PROMOTER)
    target = order["tickets"][1]["id"]
    before = await counts(session)

    assert_problem(await client.post(f"/tickets/{target}/cancel", headers=stranger.headers), 404, "NOT_FOUND")
    assert_problem(
        await client.post(f"/tickets/{target}/cancel", headers=auth(context, other_staff)), 404, "NOT_FOUND"
    )
    assert_problem(
        await client.post(f"/tickets/{used}/cancel", headers=shop.staff_headers), 409, "INVALID_STATE"
    )
    assert_problem(
        await client.post("/tickets/6a1b0c52-8a51-4a8e-9a40-08c1d3b1e001/cancel", headers=buyer.headers),
        404,
        "NOT_FOUND",
    )
    bad_id = assert_problem(
        await client.post("/tickets/xyz/cancel", headers=buyer.headers), 422, "VALIDATION_ERROR"
    )
    assert [e["field"] for e in bad_id["errors"]] == ["ticketId"]
    assert_problem(await client.post(f"/tickets/{target}/cancel"), 401, "UNAUTHORIZED")
    assert await counts(session) == before
    assert (await ledger(session, shop.ticket_type.id)).sold == 2


async def test_a_free_ticket_is_cancelled_without_a_refund(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10, price_minor=0)
    await _policy(session, shop, "FULL")
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=2))

    first = await client.post(f"/tickets/{order['tickets'][0]['id']}/cancel", headers=buyer.headers)
    last = await client.post(f"/tickets/{order['tickets'][1]['id']}/cancel", headers=buyer.headers)

    assert (first.json()["refunded"], first.json()["refund"], first.json()["orderStatus"]) == (
        "0.00",
        None,
        "CONFIRMED",
    )
    assert last.json()["orderStatus"] == "CANCELLED"
    assert (await counts(session))["refunds"] == 0
    state = await ledger(session, shop.ticket_type.id)
    assert state.sold == 0
    state.assert_consistent()


async def test_a_cancelled_seated_ticket_puts_its_seat_back_on_sale(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await _seated_shop(client, session, context, rows=1, seats=4)
    buyer = await make_buyer(session, context)
    order = await _paid(client, shop, buyer, quantity=2)
    ticket = order["tickets"][0]
    seat_id = await session.scalar(select(Ticket.seat_id).where(Ticket.id == ticket["id"]))
    await session.commit()
    assert seat_id is not None

    response = await client.post(f"/tickets/{ticket['id']}/cancel", headers=shop.staff_headers)

    assert response.status_code == 200, response.text
    seat = await session.scalar(
        select(EventSeat).where(EventSeat.id == seat_id).execution_options(populate_existing=True)
    )
    assert seat is not None and (seat.status, seat.order_id) == ("AVAILABLE", None)
    others = {t["id"]: t["status"] for t in (await order_of(client, buyer, order["id"]))["tickets"]}
    assert sorted(others.values()) == ["CANCELLED", "VALID"]


async def test_a_transferred_ticket_is_cancelled_by_staff_and_refunded_to_the_buyer(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10, price_minor=2500)
    await _policy(session, shop, "FULL")
    buyer = await make_buyer(session, context)
    friend = await make_buyer(session, context)
    order = await _paid(client, shop, buyer, quantity=2)
    ticket_id = order["tickets"][0]["id"]
    moved = await client.post(
        f"/tickets/{ticket_id}/transfer", json={"email": friend.user.email}, headers=buyer.headers
    )
    assert moved.status_code == 200, moved.text
    before = await counts(session)

    # The refund would go to the buyer's card: the new holder cannot cancel it, the old one no longer sees it.
    refused = assert_problem(
        await client.post(f"/tickets/{ticket_id}/cancel", headers=friend.headers), 409, "INVALID_STATE"
    )
    assert "transferred" in refused["detail"]
    assert_problem(await client.post(f"/tickets/{ticket_id}/cancel", headers=buyer.headers), 404, "NOT_FOUND")
    assert await counts(session) == before

    by_staff = await client.post(f"/tickets/{ticket_id}/cancel", headers=shop.staff_headers)
    assert by_staff.status_code == 200, by_staff.text
    assert (by_staff.json()["refunded"], by_staff.json()["orderStatus"]) == ("25.00", "PARTIALLY_REFUNDED")
    payment = (await client.get("/payments", headers=buyer.headers)).json()["data"][0]
    assert (payment["userId"], payment["amountRefunded"]) == (str(buyer.user.id), "25.00")
    state = await ledger(session, shop.ticket_type.id)
    assert state.sold == 1
    state.assert_consistent()


async def _kinds(session: AsyncSession, user_id: Any) -> list[tuple[str, dict[str, Any]]]:
    rows = await session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at, Notification.id)
    )
    found = [(n.kind, n.data) for n in rows]
    await session.commit()
    return found


async def test_cancelling_one_ticket_after_a_refund_by_amount_cancels_only_that_ticket(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """After a goodwill refund by amount, what is left on the payment is less than a ticket's share:
    the buyer's cancel of one ticket refunds what is left and cancels that ticket only — the one a
    friend now holds stays theirs (it used to cancel every ticket of the order)."""
    shop = await make_shop(session, context, quantity=10, price_minor=2500)
    await _policy(session, shop, "FULL")
    buyer = await make_buyer(session, context)
    friend = await make_buyer(session, context)
    order = await _paid(client, shop, buyer, quantity=2)
    given, kept = order["tickets"][0]["id"], order["tickets"][1]["id"]
    moved = await client.post(
        f"/tickets/{given}/transfer", json={"email": friend.user.email}, headers=buyer.headers
    )
    assert moved.status_code == 200, moved.text
    payment = (await client.get("/payments", headers=buyer.headers)).json()["data"][0]
    goodwill = await client.post(
        f"/payments/{payment['id']}/refund", json={"amount": "30"}, headers=shop.staff_headers
    )
    assert goodwill.json()["refundable"] == "20.00"  # less than the kept ticket's 25.00 share

    cancelled = await client.post(f"/tickets/{kept}/cancel", headers=buyer.headers)

    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["refunded"], cancelled.json()["orderStatus"]) == ("20.00", "PARTIALLY_REFUNDED")
    statuses = {t["id"]: t["status"] for t in (await order_of(client, buyer, order["id"]))["tickets"]}
    assert statuses == {given: "VALID", kept: "CANCELLED"}
    assert [kind for kind, _ in await _kinds(session, friend.user.id)] == ["ticket.transfer.received"]
    state = await ledger(session, shop.ticket_type.id)
    assert state.sold == 1
    state.assert_consistent()

    # The friend's ticket goes only when the organizer cancels it: nothing is left to refund; the order
    # has no ticket left and ends REFUNDED; the friend is told.
    by_staff = await client.post(f"/tickets/{given}/cancel", headers=shop.staff_headers)
    assert (by_staff.json()["refunded"], by_staff.json()["orderStatus"]) == ("0.00", "REFUNDED")
    (kind, data) = (await _kinds(session, friend.user.id))[-1]
    assert (kind, data["ticketId"]) == ("ticket.cancelled", given)
    (await ledger(session, shop.ticket_type.id)).assert_consistent()


async def test_a_holders_cancel_after_a_partial_refund_keeps_their_other_tickets(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10, price_minor=2500)
    await _policy(session, shop, "FULL")
    buyer = await make_buyer(session, context)
    order = await _paid(client, shop, buyer, quantity=3)
    first, *others = (t["id"] for t in order["tickets"])
    payment = (await client.get("/payments", headers=buyer.headers)).json()["data"][0]
    partial = await client.post(
        f"/payments/{payment['id']}/refund", json={"amount": "60"}, headers=shop.staff_headers
    )
    assert partial.json()["refundable"] == "15.00"

    cancelled = await client.post(f"/tickets/{first}/cancel", headers=buyer.headers)

    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["refunded"], cancelled.json()["orderStatus"]) == ("15.00", "PARTIALLY_REFUNDED")
    statuses = {t["id"]: t["status"] for t in (await order_of(client, buyer, order["id"]))["tickets"]}
    assert statuses == {first: "CANCELLED", **dict.fromkeys(others, "VALID")}
    state = await ledger(session, shop.ticket_type.id)
    assert state.sold == 2
    state.assert_consistent()


async def test_staff_cancelling_a_transferred_ticket_tells_its_holder(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10, price_minor=2500)
    buyer = await make_buyer(session, context)
    friend = await make_buyer(session, context)
    order = await _paid(client, shop, buyer, quantity=2)
    given = order["tickets"][0]["id"]
    await client.post(f"/tickets/{given}/transfer", json={"email": friend.user.email}, headers=buyer.headers)

    by_staff = await client.post(f"/tickets/{given}/cancel", headers=shop.staff_headers)

    assert by_staff.status_code == 200, by_staff.text
    (kind, data) = (await _kinds(session, friend.user.id))[-1]
    assert kind == "ticket.cancelled"
    assert (data["ticketId"], data["eventId"]) == (given, str(shop.event.id))
    assert "orderId" not in data  # the order is the buyer's business
    notice = await session.scalar(
        select(Notification).where(Notification.user_id == friend.user.id, Notification.kind == kind)
    )
    assert notice is not None and "transferred to you" in notice.body
    emails = await session.scalars(select(EmailMessage.kind).where(EmailMessage.user_id == friend.user.id))
    assert "ticket.cancelled" in list(emails)  # transactional: always emailed
    # The buyer hears of the refund, not of a ticket they no longer held.
    assert [k for k, _ in await _kinds(session, buyer.user.id)][-1] == "order.refunded"

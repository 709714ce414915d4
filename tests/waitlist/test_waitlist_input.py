"""Bad input and rule breaks: joining while tickets remain, bad quantities and types, other people's
entries and events, claiming twice or too late, leaving twice."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event, create_organization, create_ticket_type, create_user
from tests.orders.helpers import assert_problem, error_fields, make_buyer, make_due, make_shop
from tests.waitlist.helpers import (
    cancel_order,
    entry,
    join,
    join_ok,
    make_offer_due,
    run_jobs,
    sold_out_shop,
    statuses,
)
from tixmo.accounts.models import Role
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.orders.models import Order


async def test_joining_while_tickets_remain_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=5)
    buyer = await make_buyer(session, context)
    body = assert_problem(await join(client, buyer, shop, 1), 409, "CONFLICT")
    assert body["available"] == {str(shop.ticket_type.id): 5}
    assert_problem(await join(client, buyer, shop, 1, any_type=True), 409, "CONFLICT")
    assert await statuses(session, shop.event.id) == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": 11}, "quantity"),  # the type's maxPerOrder is 10
        ({"quantity": "2"}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": None}, "quantity"),
        ({}, "quantity"),
        ({"quantity": 1, "ticketTypeId": "not-a-uuid"}, "ticketTypeId"),
        ({"quantity": 1, "ticketTypeId": str(uuid.uuid4())}, "ticketTypeId"),
        ({"quantity": 1, "ticket_type_id": str(uuid.uuid4())}, "ticket_type_id"),
        ({"quantity": 1, "priority": 1}, "priority"),
    ],
)
async def test_bad_join_bodies_are_422_naming_the_field(
    payload: dict[str, Any],
    field: str,
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
) -> None:
    sold = await sold_out_shop(session, context, client)
    buyer = await make_buyer(session, context)
    response = await client.post(
        f"/events/{sold.shop.event.id}/waitlist", json=payload, headers=buyer.headers
    )
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field in error_fields(body)
    assert await statuses(session, sold.shop.event.id) == []


async def test_a_ticket_type_of_another_event_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client)
    other = await make_shop(session, context, quantity=1)
    buyer = await make_buyer(session, context)
    body = assert_problem(
        await join(client, buyer, sold.shop, 1, ticketTypeId=str(other.ticket_type.id)),
        422,
        "VALIDATION_ERROR",
    )
    assert error_fields(body) == {"ticketTypeId"}


async def test_events_one_may_not_see_are_404(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    buyer = await make_buyer(session, context)
    staff = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=staff, name="Hidden")
    draft = await create_event(session, organization=org, status="DRAFT")
    await create_ticket_type(session, event=draft, quantity_total=0)
    for event_id in (draft.id, uuid.uuid4()):
        response = await client.post(
            f"/events/{event_id}/waitlist", json={"quantity": 1}, headers=buyer.headers
        )
        assert_problem(response, 404, "NOT_FOUND")
    anonymous = await client.post(f"/events/{draft.id}/waitlist", json={"quantity": 1})
    assert_problem(anonymous, 401, "UNAUTHORIZED")


async def test_one_active_entry_per_person_and_ticket_type(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client)
    buyer = await make_buyer(session, context)
    first = await join_ok(client, buyer, sold.shop, 1)
    body = assert_problem(await join(client, buyer, sold.shop, 2), 409, "CONFLICT")
    assert body["waitlistId"] == first["id"]
    # "Any ticket type" is an entry of its own; a second of those is refused too.
    await join_ok(client, buyer, sold.shop, 1, any_type=True)
    assert_problem(await join(client, buyer, sold.shop, 1, any_type=True), 409, "CONFLICT")
    # After leaving, joining again is fine (at the back of the queue).
    assert (await client.delete(f"/waitlist/{first['id']}", headers=buyer.headers)).status_code == 204
    again = await join_ok(client, buyer, sold.shop, 2)
    assert again["id"] != first["id"]


async def test_a_cancelled_event_or_a_closed_waitlist_takes_no_one(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client)
    buyer = await make_buyer(session, context)
    closed = await client.put(
        f"/events/{sold.shop.event.id}/waitlist/settings",
        json={"enabled": False},
        headers=sold.shop.staff_headers,
    )
    assert closed.status_code == 200 and closed.json() == {
        "eventId": str(sold.shop.event.id),
        "enabled": False,
    }
    assert_problem(await join(client, buyer, sold.shop, 1), 409, "CONFLICT")
    reopened = await client.put(
        f"/events/{sold.shop.event.id}/waitlist/settings",
        json={"enabled": True},
        headers=sold.shop.staff_headers,
    )
    assert reopened.json()["enabled"] is True
    await join_ok(client, buyer, sold.shop, 1)
    cancel = await client.post(f"/events/{sold.shop.event.id}/cancel", headers=sold.shop.staff_headers)
    assert cancel.status_code == 200, cancel.text
    later = await make_buyer(session, context)
    assert_problem(await join(client, later, sold.shop, 1), 409, "SALES_CLOSED")


async def test_claims_of_other_people_twice_or_too_late_are_refused(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1, 1, 1))
    alice, bob, carol = [await make_buyer(session, context) for _ in range(3)]
    a = await join_ok(client, alice, sold.shop, 1)
    b = await join_ok(client, bob, sold.shop, 1)
    c = await join_ok(client, carol, sold.shop, 1)
    # Nothing offered yet: a WAITING entry cannot be claimed.
    assert_problem(
        await client.post(f"/waitlist/{a['id']}/claim", headers=alice.headers), 409, "INVALID_STATE"
    )
    await cancel_order(client, sold.holder, sold.orders[0])
    await cancel_order(client, sold.holder, sold.orders[1])
    await run_jobs(context)
    assert await statuses(session, sold.shop.event.id) == [(1, "OFFERED"), (1, "OFFERED"), (1, "WAITING")]

    # Someone else's offer: not found (no existence leak); an unknown id too.
    assert_problem(await client.post(f"/waitlist/{a['id']}/claim", headers=bob.headers), 404, "NOT_FOUND")
    assert_problem(
        await client.post(f"/waitlist/{uuid.uuid4()}/claim", headers=bob.headers), 404, "NOT_FOUND"
    )
    assert_problem(await client.delete(f"/waitlist/{a['id']}", headers=bob.headers), 404, "NOT_FOUND")
    assert_problem(await client.get(f"/waitlist/{a['id']}", headers=bob.headers), 404, "NOT_FOUND")

    # Claiming twice: the second is a conflict naming the order; with the same Idempotency-Key a replay.
    key = {"Idempotency-Key": "claim-a"}
    first = await client.post(f"/waitlist/{a['id']}/claim", headers={**alice.headers, **key})
    assert first.status_code == 201, first.text
    replay = await client.post(f"/waitlist/{a['id']}/claim", headers={**alice.headers, **key})
    assert replay.status_code == 201 and replay.json() == first.json()
    twice = assert_problem(
        await client.post(f"/waitlist/{a['id']}/claim", headers=alice.headers), 409, "INVALID_STATE"
    )
    assert twice["orderId"] == first.json()["id"]
    assert_problem(await client.delete(f"/waitlist/{a['id']}", headers=alice.headers), 409, "INVALID_STATE")

    # Too late: the offer is expired then and there, and passes on to carol.
    await make_offer_due(session, b["id"])
    late = assert_problem(
        await client.post(f"/waitlist/{b['id']}/claim", headers=bob.headers), 409, "INVALID_STATE"
    )
    assert "ran out" in late["detail"]
    assert (await entry(session, b["id"])).status == "EXPIRED"
    assert (await entry(session, c["id"])).status == "OFFERED"
    assert_problem(await client.post(f"/waitlist/{b['id']}/claim", headers=bob.headers), 409, "INVALID_STATE")

    bad_id = await client.post("/waitlist/not-a-uuid/claim", headers=bob.headers)
    assert_problem(bad_id, 422, "VALIDATION_ERROR")


async def test_leaving_an_offer_passes_it_on_and_leaving_twice_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1, 1))
    alice, bob = [await make_buyer(session, context) for _ in range(2)]
    a = await join_ok(client, alice, sold.shop, 1)
    b = await join_ok(client, bob, sold.shop, 1)
    await cancel_order(client, sold.holder, sold.orders[0])
    await run_jobs(context)
    assert (await client.delete(f"/waitlist/{a['id']}", headers=alice.headers)).status_code == 204
    assert (await entry(session, a["id"])).status == "CANCELLED"
    assert (await entry(session, b["id"])).status == "OFFERED"
    assert_problem(await client.delete(f"/waitlist/{a['id']}", headers=alice.headers), 409, "INVALID_STATE")
    mine = (await client.get("/waitlist", headers=bob.headers, params={"status": "OFFERED"})).json()
    assert [found["id"] for found in mine["data"]] == [b["id"]]
    assert_problem(
        await client.get("/waitlist", headers=bob.headers, params={"status": "NOPE"}), 422, "VALIDATION_ERROR"
    )


async def test_holds_past_due_count_as_available_unless_someone_waits(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """Two ticket types, the joins touching both (no lock taken out of order either way)."""
    sold = await sold_out_shop(session, context, client, blocks=(1, 1))
    shop = sold.shop
    second = await create_ticket_type(
        session, event=shop.event, name="Balcony", quantity_total=1, max_per_order=4
    )
    holder = await make_buyer(session, context)
    balcony = await client.post(
        "/orders",
        json={"eventId": str(shop.event.id), "items": [{"ticketTypeId": str(second.id), "quantity": 1}]},
        headers=holder.headers,
    )
    assert balcony.status_code == 201, balcony.text
    await make_due(session, sold.orders[0]["id"])
    await make_due(session, balcony.json()["id"])
    first, later = await make_buyer(session, context), await make_buyer(session, context)
    # Nobody waits: the holds past due will be on sale again — order them.
    body = assert_problem(await join(client, first, shop, 1), 409, "CONFLICT")
    assert body["available"] == {str(shop.ticket_type.id): 1}
    assert_problem(await join(client, first, shop, 1, any_type=True), 409, "CONFLICT")
    assert_problem(await join(client, first, shop, 1, ticketTypeId=str(second.id)), 409, "CONFLICT")
    # Someone waits for the general admission (who joined before the hold ran out): it is theirs.
    await make_not_due(session, sold.orders[0]["id"])
    await join_ok(client, first, shop, 1)
    await make_due(session, sold.orders[0]["id"])
    await join_ok(client, later, shop, 1)
    assert [s for _, s in await statuses(session, shop.event.id)] == ["WAITING", "WAITING"]


async def make_not_due(session: AsyncSession, order_id: Any) -> None:
    await session.execute(
        update(Order)
        .where(Order.id == uuid.UUID(str(order_id)))
        .values(expires_at=utcnow() + timedelta(minutes=5))
    )
    await session.commit()

"""Order webhooks: ``order.created`` from both placement paths (the express path hands the order to the
full path while an endpoint listens), one event per order placed, even with many buyers at once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import iso, register, scan, tickets_for, upload
from tests.integrations.test_webhooks import make_endpoint
from tests.orders.helpers import ledger, make_buyer, make_shop, order_body, place
from tests.waitlist.helpers import cancel_order, join_ok, run_jobs, sold_out_shop
from tixmo.deps import AppContext
from tixmo.integrations.models import OutgoingEvent, WebhookDelivery
from tixmo.orders.models import Order


async def test_order_created_is_emitted_once_per_order_under_concurrency(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=5)
    ticket_type_id, org_id = shop.ticket_type.id, shop.org.id
    endpoint_id, _ = await make_endpoint(
        client, shop, session, "https://hooks.example.com/o", ["order.created"]
    )
    body = order_body(shop)
    buyers = [await make_buyer(session, context) for _ in range(12)]
    answers = await asyncio.gather(*(place(client, buyer, body) for buyer in buyers))
    placed = [a.json()["id"] for a in answers if a.status_code == 201]
    assert len(placed) == 5 and all(a.status_code in (201, 409) for a in answers)
    (await ledger(session, ticket_type_id)).assert_consistent()
    events = list(await session.scalars(select(OutgoingEvent).where(OutgoingEvent.organization_id == org_id)))
    assert sorted(e.data["orderId"] for e in events) == sorted(placed)
    assert {e.type for e in events} == {"order.created"}
    assert all(e.data["status"] == "PENDING" for e in events)
    count = select(func.count()).select_from(WebhookDelivery)
    assert await session.scalar(count.where(WebhookDelivery.endpoint_id == uuid.UUID(endpoint_id))) == 5
    jobs = await session.scalar(
        text("SELECT count(*) FROM procrastinate_jobs WHERE task_name LIKE 'integrations.%'")
    )
    assert jobs == 5
    assert await session.scalar(select(func.count()).select_from(Order)) == 5


async def test_without_endpoints_nothing_is_written(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    assert (await place(client, buyer, order_body(shop))).status_code == 201
    assert await session.scalar(select(func.count()).select_from(OutgoingEvent)) == 0


async def test_confirmed_and_cancelled_orders_are_emitted(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    org_id = shop.org.id
    await make_endpoint(
        client, shop, session, "https://hooks.example.com/o", ["order.confirmed", "order.cancelled"]
    )
    buyer = await make_buyer(session, context)
    first = (await place(client, buyer, order_body(shop))).json()["id"]
    second = (await place(client, buyer, order_body(shop))).json()["id"]
    confirmed = await client.post(f"/orders/{first}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    cancelled = await client.post(f"/orders/{second}/cancel", headers=buyer.headers)
    assert cancelled.status_code == 200, cancelled.text
    rows = await session.scalars(
        select(OutgoingEvent)
        .where(OutgoingEvent.organization_id == org_id)
        .order_by(OutgoingEvent.created_at)
    )
    assert [(e.type, e.data["orderId"], e.data["status"]) for e in rows] == [
        ("order.confirmed", first, "CONFIRMED"),
        ("order.cancelled", second, "CANCELLED"),
    ]


async def test_a_waitlist_offer_is_emitted_as_waitlist_offered(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(2, 2))
    shop = sold.shop
    org_id, ticket_type_id = shop.org.id, shop.ticket_type.id
    await make_endpoint(client, shop, session, "https://hooks.example.com/w", ["waitlist.offered"])
    alice = await make_buyer(session, context)
    joined = await join_ok(client, alice, shop, 2)
    await cancel_order(client, sold.holder, sold.orders[0])
    await run_jobs(context)
    events = list(await session.scalars(select(OutgoingEvent).where(OutgoingEvent.organization_id == org_id)))
    assert [e.type for e in events] == ["waitlist.offered"]
    data = events[0].data
    assert (data["waitlistId"], data["ticketTypeId"], data["quantity"]) == (
        joined["id"],
        str(ticket_type_id),
        2,
    )
    assert data["offerExpiresAt"] is not None


async def test_an_online_check_in_is_emitted_once_as_ticket_checked_in(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """The one-statement scan hands a check-in its organization's webhooks hear to the full path, which
    emits it in the scan's transaction; re-entries, duplicates and exits are no check-in."""
    shop = await make_shop(session, context)
    org_id = shop.org.id
    tickets = await tickets_for(client, session, context, shop, 2)
    device = await register(client, shop)
    first = await scan(client, device, tickets[0]["barcode"])  # before any endpoint: not emitted
    assert first["status"] == "VALID"
    await make_endpoint(client, shop, session, "https://hooks.example.com/c", ["ticket.checked_in"])
    answers = [
        await scan(client, device, tickets[1]["barcode"]),
        await scan(client, device, tickets[1]["barcode"]),  # DUPLICATE
        await scan(client, device, tickets[1]["barcode"], "EXIT"),
        await scan(client, device, tickets[1]["barcode"]),  # a re-entry: checked in already
    ]
    assert [a["status"] for a in answers] == ["VALID", "DUPLICATE", "VALID", "VALID"]
    events = list(await session.scalars(select(OutgoingEvent).where(OutgoingEvent.organization_id == org_id)))
    assert [(e.type, e.data["ticketId"], e.data["status"]) for e in events] == [
        ("ticket.checked_in", tickets[1]["id"], "USED")
    ]


async def test_offline_check_ins_are_emitted_once_each_as_ticket_checked_in(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    org_id = shop.org.id
    tickets = await tickets_for(client, session, context, shop, 3)
    device = await register(client, shop)
    await make_endpoint(client, shop, session, "https://hooks.example.com/off", ["ticket.checked_in"])
    now = datetime.now(UTC)
    scans = [
        {"clientScanId": f"off-{i}", "barcode": t["barcode"], "direction": "ENTRY", "scannedAt": iso(now)}
        for i, t in enumerate(tickets[:2])
    ]
    scans.append({**scans[0], "clientScanId": "off-dup"})  # a second entry of the first ticket: DUPLICATE
    await upload(client, device, scans)
    await upload(client, device, scans)  # a replay changes nothing
    events = list(await session.scalars(select(OutgoingEvent).where(OutgoingEvent.organization_id == org_id)))
    assert sorted((e.type, e.data["ticketId"]) for e in events) == sorted(
        ("ticket.checked_in", t["id"]) for t in tickets[:2]
    )

"""The maintained ticket counts (``ticket_counts``, kept by triggers on ``tickets``) equal a recount of
the tickets after every kind of change: sales, online, offline and manual check-ins, transfers, staff
cancellations, refunds, an event's cancellation, raw SQL updates and deletes; and ``/stats`` answers
them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import iso, make_buyer, make_shop, register, scan, sibling_of, tickets_for, upload
from tests.factories import auth
from tests.tickets.helpers import buy
from tixmo.checkin import stats
from tixmo.db import utcnow
from tixmo.deps import AppContext


async def _counts(session: AsyncSession, event_id: uuid.UUID) -> dict[str, int]:
    """The maintained counts, checked against a recount (statuses with no ticket left out)."""
    kept = {status: n for status, n in (await stats.ticket_counts(session, event_id)).items() if n}
    recount = await stats.ticket_counts_from_tickets(session, event_id)
    await session.commit()
    assert kept == recount
    return kept


async def _stats(client: httpx.AsyncClient, event_id: uuid.UUID, headers: dict[str, str]) -> tuple[int, ...]:
    body: dict[str, Any] = (await client.get(f"/events/{event_id}/stats", headers=headers)).json()
    return body["ticketsSold"], body["ticketsUsed"], body["ticketsCancelled"]


async def test_ticket_counts_equal_a_recount_after_every_change(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    other = await sibling_of(session, shop)  # another event of the organization: counted apart
    event = shop.event.id
    assert await _counts(session, event) == {}

    a = await tickets_for(client, session, context, shop, 4)
    b = await tickets_for(client, session, context, shop, 2)
    await tickets_for(client, session, context, other, 3)
    assert await _counts(session, event) == {"VALID": 6}
    assert await _counts(session, other.event.id) == {"VALID": 3}

    gate = await register(client, shop)
    assert (await scan(client, gate, a[0]["barcode"]))["status"] == "VALID"  # online: USED
    assert (await scan(client, gate, a[0]["barcode"], "EXIT"))["status"] == "VALID"  # no status change
    offline = [
        {"clientScanId": "o1", "barcode": a[1]["barcode"], "direction": "ENTRY", "scannedAt": iso(utcnow())},
        {"clientScanId": "o2", "barcode": a[0]["barcode"], "direction": "ENTRY", "scannedAt": iso(utcnow())},
    ]
    assert [r["status"] for r in (await upload(client, gate, offline))["results"]] == ["VALID", "VALID"]
    checked = await client.post(f"/tickets/{a[2]['id']}/check-in", headers=shop.staff_headers)
    assert checked.status_code == 200, checked.text
    assert await _counts(session, event) == {"VALID": 3, "USED": 3}

    holder = await make_buyer(session, context)
    owner = await session.get(type(holder.user), uuid.UUID(a[3]["ownerId"]))
    assert owner is not None
    await session.commit()
    moved = await client.post(
        f"/tickets/{a[3]['id']}/transfer", json={"email": holder.user.email}, headers=auth(context, owner)
    )
    assert moved.status_code == 200, moved.text
    assert await _counts(session, event) == {"VALID": 3, "USED": 3}  # a new barcode, the same status

    cancelled = await client.post(f"/tickets/{b[0]['id']}/cancel", headers=shop.staff_headers)
    assert cancelled.status_code == 200, cancelled.text
    assert await _counts(session, event) == {"VALID": 2, "USED": 3, "CANCELLED": 1}
    assert await _stats(client, event, shop.staff_headers) == (5, 3, 1)

    buyer = await make_buyer(session, context)
    c = await buy(client, shop, buyer, 3)
    payment = (await client.get(f"/payments?orderId={c[0]['orderId']}", headers=buyer.headers)).json()
    refunded = await client.post(
        f"/payments/{payment['data'][0]['id']}/refund", json={}, headers=shop.staff_headers
    )
    assert refunded.status_code == 200, refunded.text
    assert await _counts(session, event) == {"VALID": 2, "USED": 3, "CANCELLED": 4}

    # Any writer, raw SQL included: a status set back, a ticket deleted.
    await session.execute(
        text("UPDATE tickets SET status = 'VALID', cancelled_at = NULL WHERE id = :id"), {"id": b[0]["id"]}
    )
    await session.execute(text("DELETE FROM scans WHERE ticket_id = :id"), {"id": a[2]["id"]})
    await session.execute(text("DELETE FROM tickets WHERE id = :id"), {"id": a[2]["id"]})
    await session.commit()
    assert await _counts(session, event) == {"VALID": 3, "USED": 2, "CANCELLED": 3}
    assert await _stats(client, event, shop.staff_headers) == (5, 2, 3)

    ended = await client.post(f"/events/{event}/cancel", headers=shop.staff_headers)
    assert ended.status_code == 200, ended.text
    final = await _counts(session, event)
    assert final.get("VALID", 0) == 0 and sum(final.values()) == 8  # every ticket left was cancelled
    assert await _stats(client, event, shop.staff_headers) == (
        final.get("USED", 0),
        final.get("USED", 0),
        final.get("CANCELLED", 0),
    )
    assert await _counts(session, other.event.id) == {"VALID": 3}

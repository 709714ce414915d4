"""POST /scanners/scan: every status, re-entry, codes of other events and tenants, idempotency, races."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone

import httpx
import psycopg
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import iso, make_shop, register, scan, tickets_for, upload
from tests.factories import create_event, create_ticket_type
from tests.problems import assert_problem, error_fields
from tests.tickets.helpers import ticket_row
from tixmo.checkin.models import Scan
from tixmo.db import libpq_conninfo, utcnow
from tixmo.deps import AppContext


async def _scans(session: AsyncSession) -> list[tuple[str, str, str]]:
    rows = (await session.execute(select(Scan.direction, Scan.status, Scan.source).order_by(Scan.id))).all()
    await session.commit()
    return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_entry_exit_reentry_and_every_history_status(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gate = await register(client, shop)
    code = ticket["barcode"]

    not_inside = await scan(client, gate, code, "EXIT")
    first = await scan(client, gate, code, "ENTRY")
    duplicate = await scan(client, gate, code, "ENTRY")
    out = await scan(client, gate, code, "EXIT")
    again = await scan(client, gate, code, "ENTRY")

    assert [r["status"] for r in (not_inside, first, duplicate, out, again)] == [
        "NOT_INSIDE",
        "VALID",
        "DUPLICATE",
        "VALID",
        "VALID",
    ]
    assert first["ticket"]["id"] == ticket["id"] and first["ticket"]["status"] == "USED"
    assert duplicate["conflictsWith"]["scanId"] == first["scanId"]
    row = await ticket_row(session, ticket["id"])
    assert row.status == "USED" and row.checked_in_at is not None
    assert await _scans(session) == [
        ("EXIT", "NOT_INSIDE", "ONLINE"),
        ("ENTRY", "VALID", "ONLINE"),
        ("ENTRY", "DUPLICATE", "ONLINE"),
        ("EXIT", "VALID", "ONLINE"),
        ("ENTRY", "VALID", "ONLINE"),
    ]


async def test_signed_qr_data_forged_codes_and_revoked_codes(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer_tickets = await tickets_for(client, session, context, shop, 2)
    gate = await register(client, shop)
    owner_id = buyer_tickets[0]["ownerId"]
    from tests.factories import auth
    from tixmo.accounts.models import User

    owner = await session.get(User, uuid.UUID(owner_id))
    assert owner is not None
    headers = auth(context, owner)
    code = (await client.get(f"/tickets/{buyer_tickets[0]['id']}/qr", headers=headers)).json()["qrData"]
    valid = await scan(client, gate, "", qrData=code)
    assert (valid["status"], valid["ticket"]["id"]) == ("VALID", buyer_tickets[0]["id"])
    forged = code[:-3] + ("AAA" if not code.endswith("AAA") else "BBB")
    bad = await scan(client, gate, "", qrData=forged)
    assert (bad["status"], bad["ticket"]) == ("INVALID", None)
    garbage = await scan(client, gate, "", qrData="not-a-code")
    assert garbage["status"] == "INVALID"
    # A regenerated code: the old barcode names the ticket but admits nobody.
    old = buyer_tickets[1]["barcode"]
    regenerated = await client.post(f"/tickets/{buyer_tickets[1]['id']}/regenerate-qr", headers=headers)
    assert regenerated.status_code == 200
    revoked = await scan(client, gate, old)
    assert (revoked["status"], revoked["ticket"]["id"]) == ("INVALID", buyer_tickets[1]["id"])
    unknown = await scan(client, gate, "NOSUCHCODE")
    assert (unknown["status"], unknown["ticket"]) == ("INVALID", None)


async def test_wrong_event_cancelled_other_tenant_and_closed_event(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    # Another event of the same organization: its scanner sees WRONG_EVENT.
    sibling = await create_event(session, organization=shop.org, status="PUBLISHED", name="Sibling")
    await create_ticket_type(session, event=sibling, quantity_total=10, price_minor=100)
    from tests.checkin.helpers import Shop

    sibling_shop = Shop(shop.staff, shop.staff_headers, shop.org, sibling, shop.ticket_type)
    sibling_gate = await register(client, sibling_shop, "Sibling gate")
    wrong = await scan(client, sibling_gate, ticket["barcode"])
    assert (wrong["status"], wrong["ticket"]["id"]) == ("WRONG_EVENT", ticket["id"])
    # Another organization's scanner: the code answers like an unknown one (nothing leaks).
    stranger = await make_shop(session, context, name="Stranger")
    stranger_gate = await register(client, stranger, "Stranger gate")
    foreign = await scan(client, stranger_gate, ticket["barcode"])
    assert (foreign["status"], foreign["ticket"]) == ("INVALID", None)
    # Cancelled.
    gate = await register(client, shop)
    cancelled = await client.post(f"/tickets/{ticket['id']}/cancel", headers=shop.staff_headers)
    assert cancelled.status_code == 200, cancelled.text
    answer = await scan(client, gate, ticket["barcode"])
    assert answer["status"] == "CANCELLED"
    assert (await ticket_row(session, ticket["id"])).status == "CANCELLED"


async def test_malformed_bodies_are_422_and_change_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    gate = await register(client, shop)
    cases = [
        ({"direction": "ENTRY"}, "barcode"),
        ({"barcode": "A", "qrData": "B", "direction": "ENTRY"}, "qrData"),
        ({"barcode": "A", "direction": "SIDEWAYS"}, "direction"),
        ({"barcode": "A"}, "direction"),
        ({"barcode": 5, "direction": "ENTRY"}, "barcode"),
    ]
    for body, field in cases:
        answer = await client.post("/scanners/scan", json=body, headers=gate.headers)
        assert field in error_fields(assert_problem(answer, 422, "VALIDATION_ERROR")), body
    assert await _scans(session) == []


async def test_client_scan_id_makes_a_retry_idempotent(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gate = await register(client, shop)
    first = await scan(client, gate, ticket["barcode"], clientScanId="s-1")
    retry = await scan(client, gate, ticket["barcode"], clientScanId="s-1")
    assert (first["status"], retry["status"], retry["replayed"]) == ("VALID", "VALID", True)
    assert retry["scanId"] == first["scanId"]
    unknown = [await scan(client, gate, "NOPE", clientScanId="s-2") for _ in range(2)]
    assert unknown[0]["scanId"] == unknown[1]["scanId"]
    assert len(await _scans(session)) == 2


async def test_two_gates_scanning_one_ticket_at_once_admit_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    tickets = await tickets_for(client, session, context, shop, 3)
    gates = [await register(client, shop, f"Gate {n}") for n in range(4)]

    async def attempt(gate_index: int, code: str) -> httpx.Response:
        return await client.post(
            "/scanners/scan", json={"barcode": code, "direction": "ENTRY"}, headers=gates[gate_index].headers
        )

    answers = await asyncio.gather(*(attempt(n, t["barcode"]) for t in tickets for n in range(4)))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
    for index, ticket in enumerate(tickets):
        statuses = sorted(a.json()["status"] for a in answers[index * 4 : index * 4 + 4])
        assert statuses == ["DUPLICATE", "DUPLICATE", "DUPLICATE", "VALID"], (ticket["id"], statuses)
    valid = await session.scalar(select(func.count()).where(Scan.status == "VALID"))
    await session.commit()
    assert valid == 3


async def test_manual_check_in_counts_as_an_entry(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gate = await register(client, shop)
    manual = await client.post(f"/tickets/{ticket['id']}/check-in", headers=shop.staff_headers)
    assert manual.status_code == 200, manual.text
    assert (await scan(client, gate, ticket["barcode"]))["status"] == "DUPLICATE"
    assert (await scan(client, gate, ticket["barcode"], "EXIT"))["status"] == "VALID"
    stats = (await client.get(f"/events/{shop.event.id}/stats", headers=shop.staff_headers)).json()
    assert (stats["entries"], stats["exits"], stats["occupancy"]) == (1, 1, 0)
    assert await _scans(session) == [
        ("ENTRY", "VALID", "MANUAL"),
        ("ENTRY", "DUPLICATE", "ONLINE"),
        ("EXIT", "VALID", "ONLINE"),
    ]


async def test_scans_go_on_while_the_event_row_is_being_edited(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, database_url: str
) -> None:
    # Scans take the event row FOR KEY SHARE, which an edit (FOR NO KEY UPDATE) does not block; they
    # once took FOR NO KEY UPDATE themselves, so every scan of an event waited on the one before, and
    # on any open edit of the event.
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gate = await register(client, shop)
    editor = await psycopg.AsyncConnection.connect(libpq_conninfo(database_url))
    try:
        await editor.execute(
            "UPDATE events SET description = 'edited while the doors are open' WHERE id = %s",
            (shop.event.id,),
        )  # the transaction stays open: the row is locked FOR NO KEY UPDATE until the rollback
        answer = await asyncio.wait_for(scan(client, gate, ticket["barcode"]), timeout=20)
        assert answer["status"] == "VALID"
    finally:
        await editor.rollback()
        await editor.close()


async def test_the_devices_scanned_at_is_stored_and_answered_but_does_not_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    t1, t2 = await tickets_for(client, session, context, shop, 2)
    gate = await register(client, shop)
    device_time = utcnow().replace(microsecond=0) - timedelta(minutes=3)
    local = device_time.astimezone(timezone(timedelta(hours=2))).isoformat()  # "...+02:00"
    sent = await scan(client, gate, t1["barcode"], scannedAt=local, clientScanId="c-1")
    assert sent["clientScannedAt"] == iso(device_time)
    assert datetime.fromisoformat(sent["scannedAt"]) > device_time  # the server's time orders it
    unsent = await scan(client, gate, t2["barcode"])
    assert unsent["clientScannedAt"] is None
    replay = await scan(client, gate, t1["barcode"], scannedAt=local, clientScanId="c-1")
    assert (replay["replayed"], replay["clientScannedAt"]) == (True, iso(device_time))
    row = await session.get(Scan, sent["scanId"])
    await session.commit()
    assert row is not None and row.client_scanned_at == device_time
    logs = (await client.get("/scanners/logs", headers=shop.staff_headers)).json()["data"]
    assert {entry["id"]: entry["clientScannedAt"] for entry in logs} == {
        sent["scanId"]: iso(device_time),
        unsent["scanId"]: None,
    }
    # Offline: scannedAt is clamped to the arrival; the device's clock stays on record as sent.
    ahead = utcnow().replace(microsecond=0) + timedelta(hours=1)
    result = await upload(
        client,
        gate,
        [{"clientScanId": "o-1", "barcode": t2["barcode"], "direction": "EXIT", "scannedAt": iso(ahead)}],
    )
    (outcome,) = result["results"]
    assert outcome["clientScannedAt"] == iso(ahead)
    assert outcome["scannedAt"] == result["receivedAt"]

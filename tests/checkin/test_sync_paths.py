"""Offline uploads and bundles, path by path: signed codes, codes judged without the history (wrong
event, cancelled before or after the scan), a delta bundle with real changes and revocations, and the
largest accepted batch. Outcomes are computed by hand."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import buy, iso, make_buyer, make_shop, register, sibling_of, upload
from tests.tickets.helpers import ticket_row
from tixmo.checkin.models import Scan
from tixmo.checkin.schemas import MAX_SYNC_SCANS
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.tickets.models import Ticket


def _sha(barcode: str) -> str:
    return hashlib.sha256(barcode.encode()).hexdigest()


def _item(cid: str, at: datetime, direction: str = "ENTRY", **code: str) -> dict[str, Any]:
    return {"clientScanId": cid, "direction": direction, "scannedAt": iso(at), **code}


def _outcomes(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["clientScanId"]: r for r in result["results"]}


async def test_signed_codes_in_an_upload_valid_forged_duplicate_and_replaced(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    t1, t2 = await buy(client, shop, buyer, 2)
    code1 = (await client.get(f"/tickets/{t1['id']}/qr", headers=buyer.headers)).json()["qrData"]
    code2 = (await client.get(f"/tickets/{t2['id']}/qr", headers=buyer.headers)).json()["qrData"]
    regenerated = await client.post(f"/tickets/{t2['id']}/regenerate-qr", headers=buyer.headers)
    assert regenerated.status_code == 200, regenerated.text
    forged = code1[:-3] + ("AAA" if not code1.endswith("AAA") else "BBB")
    gate = await register(client, shop)
    t0 = utcnow() - timedelta(hours=1)

    result = await upload(
        client,
        gate,
        [
            _item("q-dup", t0 + timedelta(minutes=5), qrData=code1),  # listed first, scanned second
            _item("q-ok", t0, qrData=code1),
            _item("q-forged", t0 + timedelta(minutes=1), qrData=forged),
            _item("q-replaced", t0 + timedelta(minutes=2), qrData=code2),
            _item("q-garbage", t0 + timedelta(minutes=3), qrData="TIX1.nonsense"),
            _item("b-dup", t0 + timedelta(minutes=6), barcode=t1["barcode"]),  # the same ticket by barcode
        ],
    )

    got = _outcomes(result)
    assert {cid: (r["status"], r["ticketId"]) for cid, r in got.items()} == {
        "q-ok": ("VALID", t1["id"]),
        "q-dup": ("DUPLICATE", t1["id"]),
        "q-forged": ("INVALID", None),  # a bad signature names nothing
        "q-replaced": ("INVALID", t2["id"]),  # a genuine code of the ticket, replaced since
        "q-garbage": ("INVALID", None),
        "b-dup": ("DUPLICATE", t1["id"]),
    }
    assert got["q-dup"]["conflict"] is True
    assert got["q-dup"]["conflictsWith"] == {
        "scanId": got["q-ok"]["scanId"],
        "scannerId": gate.id,
        "scannedAt": iso(t0),
    }
    assert result["counts"] == {"VALID": 1, "DUPLICATE": 2, "INVALID": 3, "replayed": 0}
    row = await ticket_row(session, t1["id"])
    assert (row.status, row.checked_in_at) == ("USED", t0)
    assert (await ticket_row(session, t2["id"])).status == "VALID"


async def test_wrong_event_and_cancelled_before_or_after_the_scan(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    sibling = await sibling_of(session, shop)
    buyer = await make_buyer(session, context)
    early, late, kept = await buy(client, shop, buyer, 3)
    (theirs,) = await buy(client, sibling, buyer, 1)
    t0 = utcnow() - timedelta(hours=1)
    for ticket in (early, late):
        answer = await client.post(f"/tickets/{ticket['id']}/cancel", headers=shop.staff_headers)
        assert answer.status_code == 200, answer.text
    # `early` was cancelled before its scan, `late` after it: the offline device admitted a ticket that
    # was good at the door, and the server judges the scan as it was then.
    cancelled_at = utcnow() - timedelta(minutes=30)
    await session.execute(update(Ticket).where(Ticket.id == early["id"]).values(cancelled_at=t0))
    await session.execute(update(Ticket).where(Ticket.id == late["id"]).values(cancelled_at=cancelled_at))
    await session.commit()
    gate = await register(client, shop)

    result = await upload(
        client,
        gate,
        [
            _item("wrong", t0 + timedelta(minutes=1), barcode=theirs["barcode"]),
            _item("cancelled", t0 + timedelta(minutes=2), barcode=early["barcode"]),
            _item("before-cancel", t0 + timedelta(minutes=3), barcode=late["barcode"]),
            _item("before-cancel-out", t0 + timedelta(minutes=40), "EXIT", barcode=late["barcode"]),
            _item("ok", t0 + timedelta(minutes=4), barcode=kept["barcode"]),
        ],
    )

    got = _outcomes(result)
    assert {cid: (r["status"], r["ticketId"]) for cid, r in got.items()} == {
        "wrong": ("WRONG_EVENT", theirs["id"]),
        "cancelled": ("CANCELLED", early["id"]),
        "before-cancel": ("VALID", late["id"]),
        "before-cancel-out": ("CANCELLED", late["id"]),  # scanned after the cancellation
        "ok": ("VALID", kept["id"]),
    }
    # The cancelled ticket stays CANCELLED (the admission is history, not a status change).
    assert (await ticket_row(session, late["id"])).status == "CANCELLED"
    assert (await ticket_row(session, kept["id"])).status == "USED"
    stats = (await client.get(f"/events/{shop.event.id}/stats", headers=shop.staff_headers)).json()
    assert (stats["entries"], stats["exits"], stats["occupancy"]) == (2, 0, 2)
    assert stats["scans"]["total"] == 5 and stats["scans"]["valid"] == 2


async def test_a_delta_bundle_with_changes_and_revocations(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    holder, recipient = await make_buyer(session, context), await make_buyer(session, context)
    regenerated, transferred, scanned, untouched = await buy(client, shop, holder, 4)
    # Bought an hour ago: outside the delta's 30-second look-back.
    await session.execute(
        update(Ticket)
        .where(Ticket.event_id == shop.event.id)
        .values(updated_at=utcnow() - timedelta(hours=1))
    )
    await session.commit()
    gate = await register(client, shop)
    before = (await client.get("/scanners/sync", headers=gate.headers)).json()
    assert before["revoked"] == [] and len(before["tickets"]) == 4

    answer = await client.post(f"/tickets/{regenerated['id']}/regenerate-qr", headers=holder.headers)
    assert answer.status_code == 200, answer.text
    answer = await client.post(
        f"/tickets/{transferred['id']}/transfer", json={"email": recipient.user.email}, headers=holder.headers
    )
    assert answer.status_code == 200, answer.text
    entered = await client.post(
        "/scanners/scan", json={"barcode": scanned["barcode"], "direction": "ENTRY"}, headers=gate.headers
    )
    assert entered.json()["status"] == "VALID"
    new_barcodes = {t["id"]: (await ticket_row(session, t["id"])).barcode for t in (regenerated, transferred)}
    old_hashes = {_sha(regenerated["barcode"]), _sha(transferred["barcode"])}

    delta = (
        await client.get("/scanners/sync", params={"since": before["syncedAt"]}, headers=gate.headers)
    ).json()
    full = (await client.get("/scanners/sync", headers=gate.headers)).json()

    assert delta["full"] is False and full["full"] is True
    assert set(delta["revoked"]) == old_hashes and set(full["revoked"]) == old_hashes
    changed = {t["ticketId"]: t for t in delta["tickets"]}
    assert set(changed) == {regenerated["id"], transferred["id"], scanned["id"]}  # not `untouched`
    for replaced in (regenerated, transferred):
        assert new_barcodes[replaced["id"]] != replaced["barcode"]
        assert changed[replaced["id"]]["barcodeHash"] == _sha(new_barcodes[replaced["id"]])
        assert (changed[replaced["id"]]["status"], changed[replaced["id"]]["inside"]) == ("VALID", False)
    assert (changed[scanned["id"]]["status"], changed[scanned["id"]]["inside"]) == ("USED", True)
    listed = {t["ticketId"]: t["barcodeHash"] for t in full["tickets"]}
    assert listed == {
        regenerated["id"]: _sha(new_barcodes[regenerated["id"]]),
        transferred["id"]: _sha(new_barcodes[transferred["id"]]),
        scanned["id"]: _sha(scanned["barcode"]),
        untouched["id"]: _sha(untouched["barcode"]),
    }
    # And the old barcodes admit nobody offline either.
    result = await upload(
        client,
        gate,
        [
            _item("old-1", utcnow(), barcode=regenerated["barcode"]),
            _item("old-2", utcnow(), barcode=transferred["barcode"]),
        ],
    )
    assert [(r["status"], r["ticketId"]) for r in result["results"]] == [
        ("INVALID", regenerated["id"]),
        ("INVALID", transferred["id"]),
    ]


async def test_a_batch_of_exactly_the_limit_is_accepted_and_merged(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    tickets = await buy(client, shop, await make_buyer(session, context), 50)
    gate = await register(client, shop)
    t0 = utcnow() - timedelta(days=1)
    # Per ticket, 50 rounds of ENTRY, ENTRY, EXIT, EXIT a second apart: VALID, DUPLICATE, VALID,
    # NOT_INSIDE. The batch lists them ticket by ticket, newest first.
    pattern = ["ENTRY", "ENTRY", "EXIT", "EXIT"]
    scans = [
        _item(f"{n}-{k}", t0 + timedelta(seconds=k), pattern[k % 4], barcode=ticket["barcode"])
        for n, ticket in enumerate(tickets)
        for k in reversed(range(200))
    ]
    assert len(scans) == MAX_SYNC_SCANS == 10_000

    result = await upload(client, gate, scans)

    assert result["counts"] == {"VALID": 5000, "DUPLICATE": 2500, "NOT_INSIDE": 2500, "replayed": 0}
    assert [r["clientScanId"] for r in result["results"]] == [s["clientScanId"] for s in scans]
    statuses = {r["clientScanId"]: r["status"] for r in result["results"]}
    expected = ["VALID", "DUPLICATE", "VALID", "NOT_INSIDE"]
    assert all(statuses[f"{n}-{k}"] == expected[k % 4] for n in range(50) for k in range(200))
    stored = await session.scalar(select(func.count()).select_from(Scan).where(Scan.scanner_id == gate.id))
    by_status = Counter((await session.scalars(select(Scan.status))).all())
    await session.commit()
    assert stored == 10_000 and by_status == {"VALID": 5000, "DUPLICATE": 2500, "NOT_INSIDE": 2500}
    occupancy = (await client.get(f"/events/{shop.event.id}/occupancy", headers=shop.staff_headers)).json()
    assert (occupancy["entries"], occupancy["exits"], occupancy["occupancy"]) == (2500, 2500, 0)
    row = await ticket_row(session, tickets[0]["id"])
    assert (row.status, row.checked_in_at) == ("USED", t0)

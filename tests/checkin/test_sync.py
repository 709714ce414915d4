"""Offline scanning: the sync bundle, and batches merged by scannedAt (outcomes computed by hand)."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import Device, make_shop, owner_headers, register, scan, tickets_for
from tests.problems import assert_problem, error_fields
from tests.tickets.helpers import ticket_row
from tixmo.checkin.models import Scan
from tixmo.db import utcnow
from tixmo.deps import AppContext


def _at(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def _upload(client: httpx.AsyncClient, device: Device, scans: list[dict[str, Any]]) -> dict[str, Any]:
    answer = await client.post("/scanners/sync", json={"scans": scans}, headers=device.headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["clientScanId"]: r for r in result["results"]}


async def test_two_offline_scanners_interleaved_and_out_of_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    t1, t2, t3 = await tickets_for(client, session, context, shop, 3)
    gate_a, gate_b = await register(client, shop, "A"), await register(client, shop, "B")
    t0 = utcnow() - timedelta(hours=2)

    def item(cid: str, ticket: dict[str, Any], direction: str, minutes: int) -> dict[str, Any]:
        return {
            "clientScanId": cid,
            "barcode": ticket["barcode"],
            "direction": direction,
            "scannedAt": _at(t0 + timedelta(minutes=minutes)),
        }

    batch_a = [  # listed out of time order on purpose
        item("a4", t1, "ENTRY", 50),
        item("a3", t2, "ENTRY", 30),
        item("a1", t1, "ENTRY", 10),
        item("a2", t1, "EXIT", 40),
    ]
    batch_b = [
        item("b4", t1, "ENTRY", 45),
        item("b1", t1, "ENTRY", 20),
        item("b3", t3, "EXIT", 15),
        item("b2", t2, "ENTRY", 5),
        {"clientScanId": "b5", "barcode": "UNKNOWNCODE", "direction": "ENTRY", "scannedAt": _at(t0)},
    ]
    first = _by_id(await _upload(client, gate_a, batch_a))
    # A alone: T1 in at 10, out at 40, in at 50; T2 in at 30.
    assert {k: v["status"] for k, v in first.items()} == {
        "a1": "VALID",
        "a2": "VALID",
        "a3": "VALID",
        "a4": "VALID",
    }

    second = await _upload(client, gate_b, batch_b)
    got = _by_id(second)
    # Merged T1: a1 ENTRY 10 VALID, b1 ENTRY 20 DUPLICATE (vs a1), a2 EXIT 40 VALID, b4 ENTRY 45 VALID,
    # a4 ENTRY 50 DUPLICATE (vs b4). T2: b2 ENTRY 5 VALID, a3 ENTRY 30 DUPLICATE (vs b2). T3: b3 NOT_INSIDE.
    assert {k: v["status"] for k, v in got.items()} == {
        "b1": "DUPLICATE",
        "b2": "VALID",
        "b3": "NOT_INSIDE",
        "b4": "VALID",
        "b5": "INVALID",
    }
    assert got["b1"]["conflict"] is True
    assert got["b1"]["conflictsWith"]["scannerId"] == gate_a.id
    assert got["b1"]["conflictsWith"]["scannedAt"] == _at(t0 + timedelta(minutes=10))
    assert (got["b3"]["conflict"], got["b5"]["ticketId"]) == (False, None)
    assert second["counts"] == {"VALID": 2, "DUPLICATE": 1, "NOT_INSIDE": 1, "INVALID": 1, "replayed": 0}

    rows = {
        s.client_scan_id: s
        for s in await session.scalars(select(Scan).where(Scan.client_scan_id.is_not(None)))
    }
    await session.commit()
    assert (rows["a4"].status, rows["a4"].conflicts_with_scan_id) == ("DUPLICATE", rows["b4"].id)
    assert (rows["a3"].status, rows["a3"].conflicts_with_scan_id) == ("DUPLICATE", rows["b2"].id)
    assert (rows["a1"].status, rows["a2"].status) == ("VALID", "VALID")
    row = await ticket_row(session, t1["id"])
    assert row.status == "USED" and row.checked_in_at == t0 + timedelta(minutes=10)
    assert (await ticket_row(session, t3["id"])).status == "VALID"

    stats = (await client.get(f"/events/{shop.event.id}/stats", headers=shop.staff_headers)).json()
    # Entries a1, b4, b2; exits a2: T1 and T2 inside.
    assert (stats["entries"], stats["exits"], stats["occupancy"]) == (3, 1, 2)
    assert (stats["ticketsUsed"], stats["ticketsSold"]) == (2, 3)
    assert stats["scans"] == {"total": 9, "valid": 4, "rejected": 5, "successRate": round(4 / 9, 4)}

    # Replaying A's batch changes nothing and answers the merged outcomes.
    replay = await _upload(client, gate_a, batch_a)
    assert all(r["replayed"] for r in replay["results"])
    assert {r["clientScanId"]: r["status"] for r in replay["results"]} == {
        "a1": "VALID",
        "a2": "VALID",
        "a3": "DUPLICATE",
        "a4": "DUPLICATE",
    }
    again = (await client.get(f"/events/{shop.event.id}/stats", headers=shop.staff_headers)).json()
    assert again["scans"]["total"] == 9 and again["occupancy"] == 2


async def test_an_online_answer_overtaken_by_an_earlier_offline_entry(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    online, offline = await register(client, shop, "Online"), await register(client, shop, "Offline")
    answered = await scan(client, online, ticket["barcode"])
    assert answered["status"] == "VALID"
    earlier = utcnow() - timedelta(minutes=10)
    result = await _upload(
        client,
        offline,
        [
            {
                "clientScanId": "o1",
                "barcode": ticket["barcode"],
                "direction": "ENTRY",
                "scannedAt": _at(earlier),
            }
        ],
    )
    assert result["results"][0]["status"] == "VALID"
    scan_row = await session.get(Scan, answered["scanId"])
    await session.commit()
    assert scan_row is not None
    assert (scan_row.status, scan_row.conflict) == ("VALID", True)  # keeps its answer, flagged
    assert scan_row.conflicts_with_scan_id == result["results"][0]["scanId"]
    occupancy = (await client.get(f"/events/{shop.event.id}/occupancy", headers=shop.staff_headers)).json()
    assert (occupancy["entries"], occupancy["occupancy"]) == (1, 1)  # one person
    logs = (await client.get("/scanners/logs?status=VALID", headers=shop.staff_headers)).json()
    flagged = [entry for entry in logs["data"] if entry["conflict"]]
    assert [entry["conflictsWith"]["scannerId"] for entry in flagged] == [offline.id]


async def test_batch_validation_and_limits(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    gate = await register(client, shop)
    now = _at(utcnow())
    bad = [
        ({"scans": [{"barcode": "A", "direction": "ENTRY", "scannedAt": now}]}, "scans.0.clientScanId"),
        ({"scans": [{"clientScanId": "x", "direction": "ENTRY", "scannedAt": now}]}, "scans.0"),
        (
            {
                "scans": [
                    {
                        "clientScanId": "x",
                        "barcode": "A",
                        "direction": "ENTRY",
                        "scannedAt": "2026-01-01T10:00:00",
                    }
                ]
            },
            "scans.0.scannedAt",
        ),
        (
            {
                "scans": [{"clientScanId": "x", "barcode": "A", "direction": "ENTRY", "scannedAt": now}]
                * 10_001
            },
            "scans",
        ),
    ]
    for body, field in bad:
        answer = await client.post("/scanners/sync", json=body, headers=gate.headers)
        assert field in error_fields(assert_problem(answer, 422, "VALIDATION_ERROR")), field
    # 413 only above the body limit (8 MiB), whatever the body holds.
    oversized = b'{"scans": [' + b" " * (8 * 1_048_576) + b"]}"
    answer = await client.post(
        "/scanners/sync", content=oversized, headers={**gate.headers, "Content-Type": "application/json"}
    )
    assert_problem(answer, 413, "PAYLOAD_TOO_LARGE")
    assert await session.scalar(select(Scan.id).limit(1)) is None
    await session.commit()


async def test_the_bundle_and_its_delta(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    t1, t2 = await tickets_for(client, session, context, shop, 2)
    gate = await register(client, shop)
    await scan(client, gate, t1["barcode"])
    rotated = await client.post(f"/events/{shop.event.id}/signing-keys/rotate", headers=shop.staff_headers)
    assert rotated.status_code == 201  # an event's first key is made on first use; make it now
    full = (await client.get("/scanners/sync", headers=gate.headers)).json()
    assert full["full"] is True and full["eventId"] == str(shop.event.id)
    assert full["publicKeys"] == [
        {"keyId": rotated.json()["keyId"], "algorithm": "Ed25519", "publicKey": rotated.json()["publicKey"]}
    ]
    listed = {t["ticketId"]: t for t in full["tickets"]}
    assert listed[t1["id"]] == {
        "ticketId": t1["id"],
        "barcodeHash": hashlib.sha256(t1["barcode"].encode()).hexdigest(),
        "status": "USED",
        "ticketTypeId": str(shop.ticket_type.id),
        "inside": True,
    }
    assert listed[t2["id"]]["inside"] is False and listed[t2["id"]]["status"] == "VALID"
    assert full["revoked"] == []
    # Make the first sync look old enough that unchanged tickets fall outside the overlap window.
    since = _at(datetime.fromisoformat(full["syncedAt"]) + timedelta(minutes=1))
    delta = (await client.get("/scanners/sync", params={"since": since}, headers=gate.headers)).json()
    assert (delta["full"], delta["tickets"]) == (False, [])
    bad_since = await client.get("/scanners/sync", params={"since": "yesterday"}, headers=gate.headers)
    assert "since" in error_fields(assert_problem(bad_since, 422, "VALIDATION_ERROR"))


async def test_a_fresh_events_bundle_holds_the_key_that_signs_its_codes(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    # Keys are made on first use: here no code was shown yet when the door device downloads its bundle.
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gate = await register(client, shop)
    first = (await client.get("/scanners/sync", headers=gate.headers)).json()
    assert len(first["publicKeys"]) == 1
    (key,) = first["publicKeys"]
    assert key["algorithm"] == "Ed25519"
    again = (await client.get("/scanners/sync", headers=gate.headers)).json()
    assert again["publicKeys"] == [key]
    # The code shown afterwards verifies offline with that key, as a scanner app checks it.
    headers = await owner_headers(session, context, ticket)
    shown = await client.get(f"/tickets/{ticket['id']}/qr", headers=headers)
    assert shown.status_code == 200, shown.text
    code: str = shown.json()["qrData"]
    prefix, key_id, _payload, signature = code.split(".")
    assert (prefix, key_id) == ("TIX1", key["keyId"])
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["publicKey"]))
    raw_signature = base64.b32decode(signature + "=" * (-len(signature) % 8))
    public.verify(raw_signature, code[: code.rindex(".")].encode("ascii"))  # raises when it does not

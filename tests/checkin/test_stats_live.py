"""Attendance statistics, and the live stream across two app instances (LISTEN/NOTIFY → SSE)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import iso, make_shop, register, scan, tickets_for, upload
from tests.conftest import make_settings
from tests.problems import assert_problem
from tests.tickets.helpers import ticket_row
from tixmo.app import create_app
from tixmo.checkin import live
from tixmo.checkin.models import Scan
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.events.models import Event


async def test_stats_timeline_and_scanner_stats_match_the_scans(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, capacity=10, timezone="Asia/Kolkata")
    t1, t2, t3 = await tickets_for(client, session, context, shop, 3)
    gate_a, gate_b = await register(client, shop, "A"), await register(client, shop, "B")
    assert (await scan(client, gate_a, t1["barcode"]))["status"] == "VALID"
    assert (await scan(client, gate_a, t2["barcode"]))["status"] == "VALID"
    assert (await scan(client, gate_b, t1["barcode"]))["status"] == "DUPLICATE"
    assert (await scan(client, gate_b, t2["barcode"], "EXIT"))["status"] == "VALID"
    assert (await scan(client, gate_b, t3["barcode"], "EXIT"))["status"] == "NOT_INSIDE"
    assert (await scan(client, gate_b, "NOPE"))["status"] == "INVALID"
    cancelled = await client.post(f"/tickets/{t3['id']}/cancel", headers=shop.staff_headers)
    assert cancelled.status_code == 200

    stats = (await client.get(f"/events/{shop.event.id}/stats", headers=shop.staff_headers)).json()
    assert stats["capacity"] == 10
    assert (stats["ticketsSold"], stats["ticketsUsed"], stats["ticketsCancelled"]) == (2, 2, 1)
    assert (stats["entries"], stats["exits"], stats["occupancy"], stats["capacityUtilization"]) == (
        2,
        1,
        1,
        0.1,
    )
    assert stats["scans"] == {"total": 6, "valid": 3, "rejected": 3, "successRate": 0.5}
    assert stats["lastScanAt"] is not None

    # Move the scans to known hours: two in one local hour, the exit an hour later.
    base = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=5)
    await session.execute(update(Scan).values(scanned_at=base + timedelta(minutes=10)))
    await session.execute(
        update(Scan).where(Scan.direction == "EXIT").values(scanned_at=base + timedelta(minutes=70))
    )
    await session.commit()
    timeline = (await client.get(f"/events/{shop.event.id}/timeline", headers=shop.staff_headers)).json()
    assert timeline["timezone"] == "Asia/Kolkata"
    # Kolkata is UTC+5:30: local hours start at :30 UTC, so 10 past becomes the hour starting at 30 before.
    hours = [(h["entries"], h["exits"], h["occupancy"]) for h in timeline["data"]]
    assert hours == [(2, 0, 2), (0, 1, 1)]
    assert all(h["hour"].endswith("+05:30") and h["hour"][14:16] == "00" for h in timeline["data"])

    per = (await client.get(f"/events/{shop.event.id}/scanner-stats", headers=shop.staff_headers)).json()
    rows = {r["name"]: r for r in per["data"]}
    assert per["meta"]["total"] == 2
    assert (rows["A"]["scans"], rows["A"]["valid"], rows["A"]["rejected"], rows["A"]["online"]) == (
        2,
        2,
        0,
        True,
    )
    assert (rows["B"]["scans"], rows["B"]["valid"], rows["B"]["rejected"]) == (4, 1, 3)

    other = await make_shop(session, context, name="Other")
    for path in ("stats", "occupancy", "timeline", "scanner-stats"):
        answer = await client.get(f"/events/{shop.event.id}/{path}", headers=other.staff_headers)
        assert_problem(answer, 404, "NOT_FOUND")


async def test_an_online_entry_overtaken_offline_counts_once_and_the_check_in_time_moves_back(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    online, offline = await register(client, shop, "Online"), await register(client, shop, "Offline")
    answered = await scan(client, online, ticket["barcode"])
    assert answered["status"] == "VALID"
    at_the_gate = (await ticket_row(session, ticket["id"])).checked_in_at
    assert at_the_gate is not None
    earlier = utcnow().replace(microsecond=0) - timedelta(minutes=10)
    item = {
        "clientScanId": "o",
        "barcode": ticket["barcode"],
        "direction": "ENTRY",
        "scannedAt": iso(earlier),
    }
    assert (await upload(client, offline, [item]))["results"][0]["status"] == "VALID"

    stats = (await client.get(f"/events/{shop.event.id}/stats", headers=shop.staff_headers)).json()
    # One person, one admission: the flagged online answer is not a success.
    assert (stats["entries"], stats["occupancy"]) == (1, 1)
    assert stats["scans"] == {"total": 2, "valid": 1, "rejected": 1, "successRate": 0.5}
    per = (await client.get(f"/events/{shop.event.id}/scanner-stats", headers=shop.staff_headers)).json()
    assert {r["name"]: (r["scans"], r["valid"], r["rejected"]) for r in per["data"]} == {
        "Online": (1, 0, 1),
        "Offline": (1, 1, 0),
    }
    # The ticket was checked in when the person really came in, at the offline door.
    row = await ticket_row(session, ticket["id"])
    assert (row.status, row.checked_in_at) == ("USED", earlier)
    shown = await client.get(f"/tickets/{ticket['id']}", headers=shop.staff_headers)
    assert shown.json()["checkedInAt"] == iso(earlier)
    # A later offline entry changes nothing of it.
    later = {**item, "clientScanId": "o2", "scannedAt": iso(earlier + timedelta(minutes=1))}
    assert (await upload(client, offline, [later]))["results"][0]["status"] == "DUPLICATE"
    assert (await ticket_row(session, ticket["id"])).checked_in_at == earlier


# ------------------------------------------------------------------------------------------- live


@pytest.fixture
async def instance_a(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """A second app (its own pool and LISTEN connection) served over real HTTP by uvicorn."""
    application = create_app(make_settings(tmp_path, live_heartbeat_seconds=0.2), database_url=database_url)
    # A listening socket handed to uvicorn: connections wait in its backlog until the server runs.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(application, log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    yield f"http://127.0.0.1:{port}/api/v1"
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, 10)
    sock.close()


async def _events(lines: AsyncIterator[str]) -> AsyncIterator[dict[str, Any]]:
    current: dict[str, Any] = {}
    async for line in lines:
        if line == "":
            if current:
                yield current
            current = {}
        elif line.startswith(":"):
            yield {"heartbeat": True}
        else:
            key, _, value = line.partition(": ")
            current[key] = json.loads(value) if key == "data" else value


async def _next(stream: AsyncIterator[dict[str, Any]], kind: str) -> dict[str, Any]:
    async with asyncio.timeout(10):
        async for event in stream:
            if event.get("event") == kind:
                return event
    raise AssertionError(f"the stream ended before a {kind} event")


async def test_a_scan_through_one_instance_reaches_a_stream_on_another(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, instance_a: str
) -> None:
    shop = await make_shop(session, context)
    t1, t2 = await tickets_for(client, session, context, shop, 2)
    gate = await register(client, shop)
    issued = await client.post(f"/events/{shop.event.id}/live-ticket", headers=shop.staff_headers)
    assert issued.status_code == 201
    live_ticket = issued.json()["ticket"]
    async with httpx.AsyncClient(base_url=instance_a, timeout=20) as remote:
        url = f"/events/{shop.event.id}/live"
        async with remote.stream("GET", url, params={"ticket": live_ticket}) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            stream = _events(response.aiter_lines())
            hello = await _next(stream, "occupancy")
            assert hello["data"]["occupancy"] == 0
            assert await anext(stream) == {"heartbeat": True}
            # The scan goes through the other instance (the test's app, over ASGI).
            entered = await scan(client, gate, t1["barcode"])
            event = await _next(stream, "scan")
            assert event["id"] == str(entered["scanId"])
            assert event["data"]["scan"]["ticketId"] == t1["id"]
            assert event["data"]["scan"]["status"] == "VALID"
            assert event["data"]["occupancy"]["occupancy"] == 1
        # The live ticket was single-use.
        reused = await remote.get(url, params={"ticket": live_ticket})
        assert_problem(reused, 401, "UNAUTHORIZED")
        # Reconnect with Last-Event-ID: the scan made while away is replayed first.
        missed = await scan(client, gate, t2["barcode"])
        headers = {**shop.staff_headers, "Last-Event-ID": str(entered["scanId"])}
        async with remote.stream("GET", url, headers=headers) as response:
            stream = _events(response.aiter_lines())
            replayed = await _next(stream, "scan")
            assert replayed["id"] == str(missed["scanId"])
        stranger = await make_shop(session, context, name="Stranger")
        assert_problem(await remote.get(url, headers=stranger.staff_headers), 404, "NOT_FOUND")
        assert_problem(await remote.get(url), 401, "UNAUTHORIZED")


async def test_scans_of_an_event_not_published_are_invalid(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gate = await register(client, shop)
    await session.execute(update(Event).where(Event.id == shop.event.id).values(status="COMPLETED"))
    await session.commit()
    answer = await scan(client, gate, ticket["barcode"])
    assert (answer["status"], answer["ticket"]["status"]) == ("INVALID", "VALID")


async def test_a_reconnect_replays_every_missed_scan_page_by_page(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, instance_a: str
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gate = await register(client, shop)
    seen = await scan(client, gate, "NOPE")
    missed = 1050  # more than one replay page
    result = await upload(
        client,
        gate,
        [
            {
                "clientScanId": f"m-{n}",
                "barcode": f"NOPE{n}",
                "direction": "ENTRY",
                "scannedAt": iso(utcnow()),
            }
            for n in range(missed)
        ],
    )
    expected = [str(r["scanId"]) for r in result["results"]]
    assert missed > live.REPLAY_PAGE and len(expected) == missed
    headers = {**shop.staff_headers, "Last-Event-ID": str(seen["scanId"])}
    async with (
        httpx.AsyncClient(base_url=instance_a, timeout=20) as remote,
        remote.stream("GET", f"/events/{shop.event.id}/live", headers=headers) as response,
    ):
        stream = _events(response.aiter_lines())
        replayed = [(await _next(stream, "scan"))["id"] for _ in range(missed)]
        assert replayed == expected
        # Caught up: the stream goes on live, with nothing replayed twice.
        entered = await scan(client, gate, ticket["barcode"])
        assert (await _next(stream, "scan"))["id"] == str(entered["scanId"])


async def test_scans_rejudged_by_a_merge_are_announced_with_the_new_occupancy(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, instance_a: str
) -> None:
    shop = await make_shop(session, context)
    t1, t2 = await tickets_for(client, session, context, shop, 2)
    online, device_a, device_b = [await register(client, shop, name) for name in ("On", "A", "B")]
    now = utcnow()
    async with (
        httpx.AsyncClient(base_url=instance_a, timeout=20) as remote,
        remote.stream("GET", f"/events/{shop.event.id}/live", headers=shop.staff_headers) as response,
    ):
        stream = _events(response.aiter_lines())
        assert (await _next(stream, "occupancy"))["data"]["occupancy"] == 0
        answered = await scan(client, online, t1["barcode"])  # VALID at the gate, now
        assert (await _next(stream, "scan"))["data"]["scan"]["status"] == "VALID"
        first = await upload(
            client,
            device_a,
            [{"clientScanId": "a", "barcode": t2["barcode"], "direction": "ENTRY", "scannedAt": iso(now)}],
        )
        assert (await _next(stream, "scan"))["data"]["occupancy"]["occupancy"] == 2
        # B was offline and let both tickets in earlier: A's entry becomes a DUPLICATE, the online answer
        # keeps VALID but is flagged; still two people inside, each counted once.
        earlier = iso(now - timedelta(minutes=20))
        later = await upload(
            client,
            device_b,
            [
                {"clientScanId": "b1", "barcode": t1["barcode"], "direction": "ENTRY", "scannedAt": earlier},
                {"clientScanId": "b2", "barcode": t2["barcode"], "direction": "ENTRY", "scannedAt": earlier},
            ],
        )
        new = {str(r["scanId"]) for r in later["results"]}
        assert {(await _next(stream, "scan"))["id"] for _ in range(2)} == new
        updates = [await _next(stream, "scan-updated") for _ in range(2)]
    assert all("id" not in update for update in updates)  # no SSE id: Last-Event-ID stays on new scans
    changed = {u["data"]["scan"]["id"]: u["data"]["scan"] for u in updates}
    a_scan = first["results"][0]["scanId"]
    assert {k: (v["status"], v["conflict"]) for k, v in changed.items()} == {
        answered["scanId"]: ("VALID", True),
        a_scan: ("DUPLICATE", True),
    }
    occupancy = updates[-1]["data"]["occupancy"]
    assert (occupancy["occupancy"], occupancy["entries"], occupancy["exits"]) == (2, 2, 0)


@pytest.mark.parametrize(
    "value",
    [
        "١٢٣".encode(),  # Arabic-Indic digits (UTF-8; the server reads header bytes as Latin-1)
        b"\xb2",  # "²" in Latin-1: str.isdigit() says yes, int() says no
        b"\xb9\xb2\xb3",  # "¹²³"
        b"12a",
        b"-5",
        b"1.5",
        b"9223372036854775808",  # one past the largest scan id (bigint)
        b"9" * 40,
    ],
    ids=[
        "arabic-indic",
        "superscript-2",
        "superscripts",
        "letters",
        "negative",
        "decimal",
        "past-bigint",
        "40-nines",
    ],
)
async def test_a_last_event_id_that_is_not_a_scan_id_is_refused_naming_the_header(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, instance_a: str, value: bytes
) -> None:
    shop = await make_shop(session, context)
    headers: dict[str, Any] = {**shop.staff_headers, "Last-Event-ID": value}
    async with (
        httpx.AsyncClient(base_url=instance_a, timeout=20) as remote,
        remote.stream("GET", f"/events/{shop.event.id}/live", headers=headers) as response,
    ):
        assert response.status_code == 422  # before reading: a stream that started would never end
        await response.aread()
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert [error["field"] for error in body["errors"]] == ["Last-Event-ID"]


async def test_the_largest_scan_id_is_a_valid_last_event_id(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, instance_a: str
) -> None:
    shop = await make_shop(session, context)
    headers = {**shop.staff_headers, "Last-Event-ID": str(2**63 - 1)}
    async with (
        httpx.AsyncClient(base_url=instance_a, timeout=20) as remote,
        remote.stream("GET", f"/events/{shop.event.id}/live", headers=headers) as response,
    ):
        assert response.status_code == 200
        stream = _events(response.aiter_lines())
        assert (await _next(stream, "occupancy"))["data"]["occupancy"] == 0
        assert await anext(stream) == {"heartbeat": True}  # nothing replayed, no error

"""Check-in benchmark: many scanner clients at the doors of one event, races at one ticket, a big
offline upload, and the attendance figures read while the doors run.

    .venv/bin/python bench/checkin.py --workers 2
    .venv/bin/python bench/checkin.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/checkin.py --tickets 20000 --concurrency 32 --duplicate-ratio 0.1 --devices 32
    .venv/bin/python bench/checkin.py --json-only > result.json
    .venv/bin/python bench/checkin.py --workers 2 --batch off   # one statement per scan, as before

Phases (progress on stderr, one JSON object on stdout):

1. seed (COPY): a PUBLISHED event with ``--tickets`` VALID tickets for the doors, ``--race-tickets`` more
   for each race, and ``--stored-scans`` / 2 tickets that already came and left (an ENTRY and an EXIT
   each: the stored history the statistics read); ``--devices`` scanner devices (default: one per client,
   at least 5) with known API keys; a second, DRAFT event with ``--tickets`` tickets for the baseline;
2. start ``tixmo serve`` as a subprocess (flash_sale.py's helpers) and exchange each key for a token;
3. load-generator check: the same clients against a trivial path (a 404 problem, no database work), with
   the CPU each part used (load generator, API, PostgreSQL: ``flash_sale.cpu_usage``);
4. the doors: ``--concurrency`` clients POST ``/scanners/scan`` ENTRY for every ticket once, plus
   ``--duplicate-ratio`` repeated entries of tickets already scanned (each must answer DUPLICATE).
   ``wrong_accepts`` counts VALID answers that must not be (a second VALID entry of a ticket, or a
   VALID for a duplicate); it must be 0, and the database is audited the same way. Client ``i`` scans
   with device ``i % --devices``, as gates do. Meanwhile one more client reads ``/events/{id}/stats`` and
   ``/occupancy`` in turn (an ADMIN's token), and the trivial path in the same turn (what any request
   waits at that load), timed (``stats_under_load``). CPU per scan as in 3; the scans' batches
   (``scan_batches``, from ``/metrics``: ``checkin/batch.py``; ``--batch off``: one statement per scan).
   Then, the doors closed, ``--stats-alone`` reads of each, one at a time, timed, with the CPU per
   request of the API and PostgreSQL (``stats_alone``);
5. races (``--race-tickets`` each, 0 to skip): every ticket scanned ENTRY at the same moment by 2
   different devices online (``race_2``), by 5 (``race_5``), and by one device online while another
   uploads the same ticket's ENTRY offline (``online_vs_offline``, ``scannedAt`` the moment it is
   sent). Online races: exactly one VALID answer per ticket, the others DUPLICATE. Online against
   offline: the merge orders by time, so either the online scan wins and the offline one is a DUPLICATE,
   or the offline entry came first and the online VALID answer is flagged ``conflict``; exactly one VALID
   scan without ``conflict`` per ticket in the history. Anything else counts in ``wrong_accepts``;
6. offline: device 0 uploads one ``POST /scanners/sync`` of ``--offline`` EXIT scans (each a ticket now
   inside), timed, with the CPU it cost (``offline_batch.cpu_s``); every one must come back VALID
   (``offline_batch.expected_valid``: the tickets whose entry was answered VALID);
7. baseline (server stopped): the check-in's core statement straight at PostgreSQL, the conditional
   ``UPDATE tickets SET status = 'USED' WHERE id = $1 AND status = 'VALID'``, one asyncpg connection per
   client, each its own transaction, over the DRAFT event's tickets.

Exits 1 when ``wrong_accepts`` is not 0 (doors or races), a ticket was admitted twice, or the offline
batch's VALID count is not the expected one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flash_sale import (
    SECRET,
    asyncpg_params,
    batch_sizes,
    console,
    cpu_snapshot,
    cpu_usage,
    make_client,
    percentile,
    prepare_database,
    rate,
    start_server,
    stop_server,
    wait_ready,
)
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tixmo.db import libpq_conninfo
from tixmo.migrate import upgrade
from tixmo.security import create_access_token, hash_token
from tixmo.tickets.service import new_barcode


def api_key(device: int) -> str:
    return f"tmsk_bench-scanner-{device:05d}-0123456789abcdefghijklmnopqrstuv"


BASELINE_SQL = "UPDATE tickets SET status = 'USED' WHERE id = $1 AND status = 'VALID' RETURNING id"


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def seed(url: str, args: argparse.Namespace) -> dict[str, Any]:
    n, devices, race, stored = args.tickets, args.devices, args.race_tickets, args.stored_scans // 2
    now = datetime.now(UTC)
    starts = now - timedelta(hours=1)
    org, venue, user, admin = (uuid.uuid4() for _ in range(4))
    events = {"live": uuid.uuid4(), "baseline": uuid.uuid4()}
    tickets: dict[str, list[tuple[uuid.UUID, str]]] = {}
    scanner_ids = [uuid.uuid4() for _ in range(devices)]
    with psycopg.connect(libpq_conninfo(url)) as conn, conn.cursor() as cur, _progress() as progress:
        cur.execute(
            "INSERT INTO organizations (id, name, type, created_at, updated_at) VALUES (%s, 'Doors', "
            "'PROMOTER', %s, %s)",
            (org, now, now),
        )
        cur.execute(
            "INSERT INTO venues (id, organization_id, name, address_line1, city, postal_code, country, "
            "capacity, "
            "timezone) VALUES (%s, %s, 'Arena', 'Main St 1', 'Berlin', '10115', 'DE', %s, 'Europe/Berlin')",
            (venue, org, n),
        )
        cur.execute(
            "INSERT INTO users (id, email, password_hash, first_name, last_name, role, created_at, "
            "updated_at) VALUES (%s, 'holder@example.com', 'x', 'Holder', 'One', 'CUSTOMER', %s, %s), "
            "(%s, 'admin@example.com', 'x', 'Admin', 'One', 'ADMIN', %s, %s)",
            (user, now, now, admin, now, now),
        )
        for name, event_id in events.items():
            status = "PUBLISHED" if name == "live" else "DRAFT"
            cur.execute(
                "INSERT INTO events (id, organization_id, venue_id, name, category, starts_at, ends_at, "
                "timezone, "
                "currency, status, created_at, updated_at) VALUES (%s, %s, %s, %s, 'CONCERT', %s, %s, "
                "'Europe/Berlin', 'USD', %s, %s, %s)",
                (event_id, org, venue, name, starts, starts + timedelta(hours=6), status, now, now),
            )
            groups = {name: n}
            if name == "live":
                groups.update({"race_2": race, "race_5": race, "online_vs_offline": race, "stored": stored})
            total = sum(groups.values())
            type_id, order_id = uuid.uuid4(), uuid.uuid4()
            cur.execute(
                "INSERT INTO ticket_types (id, event_id, name, price_minor, currency, quantity_total, "
                "quantity_sold, "
                "created_at, updated_at) VALUES (%s, %s, 'GA', 0, 'USD', %s, %s, %s, %s)",
                (type_id, event_id, total, total, now, now),
            )
            cur.execute(
                "INSERT INTO orders (id, user_id, event_id, status, currency, subtotal_minor, "
                "discount_minor, "
                "total_minor, ticket_count, confirmed_at, created_at, updated_at) "
                "VALUES (%s, %s, %s, 'CONFIRMED', 'USD', 0, 0, 0, %s, %s, %s, %s)",
                (order_id, user, event_id, total, now, now, now),
            )
            columns = (
                "(id, order_id, event_id, ticket_type_id, owner_id, barcode, status, checked_in_at, "
                "created_at, updated_at)"
            )
            task = progress.add_task(f"seeding {name} tickets", total=total)
            done = 0
            with cur.copy(f"COPY tickets {columns} FROM STDIN") as copy:
                for group, count in groups.items():
                    rows = [(uuid.uuid4(), new_barcode()) for _ in range(count)]
                    tickets[group] = rows
                    used = group == "stored"
                    for ticket_id, barcode in rows:
                        copy.write_row(
                            (
                                ticket_id,
                                order_id,
                                event_id,
                                type_id,
                                user,
                                barcode,
                                "USED" if used else "VALID",
                                starts if used else None,
                                now,
                                now,
                            )
                        )
                        done += 1
                        if done % 1000 == 0 or done == total:
                            progress.update(task, completed=done)
        cur.executemany(
            "INSERT INTO scanners (id, organization_id, event_id, name, api_key_hash, api_key_prefix, "
            "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    scanner_ids[d],
                    org,
                    events["live"],
                    f"Gate {d}",
                    hash_token(api_key(d)),
                    api_key(d)[:12],
                    now,
                    now,
                )
                for d in range(devices)
            ],
        )
        if stored:
            # The stored history: each of these tickets came in and left (an ENTRY and an EXIT, VALID).
            task = progress.add_task("seeding stored scans", total=2 * stored)
            columns = (
                "(event_id, scanner_id, ticket_id, direction, status, source, message, scanned_at, "
                "received_at, conflict)"
            )
            with cur.copy(f"COPY scans {columns} FROM STDIN") as copy:
                for i, (ticket_id, _) in enumerate(tickets["stored"], start=1):
                    device = scanner_ids[i % devices]
                    at = starts + timedelta(milliseconds=i)
                    for direction, when in (("ENTRY", at), ("EXIT", at + timedelta(minutes=30))):
                        copy.write_row(
                            (
                                events["live"],
                                device,
                                ticket_id,
                                direction,
                                "VALID",
                                "ONLINE",
                                "stored",
                                when,
                                when,
                                False,
                            )
                        )
                    if i % 1000 == 0 or i == stored:
                        progress.update(task, completed=2 * i)
        conn.commit()
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {"events": events, "tickets": tickets, "admin": admin}


def _answer(status_code: int, raw: bytes) -> dict[str, Any]:
    if status_code != 200:
        return {"status": str(status_code)}
    body: dict[str, Any] = orjson.loads(raw)
    return body


async def doors(
    base_url: str,
    tokens: list[str],
    seeded: dict[str, Any],
    args: argparse.Namespace,
    url: str,
    server_pid: int,
) -> dict[str, Any]:
    live: list[tuple[uuid.UUID, str]] = seeded["tickets"]["live"]
    device_headers = [{"Authorization": f"Bearer {t}", "Content-Type": "application/json"} for t in tokens]
    headers = device_headers[0]
    admin_token, _ = create_access_token(SECRET, seeded["admin"], "ADMIN", timedelta(hours=2))
    admin_headers = {"Authorization": f"Bearer {admin_token}"}
    event_id = seeded["events"]["live"]
    client = make_client(args.client, base_url, args.concurrency + 8)
    trivial_lat: list[float] = []
    n_trivial = min(len(live), 5000)

    async def trivial(path: str, expected: int, n: int, latencies: list[float]) -> float:
        counter = itertools.count()

        async def one(_: int) -> None:
            while next(counter) < n:
                started = time.perf_counter()
                status, _body = await client.request("GET", path, headers, None)
                assert status == expected, status
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(args.concurrency)))
        return time.perf_counter() - started

    with console.status("warm-up (/health) and load-generator check"):
        await trivial("/health", 200, args.concurrency * 4, [])
        before = cpu_snapshot(url, server_pid)
        trivial_seconds = await trivial("/api/v1/__bench_trivial", 404, n_trivial, trivial_lat)
        trivial_cpu = cpu_usage(before, cpu_snapshot(url, server_pid))

    rng = random.Random(7)
    plan: list[tuple[int, bool]] = [(i, False) for i in range(len(live))]
    duplicates = int(len(live) * args.duplicate_ratio)
    # A duplicate comes later in the plan than its ticket's first entry (checked when it is answered).
    for _ in range(duplicates):
        plan.insert(rng.randrange(len(plan) // 2, len(plan) + 1), (rng.randrange(len(live) // 2), True))
    valid_by_ticket: dict[int, int] = {}
    latencies: list[float] = []
    answers: dict[str, int] = {}
    wrong = 0
    duplicates_rejected = 0
    first_done: set[int] = set()
    position = itertools.count()
    stats_lat: dict[str, list[float]] = {"stats": [], "occupancy": [], "trivial": []}
    scanning = True

    async def reader() -> None:
        """The organizer's dashboard: stats and occupancy in turn, as fast as they answer; and the trivial
        path in the same turn (what any request waits at this load: the queue, not the statement)."""
        paths = {
            "stats": (f"/api/v1/events/{event_id}/stats", 200),
            "occupancy": (f"/api/v1/events/{event_id}/occupancy", 200),
            "trivial": ("/api/v1/__bench_trivial", 404),
        }
        while scanning:
            for name, (path, expected) in paths.items():
                started = time.perf_counter()
                status_code, raw = await client.request("GET", path, admin_headers, None)
                assert status_code == expected, raw[:300]
                stats_lat[name].append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.05)  # a dashboard polls; it does not hammer (not a synchronisation)

    with _progress() as progress:
        task = progress.add_task("scanning", total=len(plan))

        async def gate(number: int) -> None:
            nonlocal wrong, duplicates_rejected
            headers = device_headers[number % len(device_headers)]
            while (i := next(position)) < len(plan):
                index, is_duplicate = plan[i]
                body = orjson.dumps({"barcode": live[index][1], "direction": "ENTRY"})
                started = time.perf_counter()
                status_code, raw = await client.request("POST", "/api/v1/scanners/scan", headers, body)
                latencies.append((time.perf_counter() - started) * 1000)
                status = _answer(status_code, raw)["status"]
                answers[status] = answers.get(status, 0) + 1
                if status == "VALID":
                    valid_by_ticket[index] = valid_by_ticket.get(index, 0) + 1
                    if valid_by_ticket[index] > 1 or (is_duplicate and index in first_done):
                        wrong += 1
                elif status == "DUPLICATE" and is_duplicate:
                    duplicates_rejected += 1
                if not is_duplicate:
                    first_done.add(index)
                progress.advance(task)

        async def gates() -> None:
            nonlocal scanning
            try:
                await asyncio.gather(*(gate(i) for i in range(args.concurrency)))
            finally:
                scanning = False

        before = cpu_snapshot(url, server_pid)
        started = time.perf_counter()
        await asyncio.gather(gates(), reader() if args.stats_reader else asyncio.sleep(0))
        seconds = time.perf_counter() - started
        scan_cpu = cpu_usage(before, cpu_snapshot(url, server_pid))
    _, exposition = await client.request("GET", "/metrics", {}, None)
    scan_batches = batch_sizes(exposition.decode(errors="replace"), "tixmo_scan_batch_size")

    # The same reads with the doors closed (nothing else from this bench running): their latency and the
    # CPU each costs the API and PostgreSQL (``/stats`` and ``/occupancy`` alternating, one at a time).
    alone_lat: dict[str, list[float]] = {"stats": [], "occupancy": []}
    alone_cpu: dict[str, float] = {}
    if args.stats_alone:
        paths = {
            "stats": f"/api/v1/events/{event_id}/stats",
            "occupancy": f"/api/v1/events/{event_id}/occupancy",
        }
        with console.status(f"reading /stats and /occupancy alone ({args.stats_alone} each)"):
            for path in paths.values():  # warm-up
                await client.request("GET", path, admin_headers, None)
            before = cpu_snapshot(url, server_pid)
            for _ in range(args.stats_alone):
                for name, path in paths.items():
                    started = time.perf_counter()
                    status_code, raw = await client.request("GET", path, admin_headers, None)
                    assert status_code == 200, raw[:300]
                    alone_lat[name].append((time.perf_counter() - started) * 1000)
            alone_cpu = cpu_usage(before, cpu_snapshot(url, server_pid))

    races = {
        "race_2": await race(client, device_headers, seeded["tickets"]["race_2"], 2, args),
        "race_5": await race(client, device_headers, seeded["tickets"]["race_5"], 5, args),
        "online_vs_offline": await online_vs_offline(
            client, device_headers, seeded["tickets"]["online_vs_offline"], args, url, event_id
        ),
    }

    offline = min(args.offline, len(live))
    batch = {
        "scans": [
            {
                "clientScanId": f"exit-{i}",
                "barcode": live[i][1],
                "direction": "EXIT",
                "scannedAt": datetime.now(UTC).isoformat(),
            }
            for i in range(offline)
        ]
    }
    body = orjson.dumps(batch)
    with console.status(f"uploading {offline} offline scans ({len(body) // 1024} KiB)"):
        before = cpu_snapshot(url, server_pid)
        started = time.perf_counter()
        status_code, raw = await client.request("POST", "/api/v1/scanners/sync", headers, body)
        upload_seconds = time.perf_counter() - started
        upload_cpu = cpu_usage(before, cpu_snapshot(url, server_pid))
    assert status_code == 200, raw[:500]
    counts = orjson.loads(raw)["counts"]
    # Each EXIT is of a ticket inside: every one whose entry was answered VALID must leave VALID.
    expected_valid = sum(1 for i in range(offline) if valid_by_ticket.get(i))
    await client.aclose()
    scans_per_s = rate(len(plan), seconds)
    trivial_rate = rate(n_trivial, trivial_seconds)
    return {
        "scans": len(plan),
        "seconds": round(seconds, 2),
        "scans_per_s": scans_per_s,
        "p50_ms": percentile(latencies, 0.5),
        "p90_ms": percentile(latencies, 0.9),
        "p99_ms": percentile(latencies, 0.99),
        "answers": answers,
        "duplicates_sent": duplicates,
        "duplicates_rejected": duplicates_rejected,
        "wrong_accepts": wrong,
        "cpu_ms_per_scan": _per_op(scan_cpu, len(plan)),
        "scan_batches": scan_batches,
        "load_generator": {
            "trivial_requests_per_s": trivial_rate,
            "trivial_p50_ms": percentile(trivial_lat, 0.5),
            "trivial_vs_scan_rate": round(trivial_rate / scans_per_s, 2) if scans_per_s else None,
            "cpu_ms_per_trivial_request": _per_op(trivial_cpu, n_trivial),
        },
        "stats_under_load": {
            name: {
                "requests": len(samples),
                "p50_ms": percentile(samples, 0.5),
                "p95_ms": percentile(samples, 0.95),
                "max_ms": percentile(samples, 1.0),
            }
            for name, samples in stats_lat.items()
        }
        | {"stored_scans": args.stored_scans},
        "stats_alone": {
            name: {
                "requests": len(samples),
                "p50_ms": percentile(samples, 0.5),
                "p95_ms": percentile(samples, 0.95),
                "max_ms": percentile(samples, 1.0),
            }
            for name, samples in alone_lat.items()
        }
        | {
            # Both endpoints together: CPU per request, averaged over the two.
            "cpu_ms_per_request": _per_op(alone_cpu, 2 * args.stats_alone) if alone_cpu else None,
            "cpu": alone_cpu,
        },
        "races": races,
        "offline_batch": {
            "scans": offline,
            "seconds": round(upload_seconds, 2),
            "counts": counts,
            "expected_valid": expected_valid,
            "cpu_s": {name: upload_cpu[f"{name}_s"] for name in ("server", "postgres", "other")},
        },
        "devices": len(tokens),
        "cpu": {"trivial": trivial_cpu, "scans": scan_cpu},
    }


def _per_op(cpu: dict[str, float], ops: int) -> dict[str, float] | None:
    if not ops:
        return None
    return {name: round(1000 * cpu[f"{name}_s"] / ops, 3) for name in ("loadgen", "server", "postgres")}


async def race(
    client: Any, device_headers: list[dict[str, str]], rows: list[tuple[uuid.UUID, str]], k: int, args: Any
) -> dict[str, Any]:
    """Each ticket scanned ENTRY by ``k`` different devices at once: exactly one VALID, k - 1 DUPLICATE."""
    position = itertools.count()
    answers: dict[str, int] = {}
    latencies: list[float] = []
    wrong = 0  # a second VALID, or no VALID at all, or anything but DUPLICATE for the others
    lanes = max(1, args.concurrency // k)

    with _progress() as progress:
        task = progress.add_task(f"race: {k} devices per ticket", total=len(rows))

        async def one(headers: dict[str, str], barcode: str) -> str:
            body = orjson.dumps({"barcode": barcode, "direction": "ENTRY"})
            started = time.perf_counter()
            status_code, raw = await client.request("POST", "/api/v1/scanners/scan", headers, body)
            latencies.append((time.perf_counter() - started) * 1000)
            return str(_answer(status_code, raw)["status"])

        async def lane(number: int) -> None:
            nonlocal wrong
            while (i := next(position)) < len(rows):
                devices = [device_headers[(number * k + j) % len(device_headers)] for j in range(k)]
                got = await asyncio.gather(*(one(headers, rows[i][1]) for headers in devices))
                for status in got:
                    answers[status] = answers.get(status, 0) + 1
                if got.count("VALID") != 1 or got.count("DUPLICATE") != k - 1:
                    wrong += 1
                progress.advance(task)

        started = time.perf_counter()
        await asyncio.gather(*(lane(n) for n in range(lanes)))
        seconds = time.perf_counter() - started
    return {
        "tickets": len(rows),
        "devices_per_ticket": k,
        "answers": answers,
        "wrong_accepts": wrong,
        "scans_per_s": rate(len(rows) * k, seconds),
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
    }


async def online_vs_offline(
    client: Any,
    device_headers: list[dict[str, str]],
    rows: list[tuple[uuid.UUID, str]],
    args: Any,
    url: str,
    event_id: uuid.UUID,
) -> dict[str, Any]:
    """Each ticket scanned ENTRY online by one device while another uploads its ENTRY offline."""
    position = itertools.count()
    lanes = max(1, args.concurrency // 2)
    online_answers: dict[str, int] = {}
    offline_answers: dict[str, int] = {}

    with _progress() as progress:
        task = progress.add_task("race: online against offline", total=len(rows))

        async def lane(number: int) -> None:
            online = device_headers[(2 * number) % len(device_headers)]
            offline = device_headers[(2 * number + 1) % len(device_headers)]
            while (i := next(position)) < len(rows):
                barcode = rows[i][1]
                scan = orjson.dumps({"barcode": barcode, "direction": "ENTRY"})
                upload = orjson.dumps(
                    {
                        "scans": [
                            {
                                "clientScanId": f"race-{i}",
                                "barcode": barcode,
                                "direction": "ENTRY",
                                "scannedAt": datetime.now(UTC).isoformat(),
                            }
                        ]
                    }
                )
                (s1, r1), (s2, r2) = await asyncio.gather(
                    client.request("POST", "/api/v1/scanners/scan", online, scan),
                    client.request("POST", "/api/v1/scanners/sync", offline, upload),
                )
                status = str(_answer(s1, r1)["status"])
                online_answers[status] = online_answers.get(status, 0) + 1
                merged = _answer(s2, r2)
                status = str(merged["results"][0]["status"]) if "results" in merged else merged["status"]
                offline_answers[status] = offline_answers.get(status, 0) + 1
                progress.advance(task)

        await asyncio.gather(*(lane(n) for n in range(lanes)))
    # The verdict is the merged history's: exactly one VALID entry without conflict per ticket.
    with psycopg.connect(libpq_conninfo(url)) as conn:
        found = conn.execute(
            "SELECT count(*) FILTER (WHERE n <> 1), count(*) FILTER (WHERE flagged > 0), "
            "count(*) FILTER (WHERE n = 1) FROM ("
            "  SELECT t.id, count(s.id) FILTER (WHERE s.status = 'VALID' AND NOT s.conflict) AS n,"
            "         count(s.id) FILTER (WHERE s.status = 'VALID' AND s.conflict) AS flagged"
            "  FROM tickets t LEFT JOIN scans s ON s.ticket_id = t.id AND s.direction = 'ENTRY'"
            "  WHERE t.id = ANY(%s) GROUP BY t.id) AS per_ticket",
            ([ticket_id for ticket_id, _ in rows],),
        ).fetchone()
    assert found is not None
    return {
        "tickets": len(rows),
        "online_answers": online_answers,
        "offline_answers": offline_answers,
        "admitted_once": int(found[2]),
        "online_valid_overtaken_by_offline": int(found[1]),
        "wrong_accepts": int(found[0]),
    }


async def baseline(url: str, rows: list[tuple[uuid.UUID, str]], concurrency: int) -> dict[str, Any]:
    params = asyncpg_params(url)
    position = itertools.count()
    latencies: list[float] = []

    async def worker(_: int) -> None:
        conn = await asyncpg.connect(**params)
        try:
            while (i := next(position)) < len(rows):
                started = time.perf_counter()
                await conn.fetchval(BASELINE_SQL, rows[i][0])
                latencies.append((time.perf_counter() - started) * 1000)
        finally:
            await conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    seconds = time.perf_counter() - started
    return {
        "updates_per_s": rate(len(rows), seconds),
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
    }


def audit(url: str, event_id: uuid.UUID) -> dict[str, int]:
    with psycopg.connect(libpq_conninfo(url)) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM (SELECT ticket_id FROM scans "
            "WHERE event_id = %s AND status = 'VALID' AND direction = 'ENTRY' AND NOT conflict "
            "GROUP BY ticket_id HAVING count(*) > 1) AS d), "
            "(SELECT count(*) FROM tickets WHERE event_id = %s AND status = 'USED')",
            (event_id, event_id),
        ).fetchone()
    assert row is not None
    return {"tickets_admitted_twice": int(row[0]), "tickets_used": int(row[1])}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--devices", type=int, help="scanner devices (default: one per client, at least 5)")
    parser.add_argument("--duplicate-ratio", type=float, default=0.1)
    parser.add_argument("--offline", type=int, default=10_000)
    parser.add_argument("--race-tickets", type=int, default=1_000, help="tickets per race (0: no races)")
    parser.add_argument("--stored-scans", type=int, default=200_000, help="scan history stored before")
    parser.add_argument(
        "--no-stats-reader", dest="stats_reader", action="store_false", help="no stats reads while scanning"
    )
    parser.add_argument(
        "--stats-alone", type=int, default=300, help="/stats and /occupancy reads after the doors (0: none)"
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--batch", choices=["on", "off"], default="on", help="scans batched per event (TIXMO_SCAN_BATCH)"
    )
    parser.add_argument("--json-only", action="store_true", help="no progress output on stderr")
    parser.add_argument(
        "--client", choices=["httpx", "aiohttp"], default="aiohttp" if "aiohttp" in sys.modules else "httpx"
    )
    args = parser.parse_args()
    console.quiet = args.json_only
    if args.devices is None:
        args.devices = max(args.concurrency, 5)
    if args.devices < 5 and args.race_tickets:
        parser.error("--devices must be at least 5 for the races (or --race-tickets 0)")
    if args.devices < 1:
        parser.error("--devices must be at least 1")
    with contextlib.redirect_stdout(sys.stderr):  # its log lines: stdout holds only the JSON
        url, drop = prepare_database(args.database_url)
    try:
        with console.status("migrating"):
            upgrade(url)
        seeded = seed(url, args)
        data_dir = Path(tempfile.mkdtemp(prefix="tixmo-bench-checkin-"))
        os.environ["TIXMO_SCAN_BATCH"] = "true" if args.batch == "on" else "false"
        server = start_server(
            url, args.workers, pool_size=args.concurrency, max_overflow=10, data_dir=data_dir
        )
        try:
            wait_ready(server)
            import httpx

            tokens = []
            for device in range(args.devices):
                authed = httpx.post(
                    f"{server.base_url}/api/v1/scanners/auth", json={"apiKey": api_key(device)}
                )
                assert authed.status_code == 200, authed.text
                tokens.append(authed.json()["token"])
            result = asyncio.run(doors(server.base_url, tokens, seeded, args, url, server.process.pid))
        finally:
            stop_server(server)
        result["audit"] = audit(url, seeded["events"]["live"])
        with console.status("baseline: raw conditional UPDATE"):
            result["baseline_raw_update"] = asyncio.run(
                baseline(url, seeded["tickets"]["baseline"], args.concurrency)
            )
        base = result["baseline_raw_update"]["updates_per_s"]
        result["scan_vs_raw_update"] = round(result["scans_per_s"] / base, 3) if base else None
        result["config"] = {k: v for k, v in vars(args).items() if k != "database_url"}
    finally:
        drop()
    print(json.dumps(result, indent=2, default=str))
    failed = False
    offline = result["offline_batch"]
    if offline["counts"].get("VALID", 0) != offline["expected_valid"]:
        console.print(
            f"[red]offline batch: {offline['counts']} but {offline['expected_valid']} expected VALID"
        )
        failed = True
    races = result["races"]
    if result["wrong_accepts"] or result["audit"]["tickets_admitted_twice"]:
        failed = True
    if any(r["wrong_accepts"] for r in races.values()):
        console.print(f"[red]races: {races}")
        failed = True
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Check-in benchmark: many scanner clients at the doors of one event, then a big offline upload.

    .venv/bin/python bench/checkin.py
    .venv/bin/python bench/checkin.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/checkin.py --tickets 20000 --concurrency 32 --duplicate-ratio 0.1 --devices 32

Phases (progress on stderr, one JSON object on stdout):

1. seed (COPY): a PUBLISHED event with ``--tickets`` VALID tickets (one confirmed order), ``--devices``
   scanner devices (default: one per client) with known API keys; a second, DRAFT event with as many
   tickets for the baseline;
2. start ``tixmo serve`` as a subprocess (flash_sale.py's helpers) and exchange each key for a token;
3. load-generator check: the same clients against a trivial path (a 404 problem, no database work);
4. the doors: ``--concurrency`` clients POST ``/scanners/scan`` ENTRY for every ticket once, plus
   ``--duplicate-ratio`` repeated entries of tickets already scanned (each must answer DUPLICATE).
   ``wrong_accepts`` counts VALID answers that must not be (a second VALID entry of a ticket, or a
   VALID for a duplicate); it must be 0, and the database is audited the same way. Client ``i`` scans
   with device ``i % --devices``, as gates do;
5. offline: device 0 uploads one ``POST /scanners/sync`` of ``--offline`` EXIT scans (each a ticket now
   inside), timed; every one must come back VALID (``offline_batch.expected_valid``: the tickets whose
   entry was answered VALID);
6. baseline (server stopped): the check-in's core statement straight at PostgreSQL, the conditional
   ``UPDATE tickets SET status = 'USED' WHERE id = $1 AND status = 'VALID'``, one asyncpg connection per
   client, each its own transaction, over the DRAFT event's tickets.

Exits 1 when ``wrong_accepts`` is not 0, a ticket was admitted twice, or the offline batch's VALID count
is not the expected one.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
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
    asyncpg_params,
    console,
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
from tixmo.security import hash_token
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


def seed(url: str, n: int, devices: int) -> dict[str, Any]:
    now = datetime.now(UTC)
    starts = now - timedelta(hours=1)
    org, venue, user = (uuid.uuid4() for _ in range(3))
    events = {"live": uuid.uuid4(), "baseline": uuid.uuid4()}
    tickets: dict[str, list[tuple[uuid.UUID, str]]] = {}
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
            "updated_at) "
            "VALUES (%s, 'holder@example.com', 'x', 'Holder', 'One', 'CUSTOMER', %s, %s)",
            (user, now, now),
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
            type_id, order_id = uuid.uuid4(), uuid.uuid4()
            cur.execute(
                "INSERT INTO ticket_types (id, event_id, name, price_minor, currency, quantity_total, "
                "quantity_sold, "
                "created_at, updated_at) VALUES (%s, %s, 'GA', 0, 'USD', %s, %s, %s, %s)",
                (type_id, event_id, n, n, now, now),
            )
            cur.execute(
                "INSERT INTO orders (id, user_id, event_id, status, currency, subtotal_minor, "
                "discount_minor, "
                "total_minor, ticket_count, confirmed_at, created_at, updated_at) "
                "VALUES (%s, %s, %s, 'CONFIRMED', 'USD', 0, 0, 0, %s, %s, %s, %s)",
                (order_id, user, event_id, n, now, now, now),
            )
            rows = [(uuid.uuid4(), new_barcode()) for _ in range(n)]
            tickets[name] = rows
            task = progress.add_task(f"seeding {name} tickets", total=n)
            columns = (
                "(id, order_id, event_id, ticket_type_id, owner_id, barcode, status, created_at, updated_at)"
            )
            with cur.copy(f"COPY tickets {columns} FROM STDIN") as copy:
                for i, (ticket_id, barcode) in enumerate(rows, start=1):
                    copy.write_row((ticket_id, order_id, event_id, type_id, user, barcode, "VALID", now, now))
                    if i % 1000 == 0 or i == n:
                        progress.update(task, completed=i)
        cur.executemany(
            "INSERT INTO scanners (id, organization_id, event_id, name, api_key_hash, api_key_prefix, "
            "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    uuid.uuid4(),
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
        conn.commit()
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {"events": events, "tickets": tickets}


async def doors(
    base_url: str, tokens: list[str], live: list[tuple[uuid.UUID, str]], args: argparse.Namespace
) -> dict[str, Any]:
    device_headers = [{"Authorization": f"Bearer {t}", "Content-Type": "application/json"} for t in tokens]
    headers = device_headers[0]
    client = make_client(args.client, base_url, args.concurrency)
    trivial_lat: list[float] = []
    counter = itertools.count()
    n_trivial = min(len(live), 5000)

    async def trivial(_: int) -> None:
        while next(counter) < n_trivial:
            started = time.perf_counter()
            status, _body = await client.request("GET", "/api/v1/__bench_trivial", headers, None)
            assert status == 404
            trivial_lat.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(trivial(i) for i in range(args.concurrency)))
    trivial_seconds = time.perf_counter() - started

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
                status = (
                    orjson.loads(raw).get("status", str(status_code))
                    if status_code == 200
                    else str(status_code)
                )
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

        started = time.perf_counter()
        await asyncio.gather(*(gate(i) for i in range(args.concurrency)))
        seconds = time.perf_counter() - started

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
        started = time.perf_counter()
        status_code, raw = await client.request("POST", "/api/v1/scanners/sync", headers, body)
        upload_seconds = time.perf_counter() - started
    assert status_code == 200, raw[:500]
    counts = orjson.loads(raw)["counts"]
    # Each EXIT is of a ticket inside: every one whose entry was answered VALID must leave VALID.
    expected_valid = sum(1 for i in range(offline) if valid_by_ticket.get(i))
    await client.aclose()
    return {
        "scans": len(plan),
        "seconds": round(seconds, 2),
        "scans_per_s": rate(len(plan), seconds),
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
        "answers": answers,
        "duplicates_sent": duplicates,
        "duplicates_rejected": duplicates_rejected,
        "wrong_accepts": wrong,
        "load_generator": {
            "trivial_requests_per_s": rate(n_trivial, trivial_seconds),
            "trivial_p50_ms": percentile(trivial_lat, 0.5),
        },
        "offline_batch": {
            "scans": offline,
            "seconds": round(upload_seconds, 2),
            "counts": counts,
            "expected_valid": expected_valid,
        },
        "devices": len(tokens),
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
    parser.add_argument("--devices", type=int, help="scanner devices (default: one per client)")
    parser.add_argument("--duplicate-ratio", type=float, default=0.1)
    parser.add_argument("--offline", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--client", choices=["httpx", "aiohttp"], default="aiohttp" if "aiohttp" in sys.modules else "httpx"
    )
    args = parser.parse_args()
    if args.devices is None:
        args.devices = args.concurrency
    if args.devices < 1:
        parser.error("--devices must be at least 1")
    url, drop = prepare_database(args.database_url)
    try:
        with console.status("migrating"):
            upgrade(url)
        seeded = seed(url, args.tickets, args.devices)
        data_dir = Path(tempfile.mkdtemp(prefix="tixmo-bench-checkin-"))
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
            result = asyncio.run(doors(server.base_url, tokens, seeded["tickets"]["live"], args))
        finally:
            stop_server(server)
        result["audit"] = audit(url, seeded["events"]["live"])
        with console.status("baseline: raw conditional UPDATE"):
            result["baseline_raw_update"] = asyncio.run(
                baseline(url, seeded["tickets"]["baseline"], args.concurrency)
            )
        result["config"] = {k: v for k, v in vars(args).items() if k != "database_url"}
    finally:
        drop()
    print(json.dumps(result, indent=2))
    offline = result["offline_batch"]
    if offline["counts"].get("VALID", 0) != offline["expected_valid"]:
        console.print(
            f"[red]offline batch: {offline['counts']} but {offline['expected_valid']} expected VALID"
        )
        sys.exit(1)
    if result["wrong_accepts"] or result["audit"]["tickets_admitted_twice"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

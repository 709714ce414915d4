"""Waiting-room benchmark: a flood of joins before the opening, then everyone polling their place.

    .venv/bin/python bench/waiting_room.py
    .venv/bin/python bench/waiting_room.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/waiting_room.py --people 2000 --polls 4000 --concurrency 32 --workers 1

Without ``--database-url`` it starts its own PostgreSQL (pgserver) in a temporary directory; with one, it
creates a throw-away database on that server (flash_sale.py's helpers) and drops it at the end.

1. seed (COPY): a PUBLISHED event with ``--tickets`` tickets and ``--people`` buyers with a token each;
   the event's waiting room opens in an hour and admits ``--admit-per-minute``;
2. start ``tixmo serve --workers N`` (rate limits off: this measures the room, not the limiter);
3. load-generator check: the same client code against a trivial path of the same server (a 404 problem,
   no database work), as many requests as the polls will be;
4. joins: every buyer ``POST /events/{id}/queue`` once, ``--concurrency`` at a time (early arrivals: the
   random-key path under the room's share lock);
5. the room opens (its ``opens_at`` moved to now); polls: ``--polls`` ``GET /events/{id}/queue/{token}``
   round the buyers (plain GETs: the 304 answers to ``If-None-Match`` would only be cheaper); the first
   poll draws the 20,000 positions;
6. audit: one entry per buyer, positions a permutation of 0..n-1, passes issued within the rate.

Prints one JSON object on stdout; exits 1 when the audit fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flash_sale import (
    HttpClient,
    PhaseResult,
    Seeded,
    _latency,
    _phase_progress,
    console,
    make_client,
    prepare_database,
    rate,
    run_async,
    run_clients,
    seed,
    start_server,
    stop_server,
    trivial_phase,
    wait_ready,
)

from tixmo.config import LogFormat
from tixmo.db import libpq_conninfo
from tixmo.logging import configure_logging
from tixmo.migrate import upgrade

try:
    import aiohttp
except ImportError:  # pragma: no cover - depends on the environment
    aiohttp = None  # type: ignore[assignment]


def open_room(url: str, event_id: uuid.UUID, admit_per_minute: int, opens_in: timedelta) -> None:
    now = datetime.now(UTC)
    with psycopg.connect(libpq_conninfo(url)) as conn:
        conn.execute(
            "INSERT INTO waiting_rooms (event_id, enabled, opens_at, admit_per_minute, pass_minutes) "
            "VALUES (%s, true, %s, %s, 10)",
            (event_id, now + opens_in, admit_per_minute),
        )


def move_opening_to_now(url: str, event_id: uuid.UUID) -> None:
    with psycopg.connect(libpq_conninfo(url)) as conn:
        conn.execute("UPDATE waiting_rooms SET opens_at = now() WHERE event_id = %s", (event_id,))


async def join_phase(
    client: HttpClient, seeded: Seeded, concurrency: int, progress: Any, task: Any
) -> tuple[PhaseResult, list[str | None]]:
    result = PhaseResult()
    tokens: list[str | None] = [None] * len(seeded.tokens)
    counter = itertools.count()
    path = f"/api/v1/events/{seeded.event_id}/queue"

    async def loop(_: int) -> None:
        while (i := next(counter)) < len(seeded.tokens):
            headers = {"Authorization": f"Bearer {seeded.tokens[i]}"}
            started = time.perf_counter()
            try:
                status, body = await client.request("POST", path, headers, None)
            except Exception as exc:
                result.errors[type(exc).__name__] += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            result.all_latencies_ms.append(elapsed)
            if status == 201:
                result.ok += 1
                result.ok_latencies_ms.append(elapsed)
                tokens[i] = orjson.loads(body)["token"]
            else:
                result.errors[str(status)] += 1
                result.first_error = result.first_error or body[:300].decode(errors="replace")
            progress.advance(task)

    result.seconds = await run_clients(concurrency, loop)
    return result, tokens


async def poll_phase(
    client: HttpClient,
    seeded: Seeded,
    tokens: list[str],
    concurrency: int,
    total: int,
    progress: Any,
    task: Any,
) -> tuple[PhaseResult, dict[str, int]]:
    result = PhaseResult()
    counter = itertools.count()
    statuses: dict[str, int] = {}
    base = f"/api/v1/events/{seeded.event_id}/queue/"

    async def loop(_: int) -> None:
        while (i := next(counter)) < total:
            token = tokens[i % len(tokens)]
            headers: dict[str, str] = {}
            started = time.perf_counter()
            try:
                status, body = await client.request("GET", base + token, headers, None)
            except Exception as exc:
                result.errors[type(exc).__name__] += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            result.all_latencies_ms.append(elapsed)
            if status == 200:
                result.ok += 1
                result.ok_latencies_ms.append(elapsed)
                state = orjson.loads(body)["status"]
                statuses[state] = statuses.get(state, 0) + 1
            else:
                result.errors[str(status)] += 1
                result.first_error = result.first_error or body[:300].decode(errors="replace")
            progress.advance(task)

    result.seconds = await run_clients(concurrency, loop)
    return result, statuses


async def http_phases(args: argparse.Namespace, url: str, base_url: str, seeded: Seeded) -> dict[str, Any]:
    client = make_client(args.client, base_url, args.concurrency)
    try:
        with _phase_progress() as progress:
            task = progress.add_task("load generator (trivial)", total=args.polls, note="")
            trivial = await trivial_phase(client, seeded.tokens, args.concurrency, args.polls, progress, task)
            task = progress.add_task("joins (before opening)", total=len(seeded.tokens), note="")
            joins, maybe_tokens = await join_phase(client, seeded, args.concurrency, progress, task)
            tokens = [t for t in maybe_tokens if t is not None]
            move_opening_to_now(url, seeded.event_id)
            task = progress.add_task("polls (after opening)", total=args.polls, note="")
            polls, statuses = await poll_phase(
                client, seeded, tokens, args.concurrency, args.polls, progress, task
            )
    finally:
        await client.aclose()
    return {"trivial": trivial, "joins": joins, "polls": polls, "statuses": statuses}


def audit(
    url: str, event_id: uuid.UUID, people: int, admit_per_minute: int, poll_seconds: float
) -> dict[str, Any]:
    with psycopg.connect(libpq_conninfo(url)) as conn:
        row = conn.execute(
            "SELECT count(*), count(DISTINCT position), min(position), max(position), "
            "count(*) FILTER (WHERE pass_issued_at IS NOT NULL) FROM queue_entries WHERE event_id = %s",
            (event_id,),
        ).fetchone()
        assert row is not None
        admitted = conn.execute(
            "SELECT admitted FROM waiting_rooms WHERE event_id = %s", (event_id,)
        ).fetchone()
    entries, distinct, low, high, passes = row
    # The watermark may run one advance (1 s) ahead of the polls' end.
    allowed = admit_per_minute * (poll_seconds + 2) / 60
    return {
        "entries": entries,
        "positions_are_a_permutation": entries == people == distinct and low == 0 and high == people - 1,
        "passes_issued": passes,
        "watermark": round(float(admitted[0]), 1) if admitted else None,
        "admission_within_rate": passes <= allowed,
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="a PostgreSQL server to create a throw-away database on")
    parser.add_argument("--people", type=int, default=20000, help="buyers who join (default 20000)")
    parser.add_argument("--tickets", type=int, default=2000, help="tickets on sale (default 2000)")
    parser.add_argument("--polls", type=int, default=40000, help="status polls (default 40000)")
    parser.add_argument("--admit-per-minute", type=int, default=600, help="admission rate (default 600)")
    parser.add_argument("--concurrency", type=int, default=64, help="concurrent clients (default 64)")
    parser.add_argument("--workers", type=int, default=2, help="API worker processes (default 2)")
    parser.add_argument(
        "--client",
        choices=["aiohttp", "httpx"],
        default="aiohttp" if aiohttp is not None else "httpx",
        help="HTTP load generator (default aiohttp when installed, else httpx)",
    )
    parser.add_argument("--json-only", action="store_true", help="no progress output on stderr")
    args = parser.parse_args()
    for name in ("people", "tickets", "polls", "concurrency", "workers", "admit_per_minute"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def main() -> None:
    args = parse_args()
    console.quiet = args.json_only
    configure_logging(LogFormat.CONSOLE, "WARNING")
    url, cleanup = prepare_database(args.database_url)
    data_dir = Path(tempfile.mkdtemp(prefix="tixmo-bench-room-"))
    failed = True
    try:
        upgrade(url)
        seeded = seed(url, args.tickets, args.people)
        open_room(url, seeded.event_id, args.admit_per_minute, timedelta(hours=1))
        pool = max(2, args.concurrency // args.workers)
        server = start_server(url, args.workers, pool, 0, data_dir)
        try:
            wait_ready(server)
            phases = run_async(http_phases(args, url, server.base_url, seeded))
        finally:
            stop_server(server)
        trivial, joins, polls = phases["trivial"], phases["joins"], phases["polls"]
        checks = audit(url, seeded.event_id, args.people, args.admit_per_minute, polls.seconds)
        trivial_rps = rate(trivial.ok, trivial.seconds)
        joins_per_s = rate(joins.ok, joins.seconds)
        polls_per_s = rate(polls.ok, polls.seconds)
        failed = not (checks["positions_are_a_permutation"] and checks["admission_within_rate"])
        failed = failed or bool(joins.errors) or bool(polls.errors)
        report = {
            "people": args.people,
            "workers": args.workers,
            "concurrency": args.concurrency,
            "client": args.client,
            "trivial_rps": trivial_rps,
            **_latency("trivial_", trivial.ok_latencies_ms),
            "joins_per_s": joins_per_s,
            **_latency("join_", joins.ok_latencies_ms),
            "join_errors": dict(joins.errors),
            "first_join_error": joins.first_error,
            "polls_per_s": polls_per_s,
            **_latency("poll_", polls.ok_latencies_ms),
            "poll_errors": dict(polls.errors),
            "poll_answers": phases["statuses"],
            "joins_vs_trivial": round(joins_per_s / trivial_rps, 3) if trivial_rps else None,
            "polls_vs_trivial": round(polls_per_s / trivial_rps, 3) if trivial_rps else None,
            **checks,
            "ok": not failed,
        }
        print(json.dumps(report, indent=2))
    finally:
        cleanup()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""Soak: a mixed workload (browse 70 %, order 20 %, scan 10 %) against ``tixmo serve`` for a bounded time.

    .venv/bin/python bench/soak.py                      # 60 s, 16 concurrent clients, 2 API workers
    .venv/bin/python bench/soak.py --seconds 600 --clients 32

Starts ``tixmo serve`` (embedded PostgreSQL in a temporary data dir, demo data, in-process job worker) and
drives it with httpx. Prints one JSON object: per kind of request the count, errors, p50/p99 (ms); overall
throughput; a ``GET /health`` baseline timed in the same run (before and after the load); and the RSS of
every process of the server (the supervisor and its API workers; the embedded PostgreSQL runs detached and
is not counted) at the start and the end of the load, so a leak shows as growth between the two. Orders are
placed and cancelled again (their holds go back), so a long soak never sells out.

    .venv/bin/python bench/soak.py --seconds 120 --cut-every 10   # every 10 s, every DB connection cut

``--cut-every`` ends every connection to the database (``pg_terminate_backend``: the API's pools and the
job worker's) at that interval during the load. The answers that could not be served count as ``unavailable``
(503 with ``Retry-After``), apart from other 5xx (``server_errors``, which should stay 0); after the load the
same server is asked again (``recovered``: every kind of request answered normally) and its process ids are
compared with those at the start (``restarted_processes``: API workers the supervisor had to replace).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from tixmo.db import libpq_conninfo, start_embedded_postgres, stop_embedded_postgres

MIX = (("browse", 0.7), ("order", 0.2), ("scan", 0.1))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss(root: psutil.Process) -> dict[str, int]:
    """RSS in KiB of the server and all its descendants, keyed by ``pid:name``."""
    out: dict[str, int] = {}
    for proc in [root, *root.children(recursive=True)]:
        try:
            out[f"{proc.pid}:{proc.name()}"] = proc.memory_info().rss // 1024
        except psutil.NoSuchProcess:
            continue
    return out


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


async def _login(http: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    answer = await http.post("/api/v1/auth/login", json={"email": email, "password": password})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['accessToken']}"}


async def _setup(http: httpx.AsyncClient) -> dict[str, Any]:
    staff = await _login(http, "promoter@demo.tixmo.dev", "DemoPromoter1")
    events = (await http.get("/api/v1/events", params={"limit": 100})).json()["data"]
    on_sale: list[tuple[str, str]] = []
    for event in events:
        types = (await http.get(f"/api/v1/events/{event['id']}/ticket-types")).json()["data"]
        on_sale += [(event["id"], t["id"]) for t in types if t.get("quantityTotal", 0) >= 50]
    if not on_sale:
        raise SystemExit("the demo data has no ticket type to order from")
    made = await http.post(
        "/api/v1/scanners/register", json={"eventId": on_sale[0][0], "name": "Soak gate"}, headers=staff
    )
    made.raise_for_status()
    token = (await http.post("/api/v1/scanners/auth", json={"apiKey": made.json()["apiKey"]})).json()["token"]
    buyers = []
    for _ in range(8):
        email = f"soak-{uuid.uuid4().hex[:10]}@example.com"
        body = {"email": email, "password": "Soak-Passw0rd", "firstName": "S", "lastName": "K"}
        registered = await http.post("/api/v1/auth/register", json=body)
        registered.raise_for_status()
        buyers.append({"Authorization": f"Bearer {registered.json()['accessToken']}"})
    return {
        "events": [e["id"] for e in events],
        "on_sale": on_sale,
        "scanner": {"Authorization": f"Bearer {token}"},
        "buyers": buyers,
    }


async def _one(http: httpx.AsyncClient, kind: str, world: dict[str, Any]) -> tuple[bool, int]:
    """Whether the request of ``kind`` was answered as it should be, and the status that decided it."""
    if kind == "browse":
        if random.random() < 0.5:
            answer = await http.get("/api/v1/events", params={"limit": 20})
        else:
            answer = await http.get(f"/api/v1/events/{random.choice(world['events'])}")
        return answer.status_code == 200, answer.status_code
    if kind == "order":
        event_id, type_id = random.choice(world["on_sale"])
        buyer = random.choice(world["buyers"])
        body = {"eventId": event_id, "items": [{"ticketTypeId": type_id, "quantity": 1}]}
        placed = await http.post("/api/v1/orders", json=body, headers=buyer)
        if placed.status_code != 201:
            # sold out / limits: an answer, not an error
            return placed.status_code == 409, placed.status_code
        cancelled = await http.post(f"/api/v1/orders/{placed.json()['id']}/cancel", headers=buyer)
        # give the hold back, so the soak never sells out
        return cancelled.status_code == 200, cancelled.status_code
    answer = await http.post(
        "/api/v1/scanners/scan",
        json={"barcode": uuid.uuid4().hex, "direction": "ENTRY"},
        headers=world["scanner"],
    )
    return answer.status_code == 200, answer.status_code


def _pids(root: psutil.Process) -> set[int]:
    return {root.pid, *(child.pid for child in root.children(recursive=True) if child.name() != "postgres")}


async def _cut_all(database_url: str) -> int:
    """End every connection to the database but this one; how many were ended."""
    conninfo = libpq_conninfo(database_url)
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        cursor = await conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


async def _health_baseline(http: httpx.AsyncClient, n: int = 50) -> float | None:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        await http.get("/health")
        times.append(time.perf_counter() - start)
    return _pct(times, 0.5)


async def _run(
    base: str,
    seconds: float,
    clients: int,
    server: psutil.Process,
    cut_every: float = 0,
    database_url: str | None = None,
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=clients * 2)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        world = await _setup(http)
        baseline_before = await _health_baseline(http)
        rss_start = _rss(server)
        pids_start = _pids(server)
        latencies: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        unavailable: dict[str, int] = defaultdict(int)
        server_errors: dict[str, int] = defaultdict(int)
        cuts: list[int] = []
        deadline = time.monotonic() + seconds

        async def client() -> None:
            kinds, weights = zip(*MIX, strict=True)
            while time.monotonic() < deadline:
                kind = random.choices(kinds, weights)[0]
                start = time.perf_counter()
                try:
                    ok, status = await _one(http, kind, world)
                except httpx.HTTPError:
                    ok, status = False, 0
                latencies[kind].append(time.perf_counter() - start)
                errors[kind] += not ok
                unavailable[kind] += status == 503
                server_errors[kind] += status >= 500 and status != 503

        async def cutter() -> None:
            assert database_url is not None
            while True:
                await asyncio.sleep(cut_every)  # the interval between cuts: the load is what is measured
                cuts.append(await _cut_all(database_url))

        began = time.monotonic()
        with Progress(TextColumn("soak"), BarColumn(), TimeElapsedColumn(), transient=True) as bar:
            task = bar.add_task("soak", total=seconds)
            workers = [asyncio.create_task(client()) for _ in range(clients)]
            cutting = asyncio.create_task(cutter()) if cut_every > 0 else None
            while not all(w.done() for w in workers):
                await asyncio.wait(workers, timeout=1)
                bar.update(task, completed=min(seconds, time.monotonic() - began))
            if cutting is not None:
                cutting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await cutting
            for w in workers:
                w.result()
        elapsed = time.monotonic() - began
        rss_end = _rss(server)
        baseline_after = await _health_baseline(http)
        # The same server, not restarted: each kind of request a few times more, one after another.
        recovered = True
        for kind, _ in MIX:
            for _ in range(5):
                ok, _status = await _one(http, kind, world)
                recovered = recovered and ok
        restarted = len(pids_start - _pids(server))
    total = sum(len(v) for v in latencies.values())
    return {
        "seconds": round(elapsed, 1),
        "clients": clients,
        "requests": total,
        "throughput_per_s": round(total / elapsed, 1),
        "by_kind": {
            kind: {
                "count": len(latencies[kind]),
                "errors": errors[kind],
                "p50_ms": _pct(latencies[kind], 0.5),
                "p99_ms": _pct(latencies[kind], 0.99),
                "unavailable": unavailable[kind],
                "server_errors": server_errors[kind],
            }
            for kind, _ in MIX
        },
        "cuts": {"count": len(cuts), "connections_ended": sum(cuts)},
        "recovered": recovered,
        "restarted_processes": restarted,
        "baseline_health_p50_ms": {"before": baseline_before, "after": baseline_after},
        "rss_kib": {"start": rss_start, "end": rss_end},
        "rss_growth_kib": sum(rss_end.values()) - sum(v for k, v in rss_start.items() if k in rss_end),
    }


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--cut-every", type=float, default=0, help="seconds between cuts of every DB connection (0: none)"
    )
    args = parser.parse_args()
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="tixmo-soak-") as data_dir:
        env = {
            **os.environ,
            "TIXMO_DATA_DIR": data_dir,
            "TIXMO_RATE_LIMIT_ENABLED": "false",
            "TIXMO_ARGON2_TIME_COST": "1",
            "TIXMO_ARGON2_MEMORY_KIB": "1024",
        }
        env.pop("TIXMO_DATABASE_URL", None)
        command = [sys.executable, "-m", "tixmo.cli", "serve", "--port", str(port)]
        command += ["--workers", str(args.workers)]
        log = (Path(data_dir) / "server.log").open("w")
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log)  # noqa: S603
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise SystemExit((Path(data_dir) / "server.log").read_text())
                try:
                    if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)  # waiting for a server to come up, not synchronising a test
            # The embedded server of the same data directory (this process joins it; the last out stops it).
            database_url = None
            if args.cut_every > 0:
                with contextlib.redirect_stdout(sys.stderr):  # its log lines; stdout is the JSON
                    database_url = start_embedded_postgres(Path(data_dir) / "pg")
            root = psutil.Process(process.pid)
            result = asyncio.run(_run(base, args.seconds, args.clients, root, args.cut_every, database_url))
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
            with contextlib.redirect_stdout(sys.stderr):
                stop_embedded_postgres(
                    Path(data_dir) / "pg"
                )  # before its directory goes; no-op if never joined
            log.close()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

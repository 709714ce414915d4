"""Login-flood benchmark: how an unrelated request fares while one account is flooded with logins.

    .venv/bin/python bench/login_flood.py
    .venv/bin/python bench/login_flood.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/login_flood.py --logins 200 --rounds 3 --bystanders 4 --workers 1
    .venv/bin/python bench/login_flood.py --workers 2 --redis-url redis://127.0.0.1:6379/0

Without ``--database-url`` it starts its own PostgreSQL (pgserver) in a temporary directory; with one, it
creates a throw-away database on that server (flash_sale.py's helpers) and drops it at the end.

1. start ``tixmo serve`` as a subprocess with the default settings that matter here (rate limits on,
   argon2 at its production cost, pool 10 + overflow 20); register one bystander account;
2. baseline: ``--bystanders`` clients, one request at a time each, ``GET --path`` (default
   ``/api/v1/auth/me``) for ``--baseline-seconds``;
3. floods, ``--rounds`` times: register a fresh account, then fire ``--logins`` concurrent
   ``POST /auth/login`` for it (every other one with the right password, each from its own address
   through ``X-Forwarded-For``) while the bystanders go on; a sampler counts the server's connections
   busy in PostgreSQL (``pg_stat_activity``: active or idle in transaction) every few milliseconds.

Prints one JSON object on stdout: the bystanders' p50/p99/max latency and errors without and during the
floods, the login answers by status, how long a flood lasts, and the peak of busy server connections.
Exits 1 when a bystander request failed or a flood let more wrong guesses through than the limit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flash_sale import (
    SECRET,
    Server,
    console,
    free_port,
    percentile,
    prepare_database,
    stop_server,
    wait_ready,
)

from tixmo.db import libpq_conninfo
from tixmo.migrate import upgrade

PASSWORD = "Bench-Passw0rd"
WRONG_PASSWORD = "Wrong-Passw0rd"
LOGIN_LIMIT = 10  # TIXMO_RATE_LIMIT_LOGIN's default, left as it is


def start_server(url: str, workers: int, data_dir: Path, redis_url: str | None) -> Server:
    """``tixmo serve`` with rate limits on (flash_sale.py's starter turns them off)."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TIXMO_")},
        "TIXMO_DATABASE_URL": url,
        "TIXMO_SECRET_KEY": SECRET,
        "TIXMO_RUN_WORKER": "false",
        "TIXMO_SEED_DEMO": "false",
        "TIXMO_LOG_LEVEL": "WARNING",
        "TIXMO_DATA_DIR": str(data_dir),
        **({"TIXMO_REDIS_URL": redis_url} if redis_url else {}),
    }
    log_path = data_dir / "server.log"
    command = [sys.executable, "-m", "tixmo.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and CLI
            command, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT
        )
    shown = {k: v for k, v in env.items() if k.startswith("TIXMO_") and k != "TIXMO_SECRET_KEY"}
    return Server(process, f"http://127.0.0.1:{port}", log_path, shown)


@dataclass
class Bystanders:
    """Latencies (ms) of the unrelated requests, with when each began (``time.monotonic``, which every
    process on the machine shares)."""

    samples: list[tuple[float, float]] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def between(self, start: float, end: float) -> list[tuple[float, float]]:
        return [(began, ms) for began, ms in self.samples if start <= began <= end]


def _summary(latencies: list[float]) -> dict[str, Any]:
    return {
        "requests": len(latencies),
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": round(max(latencies), 2) if latencies else None,
    }


async def _bystander_loops(
    base_url: str, path: str, headers: dict[str, str], clients: int, stop: Any
) -> Bystanders:
    into = Bystanders()

    async def loop() -> None:
        async with httpx.AsyncClient(base_url=base_url, timeout=120.0) as client:
            while not stop.is_set():
                began = time.monotonic()
                try:
                    response = await client.get(path, headers=headers)
                except httpx.HTTPError as exc:
                    into.errors[type(exc).__name__] += 1
                    continue
                if response.status_code != 200:
                    into.errors[str(response.status_code)] += 1
                into.samples.append((began, (time.monotonic() - began) * 1000))

    await asyncio.gather(*(loop() for _ in range(clients)))
    return into


def _bystander_process(
    base_url: str, path: str, headers: dict[str, str], clients: int, stop: Any, results: Any
) -> None:
    """In a process of its own, so the flood's client work does not delay the bystanders' clock."""
    results.put(asyncio.run(_bystander_loops(base_url, path, headers, clients, stop)))


class BystanderProcess:
    """``clients`` bystanders, each one ``GET path`` after another, until ``stop()``."""

    def __init__(self, base_url: str, path: str, headers: dict[str, str], clients: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        self._results: Any = context.Queue()
        self._process = context.Process(
            target=_bystander_process,
            args=(base_url, path, headers, clients, self._stop, self._results),
            daemon=True,
        )
        self._process.start()

    async def stop(self) -> Bystanders:
        self._stop.set()
        result: Bystanders = await asyncio.to_thread(self._results.get, True, 180)
        await asyncio.to_thread(self._process.join, 30)
        return result


async def busy_connections_sampler(url: str, stop: asyncio.Event, peaks: list[int]) -> None:
    """The most server connections busy at once (in a statement or in a transaction), sampled."""
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tixmo' "
        "AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()"
    )
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(url), autocommit=True) as conn:
        peak = 0
        while not stop.is_set():
            row = await (await conn.execute(query)).fetchone()
            peak = max(peak, int(row[0]) if row else 0)
            await asyncio.sleep(0.002)
        peaks.append(peak)


async def register(client: httpx.AsyncClient, address: str) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": address, "password": PASSWORD, "firstName": "Bench", "lastName": "User"},
        headers={"X-Forwarded-For": f"192.0.2.{uuid.uuid4().int % 250 + 1}"},
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


async def flood(client: httpx.AsyncClient, address: str, logins: int, round_no: int) -> list[str]:
    """The answers' statuses (or the client error's name)."""

    async def attempt(i: int) -> str:
        try:
            response = await client.post(
                "/api/v1/auth/login",
                json={"email": address, "password": PASSWORD if i % 2 == 0 else WRONG_PASSWORD},
                headers={"X-Forwarded-For": f"10.{round_no}.{i // 250}.{i % 250 + 1}"},
            )
        except httpx.HTTPError as exc:
            return type(exc).__name__
        return str(response.status_code)

    return await asyncio.gather(*(attempt(i) for i in range(logins)))


async def run(server: Server, url: str, args: argparse.Namespace) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=args.logins + 10)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=120.0, limits=limits) as client:
        bystander = await register(client, f"bystander-{uuid.uuid4().hex[:8]}@example.com")
        headers = {"Authorization": f"Bearer {bystander['accessToken']}"}

        # Baseline: the bystanders alone.
        with console.status(f"baseline: {args.bystanders} bystanders for {args.baseline_seconds} s"):
            bystanders = BystanderProcess(server.base_url, args.path, headers, args.bystanders)
            await asyncio.sleep(args.baseline_seconds)
            baseline = await bystanders.stop()

        # Floods, with the bystanders going on.
        stop = asyncio.Event()
        peaks: list[int] = []
        statuses: Counter[str] = Counter()
        windows: list[tuple[float, float]] = []
        wrong_accepted_max = 0
        sampler = asyncio.create_task(busy_connections_sampler(url, stop, peaks))
        bystanders = BystanderProcess(server.base_url, args.path, headers, args.bystanders)
        try:
            await asyncio.sleep(1.0)  # the bystanders are under way
            for round_no in range(args.rounds):
                address = f"flooded-{round_no}-{uuid.uuid4().hex[:8]}@example.com"
                await register(client, address)
                # A fresh client per flood: a keep-alive connection idle since the last flood may be
                # closed by the server just as it is reused (a ReadError that is not the server's doing).
                async with httpx.AsyncClient(
                    base_url=server.base_url, timeout=120.0, limits=limits
                ) as flooder:
                    with console.status(f"flood {round_no + 1}/{args.rounds}: {args.logins} logins"):
                        start = time.monotonic()
                        answers = await flood(flooder, address, args.logins, round_no)
                        windows.append((start, time.monotonic()))
                statuses.update(answers)
                wrong_accepted_max = max(wrong_accepted_max, answers.count("401"))
        finally:
            stop.set()
            during = await bystanders.stop()
            await sampler

    in_floods = [(began - start, ms) for start, end in windows for began, ms in during.between(start, end)]
    return {
        "path": args.path,
        "baseline": {**_summary([ms for _, ms in baseline.samples]), "errors": dict(baseline.errors)},
        "during_flood": {
            **_summary([ms for _, ms in in_floods]),
            "errors": dict(during.errors),
            # The slowest, with when they began (seconds after their flood began).
            "slowest_ms_at_s": sorted(((round(ms, 1), round(at, 3)) for at, ms in in_floods), reverse=True)[
                :5
            ],
        },
        "logins": {
            "per_flood": args.logins,
            "floods": args.rounds,
            "statuses": dict(sorted(statuses.items())),
            "wrong_guesses_answered_401_max_per_flood": wrong_accepted_max,
            "login_limit": LOGIN_LIMIT,
            "flood_seconds": [round(end - start, 3) for start, end in windows],
        },
        "peak_busy_server_connections": peaks[0] if peaks else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bystanders", type=int, default=4)
    parser.add_argument("--baseline-seconds", type=float, default=5.0)
    parser.add_argument("--path", default="/api/v1/auth/me")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--redis-url", help="share the rate limits (and login turns) through Redis")
    args = parser.parse_args()
    url, drop = prepare_database(args.database_url)
    try:
        with console.status("migrating"):
            upgrade(url)
        data_dir = Path(tempfile.mkdtemp(prefix="tixmo-bench-login-"))
        server = start_server(url, args.workers, data_dir, args.redis_url)
        try:
            wait_ready(server)
            result = asyncio.run(run(server, url, args))
        finally:
            stop_server(server)
        result["config"] = {k: v for k, v in vars(args).items() if k != "database_url"}
    finally:
        drop()
    print(json.dumps(result, indent=2))
    if result["baseline"]["errors"] or result["during_flood"]["errors"]:
        console.print("[red]a bystander request failed")
        sys.exit(1)
    # Without Redis every worker process counts on its own.
    allowed = LOGIN_LIMIT * (1 if args.redis_url else args.workers)
    if result["logins"]["wrong_guesses_answered_401_max_per_flood"] > allowed:
        console.print("[red]a flood let more wrong guesses through than the limit")
        sys.exit(1)


if __name__ == "__main__":
    main()

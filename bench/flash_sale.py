"""Flash-sale benchmark: many buyers race for one ticket type through ``POST /api/v1/orders``.

    .venv/bin/python bench/flash_sale.py
    .venv/bin/python bench/flash_sale.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/flash_sale.py --quantity 200 --buyers 100 --concurrency 16 --workers 1

Without ``--database-url`` it starts its own PostgreSQL (pgserver) in a temporary directory. With one, it
creates a throw-away database ``tixmo_bench_<pid>`` on that server and drops it at the end.

Phases, each with a progress bar on stderr:

1. seed (COPY): an organization, a venue, a PUBLISHED event with one ticket type of ``--quantity`` tickets
   (two of half as many each with ``--mode multi``),
   ``--buyers`` customers and one access token each; a second ticket type (in a DRAFT event) for the baseline;
2. start ``tixmo serve --workers N`` as a subprocess and wait for ``/health``;
3. load-generator check: the same client code against a trivial path of the same server (a 404 problem
   answer: the whole middleware stack, no database work), as many requests as the sale will need;
4. the sale: ``--concurrency`` clients each POST an order for ``--per-order`` tickets for the next buyer,
   until every client has been told INSUFFICIENT_INVENTORY; then the database is audited (oversell, orders
   and order items against ``sold + held``);
5. baseline (server stopped): the same conditional UPDATE straight at PostgreSQL, one asyncpg connection
   per client, each statement its own transaction, until it returns no row.

Prints one JSON object on stdout; exits 1 when the database audit fails (oversell, a lost order, or the promo
code's ``used_count`` not equal to its live orders).
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import itertools
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import asyncpg
import httpx
import orjson
import psycopg
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy.engine import make_url

from tixmo.config import LogFormat
from tixmo.db import libpq_conninfo, start_embedded_postgres
from tixmo.logging import configure_logging
from tixmo.migrate import upgrade
from tixmo.security import create_access_token

try:  # a faster load generator when installed (see --client)
    import aiohttp
except ImportError:  # pragma: no cover - depends on the environment
    aiohttp = None  # type: ignore[assignment]

console = Console(stderr=True)
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
ORDERS_PATH = "/api/v1/orders"
TRIVIAL_PATH = "/api/v1/__bench_trivial"
SOLD_OUT = "INSUFFICIENT_INVENTORY"
PROMO_CODE = "FLASH10"
MODES = ("plain", "keyed", "promo", "mixed", "multi")
# multi: two ticket types of half the tickets each; orders of both (one of each) and of each alone, in turn
MULTI_KINDS = ("both", "first", "second")
PRICE_MINOR = 2500
MAX_PER_ORDER = 10
# Connections of the server's pools, on top of what is in use: a margin for psql, the audit and the sampler.
CONNECTION_MARGIN = 10
RESERVE_SQL = (
    "UPDATE ticket_types SET quantity_held = quantity_held + $2 "
    "WHERE id = $1 AND quantity_total - quantity_sold - quantity_held >= $2 RETURNING quantity_held"
)


# --------------------------------------------------------------------------------------------- database


def _with_database(url: str, name: str) -> str:
    parsed = make_url(url.replace("postgres://", "postgresql://", 1)).set(database=name)
    return parsed.render_as_string(hide_password=False)


def prepare_database(server_url: str | None) -> tuple[str, Callable[[], None]]:
    """A fresh database URL and a function that cleans it up."""
    if server_url is None:
        tmp = tempfile.mkdtemp(prefix="tixmo-bench-")
        # atexit runs last-in first-out: pgserver's own handler (registered later) stops the server first.
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        console.print(f"starting embedded PostgreSQL in {tmp}")
        return start_embedded_postgres(Path(tmp) / "pg", database="tixmo_bench"), lambda: None
    name = f"tixmo_bench_{os.getpid()}"
    admin_info = libpq_conninfo(_with_database(server_url, "postgres"))
    with psycopg.connect(admin_info, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_info, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return _with_database(server_url, name), drop


def asyncpg_params(url: str) -> dict[str, Any]:
    """Keyword arguments for ``asyncpg.connect`` (a Unix socket directory may come as ``?host=``)."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    host = parsed.host or parsed.query.get("host")
    if isinstance(host, tuple):
        host = host[0]
    return {
        "host": host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "database": parsed.database,
    }


def connection_budget(url: str) -> int:
    """Connections the server may still open: ``max_connections`` less reserved, used and a margin."""
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT current_setting('max_connections')::int "
            "- current_setting('superuser_reserved_connections')::int "
            "- (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"
        ).fetchone()
    assert row is not None
    return max(1, int(row[0]) - CONNECTION_MARGIN)


# ------------------------------------------------------------------------------------------------ seed


@dataclass
class Seeded:
    event_id: uuid.UUID
    ticket_type_id: uuid.UUID
    baseline_ticket_type_id: uuid.UUID
    tokens: list[str]
    seconds: float
    second_ticket_type_id: uuid.UUID | None = None  # --mode multi: the event's second ticket type

    @property
    def on_sale(self) -> list[uuid.UUID]:
        return [t for t in (self.ticket_type_id, self.second_ticket_type_id) if t is not None]


def _progress(label: str) -> Progress:
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    )


def seed(url: str, quantity: int, n_buyers: int, *, two_types: bool = False) -> Seeded:
    """The sale's catalogue and its buyers (COPY), and an access token per buyer; ``two_types``: the
    tickets split between two ticket types of the event (``--mode multi``)."""
    started = time.perf_counter()
    now = datetime.now(UTC)
    starts = now.replace(microsecond=0) + timedelta(days=30)
    org_id, venue_id, event_id, draft_event_id = (uuid.uuid4() for _ in range(4))
    ticket_type_id, baseline_ticket_type_id = uuid.uuid4(), uuid.uuid4()
    second_ticket_type_id = uuid.uuid4() if two_types else None
    first_quantity = quantity - quantity // 2 if two_types else quantity
    buyers = [uuid.uuid4() for _ in range(n_buyers)]
    dummy_hash = "$argon2id$v=19$m=65536,t=3,p=1$YmVuY2hiZW5jaA$bm90LWEtcmVhbC1oYXNoLW5vdC1hLXJlYWwtaGFzaA"
    with psycopg.connect(libpq_conninfo(url)) as conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO organizations (id, name, type, created_at, updated_at) "
            "VALUES (%s, 'Flash Sale Promotions', 'PROMOTER', %s, %s)",
            (org_id, now, now),
        )
        cur.execute(
            "INSERT INTO venues (id, organization_id, name, address_line1, city, postal_code, country, "
            "capacity, timezone) VALUES (%s, %s, 'Arena', 'Main St 1', 'Berlin', '10115', 'DE', %s, "
            "'Europe/Berlin')",
            (venue_id, org_id, max(quantity, 1)),
        )
        for eid, status, name in (
            (event_id, "PUBLISHED", "Flash Sale Live"),
            (draft_event_id, "DRAFT", "Baseline (raw SQL, never on sale)"),
        ):
            cur.execute(
                "INSERT INTO events (id, organization_id, venue_id, name, category, starts_at, ends_at, "
                "timezone, currency, status, published_at, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, 'CONCERT', %s, %s, 'Europe/Berlin', 'USD', %s, %s, %s, %s)",
                (
                    eid,
                    org_id,
                    venue_id,
                    name,
                    starts,
                    starts + timedelta(hours=3),
                    status,
                    now if status == "PUBLISHED" else None,
                    now,
                    now,
                ),
            )
        types = [
            (ticket_type_id, event_id, "General admission", first_quantity),
            (baseline_ticket_type_id, draft_event_id, "Baseline", quantity),
        ]
        if second_ticket_type_id is not None:
            types.append((second_ticket_type_id, event_id, "Balcony", quantity // 2))
        for tid, eid, name, tickets in types:
            cur.execute(
                "INSERT INTO ticket_types (id, event_id, name, price_minor, currency, quantity_total, "
                "max_per_order, created_at, updated_at) VALUES (%s, %s, %s, %s, 'USD', %s, %s, %s, %s)",
                (tid, eid, name, PRICE_MINOR, tickets, MAX_PER_ORDER, now, now),
            )
        cur.execute(
            "INSERT INTO promo_codes (id, event_id, code, discount_type, discount_value, used_count, "
            "status, created_at, updated_at) VALUES (%s, %s, %s, 'PERCENTAGE', 10, 0, 'ACTIVE', %s, %s)",
            (uuid.uuid4(), event_id, PROMO_CODE, now, now),
        )
        with _progress("seeding buyers") as progress:
            task = progress.add_task("buyers", total=n_buyers)
            columns = "(id, email, password_hash, first_name, last_name, role, created_at, updated_at)"
            with cur.copy(f"COPY users {columns} FROM STDIN") as copy:
                for i, user_id in enumerate(buyers, start=1):
                    email = f"buyer-{i}-{user_id.hex[:8]}@example.com"
                    copy.write_row((user_id, email, dummy_hash, "Buyer", str(i), "CUSTOMER", now, now))
                    if i % 500 == 0 or i == n_buyers:
                        progress.update(task, completed=i)
        conn.commit()
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    tokens = []
    with _progress("minting tokens") as progress:
        task = progress.add_task("tokens", total=n_buyers)
        for i, user_id in enumerate(buyers, start=1):
            token, _ = create_access_token(SECRET, user_id, "CUSTOMER", timedelta(hours=1))
            tokens.append(token)
            if i % 500 == 0 or i == n_buyers:
                progress.update(task, completed=i)
    seconds = time.perf_counter() - started
    return Seeded(event_id, ticket_type_id, baseline_ticket_type_id, tokens, seconds, second_ticket_type_id)


# ---------------------------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    env: dict[str, str]

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def server_env(url: str, data_dir: Path) -> dict[str, str]:
    """The environment of a benchmarked TixMo: the bench's database and secret, no worker, no demo data, no
    rate limits, warnings only in its log."""
    return {
        **os.environ,
        "TIXMO_DATABASE_URL": url,
        "TIXMO_SECRET_KEY": SECRET,
        "TIXMO_RUN_WORKER": "false",
        "TIXMO_SEED_DEMO": "false",
        "TIXMO_LOG_LEVEL": "WARNING",
        "TIXMO_RATE_LIMIT_ENABLED": "false",
        "TIXMO_DATA_DIR": str(data_dir),
    }


def start_server(
    url: str, workers: int, pool_size: int, max_overflow: int, data_dir: Path, coalesce: bool = True
) -> Server:
    port = free_port()
    env = {
        **server_env(url, data_dir),
        "TIXMO_ORDER_COALESCE": "true" if coalesce else "false",
        "TIXMO_DB_POOL_SIZE": str(pool_size),
        "TIXMO_DB_MAX_OVERFLOW": str(max_overflow),
    }
    log_path = data_dir / "server.log"
    if os.environ.get(NGINX_ENV):
        return _start_behind_nginx(env, workers, data_dir, log_path)
    command = [sys.executable, "-m", "tixmo.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and CLI
            command, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT
        )
    shown = {k: v for k, v in env.items() if k.startswith("TIXMO_") and k != "TIXMO_SECRET_KEY"}
    return Server(process, f"http://127.0.0.1:{port}", log_path, shown)


# With TIXMO_BENCH_NGINX=1 the server is deploy/run.sh: nginx in front of ``workers`` separate
# ``tixmo serve`` processes (bench/scaling.py), instead of one ``tixmo serve --workers N``.
NGINX_ENV = "TIXMO_BENCH_NGINX"


def _free_port_block(size: int) -> int:
    while True:
        base = free_port()
        if base + size > 65535:
            continue
        try:
            for port in range(base + 1, base + size + 1):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base


def _start_behind_nginx(env: dict[str, str], api: int, data_dir: Path, log_path: Path) -> Server:
    port = _free_port_block(api)
    script = Path(__file__).resolve().parents[1] / "deploy" / "run.sh"
    env = {**env, "TIXMO_BIN": str(Path(sys.executable).parent / "tixmo")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = ["bash", str(script), "--api", str(api), "--workers", "0", "--port", str(port)]
    command += ["--dir", str(data_dir / "deploy")]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - our own script
            command, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 180
    while "ready http" not in log_path.read_text(errors="replace"):  # every API process answers
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"deploy/run.sh did not get ready:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.1)
    shown = {k: v for k, v in env.items() if k.startswith("TIXMO_") and k != "TIXMO_SECRET_KEY"}
    shown["nginx_api_processes"] = str(api)
    return Server(process, f"http://127.0.0.1:{port}", log_path, shown)


def wait_ready(server: Server, timeout: float = 90.0) -> float:
    """Poll ``/health`` until it answers 200 (readiness), the process dies, or the deadline passes."""
    started = time.perf_counter()
    deadline = started + timeout
    with console.status("waiting for the server's /health"), httpx.Client(timeout=2.0) as client:
        while True:
            if server.process.poll() is not None:
                code = server.process.returncode
                raise RuntimeError(f"the server exited with {code}:\n{server.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{server.base_url}/health").status_code == 200:
                    return time.perf_counter() - started
            if "Traceback" in server.log_tail(200):  # a worker that cannot start is restarted forever
                raise RuntimeError(f"the server failed to start:\n{server.log_tail()}")
            if time.perf_counter() > deadline:
                raise RuntimeError(f"the server was not ready within {timeout:.0f} s:\n{server.log_tail()}")
            time.sleep(0.1)


def stop_server(server: Server) -> int | None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    return server.process.returncode


# ------------------------------------------------------------------------------------------ CPU usage


def _clock_ticks() -> int:
    return int(os.sysconf("SC_CLK_TCK"))


def _proc_table() -> dict[int, tuple[str, int, float]]:
    """pid -> (command name, parent pid, CPU seconds used) for every process we can read."""
    table: dict[int, tuple[str, int, float]] = {}
    ticks = _clock_ticks()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        table[int(entry.name)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    return table


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / _clock_ticks(), total / _clock_ticks()


@dataclass
class CpuSnapshot:
    at: float
    loadgen: float
    server: float
    postgres: dict[int, float]
    machine_busy: float
    machine_total: float


def postgres_pids(url: str) -> set[int]:
    """The backends of the bench database and PostgreSQL's own background processes (WAL writer,
    checkpointer...), not the backends of other databases on a shared server."""
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() OR backend_type <> 'client backend'"
        ).fetchall()
    return {int(row[0]) for row in rows}


def cpu_snapshot(url: str, server_pid: int | None) -> CpuSnapshot:
    pg_pids = postgres_pids(url)
    table = _proc_table()
    server = 0.0
    if server_pid is not None and server_pid in table:
        tree = {server_pid}
        changed = True
        while changed:
            changed = False
            for pid, (_, ppid, _) in table.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    changed = True
        server = sum(table[pid][2] for pid in tree)
    postgres = {pid: table[pid][2] for pid in pg_pids if pid in table}
    own = os.times()
    busy, total = _machine_busy()
    return CpuSnapshot(time.perf_counter(), own.user + own.system, server, postgres, busy, total)


def cpu_usage(before: CpuSnapshot, after: CpuSnapshot) -> dict[str, float]:
    """CPU seconds per component over a phase, and each as a share of one core ("core_pct"); "other" is
    whatever else kept the machine busy meanwhile (other processes, other databases of the server)."""
    wall = max(after.at - before.at, 1e-9)
    usage = {
        "loadgen_s": after.loadgen - before.loadgen,
        "server_s": after.server - before.server,
        "postgres_s": sum(cpu - before.postgres.get(pid, 0.0) for pid, cpu in after.postgres.items()),
    }
    usage["other_s"] = max(0.0, after.machine_busy - before.machine_busy - sum(usage.values()))
    report = {k: round(v, 2) for k, v in usage.items()}
    report.update({k.replace("_s", "_core_pct"): round(100 * v / wall, 1) for k, v in usage.items()})
    machine_total = max(after.machine_total - before.machine_total, 1e-9)
    report["machine_busy_pct"] = round(100 * (after.machine_busy - before.machine_busy) / machine_total, 1)
    report["cores"] = os.cpu_count() or 1
    return report


# ----------------------------------------------------------------------------------------- HTTP client


class HttpClient(Protocol):
    name: str

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, bytes]: ...

    async def aclose(self) -> None: ...


class HttpxClient:
    name = "httpx"

    def __init__(self, base_url: str, concurrency: int) -> None:
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        self._client = httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60.0)

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        response = await self._client.request(method, path, headers=headers, content=body)
        return response.status_code, response.content

    async def aclose(self) -> None:
        await self._client.aclose()


class AiohttpClient:
    name = "aiohttp"

    def __init__(self, base_url: str, concurrency: int) -> None:
        assert aiohttp is not None
        connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency, ttl_dns_cache=None)
        self._session = aiohttp.ClientSession(
            base_url=base_url,
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=60.0),
            skip_auto_headers=("User-Agent",),
        )

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        async with self._session.request(method, path, headers=headers, data=body) as response:
            return response.status, await response.read()

    async def aclose(self) -> None:
        await self._session.close()


def make_client(kind: str, base_url: str, concurrency: int) -> HttpClient:
    if kind == "aiohttp":
        return AiohttpClient(base_url, concurrency)
    return HttpxClient(base_url, concurrency)


# ---------------------------------------------------------------------------------------------- phases


@dataclass
class PhaseResult:
    seconds: float = 0.0
    ok_latencies_ms: list[float] = field(default_factory=list)
    all_latencies_ms: list[float] = field(default_factory=list)
    ok: int = 0
    tickets: int = 0  # in the orders placed
    sold_out: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    aborted: str | None = None
    first_error: str | None = None

    @property
    def requests(self) -> int:
        return len(self.all_latencies_ms)


def percentile(samples: list[float], q: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))], 2)


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def _problem_code(body: bytes) -> str | None:
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return payload.get("code") if isinstance(payload, dict) else None


async def run_clients(concurrency: int, client_loop: Callable[[int], Awaitable[None]]) -> float:
    started = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for i in range(concurrency):
            group.create_task(client_loop(i))
    return time.perf_counter() - started


async def trivial_phase(
    client: HttpClient,
    tokens: list[str],
    concurrency: int,
    total: int,
    progress: Progress,
    task: TaskID,
    path: str = TRIVIAL_PATH,
    expect: int = 404,
) -> PhaseResult:
    """``total`` GETs of ``path``: by default one that answers a small 404 problem without touching the
    database."""
    result = PhaseResult()
    counter = itertools.count()

    async def loop(_: int) -> None:
        while (i := next(counter)) < total:
            headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}"}
            started = time.perf_counter()
            try:
                status, _body = await client.request("GET", path, headers, None)
            except Exception as exc:
                result.errors[type(exc).__name__] += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            result.all_latencies_ms.append(elapsed)
            if status == expect:
                result.ok += 1
                result.ok_latencies_ms.append(elapsed)
            else:
                result.errors[str(status)] += 1
            progress.advance(task)

    result.seconds = await run_clients(concurrency, loop)
    return result


async def sale_phase(
    client: HttpClient,
    tokens: list[str],
    event_id: uuid.UUID,
    ticket_type_ids: list[uuid.UUID],
    *,
    concurrency: int,
    per_order: int,
    mode: str,
    max_errors: int,
    progress: Progress,
    task: TaskID,
) -> PhaseResult:
    """Clients buy for the next buyer in turn; each stops at its first sold-out answer."""
    result = PhaseResult()
    buyer = itertools.count()
    stop = asyncio.Event()
    lines = [
        {"ticketTypeId": str(ticket_type_id), "quantity": per_order} for ticket_type_id in ticket_type_ids
    ]
    order = {"eventId": str(event_id), "items": lines[:1]}
    plain, promo = orjson.dumps(order), orjson.dumps({**order, "promoCode": PROMO_CODE})
    # multi: both ticket types in one order, the first alone, the second alone, in turn
    bodies = {"plain": plain, "keyed": plain, "promo": promo}
    if len(lines) == 2:
        for kind, items in zip(MULTI_KINDS, (lines, lines[:1], lines[1:]), strict=True):
            bodies[kind] = orjson.dumps({"eventId": str(event_id), "items": items})
    tickets = {kind: per_order * (2 if kind == "both" else 1) for kind in bodies}
    # mixed: plain, keyed, promo in turn
    kinds = itertools.cycle({"mixed": ("plain", "keyed", "promo"), "multi": MULTI_KINDS}.get(mode, (mode,)))

    async def loop(_: int) -> None:
        while not stop.is_set():
            headers = {
                "Authorization": f"Bearer {tokens[next(buyer) % len(tokens)]}",
                "Content-Type": "application/json",
            }
            kind = next(kinds)
            body = bodies[kind]
            if kind == "keyed":
                headers["Idempotency-Key"] = uuid.uuid4().hex
            started = time.perf_counter()
            try:
                status, answer = await client.request("POST", ORDERS_PATH, headers, body)
            except Exception as exc:
                status, answer = 0, type(exc).__name__.encode()
            elapsed = (time.perf_counter() - started) * 1000
            result.all_latencies_ms.append(elapsed)
            if status == 201:
                result.ok += 1
                result.tickets += tickets[kind]
                result.ok_latencies_ms.append(elapsed)
                progress.advance(task, tickets[kind])
                continue
            code = _problem_code(answer) if status else answer.decode()
            if status == 409 and code == SOLD_OUT:
                result.sold_out += 1
                return
            result.errors[f"{status} {code or ''}".strip()] += 1
            if result.first_error is None:
                result.first_error = answer[:300].decode(errors="replace")
            if status in (404, 405) and code in (None, "NOT_FOUND", "METHOD_NOT_ALLOWED") and result.ok == 0:
                result.aborted = f"POST {ORDERS_PATH} is not there yet ({status}): {result.first_error}"
                stop.set()
            elif sum(result.errors.values()) >= max_errors:
                result.aborted = f"{max_errors} errors, e.g. {result.errors.most_common(3)}"
                stop.set()

    result.seconds = await run_clients(concurrency, loop)
    return result


async def _connect_patiently(params: dict[str, Any]) -> asyncpg.Connection:
    """A connection, waiting (up to a minute) while a shared server is at ``max_connections``."""
    deadline = time.perf_counter() + 60.0
    while True:
        try:
            return await asyncpg.connect(**params)
        except asyncpg.TooManyConnectionsError:
            if time.perf_counter() > deadline:
                raise
            await asyncio.sleep(0.5)


async def baseline_phase(
    url: str, ticket_type_id: uuid.UUID, concurrency: int, per_order: int, progress: Progress, task: TaskID
) -> tuple[PhaseResult, dict[str, float]]:
    """The reservation statement alone, one connection per client, autocommit (one transaction each)."""
    result = PhaseResult()
    params = asyncpg_params(url)
    connections = await asyncio.gather(*(_connect_patiently(params) for _ in range(concurrency)))
    try:
        for conn in connections:  # prepare outside the timed part, as the server's pools would have
            await conn.fetchrow(RESERVE_SQL, uuid.uuid4(), per_order)

        async def loop(i: int) -> None:
            conn = connections[i]
            while True:
                started = time.perf_counter()
                row = await conn.fetchrow(RESERVE_SQL, ticket_type_id, per_order)
                elapsed = (time.perf_counter() - started) * 1000
                result.all_latencies_ms.append(elapsed)
                if row is None:
                    result.sold_out += 1
                    return
                result.ok += 1
                result.ok_latencies_ms.append(elapsed)
                progress.advance(task, per_order)

        before = cpu_snapshot(url, None)
        result.seconds = await run_clients(concurrency, loop)
        cpu = cpu_usage(before, cpu_snapshot(url, None))  # before the backends exit and take their CPU along
    finally:
        await asyncio.gather(*(conn.close() for conn in connections), return_exceptions=True)
    return result, cpu


class ActivitySampler:
    """Samples ``pg_stat_activity`` of the bench database: how many backends run, wait for a lock, or sit
    idle inside a transaction; and what the backends that *block* the lock waiters are doing: running a
    statement (``active``, e.g. a COMMIT flushing WAL) or waiting for the application (``idle in
    transaction`` after their last statement) — where the hot row's lock hold time goes."""

    COUNTS = (
        "SELECT count(*) FILTER (WHERE state = 'active'), "
        "count(*) FILTER (WHERE wait_event_type = 'Lock'), "
        "count(*) FILTER (WHERE state = 'idle in transaction'), "
        "count(*) FILTER (WHERE wait_event_type IN ('IO', 'LWLock') AND wait_event LIKE 'WAL%') "
        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    HOLDERS = (
        "WITH blockers AS (SELECT DISTINCT unnest(pg_blocking_pids(pid)) AS pid FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock') "
        "SELECT a.state, coalesce(a.wait_event, ''), left(regexp_replace(a.query, '\\s+', ' ', 'g'), 70) "
        "FROM pg_stat_activity a JOIN blockers b USING (pid) "
        "WHERE a.wait_event_type IS DISTINCT FROM 'Lock'"
    )
    NAMES = ("active", "waiting_on_lock", "idle_in_transaction", "waiting_on_wal")

    def __init__(self, url: str, interval: float = 0.05) -> None:
        self.url = url
        self.interval = interval
        self.samples: list[tuple[int, ...]] = []
        self.holders: Counter[str] = Counter()
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        conn = await asyncpg.connect(**asyncpg_params(self.url))
        try:
            while True:
                row = await conn.fetchrow(self.COUNTS)
                assert row is not None
                self.samples.append(tuple(row))
                for state, wait_event, query in await conn.fetch(self.HOLDERS):
                    what = "running" if state == "active" else state
                    self.holders[f"{what}{f' [{wait_event}]' if wait_event else ''}: {query}"] += 1
                await asyncio.sleep(self.interval)
        finally:
            await conn.close()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> dict[str, Any]:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if not self.samples:
            return {}
        n = len(self.samples)
        report: dict[str, Any] = {"samples": n}
        for i, name in enumerate(self.NAMES):
            report[f"avg_{name}"] = round(sum(s[i] for s in self.samples) / n, 1)
        seen = sum(self.holders.values())
        report["lock_holders"] = {
            what: f"{100 * count / seen:.0f}%" for what, count in self.holders.most_common(6)
        }
        return report


def audit(url: str, event_id: uuid.UUID, ticket_type_ids: list[uuid.UUID]) -> dict[str, Any]:
    """The sale's ticket types (summed; ``oversold`` per ticket type, summed) against its orders."""
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        types = conn.execute(
            "SELECT quantity_total, quantity_sold, quantity_held FROM ticket_types WHERE id = ANY(%s)",
            (ticket_type_ids,),
        ).fetchall()
        if conn.execute("SELECT to_regclass('orders') IS NULL").fetchone() == (True,):
            orders, items = (0, 0), (0, 0)  # an older schema, before orders existed
            promo = (0, 0)
        else:
            orders, items = _order_totals(conn, event_id, ticket_type_ids)
            promo = _promo_totals(conn, event_id)
    assert len(types) == len(ticket_type_ids)
    total, sold, held = (sum(row[i] for row in types) for i in range(3))
    return {
        "quantity": total,
        "quantity_sold": sold,
        "quantity_held": held,
        "sold": sold + held,
        "oversold": sum(max(0, row[1] + row[2] - row[0]) for row in types),
        "orders": orders[0],
        "orders_live": orders[1],
        "order_items_tickets": int(items[0]),
        "promo_used_count": promo[0],
        "promo_orders_live": promo[1],
    }


def _promo_totals(conn: psycopg.Connection[Any], event_id: uuid.UUID) -> tuple[int, int]:
    """The sale's promo code: its ``used_count``, and its PENDING or CONFIRMED orders (must be equal)."""
    row = conn.execute(
        "SELECT p.used_count, (SELECT count(*) FROM orders o WHERE o.promo_code_id = p.id "
        "AND o.status IN ('PENDING', 'CONFIRMED')) FROM promo_codes p WHERE p.event_id = %s AND p.code = %s",
        (event_id, PROMO_CODE),
    ).fetchone()
    return (int(row[0]), int(row[1])) if row is not None else (0, 0)


def _order_totals(
    conn: psycopg.Connection[Any], event_id: uuid.UUID, ticket_type_ids: list[uuid.UUID]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """(orders, of which PENDING or CONFIRMED), (tickets in their items for the types, items)."""
    orders = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE status IN ('PENDING', 'CONFIRMED')) "
        "FROM orders WHERE event_id = %s",
        (event_id,),
    ).fetchone()
    items = conn.execute(
        "SELECT coalesce(sum(i.quantity), 0), count(*) FROM order_items i "
        "JOIN orders o ON o.id = i.order_id "
        "WHERE i.ticket_type_id = ANY(%s) AND o.status IN ('PENDING', 'CONFIRMED')",
        (ticket_type_ids,),
    ).fetchone()
    assert orders is not None and items is not None
    return (int(orders[0]), int(orders[1])), (int(items[0]), int(items[1]))


# ------------------------------------------------------------------------------------------------ main


def _phase_progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[note]}"),
        console=console,
    )


def _per_op(cpu: dict[str, float] | None, ops: int) -> dict[str, float] | None:
    if not cpu or not ops:
        return None
    return {name: round(1000 * cpu[f"{name}_s"] / ops, 2) for name in ("loadgen", "server", "postgres")}


def _latency(prefix: str, samples: list[float]) -> dict[str, float | None]:
    return {
        f"{prefix}p50_ms": percentile(samples, 0.50),
        f"{prefix}p90_ms": percentile(samples, 0.90),
        f"{prefix}p99_ms": percentile(samples, 0.99),
        f"{prefix}max_ms": percentile(samples, 1.0),
    }


async def http_phases(
    args: argparse.Namespace, server: Server, seeded: Seeded, url: str
) -> tuple[PhaseResult, PhaseResult, dict[str, Any], dict[str, Any], dict[str, Any]]:
    client = make_client(args.client, server.base_url, args.concurrency)
    server_pid = server.process.pid
    try:
        expected_requests = math.ceil(args.quantity / args.per_order) + args.concurrency
        with _phase_progress() as progress:
            # Warm-up: every worker process, keep-alive connection and database pool connection is up
            # before anything is timed (/health takes a pooled connection for its SELECT 1).
            n = args.concurrency * 4
            task = progress.add_task("warm-up (/health)", total=n, note="")
            await trivial_phase(client, seeded.tokens, args.concurrency, n, progress, task, "/health", 200)

            task = progress.add_task("load-generator check", total=expected_requests, note=TRIVIAL_PATH)
            before = cpu_snapshot(url, server_pid)
            trivial = await trivial_phase(
                client, seeded.tokens, args.concurrency, expected_requests, progress, task
            )
            trivial_cpu = cpu_usage(before, cpu_snapshot(url, server_pid))
            progress.update(task, note=f"{rate(trivial.ok, trivial.seconds)} req/s")

            task = progress.add_task("flash sale (tickets)", total=args.quantity, note=f"POST {ORDERS_PATH}")
            sampler = ActivitySampler(url)
            sampler.start()
            before = cpu_snapshot(url, server_pid)
            sale = await sale_phase(
                client,
                seeded.tokens,
                seeded.event_id,
                seeded.on_sale,
                concurrency=args.concurrency,
                per_order=args.per_order,
                mode=args.mode,
                max_errors=args.max_errors,
                progress=progress,
                task=task,
            )
            sale_cpu = cpu_usage(before, cpu_snapshot(url, server_pid))
            activity = await sampler.stop()
            progress.update(
                task, note="aborted" if sale.aborted else f"{rate(sale.ok, sale.seconds)} orders/s"
            )
        _, exposition = await client.request("GET", "/metrics", {}, None)
        activity["batches"] = batch_sizes(exposition.decode(errors="replace"))
    finally:
        await client.aclose()
    return trivial, sale, trivial_cpu, sale_cpu, activity


def batch_sizes(exposition: str, metric: str = "tixmo_order_batch_size") -> dict[str, Any]:
    """A batch-size histogram from ``/metrics`` (all workers): count per bucket (the coalescer's orders by
    default; ``tixmo_scan_batch_size`` for the scans)."""
    buckets: dict[str, float] = {}
    total = count = 0.0
    for line in exposition.splitlines():
        if line.startswith(f"{metric}_bucket"):
            le = line.split('le="', 1)[1].split('"', 1)[0]
            buckets[le] = float(line.rsplit(" ", 1)[1])
        elif line.startswith(f"{metric}_sum"):
            total = float(line.rsplit(" ", 1)[1])
        elif line.startswith(f"{metric}_count"):
            count = float(line.rsplit(" ", 1)[1])
    per_bucket: dict[str, int] = {}
    below = 0.0
    for le, cumulative in sorted(buckets.items(), key=lambda kv: float(kv[0])):
        per_bucket[f"<={le}"] = int(cumulative - below)
        below = cumulative
    short = 0.0
    for line in exposition.splitlines():
        if line.startswith("tixmo_orders_sold_out_short_circuit_total"):
            short = float(line.rsplit(" ", 1)[1])
    return {
        "batches": int(count),
        "in_batches": int(total),
        "mean_batch_size": round(total / count, 2) if count else None,
        "histogram": {k: v for k, v in per_bucket.items() if v},
        "sold_out_short_circuits": int(short),
    }


async def baseline(args: argparse.Namespace, seeded: Seeded, url: str) -> tuple[PhaseResult, Any, Any]:
    with _phase_progress() as progress:
        task = progress.add_task("baseline (raw UPDATE)", total=args.quantity, note="asyncpg")
        sampler = ActivitySampler(url)
        sampler.start()
        result, cpu = await baseline_phase(
            url, seeded.baseline_ticket_type_id, args.concurrency, args.per_order, progress, task
        )
        activity = await sampler.stop()
        progress.update(task, note=f"{rate(result.ok, result.seconds)} ops/s")
    return result, cpu, activity


def run_async(coro: Awaitable[Any]) -> Any:
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return asyncio.run(coro)  # type: ignore[arg-type]
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coro)  # type: ignore[arg-type]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="a PostgreSQL server to create a throw-away database on")
    parser.add_argument("--quantity", type=int, default=5000, help="tickets on sale (default 5000)")
    parser.add_argument("--buyers", type=int, default=2000, help="buyer accounts (default 2000)")
    parser.add_argument("--concurrency", type=int, default=64, help="concurrent clients (default 64)")
    parser.add_argument("--workers", type=int, default=2, help="API worker processes (default 2)")
    parser.add_argument(
        "--per-order", type=int, default=1, help=f"tickets per order, 1..{MAX_PER_ORDER} (default 1)"
    )
    parser.add_argument(
        "--db-pool-size",
        type=int,
        help="TIXMO_DB_POOL_SIZE per worker (default: concurrency / workers, within max_connections)",
    )
    parser.add_argument(
        "--db-max-overflow",
        type=int,
        default=0,
        help="TIXMO_DB_MAX_OVERFLOW per worker with --db-pool-size (default 0)",
    )
    parser.add_argument(
        "--client",
        choices=["aiohttp", "httpx"],
        default="aiohttp" if aiohttp is not None else "httpx",
        help="HTTP load generator (default aiohttp when installed, else httpx)",
    )
    parser.add_argument(
        "--idempotency-keys", action="store_true", help="same as --mode keyed (kept for old scripts)"
    )
    parser.add_argument(
        "--mode",
        choices=MODES,
        default="plain",
        help="plain orders, each with an Idempotency-Key (keyed), each with a promo code (promo), "
        "the three in turn (mixed), or over two ticket types of half the tickets each: one of each, "
        "the first alone, the second alone, in turn (multi); default plain",
    )
    parser.add_argument(
        "--coalesce",
        choices=["both", "on", "off"],
        default="both",
        help="the sale with the coalescer (batched), without (unbatched), or both in one run (default)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="alternating batched/unbatched pairs (default 1)"
    )
    parser.add_argument("--max-errors", type=int, default=200, help="stop the sale after this many errors")
    parser.add_argument("--skip-baseline", action="store_true", help="no raw-SQL baseline")
    parser.add_argument("--json-only", action="store_true", help="no progress output on stderr")
    args = parser.parse_args()
    if not 1 <= args.per_order <= MAX_PER_ORDER:
        parser.error(f"--per-order must be within 1..{MAX_PER_ORDER}")
    for name in ("quantity", "buyers", "concurrency", "workers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.idempotency_keys:
        args.mode = "keyed"
    if args.client == "aiohttp" and aiohttp is None:
        parser.error("aiohttp is not installed (pip install aiohttp), use --client httpx")
    return args


def sale_report(
    args: argparse.Namespace, url: str, data_dir: Path, coalesce: bool
) -> tuple[dict[str, Any], bool, Seeded, Server]:
    """One sale on a freshly seeded event, through a server with the coalescer on or off."""
    seeded = seed(url, args.quantity, args.buyers, two_types=args.mode == "multi")
    budget = connection_budget(url)
    per_worker = max(1, budget // args.workers)
    if args.db_pool_size:
        pool_size, max_overflow = args.db_pool_size, args.db_max_overflow
    else:  # a connection for every request a worker has in flight, within max_connections
        pool_size = max(2, min(math.ceil(args.concurrency / args.workers), per_worker))
        max_overflow = max(0, min(pool_size, per_worker - pool_size))
    server = start_server(url, args.workers, pool_size, max_overflow, data_dir, coalesce=coalesce)
    try:
        ready_s = wait_ready(server)
        label = "batched" if coalesce else "unbatched"
        console.print(
            f"{label}: server ready on {server.base_url} in {ready_s:.1f} s ({args.workers} workers)"
        )
        trivial, sale, trivial_cpu, sale_cpu, activity = run_async(http_phases(args, server, seeded, url))
    finally:
        exit_code = stop_server(server)
    db = audit(url, seeded.event_id, seeded.on_sale)
    orders_per_s = rate(sale.ok, sale.seconds)
    trivial_rps = rate(trivial.ok, trivial.seconds)
    no_order_lost = db["order_items_tickets"] == db["sold"] and db["orders_live"] == sale.ok == db["orders"]
    promo_uses_match = db["promo_used_count"] == db["promo_orders_live"]
    failed = db["oversold"] > 0 or not no_order_lost or not promo_uses_match
    batches = activity.pop("batches", None)
    report = {
        "coalesce": coalesce,
        "orders_per_s": orders_per_s,
        "tickets_per_s": rate(sale.tickets, sale.seconds),
        **_latency("", sale.ok_latencies_ms),
        "all_responses_p99_ms": percentile(sale.all_latencies_ms, 0.99),
        "batch_sizes": batches,
        "sold": db["sold"],
        "quantity": args.quantity,
        "oversold": db["oversold"],
        "errors": sum(sale.errors.values()),
        "orders": db["orders"],
        "order_items_tickets": db["order_items_tickets"],
        "no_order_lost": no_order_lost,
        "promo_used_count": db["promo_used_count"],
        "promo_orders_live": db["promo_orders_live"],
        "promo_uses_match": promo_uses_match,
        "sold_out_completely": db["sold"] == args.quantity,
        "responses": {"created_201": sale.ok, "sold_out_409": sale.sold_out, "other": dict(sale.errors)},
        "aborted": sale.aborted,
        "first_error": sale.first_error,
        "sale_seconds": round(sale.seconds, 3),
        "loadgen_trivial_rps": trivial_rps,
        "loadgen_trivial_p99_ms": percentile(trivial.ok_latencies_ms, 0.99),
        "loadgen_headroom": round(trivial_rps / orders_per_s, 2) if orders_per_s else None,
        "implied_row_hold_ms": round(1000 / orders_per_s, 3) if orders_per_s else None,
        "cpu_ms_per_order": _per_op(sale_cpu, sale.ok),
        "db_activity": activity,
        "cpu": {"trivial": trivial_cpu, "sale": sale_cpu},
        "db_pool_size": pool_size,
        "db_max_overflow": max_overflow,
        "seed_seconds": round(seeded.seconds, 2),
        "server_ready_s": round(ready_s, 2),
        "server_exit_code": exit_code,
    }
    if exit_code not in (0, None, -signal.SIGTERM):
        console.print(f"[yellow]server exit code {exit_code}; log tail:[/]\n{server.log_tail()}")
    if sale.aborted:
        console.print(f"[yellow]sale aborted: {sale.aborted}[/]")
    return report, failed, seeded, server


def _range(values: list[float]) -> list[float] | None:
    return [min(values), max(values)] if values else None


def main() -> None:
    args = parse_args()
    console.quiet = args.json_only
    configure_logging(LogFormat.CONSOLE, "WARNING")  # logs go to stderr; stdout carries only the JSON
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")

    url, cleanup = prepare_database(args.database_url)
    data_dir = Path(tempfile.mkdtemp(prefix="tixmo-bench-server-"))
    failed = False
    try:
        console.print("running migrations")
        upgrade(url)
        variants = {"both": [True, False], "on": [True], "off": [False]}[args.coalesce]
        runs: list[dict[str, Any]] = []
        seeded: Seeded | None = None
        for round_ in range(args.rounds):
            # alternating pairs: batched first in even rounds, unbatched first in odd ones
            for coalesce in variants if round_ % 2 == 0 else list(reversed(variants)):
                report, bad, seeded, _ = sale_report(args, url, data_dir, coalesce)
                failed = failed or bad
                runs.append({"round": round_ + 1, **report})
        assert seeded is not None

        base, base_cpu, base_activity, base_error = None, None, None, None
        if not args.skip_baseline:
            try:
                base, base_cpu, base_activity = run_async(baseline(args, seeded, url))
            except (OSError, asyncpg.PostgresError) as exc:
                base_error = f"{type(exc).__name__}: {exc}"
                console.print(f"[red]baseline failed: {base_error}[/]")
        baseline_ops = rate(base.ok, base.seconds) if base else None
        for run in runs:
            run["ratio"] = round(run["orders_per_s"] / baseline_ops, 3) if baseline_ops else None

        def summary(coalesce: bool) -> dict[str, Any] | None:
            mine = [r for r in runs if r["coalesce"] == coalesce]
            if not mine:
                return None
            return {
                "orders_per_s": _range([r["orders_per_s"] for r in mine]),
                "ratio": _range([r["ratio"] for r in mine if r["ratio"] is not None]),
                "p99_ms": _range([r["p99_ms"] for r in mine if r.get("p99_ms") is not None]),
                "oversold": sum(r["oversold"] for r in mine),
                "mean_batch_size": _range(
                    [
                        r["batch_sizes"]["mean_batch_size"]
                        for r in mine
                        if r["batch_sizes"] and r["batch_sizes"]["mean_batch_size"] is not None
                    ]
                ),
            }

        out = {
            "mode": args.mode,
            "batched": summary(True),
            "unbatched": summary(False),
            "baseline_ops_per_s": baseline_ops,
            **_latency("baseline_", base.ok_latencies_ms if base else []),
            "baseline_error": base_error,
            "baseline_cpu_ms_per_op": _per_op(base_cpu, base.ok) if base else None,
            "baseline_db_activity": base_activity,
            "runs": runs,
            "config": {
                "buyers": args.buyers,
                "concurrency": args.concurrency,
                "workers": args.workers,
                "per_order": args.per_order,
                "client": args.client,
                "rounds": args.rounds,
                "database": "embedded pgserver" if args.database_url is None else "server",
                "cpu_count": os.cpu_count(),
            },
        }
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
    finally:
        cleanup()
        shutil.rmtree(data_dir, ignore_errors=True)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Analytics benchmark: seeds a year of sales (1,000,000 orders for 1,000 events by default, with COPY), then
times every report for one organization over one year, at the database and through the API.

    .venv/bin/python bench/analytics.py
    .venv/bin/python bench/analytics.py --orders 100000 --events 200 --iterations 10
    .venv/bin/python bench/analytics.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Without ``--database-url`` it starts its own PostgreSQL (pgserver) in a temporary directory. With one, it
creates a throw-away database on that server and drops it at the end; ``--keep`` keeps the database (the
embedded one's directory too), ``--reuse NAME`` times a database seeded on that server before again.
Prints one JSON object on stdout: p50/p95 per report, against ``SELECT 1`` and ``GET /health`` timed in
the same run.

The data: ``--organizations`` organizations share the events equally (the timed one has
events / organizations of them); each event sells for up to four months before its start, events start
over the past ten months and the next two, so the year holds every stage. Orders: 78 % paid (of those 4 %
refunded in full, 4 % in part, 15 % with a promo code), the rest expired or cancelled before payment; paid
tickets of past events are 85 % checked in (one entry scan each); page views per event and day.
Events use four time zones; the timed organization sells in two currencies.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import httpx
import psycopg
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tixmo.accounts.models import Role, User
from tixmo.analytics import rollup, service
from tixmo.analytics.filters import ReportFilters
from tixmo.app import create_app
from tixmo.config import Environment, LogFormat, Settings
from tixmo.db import create_database, libpq_conninfo, start_embedded_postgres, stop_embedded_postgres
from tixmo.logging import configure_logging
from tixmo.migrate import upgrade
from tixmo.security import create_access_token

console = Console(stderr=True)
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
TARGET_P95_MS = 200
ZONES = ["Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata"]
NAMES = [
    "Jazz",
    "Rock",
    "Opera",
    "Techno",
    "Folk",
    "Comedy",
    "Derby",
    "Summit",
    "Gala",
    "Ballet",
    "Indie",
    "Cabaret",
    "Blues",
    "Soul",
]
LINE_QUANTITIES = [1, 1, 1, 1, 2, 2, 2, 3, 4, 6]
# Tables filled by COPY, in foreign-key order; their secondary indexes are built after the load.
LOADED = ["orders", "order_items", "payments", "tickets", "scans"]


# --------------------------------------------------------------------------------------------- database


def _with_database(url: str, name: str) -> str:
    parsed = make_url(url.replace("postgres://", "postgresql://", 1)).set(database=name)
    return parsed.render_as_string(hide_password=False)


def prepare_database(server_url: str | None, reuse: str | None, keep: bool) -> tuple[str, Callable[[], None]]:
    """A database URL and a function that cleans it up."""
    if server_url is None:
        tmp = tempfile.mkdtemp(prefix="tixmo-bench-")
        console.print(f"starting embedded PostgreSQL in {tmp}")
        pg_dir = Path(tmp) / "pg"

        def stop() -> None:  # the data set takes a few GB: gone with the server unless --keep
            stop_embedded_postgres(pg_dir)
            if keep:
                console.print(f"kept the database in {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)

        return start_embedded_postgres(pg_dir, database="tixmo_bench"), stop
    if reuse:
        return _with_database(server_url, reuse), lambda: None
    name = f"tixmo_bench_analytics_{os.getpid()}"
    admin_info = libpq_conninfo(_with_database(server_url, "postgres"))
    with psycopg.connect(admin_info, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        if keep:
            console.print(f"kept database {name}")
            return
        with psycopg.connect(admin_info, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return _with_database(server_url, name), drop


# ------------------------------------------------------------------------------------------------ seed


def _text(value: Any) -> str:
    """One field in PostgreSQL's COPY text format (the values here hold no tabs, newlines or backslashes)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class Rows:
    """A table's rows in COPY text format, spooled to a temporary file."""

    def __init__(self, table: str, columns: str) -> None:
        self.table, self.columns = table, columns
        self.file: IO[str] = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by load)
        self.count = 0

    def add(self, *values: Any) -> None:
        self.file.write("\t".join(map(_text, values)) + "\n")
        self.count += 1

    def load(self, cur: psycopg.Cursor[Any], progress: Progress) -> None:
        task = progress.add_task(f"COPY {self.table}", total=self.count)
        self.file.seek(0)
        with cur.copy(f"COPY {self.table} {self.columns} FROM STDIN") as copy:
            done = 0
            for chunk in iter(lambda: self.file.readlines(1 << 20), []):
                copy.write("".join(chunk))
                done += len(chunk)
                progress.update(task, completed=done)
        self.file.close()


@dataclass
class EventPlan:
    id: uuid.UUID
    org: int
    zone: ZoneInfo
    currency: str
    starts: datetime
    types: list[tuple[uuid.UUID, int]]  # (id, price)
    promos: list[tuple[uuid.UUID, str, str, int]]  # (id, code, kind, value)
    sold: dict[uuid.UUID, int] = field(default_factory=lambda: defaultdict(int))
    used: dict[uuid.UUID, int] = field(default_factory=lambda: defaultdict(int))
    views: dict[date, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class Seeded:
    seconds: float
    staff: User
    admin: User
    organization_id: uuid.UUID
    rows: dict[str, int]


def _progress(*, remaining: bool = True) -> Progress:
    columns: list[Any] = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    columns += [TaskProgressColumn(), TimeRemainingColumn() if remaining else TimeElapsedColumn()]
    return Progress(*columns, console=console)


def _plan_events(rng: random.Random, n_events: int, n_orgs: int, now: datetime) -> list[EventPlan]:
    events = []
    for i in range(n_events):
        org = i % n_orgs
        # The timed organization (0) sells a fifth of its events in EUR; the others in one currency each.
        currency = (
            ("EUR" if (i // n_orgs) % 5 == 4 else "USD") if org == 0 else ("USD", "EUR", "GBP")[org % 3]
        )
        starts = now - timedelta(days=300) + timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        starts = starts.replace(second=0, microsecond=0)
        types = [(uuid.uuid4(), rng.randint(10, 150) * 100) for _ in range(rng.randint(1, 3))]
        promos = [
            (uuid.uuid4(), f"SAVE10-{i}", "PERCENTAGE", 1000),
            (uuid.uuid4(), f"FIVE-{i}", "FIXED", 500),
        ]
        events.append(
            EventPlan(uuid.uuid4(), org, ZoneInfo(ZONES[i % len(ZONES)]), currency, starts, types, promos)
        )
    return events


def _discount(subtotal: int, promo: tuple[uuid.UUID, str, str, int] | None) -> int:
    if promo is None:
        return 0
    _, _, kind, value = promo
    if kind == "PERCENTAGE":
        return (subtotal * value + 5000) // 10000
    return min(value, subtotal)


def seed(url: str, args: argparse.Namespace) -> Seeded:
    """Everything the reports read, loaded with COPY; secondary indexes are rebuilt after the load."""
    rng = random.Random(args.seed)
    started = time.perf_counter()
    now = datetime.now(UTC).replace(microsecond=0)
    year_ago = now - timedelta(days=365)
    orgs = [uuid.uuid4() for _ in range(args.organizations)]
    events = _plan_events(rng, args.events, args.organizations, now)
    staff = User(id=uuid.uuid4(), role=Role.PROMOTER.value)
    admin = User(id=uuid.uuid4(), role=Role.ADMIN.value)
    buyers = [uuid.uuid4() for _ in range(args.buyers)]

    orders = Rows(
        "orders",
        "(id, user_id, event_id, status, currency, subtotal_minor, discount_minor, total_minor, "
        "ticket_count, promo_code_id, promo_code, expires_at, confirmed_at, cancelled_at, expired_at, "
        "created_at, updated_at)",
    )
    items = Rows("order_items", "(id, order_id, ticket_type_id, quantity, unit_price_minor, discount_minor)")
    payments = Rows(
        "payments",
        "(id, order_id, user_id, event_id, provider, provider_payment_id, status, currency, amount_minor, "
        "amount_received_minor, amount_refunded_minor, succeeded_at, created_at, updated_at)",
    )
    tickets = Rows(
        "tickets",
        "(id, order_id, event_id, ticket_type_id, owner_id, barcode, status, checked_in_at, cancelled_at, "
        "created_at, updated_at)",
    )
    scans = Rows(
        "scans",
        "(event_id, ticket_id, direction, status, source, message, scanned_at, received_at, conflict)",
    )

    # Popular events sell far more than others (log-normal weights).
    weights = list(itertools.accumulate(rng.lognormvariate(0, 1) for _ in events))
    with _progress() as progress:
        task = progress.add_task("generating orders", total=args.orders)
        for n in range(args.orders):
            event = events[bisect.bisect(weights, rng.random() * weights[-1])]
            window_start = max(year_ago, event.starts - timedelta(days=120))
            window_end = min(now - timedelta(minutes=20), event.starts)
            created = window_start + (window_end - window_start) * rng.random()
            created = created.replace(microsecond=0)
            # Repeat buyers: a few buyers place many of the orders.
            buyer = buyers[int(len(buyers) * rng.random() ** 2.5)]
            lines = rng.sample(event.types, 2 if len(event.types) > 1 and rng.random() < 0.3 else 1)
            quantities = [rng.choice(LINE_QUANTITIES) for _ in lines]
            subtotal = sum(price * q for (_, price), q in zip(lines, quantities, strict=True))
            promo = rng.choice(event.promos) if rng.random() < 0.15 else None
            discount = _discount(subtotal, promo)
            total, count = subtotal - discount, sum(quantities)
            roll = rng.random()
            paid = roll < 0.78
            status = "CONFIRMED" if paid else ("EXPIRED" if roll < 0.9 else "CANCELLED")
            refunded = 0
            if paid and total > 0:
                refund_roll = rng.random()
                if refund_roll < 0.04:
                    status, refunded = "REFUNDED", total
                elif refund_roll < 0.08:
                    status, refunded = "PARTIALLY_REFUNDED", max(1, total // 3)
            order_id = uuid.uuid4()
            confirmed = created + timedelta(seconds=rng.randint(20, 600)) if paid else None
            expires = created + timedelta(minutes=15)
            orders.add(
                order_id,
                buyer,
                event.id,
                status,
                event.currency,
                subtotal,
                discount,
                total,
                count,
                promo[0] if promo else None,
                promo[1] if promo else None,
                expires,
                confirmed,
                now if status in ("CANCELLED", "REFUNDED") else None,
                expires if status == "EXPIRED" else None,
                created,
                confirmed or created,
            )
            left = discount
            for index, ((type_id, price), quantity) in enumerate(zip(lines, quantities, strict=True)):
                share = left if index == len(lines) - 1 else discount * price * quantity // subtotal
                left -= share
                items.add(uuid.uuid4(), order_id, type_id, quantity, price, share)
            event.views[created.astimezone(event.zone).date()] += rng.randint(3, 30)
            if not paid:
                progress.advance(task) if n % 1000 == 0 else None
                continue
            assert confirmed is not None
            if promo is not None:
                event.used[promo[0]] += 1
            if total > 0:
                payment_status = {"REFUNDED": "REFUNDED", "PARTIALLY_REFUNDED": "PARTIALLY_REFUNDED"}.get(
                    status, "SUCCEEDED"
                )
                payments.add(
                    uuid.uuid4(),
                    order_id,
                    buyer,
                    event.id,
                    "manual",
                    f"manual_{order_id.hex}",
                    payment_status,
                    event.currency,
                    total,
                    total,
                    refunded,
                    confirmed,
                    confirmed,
                    confirmed,
                )
            ended = event.starts + timedelta(hours=3) < now
            number = 0
            for (type_id, _), quantity in zip(lines, quantities, strict=True):
                for _ in range(quantity):
                    number += 1
                    cancelled = status == "REFUNDED" or (status == "PARTIALLY_REFUNDED" and number == 1)
                    used = not cancelled and ended and rng.random() < 0.85
                    ticket_status = "CANCELLED" if cancelled else ("USED" if used else "VALID")
                    if not cancelled:
                        event.sold[type_id] += 1
                    ticket_id = uuid.uuid4()
                    entered = event.starts - timedelta(minutes=45) + timedelta(seconds=rng.randint(0, 9000))
                    tickets.add(
                        ticket_id,
                        order_id,
                        event.id,
                        type_id,
                        buyer,
                        uuid.uuid4().hex,
                        ticket_status,
                        entered if used else None,
                        now if cancelled else None,
                        confirmed,
                        confirmed,
                    )
                    if used:
                        scans.add(
                            event.id,
                            ticket_id,
                            "ENTRY",
                            "VALID",
                            "MANUAL",
                            "Welcome",
                            entered,
                            entered,
                            False,
                        )
            if n % 1000 == 0:
                progress.advance(task, 1000)
        progress.update(task, completed=args.orders)

    info = libpq_conninfo(url)
    with psycopg.connect(info) as conn, conn.cursor() as cur:
        try:  # no foreign-key triggers during the load (superusers only; the data is consistent)
            cur.execute("SET session_replication_role = replica")
        except psycopg.errors.InsufficientPrivilege:
            conn.rollback()
        cur.execute(
            "INSERT INTO users (id, email, first_name, last_name, role, created_at, updated_at) VALUES "
            "(%s, 'staff@bench.example', 'Bench', 'Staff', 'PROMOTER', %s, %s), "
            "(%s, 'admin@bench.example', 'Bench', 'Admin', 'ADMIN', %s, %s)",
            (staff.id, now, now, admin.id, now, now),
        )
        with cur.copy(
            "COPY users (id, email, first_name, last_name, role, created_at, updated_at) FROM STDIN"
        ) as copy:
            for i, buyer in enumerate(buyers):
                copy.write_row(
                    (buyer, f"buyer{i}@bench.example", "Buyer", str(i), "CUSTOMER", year_ago, year_ago)
                )
        with cur.copy("COPY organizations (id, name, type, created_at, updated_at) FROM STDIN") as copy:
            for i, org in enumerate(orgs):
                copy.write_row((org, f"Organizer {i}", "PROMOTER", year_ago, year_ago))
        cur.execute(
            "INSERT INTO organization_members (id, organization_id, user_id, role) "
            "VALUES (%s, %s, %s, 'OWNER')",
            (uuid.uuid4(), orgs[0], staff.id),
        )
        columns = (
            "(id, organization_id, name, category, starts_at, ends_at, timezone, currency, capacity, status, "
            "published_at, created_at, updated_at)"
        )
        with cur.copy(f"COPY events {columns} FROM STDIN") as copy:
            for i, event in enumerate(events):
                sold = sum(event.sold.values())
                status = "COMPLETED" if event.starts + timedelta(hours=3) < now else "PUBLISHED"
                copy.write_row(
                    (
                        event.id,
                        orgs[event.org],
                        f"{NAMES[i % len(NAMES)]} Night {i}",
                        "CONCERT",
                        event.starts,
                        event.starts + timedelta(hours=3),
                        event.zone.key,
                        event.currency,
                        max(100, int(sold * 1.25)),
                        status,
                        year_ago,
                        year_ago,
                        year_ago,
                    )
                )
        columns = (
            "(id, event_id, name, price_minor, currency, quantity_total, quantity_sold, created_at, "
            "updated_at)"
        )
        with cur.copy(f"COPY ticket_types {columns} FROM STDIN") as copy:
            for event in events:
                for number, (type_id, price) in enumerate(event.types):
                    sold = event.sold[type_id]
                    copy.write_row(
                        (
                            type_id,
                            event.id,
                            f"Tier {number}",
                            price,
                            event.currency,
                            sold + 50,
                            sold,
                            year_ago,
                            year_ago,
                        )
                    )
        columns = (
            "(id, event_id, code, discount_type, discount_value, used_count, status, created_at, updated_at)"
        )
        with cur.copy(f"COPY promo_codes {columns} FROM STDIN") as copy:
            for event in events:
                for promo_id, code, kind, value in event.promos:
                    copy.write_row(
                        (
                            promo_id,
                            event.id,
                            code,
                            kind,
                            value,
                            event.used[promo_id],
                            "ACTIVE",
                            year_ago,
                            year_ago,
                        )
                    )
        with cur.copy("COPY analytics_page_views (event_id, day, views) FROM STDIN") as copy:
            for event in events:
                for day, views in event.views.items():
                    copy.write_row((event.id, day, views))

        # Secondary indexes go and come back after the load: building one is far faster than updating it.
        cur.execute(
            "SELECT c.relname, i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid "
            "WHERE c.relname = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)",
            (LOADED,),
        )
        indexes = cur.fetchall()
        for _, name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        with _progress(remaining=False) as progress:
            for rows in (orders, items, payments, tickets, scans):
                rows.load(cur, progress)
            task = progress.add_task("building indexes", total=len(indexes))
            for _, _, definition in indexes:
                cur.execute(definition)
                progress.advance(task)
        conn.commit()
    with psycopg.connect(info, autocommit=True) as conn:
        console.print("VACUUM ANALYZE")
        conn.execute("VACUUM ANALYZE")
    counts = {rows.table: rows.count for rows in (orders, items, payments, tickets, scans)}
    return Seeded(time.perf_counter() - started, staff, admin, orgs[0], counts)


def find_seeded(url: str) -> Seeded:
    """The staff, ADMIN and timed organization of a database seeded earlier (``--reuse``)."""
    with psycopg.connect(libpq_conninfo(url)) as conn:
        staff_id, org_id = conn.execute(
            "SELECT u.id, m.organization_id FROM users u JOIN organization_members m ON m.user_id = u.id "
            "WHERE u.email = 'staff@bench.example'"
        ).fetchone()  # type: ignore[misc]
        admin_id = conn.execute("SELECT id FROM users WHERE email = 'admin@bench.example'").fetchone()[0]  # type: ignore[index]
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in LOADED}  # type: ignore[index]  # noqa: S608
    staff = User(id=staff_id, role=Role.PROMOTER.value)
    admin = User(id=admin_id, role=Role.ADMIN.value)
    return Seeded(0.0, staff, admin, org_id, counts)


# ------------------------------------------------------------------------------------------- timing


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2), "mean_ms": round(statistics.fmean(ordered), 2)}


async def timed(call: Callable[[], Awaitable[Any]], iterations: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        await call()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


REPORTS = ["sales", "events", "customers", "promo-codes", "dashboard", "funnel"]


async def run(url: str, seeded: Seeded, iterations: int) -> dict[str, Any]:
    settings = Settings(
        env=Environment.TEST,
        data_dir=Path(tempfile.gettempdir()) / "tixmo-bench-analytics-data",
        database_url=url,
        secret_key=SECRET,
        run_worker=False,
        seed_demo=False,
        log_level="WARNING",
        rate_limit_enabled=False,
    )
    now = datetime.now(UTC).replace(microsecond=0)
    year = {"from": (now - timedelta(days=365)).isoformat(), "to": now.isoformat()}
    params = {"organizationId": str(seeded.organization_id), **year}
    filters = ReportFilters(organization_id=seeded.organization_id, start=now - timedelta(days=365), end=now)
    database = create_database(url, settings)
    results: dict[str, Any] = {}
    everything: dict[str, Any] = {}
    try:
        # The rollups, built from nothing (what the first run after the migration does), then one minute's
        # refresh as the periodic job runs it.
        console.print("building the sales rollups")
        started = time.perf_counter()
        await rollup.refresh(database.sessionmaker)
        rollup_build = time.perf_counter() - started
        refresh = percentiles(await timed(lambda: rollup.refresh(database.sessionmaker), 5, warmup=0))
        async with database.sessionmaker() as session:
            timed_orders = int(
                await session.scalar(
                    text(
                        "SELECT count(*) FROM orders o JOIN events e ON e.id = o.event_id "
                        "WHERE e.organization_id = :org AND o.confirmed_at >= :start"
                    ),
                    {"org": seeded.organization_id, "start": now - timedelta(days=365)},
                )
                or 0
            )

        with _progress(remaining=False) as progress:
            task = progress.add_task("service (database)", total=len(REPORTS) + 1)
            for name in REPORTS:

                async def call(name: str = name) -> None:
                    async with service.snapshot(database.sessionmaker) as session:
                        await service.compute(session, seeded.staff, name, filters)

                results[name] = {"service": percentiles(await timed(call, iterations))}
                progress.advance(task)

            async def select_one() -> None:
                async with database.sessionmaker() as session:
                    await session.execute(text("SELECT 1"))

            baseline_db = percentiles(await timed(select_one, iterations))
            progress.advance(task)

            # The same reports over every organization (an ADMIN's view of all the orders): no target.
            task = progress.add_task("service, all organizations (ADMIN)", total=len(REPORTS))
            all_filters = ReportFilters(start=now - timedelta(days=365), end=now)
            for name in REPORTS:

                async def call_all(name: str = name) -> None:
                    async with service.snapshot(database.sessionmaker) as session:
                        await service.compute(session, seeded.admin, name, all_filters)

                everything[name] = percentiles(await timed(call_all, max(3, iterations // 5), warmup=1))
                progress.advance(task)
    finally:
        await database.dispose()

    app = create_app(settings, database_url=url)
    token, _ = create_access_token(SECRET, seeded.staff.id, seeded.staff.role, timedelta(hours=1))
    headers = {"Authorization": f"Bearer {token}"}
    extra: dict[str, Any] = {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench/api/v1") as client,
    ):

        async def health() -> None:
            (await client.get("/health")).raise_for_status()

        baseline_api = percentiles(await timed(health, iterations))

        async def get(name: str, query: dict[str, str]) -> None:
            response = await client.get(f"/analytics/{name}", params=query, headers=headers)
            response.raise_for_status()

        with _progress(remaining=False) as progress:
            task = progress.add_task("API (JSON, CSV, PDF)", total=len(REPORTS))
            for name in REPORTS:
                results[name]["api_json"] = percentiles(
                    await timed(lambda n=name: get(n, params), iterations)
                )
                few = max(3, iterations // 3)
                csv_query, pdf_query = {**params, "format": "csv"}, {**params, "format": "pdf"}
                results[name]["api_csv"] = percentiles(
                    await timed(lambda n=name, q=csv_query: get(n, q), few)
                )
                results[name]["api_pdf"] = percentiles(
                    await timed(lambda n=name, q=pdf_query: get(n, q), few)
                )
                progress.advance(task)
        # Days cut in another zone than the events': the rollups do not serve them, the orders do.
        utc = {**params, "tz": "UTC"}
        extra["sales_tz_override_api_json"] = percentiles(
            await timed(lambda: get("sales", utc), max(3, iterations // 3))
        )
    for figures in results.values():
        figures["meets_target"] = figures["api_json"]["p95_ms"] < TARGET_P95_MS
    return {
        "timed_organization_paid_orders": timed_orders,
        "rollup_build_seconds": round(rollup_build, 1),
        "rollup_refresh": refresh,
        "reports": results,
        "extra": extra,
        "all_organizations_admin_service": everything,
        "baseline": {"db_select_1": baseline_db, "api_health": baseline_api},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--organizations", type=int, default=10)
    parser.add_argument("--buyers", type=int, default=200_000)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a throw-away database on")
    parser.add_argument("--keep", action="store_true", help="keep the seeded database")
    parser.add_argument("--reuse", metavar="NAME", help="time the seeded database NAME again (no seeding)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    configure_logging(LogFormat.CONSOLE, "WARNING")  # logs go to stderr; stdout carries only the JSON
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")

    url, cleanup = prepare_database(args.database_url, args.reuse, args.keep)
    try:
        if args.reuse:
            seeded = find_seeded(url)
        else:
            console.print("running migrations")
            upgrade(url)
            seeded = seed(url, args)
        timings = asyncio.run(run(url, seeded, args.iterations))
        report = {
            "orders": seeded.rows["orders"],
            "rows": seeded.rows,
            "events": args.events,
            "organizations": args.organizations,
            "timed": "one organization, one year (from = now - 365 days, to = now)",
            "seed_seconds": round(seeded.seconds, 1),
            "iterations": args.iterations,
            "target_p95_ms": TARGET_P95_MS,
            **timings,
        }
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    finally:
        cleanup()


if __name__ == "__main__":
    main()

"""Event search benchmark: seeds N events, then times filtered searches at the database and through the API.

    .venv/bin/python bench/search.py --events 100000
    .venv/bin/python bench/search.py --events 20000 --database-url postgresql://postgres@127.0.0.1:5432/postgres

Without ``--database-url`` it starts its own PostgreSQL (pgserver) in a temporary directory. With one, it
creates a throw-away database on that server and drops it at the end. Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

from tixmo.accounts.models import Role, User
from tixmo.app import create_app
from tixmo.config import Environment, LogFormat, Settings
from tixmo.db import libpq_conninfo, start_embedded_postgres
from tixmo.events import service
from tixmo.events.models import EventCategory
from tixmo.logging import configure_logging
from tixmo.migrate import upgrade
from tixmo.security import create_access_token

console = Console(stderr=True)
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
TARGETS = {"db_p95_ms": 20, "api_p95_ms": 40}


def _words(text: str) -> list[str]:
    return text.split()


ADJECTIVES = _words(
    "Midnight Summer Winter Golden Electric Acoustic Grand Little Open Secret Urban Royal Wild Silent "
    "Neon Velvet Cosmic Late Sunday Friday Spring Autumn Harbour Rooftop Garden"
)
THEMES = {
    "CONCERT": _words(
        "Jazz Rock Blues Soul Symphony Opera Piano Techno Indie Folk Metal Choir Orchestra Reggae"
    ),
    "FESTIVAL": _words("Fest Carnival Fiesta Gathering Festival Weekender Parade Jamboree"),
    "SPORTS": _words("Marathon Derby Cup Championship Tournament Regatta Match Grand-Prix"),
    "THEATER": _words("Hamlet Musical Drama Tragedy Ballet Cabaret Pantomime Premiere"),
    "COMEDY": _words("Standup Improv Roast Sketch Comedy Laughs"),
    "CONFERENCE": _words("Summit Conference Forum Symposium Expo Congress"),
    "WORKSHOP": _words("Workshop Masterclass Bootcamp Lab Clinic Course"),
    "EXHIBITION": _words("Exhibition Gallery Showcase Retrospective Biennale Fair"),
    "NIGHTLIFE": _words("Party Rave Disco Club Night Session Afterhours"),
    "OTHER": _words("Meetup Market Tour Tasting Screening Auction"),
}
NOUNS = _words("Night Session Live Experience Edition Special Weekend Evening Show Tour Sessions Gala")
VOCABULARY = _words(
    "an unforgettable evening with live music great food and friends join us for the best party in town "
    "featuring international artists local heroes special guests limited tickets available early birds "
    "welcome family friendly outdoor stage indoor hall drinks included vegan options accessible venue "
    "dance until sunrise learn from experts network with peers celebrate the season discover new talent "
    "saxophone guitars drums strings vocals lights visuals poetry theatre cinema wine beer coffee"
)
TAGS = _words(
    "jazz rock live outdoor family free vip indie techno house summer winter kids food wine art tech "
    "comedy classical pop acoustic charity students weekend late-night rooftop"
)
CITIES = _words("Berlin Paris Lisbon Austin Chicago Toronto Oslo Vienna Madrid Dublin Prague Seoul")
STATUSES = ["PUBLISHED"] * 70 + ["DRAFT"] * 15 + ["CANCELLED"] * 5 + ["COMPLETED"] * 10


# --------------------------------------------------------------------------------------------- database


def _with_database(url: str, name: str) -> str:
    parsed = make_url(url.replace("postgres://", "postgresql://", 1)).set(database=name)
    return parsed.render_as_string(hide_password=False)


def prepare_database(server_url: str | None) -> tuple[str, Callable[[], None]]:
    """A fresh database URL and a function that cleans it up."""
    if server_url is None:
        tmp = tempfile.mkdtemp(prefix="tixmo-bench-")
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


# ------------------------------------------------------------------------------------------------ seed


def _description(rng: random.Random) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(12, 40))).capitalize() + "."


def _events(
    rng: random.Random, n: int, venues: list[tuple[uuid.UUID, uuid.UUID, str]]
) -> Iterator[tuple[Any, ...]]:
    now = datetime.now(UTC)
    categories = list(EventCategory)
    for _ in range(n):
        venue_id, org_id, tz = rng.choice(venues)
        category = rng.choice(categories).value
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(THEMES[category])} {rng.choice(NOUNS)}"
        starts = now + timedelta(minutes=rng.randint(-365 * 24 * 60, 365 * 24 * 60))
        status = rng.choice(STATUSES)
        if status == "COMPLETED" and starts > now:
            status = "PUBLISHED"
        tags = "{" + ",".join(rng.sample(TAGS, rng.randint(0, 5))) + "}"
        published = now if status != "DRAFT" else None
        yield (
            uuid.uuid4(),
            org_id,
            venue_id,
            name,
            _description(rng),
            category,
            tags,
            starts,
            starts + timedelta(hours=rng.randint(1, 8)),
            tz,
            rng.choice([None, 100, 500, 2000]),
            status,
            published,
            now,
            now,
        )


def seed(url: str, n_events: int, n_orgs: int, seed_value: int) -> tuple[float, User]:
    """Organizations, venues, a staff user, N events and their ticket types (COPY): (seconds, staff user)."""
    rng = random.Random(seed_value)
    started = time.perf_counter()
    now = datetime.now(UTC)
    orgs = [uuid.uuid4() for _ in range(n_orgs)]
    venues = [(uuid.uuid4(), org, "Europe/Berlin") for org in orgs for _ in range(2)]
    staff = User(id=uuid.uuid4(), role=Role.PROMOTER.value)
    with psycopg.connect(libpq_conninfo(url)) as conn, conn.cursor() as cur:
        with cur.copy("COPY organizations (id, name, type, created_at, updated_at) FROM STDIN") as copy:
            for i, org in enumerate(orgs):
                copy.write_row((org, f"Organizer {i}", "PROMOTER", now, now))
        columns = "(id, organization_id, name, address_line1, city, postal_code, country, capacity, timezone)"
        with cur.copy(f"COPY venues {columns} FROM STDIN") as copy:
            for i, (venue, org, tz) in enumerate(venues):
                copy.write_row(
                    (venue, org, f"Hall {i}", "Main St 1", rng.choice(CITIES), "10115", "DE", 5000, tz)
                )
        cur.execute(
            "INSERT INTO users (id, email, first_name, last_name, role, created_at, updated_at) "
            "VALUES (%s, %s, 'Bench', 'Staff', 'PROMOTER', now(), now())",
            (staff.id, f"staff-{staff.id.hex[:8]}@example.com"),
        )
        cur.execute(
            "INSERT INTO organization_members (id, organization_id, user_id, role) "
            "VALUES (%s, %s, %s, 'OWNER')",
            (uuid.uuid4(), orgs[0], staff.id),
        )
        columns = (
            "(id, organization_id, venue_id, name, description, category, tags, starts_at, ends_at, "
            "timezone, capacity, status, published_at, created_at, updated_at)"
        )
        with (
            Progress(
                TextColumn("seeding events"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
            ) as progress,
            cur.copy(f"COPY events {columns} FROM STDIN") as copy,
        ):
            task = progress.add_task("events", total=n_events)
            event_ids: list[uuid.UUID] = []
            for i, row in enumerate(_events(rng, n_events, venues), start=1):
                copy.write_row(row)
                event_ids.append(row[0])
                if i % 1000 == 0 or i == n_events:
                    progress.update(task, completed=i)
        columns = (
            "(id, event_id, name, price_minor, currency, quantity_total, quantity_sold, "
            "created_at, updated_at)"
        )
        with cur.copy(f"COPY ticket_types {columns} FROM STDIN") as copy:
            for event_id in event_ids:
                for kind in rng.sample(["General", "VIP", "Early bird", "Student"], rng.randint(1, 3)):
                    total = rng.choice([50, 100, 250])
                    sold = total if rng.random() < 0.1 else rng.randint(0, total)
                    price = rng.randint(5, 150) * 100
                    copy.write_row((uuid.uuid4(), event_id, kind, price, "USD", total, sold, now, now))
        conn.commit()
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started, staff


# ------------------------------------------------------------------------------------------- scenarios


def scenarios(staff: User, org_id: uuid.UUID | None) -> dict[str, tuple[User | None, service.EventFilters]]:
    now = datetime.now(UTC).replace(microsecond=0)
    upcoming = service.EventFilters(starts_from=now)
    return {
        "public_upcoming": (None, upcoming),
        "public_text_prefix": (None, service.EventFilters(q="jaz")),
        "public_text_two_words": (None, service.EventFilters(q="summer fest")),
        "public_description_word": (None, service.EventFilters(q="saxophone rooftop")),
        "public_category_upcoming": (None, service.EventFilters(category="CONCERT", starts_from=now)),
        "public_tag_upcoming": (None, service.EventFilters(tags=["jazz"], starts_from=now)),
        "public_text_category_tag": (
            None,
            service.EventFilters(q="night", category="NIGHTLIFE", tags=["techno"], sort="-startsAt"),
        ),
        "public_date_window_by_name": (
            None,
            service.EventFilters(starts_from=now, starts_to=now + timedelta(days=7), sort="name"),
        ),
        "staff_all_statuses": (staff, service.EventFilters(organization_id=org_id)),
        "staff_drafts": (staff, service.EventFilters(status="DRAFT")),
    }


def compile_sql(viewer: User | None, filters: service.EventFilters) -> tuple[str, str]:
    count, page = service.search_statements(viewer, filters, offset=0, limit=20)
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    render = {"literal_binds": True}
    return str(count.compile(dialect=dialect, compile_kwargs=render)), str(
        page.compile(dialect=dialect, compile_kwargs=render)
    )


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(p50, 3), round(p95, 3), round(statistics.fmean(ordered), 3)


def time_db(conn: psycopg.Connection[Any], statements: tuple[str, ...], iterations: int) -> list[float]:
    for statement in statements:  # warm-up
        conn.execute(statement).fetchall()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        for statement in statements:
            conn.execute(statement).fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def index_names(conn: psycopg.Connection[Any], statement: str) -> list[str]:
    plan = conn.execute(f"EXPLAIN (FORMAT JSON) {statement}").fetchone()
    assert plan is not None
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if "Index Name" in node:
            found.add(f"{node['Node Type']}:{node['Index Name']}")
        elif node.get("Node Type") == "Seq Scan":
            found.add(f"Seq Scan:{node.get('Relation Name')}")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0][0]["Plan"])
    return sorted(found)


def _params(filters: service.EventFilters) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = [("limit", "20")]
    for key, value in (
        ("q", filters.q),
        ("category", filters.category),
        ("organizationId", filters.organization_id),
        ("from", filters.starts_from.isoformat() if filters.starts_from else None),
        ("to", filters.starts_to.isoformat() if filters.starts_to else None),
        ("status", filters.status),
        ("sort", filters.sort),
    ):
        if value is not None:
            params.append((key, str(value)))
    params.extend(("tag", tag) for tag in filters.tags)
    return params


async def time_api(call: Callable[[], Awaitable[httpx.Response]], iterations: int) -> list[float]:
    for _ in range(3):
        (await call()).raise_for_status()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        response = await call()
        samples.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return samples


async def run_api(
    url: str, cases: dict[str, tuple[User | None, service.EventFilters]], staff: User, iterations: int
) -> tuple[dict[str, list[float]], list[float], dict[str, int]]:
    settings = Settings(
        env=Environment.TEST,
        data_dir=Path(tempfile.mkdtemp(prefix="tixmo-bench-data-")),
        database_url=url,
        secret_key=SECRET,
        run_worker=False,
        seed_demo=False,
        log_level="WARNING",
        rate_limit_enabled=False,
    )
    app = create_app(settings, database_url=url)
    token, _ = create_access_token(SECRET, staff.id, staff.role, timedelta(hours=1))
    staff_headers = {"Authorization": f"Bearer {token}"}
    results: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench/api/v1") as client,
    ):
        health = await time_api(lambda: client.get("/health"), iterations)
        for name, (viewer, filters) in cases.items():
            headers = staff_headers if viewer is not None else {}
            params = _params(filters)
            first = await client.get("/events", params=params, headers=headers)
            first.raise_for_status()
            totals[name] = int(first.json()["meta"]["total"])
            results[name] = await time_api(
                lambda params=params, headers=headers: client.get("/events", params=params, headers=headers),
                iterations,
            )
    return results, health, totals


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--organizations", type=int, default=300)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a throw-away database on")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    configure_logging(LogFormat.CONSOLE, "WARNING")  # logs go to stderr; stdout carries only the JSON
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")

    url, cleanup = prepare_database(args.database_url)
    try:
        console.print("running migrations")
        upgrade(url)
        seed_seconds, staff = seed(url, args.events, args.organizations, args.seed)
        with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
            row = conn.execute(
                "SELECT organization_id FROM organization_members WHERE user_id = %s", (staff.id,)
            ).fetchone()
            org_id = row[0] if row else None
            cases = scenarios(staff, org_id)
            queries: dict[str, dict[str, Any]] = {}
            plans: dict[str, list[str]] = {}
            with Progress(TextColumn("{task.description}"), BarColumn(), console=console) as progress:
                task = progress.add_task("database", total=len(cases))
                for name, (viewer, filters) in cases.items():
                    count_sql, page_sql = compile_sql(viewer, filters)
                    p50, p95, mean = percentiles(time_db(conn, (count_sql, page_sql), args.iterations))
                    queries[name] = {"db_p50_ms": p50, "db_p95_ms": p95, "db_mean_ms": mean}
                    plans[name] = sorted(set(index_names(conn, count_sql) + index_names(conn, page_sql)))
                    progress.advance(task)
            select_one = percentiles(time_db(conn, ("SELECT 1",), args.iterations))

        console.print("timing the API")
        api, health, totals = asyncio.run(run_api(url, cases, staff, args.iterations))
        for name, samples in api.items():
            p50, p95, mean = percentiles(samples)
            queries[name].update(api_p50_ms=p50, api_p95_ms=p95, api_mean_ms=mean, total=totals[name])
        health_p = percentiles(health)
        report = {
            "events": args.events,
            "seed_seconds": round(seed_seconds, 2),
            "iterations": args.iterations,
            "queries": queries,
            "baseline": {
                "db_select_1": dict(zip(("p50_ms", "p95_ms", "mean_ms"), select_one, strict=True)),
                "api_health": dict(zip(("p50_ms", "p95_ms", "mean_ms"), health_p, strict=True)),
            },
            "targets": TARGETS,
            "plans": plans,
        }
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    finally:
        cleanup()


if __name__ == "__main__":
    main()

"""Test fixtures: a real PostgreSQL (embedded by default) built by the Alembic migrations.

``TIXMO_TEST_DATABASE_URL`` points the suite at another server; a fresh database is created there
for the run. Every test starts from empty tables (truncated after each test), so tests that commit
concurrently from many connections stay isolated.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import reactions
from tixmo.app import create_app
from tixmo.config import Environment, Settings
from tixmo.db import libpq_conninfo, start_embedded_postgres
from tixmo.deps import AppContext
from tixmo.migrate import upgrade
from tixmo.models import Base

ROOT = Path(__file__).resolve().parents[1]
TEST_DB_NAME = f"tixmo_test_{os.getpid()}"
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"

reactions.install()  # as every TixMo process does at start-up (tixmo.reactions)


def _server_url() -> str:
    override = os.environ.get("TIXMO_TEST_DATABASE_URL")
    if override:
        return override
    return start_embedded_postgres(ROOT / ".tixmo-data" / "test-pg", database="postgres")


def _with_database(url: str, name: str) -> str:
    return (
        make_url(url.replace("postgres://", "postgresql://", 1))
        .set(database=name)
        .render_as_string(hide_password=False)
    )


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    server = _server_url()
    admin = psycopg.connect(libpq_conninfo(_with_database(server, "postgres")), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{TEST_DB_NAME}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{TEST_DB_NAME}"')
    url = _with_database(server, TEST_DB_NAME)
    upgrade(url)
    yield url
    admin.execute(f'DROP DATABASE IF EXISTS "{TEST_DB_NAME}" WITH (FORCE)')
    admin.close()


def make_settings(tmp_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": Environment.TEST,
        "data_dir": tmp_dir,
        "database_url": "postgresql://unused",  # replaced by the fixture's URL; marks "not embedded"
        "secret_key": TEST_SECRET,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 1024,
        "run_worker": False,
        "seed_demo": False,
        "max_body_bytes": 65536,
        # Tests time-travel holds (UPDATE orders SET expires_at = …) and expect the very next order to see
        # it; the sold-out flag is cleared by an asynchronous NOTIFY. Its own tests turn it on
        # (tests/orders/test_orders_sold_out.py).
        "order_sold_out_flag": False,
        # Floods of 200 requests at once (tests/orders/test_orders_concurrency.py) wait for one of the
        # pool's connections longer than production's 5 s when the machine is loaded, and would be answered
        # 503: these tests are about what the answers say, not about the wait. The overload tests set
        # their own short timeout (tests/hardening/test_overload.py).
        "db_pool_timeout": 60,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@asynccontextmanager
async def app_client(settings: Settings, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An app of its own on the test database (its own pool, coalescer and limits: another API process,
    or other settings), started, and a client of its API."""
    application = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as http:
            yield http


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
async def app(settings: Settings, database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
def context(app: FastAPI) -> AppContext:
    ctx: AppContext = app.state.context
    return ctx


TABLES_TO_KEEP = {"alembic_version"}


@pytest.fixture(autouse=True)
async def _clean_database(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    uses_db = "database_url" in request.fixturenames
    url: str = request.getfixturevalue("database_url") if uses_db else ""
    ctx: AppContext | None = request.getfixturevalue("context") if "app" in request.fixturenames else None
    yield
    if not uses_db:
        return
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in TABLES_TO_KEEP]
    tables += ["procrastinate_jobs", "procrastinate_periodic_defers", "procrastinate_events"]
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(url), autocommit=True) as conn:
        await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    if ctx is not None:
        await ctx.rate_limiter.reset()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as http:
        yield http


@pytest.fixture
async def session(context: AppContext) -> AsyncIterator[AsyncSession]:
    """A session for factories and assertions; factories commit so the API sees their rows."""
    async with context.database.sessionmaker() as db_session:
        yield db_session


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"

"""Database: declarative base, engine and session factory, and the embedded PostgreSQL."""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import DateTime, MetaData, Select, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.util import await_only

from tixmo.config import Settings

log = structlog.get_logger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

EMBEDDED_DB_NAME = "tixmo"

# ``ForeignKey(..., **DEFERRED)``: checked at commit instead of at insert (see orders/models.py for why).
DEFERRED: dict[str, Any] = {"deferrable": True, "initially": "DEFERRED"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=lambda: utcnow())
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), default=lambda: utcnow(), onupdate=lambda: utcnow()
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------------------------- URLs


def async_url(url: str) -> URL:
    """The SQLAlchemy URL for the asyncpg driver, whatever form the configured URL has."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+asyncpg")


def sync_url(url: str) -> URL:
    """The SQLAlchemy URL for psycopg (Alembic migrations and the seeding tools)."""
    return async_url(url).set(drivername="postgresql+psycopg")


def libpq_conninfo(url: str) -> str:
    """A libpq connection string (procrastinate's psycopg connector)."""
    parsed = async_url(url)
    parts: dict[str, Any] = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "dbname": parsed.database,
    }
    for key, value in parsed.query.items():
        parts[key] = value if isinstance(value, str) else value[0]
    return " ".join(f"{key}={_quote(str(value))}" for key, value in parts.items() if value not in (None, ""))


def _quote(value: str) -> str:
    if value and all(ch not in value for ch in " '\\"):
        return value
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


# ------------------------------------------------------------------------------------ embedded server

_embedded_lock = threading.Lock()
_embedded_servers: dict[Path, Any] = {}


def start_embedded_postgres(pg_dir: Path, database: str = EMBEDDED_DB_NAME) -> str:
    """Start (or join) the PostgreSQL that pgserver ships in its wheel; return a URL to ``database``.

    The server keeps its data in ``pg_dir`` and stops when the last process using it exits.
    """
    import pgserver  # imported lazily: a configured database never needs it

    logging.getLogger("pgserver").setLevel(logging.WARNING)

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
        raise ValueError(f"not a safe database name: {database!r}")
    pg_dir = pg_dir.resolve()
    with _embedded_lock:
        server = _embedded_servers.get(pg_dir)
        if server is None:
            pg_dir.mkdir(parents=True, exist_ok=True)
            log.info("embedded_postgres.starting", data_dir=str(pg_dir))
            server = pgserver.get_server(pg_dir, cleanup_mode="stop")  # type: ignore[attr-defined]
            _embedded_servers[pg_dir] = server
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
        if "(1 row)" not in exists:
            server.psql(f'CREATE DATABASE "{database}";')
        socket_dir = make_url(server.get_uri()).query.get("host")
    return f"postgresql://postgres@/{database}?host={socket_dir}"


def resolve_database_url(settings: Settings) -> str:
    """The configured database URL, or the embedded server's when none is configured."""
    if settings.database_url:
        return settings.database_url
    return start_embedded_postgres(settings.data_dir / "pg")


# ------------------------------------------------------------------------------------------ engine


@dataclass
class Database:
    url: str
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]

    async def dispose(self) -> None:
        await self.engine.dispose()


# ``connection_record.info`` key: until when (``time.monotonic()``) the connection skips the checkout ping.
SKIP_PING_UNTIL = "tixmo_skip_ping_until"


def ping_on_checkout(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
    """The pool's ``checkout`` listener: a pooled connection is checked with one round trip (``;``) before
    each use, and a dead one (the server restarted, the connection was killed) is replaced.

    SQLAlchemy's ``pool_pre_ping`` does the same with three on asyncpg (``BEGIN``, ``;``, ``ROLLBACK``) — a
    third of the round trips of a flash-sale order. Raising ``DisconnectionError`` from a ``checkout``
    listener is SQLAlchemy's documented way to have the pool discard the connection and connect anew.

    A connection returned to the pool moments ago (``TIXMO_DB_PING_SKIP_MS``, set by ``skip_ping_after``)
    is not pinged: it was working then. The price: a connection killed within that window fails the one
    request that gets it next (which invalidates it), as it would have failed a request in flight anyway.
    """
    if connection_record.info.get(SKIP_PING_UNTIL, 0.0) > time.monotonic():
        return
    try:
        await_only(dbapi_connection.driver_connection.fetchrow(";"))
    except Exception as exc:
        raise DisconnectionError(f"stale pooled connection: {exc}") from exc


def skip_ping_after(window: timedelta) -> Callable[[Any, Any], None]:
    """The pool's ``checkin`` listener: the connection skips the checkout ping for ``window``."""
    seconds = window.total_seconds()

    def checkin(dbapi_connection: Any, connection_record: Any) -> None:
        connection_record.info[SKIP_PING_UNTIL] = time.monotonic() + seconds

    return checkin


def create_database(url: str, settings: Settings) -> Database:
    engine = create_async_engine(
        async_url(url),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=False,  # ping_on_checkout does it in one round trip instead of three
        pool_timeout=30,
        connect_args={
            "server_settings": {
                "application_name": "tixmo",
                "timezone": "UTC",
                # Searches ask for custom plans themselves (events.service.list_events); the rest keep
                # PostgreSQL's default plan caching.
            }
        },
    )
    event.listen(engine.sync_engine.pool, "checkout", ping_on_checkout)
    if settings.db_ping_skip_ms > 0:
        event.listen(
            engine.sync_engine.pool,
            "checkin",
            skip_ping_after(timedelta(milliseconds=settings.db_ping_skip_ms)),
        )
    return Database(
        url=url,
        engine=engine,
        sessionmaker=async_sessionmaker(engine, expire_on_commit=False, autoflush=False),
    )


async def fetch_page(
    session: AsyncSession, query: Select[*tuple[Any, ...]], *order_by: Any, offset: int, limit: int
) -> tuple[list[Any], int]:
    """One page of ``query`` in ``order_by`` order, and the total count. Rows are the entities for a
    one-entity query, else tuples. The page query is skipped when the offset is past the end."""
    total = int(await session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)
    if total <= offset:
        return [], total
    result = await session.execute(query.order_by(*order_by).offset(offset).limit(limit))
    rows = result.all()
    single = len(query.column_descriptions) == 1
    return [row[0] if single else tuple(row) for row in rows], total


def like_pattern(text: str) -> str:
    """A ``%text%`` pattern for ``ILIKE … ESCAPE '\\'`` with the user's wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

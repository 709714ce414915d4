"""Database: declarative base, engine and session factory, and the embedded PostgreSQL."""

from __future__ import annotations

import atexit
import fcntl
import itertools
import json
import logging
import os
import re
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
import structlog
from sqlalchemy import DateTime, MetaData, Select, any_, bindparam, event, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine
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


def any_of(column: Any, values: Collection[Any], kind: TypeEngine[Any]) -> Any:
    """``column = ANY(:array)``: one parameter, however many values (``IN`` renders one per value:
    10,000 of them to compile, send and parse)."""
    return column == any_(bindparam(None, list(values), type_=ARRAY(kind)))


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
#
# pgserver runs the PostgreSQL of its wheel in a data directory. TixMo keeps its own list of the processes
# using that server (pgserver's forgets nobody who died, so after one crash it never stopped the server
# again) in ``<data dir>.holders`` beside it, under an exclusive file lock that also covers starting and
# stopping: the first process in starts the server (or takes over one left running by a crash), the last
# one out stops it. A holder is a PID with its start time, so a PID reused by another process is no
# holder. A ``postmaster.pid`` whose PID is not this directory's postmaster (a crash, then a reboot) is
# removed before the start; pgserver would otherwise take the unrelated process for the server.

HOLDERS_SUFFIX = ".holders"
EMBEDDED_READY_SECONDS = 60.0  # a server found starting (crash recovery) gets this long to become ready
EMBEDDED_STOP_SECONDS = 60


@dataclass(frozen=True)
class _Holder:
    pid: int
    started: float  # the process's creation time (psutil): tells a reused PID from the holder

    @classmethod
    def me(cls) -> _Holder:
        return cls(os.getpid(), psutil.Process().create_time())

    def is_alive(self) -> bool:
        try:
            return abs(psutil.Process(self.pid).create_time() - self.started) < 0.01
        except psutil.Error:
            return False


@contextmanager
def _holders_locked(pg_dir: Path) -> Iterator[tuple[list[_Holder], Callable[[list[_Holder]], None]]]:
    """The live holders of ``pg_dir``'s server and a function to save a new list, under the file lock."""
    path = pg_dir.with_name(pg_dir.name + HOLDERS_SUFFIX)
    with path.open("a+") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file is closed
        file.seek(0)
        try:
            entries = json.loads(file.read() or "[]")
            holders = [_Holder(int(entry["pid"]), float(entry["started"])) for entry in entries]
        except (ValueError, TypeError, KeyError):
            holders = []  # a torn or foreign file: nobody alive is on it that the next start misses

        def save(new: list[_Holder]) -> None:
            file.seek(0)
            file.truncate()
            file.write(json.dumps([{"pid": h.pid, "started": h.started} for h in new]))
            file.flush()

        yield [holder for holder in holders if holder.is_alive()], save


def _postmaster_lines(pg_dir: Path) -> list[str] | None:
    try:
        return (pg_dir / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return None


def _is_postmaster_of(pid: int, pg_dir: Path) -> bool:
    """Whether ``pid`` is the postmaster serving ``pg_dir`` (``postgres -D <pg_dir> …``). A process whose
    command line cannot be read counts as one: its lock file is never removed on a guess."""
    try:
        process = psutil.Process(pid)
        if process.name() != "postgres":
            return False
        cmdline = process.cmdline()
    except psutil.AccessDenied:
        return True
    except psutil.Error:
        return False
    return any(arg == "-D" and value == str(pg_dir) for arg, value in itertools.pairwise(cmdline))


def _recover_stale_server(pg_dir: Path) -> None:
    """Leave ``pg_dir`` with no ``postmaster.pid`` or with a ready server of its own: a lock file naming a
    process that is not this directory's postmaster is removed (with its socket's lock file), a server
    still starting is waited for."""
    deadline = time.monotonic() + EMBEDDED_READY_SECONDS
    while (lines := _postmaster_lines(pg_dir)) is not None:
        pid = int(lines[0]) if lines and lines[0].strip().isdigit() else None
        if pid is None or not _is_postmaster_of(pid, pg_dir):
            log.warning("embedded_postgres.stale_lock_removed", data_dir=str(pg_dir), pid=pid)
            if len(lines) >= 5 and lines[3].strip() and lines[4].strip():
                socket_lock = Path(lines[4].strip()) / f".s.PGSQL.{lines[3].strip()}.lock"
                socket_lock.unlink(missing_ok=True)
            (pg_dir / "postmaster.pid").unlink(missing_ok=True)
            return
        status = lines[7].strip() if len(lines) >= 8 else "starting"
        if status == "ready":
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the PostgreSQL in {pg_dir} (pid {pid}) is not ready: {status}")
        time.sleep(0.1)  # polling a file the server writes, until the deadline


@dataclass
class _Embedded:
    server: Any  # pgserver.PostgresServer
    pid: int  # the process that joined (a forked child does not hold the server)


_embedded_lock = threading.Lock()
_embedded: dict[Path, _Embedded] = {}


def start_embedded_postgres(pg_dir: Path, database: str = EMBEDDED_DB_NAME) -> str:
    """Start (or join) the PostgreSQL that pgserver ships in its wheel; return a URL to ``database``.

    The server keeps its data in ``pg_dir``. Several processes may use it at once (two ``tixmo serve``, a
    ``tixmo worker``, test runs): it stops when the last of them calls ``stop_embedded_postgres`` or exits.
    """
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
        raise ValueError(f"not a safe database name: {database!r}")
    pg_dir = pg_dir.resolve()
    with _embedded_lock:
        held = _embedded.get(pg_dir)
        if held is None or held.pid != os.getpid():
            held = _Embedded(_join_embedded(pg_dir), os.getpid())
            _embedded[pg_dir] = held
        server = held.server
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
        if "(1 row)" not in exists:
            server.psql(f'CREATE DATABASE "{database}";')
        socket_dir = make_url(server.get_uri()).query.get("host")
    return f"postgresql://postgres@/{database}?host={socket_dir}"


def _join_embedded(pg_dir: Path) -> Any:
    import pgserver  # imported lazily: a configured database never needs it

    logging.getLogger("pgserver").setLevel(logging.WARNING)
    pg_dir.mkdir(parents=True, exist_ok=True)
    me = _Holder.me()
    atexit.unregister(stop_embedded_postgres)  # registered once, however many directories
    atexit.register(stop_embedded_postgres)
    with _holders_locked(pg_dir) as (holders, save):
        # On the list before the start: a start cut short (Ctrl-C) is stopped by whoever leaves last.
        save([*[holder for holder in holders if holder != me], me])
        try:
            _recover_stale_server(pg_dir)
            log.info("embedded_postgres.starting", data_dir=str(pg_dir), others=len(holders))
            # Not get_server(): it hands back its cached handle even after the server was stopped.
            # cleanup_mode=None: pgserver never stops the server itself; the last holder does.
            return pgserver.PostgresServer(pg_dir, cleanup_mode=None)  # type: ignore[attr-defined]
        except BaseException:
            save(holders)
            if not holders:
                _stop_embedded_server(pg_dir)
            raise


def stop_embedded_postgres(pg_dir: Path | None = None) -> None:
    """This process stops using the embedded server of ``pg_dir`` (default: of every directory it uses);
    the last process to leave stops the server. Runs at exit by itself; calling it again does nothing."""
    with _embedded_lock:
        for directory in [pg_dir.resolve()] if pg_dir is not None else list(_embedded):
            held = _embedded.pop(directory, None)
            if held is None or held.pid != os.getpid():
                continue
            me = _Holder.me()
            with _holders_locked(directory) as (holders, save):
                others = [holder for holder in holders if holder != me]
                save(others)
                if not others:
                    _stop_embedded_server(directory)


def _stop_embedded_server(pg_dir: Path) -> None:
    """Stop the server of ``pg_dir`` if it runs (fast: open sessions are ended, nothing waits on them)."""
    import pgserver

    lines = _postmaster_lines(pg_dir)
    if lines is None or not lines[0].strip().isdigit() or not _is_postmaster_of(int(lines[0]), pg_dir):
        return
    user = "pgserver" if os.geteuid() == 0 else None  # pgserver's rule: root runs PostgreSQL as "pgserver"
    pg_ctl = pgserver.pg_ctl  # type: ignore[attr-defined]  # set by pgserver at import, one per binary
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pg_dir, user=user, timeout=EMBEDDED_STOP_SECONDS)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        log.warning("embedded_postgres.fast_stop_failed", data_dir=str(pg_dir))
        pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=pg_dir, user=user, timeout=EMBEDDED_STOP_SECONDS)


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
    health: PoolHealth = field(default_factory=lambda: PoolHealth())

    async def dispose(self) -> None:
        await self.engine.dispose()


# ``connection_record.info`` key: until when (``time.monotonic()``) the connection skips the checkout ping.
SKIP_PING_UNTIL = "tixmo_skip_ping_until"
# ``connection_record.info`` key: seconds the checkout ping may take (``TIXMO_DB_CONNECT_TIMEOUT``).
PING_TIMEOUT = "tixmo_ping_timeout"
# ``connection_record.info`` keys: when (``time.monotonic()``) the connection last came back to the pool,
# and its pool's ``PoolHealth``.
RETURNED_AT = "tixmo_returned_at"
POOL_HEALTH = "tixmo_pool_health"


@dataclass
class PoolHealth:
    """When (``time.monotonic()``) a request of this pool last lost its connection: pooled connections
    returned before then are pinged at their next checkout, whatever ``TIXMO_DB_PING_SKIP_MS`` says."""

    lost_at: float = float("-inf")

    def connection_lost(self) -> None:
        self.lost_at = time.monotonic()


def ping_on_checkout(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
    """The pool's ``checkout`` listener: a pooled connection is checked with one round trip (``;``) before
    each use, and a dead one (the server restarted, the connection was killed) is replaced.

    SQLAlchemy's ``pool_pre_ping`` does the same with three on asyncpg (``BEGIN``, ``;``, ``ROLLBACK``) — a
    third of the round trips of a flash-sale order. Raising ``DisconnectionError`` from a ``checkout``
    listener is SQLAlchemy's documented way to have the pool discard the connection and connect anew.

    A connection returned to the pool moments ago (``TIXMO_DB_PING_SKIP_MS``, set by ``skip_ping_after``)
    is not pinged: it was working then — unless the driver already knows it is closed (the server ended
    it: ``pg_terminate_backend``, a restart; no round trip needed to tell), or a request lost a connection
    since it came back (``Database.connection_lost``): after one loss, every pooled connection is checked
    again before its next use, so one cut costs one request a retry, not one per pooled connection.
    """
    driver = dbapi_connection.driver_connection
    if driver.is_closed():
        raise DisconnectionError("pooled connection closed by the server")
    info = connection_record.info
    health: PoolHealth | None = info.get(POOL_HEALTH)
    lost_at = health.lost_at if health is not None else float("-inf")
    if info.get(SKIP_PING_UNTIL, 0.0) > time.monotonic() and info.get(RETURNED_AT, 0.0) > lost_at:
        return
    try:
        # Bounded (the connect timeout, ``PING_TIMEOUT``): a server that stopped answering without closing
        # the connection (a network cut with no reset) costs this request a few seconds, not a hang.
        await_only(driver.fetchrow(";", timeout=info.get(PING_TIMEOUT)))
    except Exception as exc:
        raise DisconnectionError(f"stale pooled connection: {exc}") from exc


def skip_ping_after(window: timedelta) -> Callable[[Any, Any], None]:
    """The pool's ``checkin`` listener: the connection skips the checkout ping for ``window``."""
    seconds = window.total_seconds()

    def checkin(dbapi_connection: Any, connection_record: Any) -> None:
        now = time.monotonic()
        connection_record.info[RETURNED_AT] = now
        connection_record.info[SKIP_PING_UNTIL] = now + seconds

    return checkin


def create_database(url: str, settings: Settings) -> Database:
    engine = create_async_engine(
        async_url(url),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=False,  # ping_on_checkout does it in one round trip instead of three
        pool_timeout=settings.db_pool_timeout,  # then PoolTimeout: 503 at once (tixmo/retry.py)
        connect_args={
            "timeout": settings.db_connect_timeout,  # asyncpg's connect timeout (default: 60 s)
            "server_settings": {
                "application_name": "tixmo",
                "timezone": "UTC",
                # Searches ask for custom plans themselves (events.service.list_events); the rest keep
                # PostgreSQL's default plan caching.
            },
        },
    )
    ping_timeout = settings.db_connect_timeout
    health = PoolHealth()

    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        connection_record.info[PING_TIMEOUT] = ping_timeout
        connection_record.info[POOL_HEALTH] = health

    event.listen(engine.sync_engine.pool, "connect", on_connect)
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
        health=health,
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

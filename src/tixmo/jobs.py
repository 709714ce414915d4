"""Background jobs with procrastinate (a PostgreSQL-backed task queue; no other broker).

Each domain declares its tasks in ``<domain>/tasks.py`` on the shared ``jobs_app`` (and lists the
module in ``TASK_MODULES``); a worker opens it on a database with ``open_jobs_app``. Tasks carry
IDs, never objects, and reach the database through the ``Database`` handed to the worker
(``job_database``).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import procrastinate
import structlog
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.config import Settings, get_settings
from tixmo.db import Database, libpq_conninfo

log = structlog.get_logger(__name__)

DEFAULT_QUEUE = "default"
TASK_MODULES = (
    "tixmo.accounts.tasks",
    "tixmo.events.tasks",
    "tixmo.notifications.tasks",
    "tixmo.orders.tasks",
    "tixmo.payments.tasks",
)

# One procrastinate App per process. Its connector gets a pool for a given database when a worker
# (or anything that defers through procrastinate) opens it: ``open_jobs_app(url)``.
jobs_app = procrastinate.App(connector=procrastinate.PsycopgConnector(), import_paths=list(TASK_MODULES))


def load_tasks() -> procrastinate.App:
    """Import every domain's tasks module so the tasks are registered on ``jobs_app``."""
    for module in TASK_MODULES:
        importlib.import_module(module)
    return jobs_app


class _OpenApp:
    """The process's open ``jobs_app``: which database it is open on and how many users hold it."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.url: str | None = None
        self.users = 0
        self.pool: AsyncConnectionPool | None = None
        self.connector: contextlib.ExitStack | None = None


_open = _OpenApp()


@asynccontextmanager
async def open_jobs_app(database_url: str) -> AsyncIterator[procrastinate.App]:
    """Open ``jobs_app`` on ``database_url`` for the block.

    ``jobs_app`` is one object per process, so overlapping opens (two workers in one process, a worker
    and an enqueuer) share one open connector and pool: the last one out closes it. Opening it on a
    second database while it is open on another is a programming error.
    """
    app = load_tasks()
    async with _open.lock:
        if _open.users == 0:
            pool = AsyncConnectionPool(
                libpq_conninfo(database_url),
                min_size=1,
                max_size=8,
                open=False,
                check=AsyncConnectionPool.check_connection,
            )
            await pool.open(wait=True)
            # A fresh connector per open: procrastinate's connector keeps a pool it was given even
            # after closing, so a later open in the same process would otherwise use a closed pool.
            stack = contextlib.ExitStack()
            stack.enter_context(app.replace_connector(procrastinate.PsycopgConnector()))
            try:
                await app.open_async(pool=pool)
            except BaseException:
                stack.close()
                await pool.close()
                raise
            _open.url, _open.pool, _open.connector = database_url, pool, stack
        elif _open.url != database_url:
            raise RuntimeError("the jobs app is already open on another database")
        _open.users += 1
    try:
        yield app
    finally:
        async with _open.lock:
            _open.users -= 1
            if _open.users == 0:
                closing_pool, closing_stack = _open.pool, _open.connector
                _open.url, _open.pool, _open.connector = None, None, None
                try:
                    await app.close_async()
                finally:
                    if closing_stack is not None:
                        closing_stack.close()
                    if closing_pool is not None:
                        await closing_pool.close()


def job_database(context: procrastinate.JobContext) -> Database:
    database: Database = context.additional_context["database"]
    return database


def job_settings(context: procrastinate.JobContext) -> Settings:
    """The worker's settings (those it was started with, else the environment's)."""
    settings: Settings | None = context.additional_context.get("settings")
    return settings if settings is not None else get_settings()


@asynccontextmanager
async def unit_of_work(context: procrastinate.JobContext) -> AsyncIterator[AsyncSession]:
    """One transaction for a job, committed when the block ends without error."""
    async with job_database(context).sessionmaker() as session, session.begin():
        yield session


async def enqueue(
    session: AsyncSession,
    task_name: str,
    *,
    queue: str = DEFAULT_QUEUE,
    scheduled_at: datetime | None = None,
    queueing_lock: str | None = None,
    **kwargs: Any,
) -> None:
    """Defer a job inside the caller's transaction: it exists only if that transaction commits.

    This is the transactional-outbox guarantee of DESIGN rule 7 without an outbox table: the job row
    is written by the same transaction as the change that causes it, and procrastinate's trigger
    notifies workers when it commits.
    """
    await session.execute(
        text(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, queueing_lock, args, scheduled_at) "
            "VALUES (:queue, :task, :queueing_lock, CAST(:args AS jsonb), :scheduled_at)"
        ),
        {
            "queue": queue,
            "task": task_name,
            "queueing_lock": queueing_lock,
            "args": json.dumps(kwargs, default=str),
            "scheduled_at": scheduled_at,
        },
    )


async def run_worker(
    database: Database,
    *,
    settings: Settings | None = None,
    concurrency: int = 4,
    wait: bool = True,
    install_signal_handlers: bool = True,
) -> None:
    """Run a worker against ``database`` until stopped (or, with ``wait=False``, until the queue is empty).
    Tasks read ``settings`` (default: the environment's) through ``job_settings``."""
    async with open_jobs_app(database.url) as app:
        await app.run_worker_async(
            concurrency=concurrency,
            wait=wait,
            install_signal_handlers=install_signal_handlers,
            additional_context={"database": database, "settings": settings},
            name="tixmo-worker",
        )


class InProcessWorker:
    """The worker ``tixmo serve`` runs inside the API process in embedded mode."""

    def __init__(self, database: Database, settings: Settings | None = None) -> None:
        self.database = database
        self.settings = settings
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(
            run_worker(self.database, settings=self.settings, concurrency=2, install_signal_handlers=False),
            name="tixmo-worker",
        )
        self._task.add_done_callback(self._done)

    @staticmethod
    def _done(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("worker.crashed", error=repr(task.exception()))

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        # The worker shuts down gracefully on cancel; its outcome was logged by ``_done``.
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task
        self._task = None

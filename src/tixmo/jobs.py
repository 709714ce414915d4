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
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import procrastinate
import structlog
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tixmo.config import Settings, get_settings
from tixmo.db import Database, libpq_conninfo

log = structlog.get_logger(__name__)

DEFAULT_QUEUE = "default"
TASK_MODULES = (
    "tixmo.accounts.tasks",
    "tixmo.analytics.tasks",
    "tixmo.events.tasks",
    "tixmo.integrations.tasks",
    "tixmo.media.tasks",
    "tixmo.notifications.tasks",
    "tixmo.orders.tasks",
    "tixmo.payments.tasks",
    "tixmo.tickets.tasks",
    "tixmo.waitlist.tasks",
    "tixmo.queue.tasks",
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


# ------------------------------------------------------------------------ jobs of a worker that died
#
# A worker killed in the middle of a job (SIGKILL, out of memory, a machine lost) leaves the job ``doing``
# for ever: procrastinate records which worker took a job and each worker's heartbeat, and lists such
# jobs (``get_stalled_jobs``), but does not run them again by itself. So every worker sweeps, when it
# starts and then at each heartbeat: a ``doing`` job whose worker has sent no heartbeat for
# ``worker_stalled_after_seconds`` (or is gone) is queued again with procrastinate's own retry (due now;
# an abort requested meanwhile fails it instead). Tasks are written to be run more than once.

# A job whose runs keep dying with their worker (one that exhausts memory, say) is failed after this
# many runs instead of taking down one worker after another.
STALLED_MAX_RUNS = 10


async def retry_stalled_jobs(
    app: procrastinate.App, sessionmaker: async_sessionmaker[AsyncSession], stalled_after: float
) -> int:
    """Queue again the jobs left ``doing`` by a dead worker; returns how many."""
    candidates = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after)
    return await retry_stalled(
        sessionmaker, [job.id for job in candidates if job.id is not None], stalled_after
    )


async def retry_stalled(
    sessionmaker: async_sessionmaker[AsyncSession], job_ids: Iterable[int], stalled_after: float
) -> int:
    """Queue again those of ``job_ids`` that are still stalled; returns how many.

    Each job is re-checked and queued again in its own transaction under its row lock, so a job that
    finished since it was listed, or that another sweep queued again and a live worker took, is left
    alone. One job's error does not stop the others."""
    retried = 0
    for job_id in job_ids:
        try:
            async with sessionmaker() as session, session.begin():
                retried += await _retry_if_stalled(session, job_id, stalled_after)
        except Exception:
            log.exception("jobs.stalled_job_retry_failed", job_id=job_id)
    if retried:
        log.warning("jobs.stalled_jobs_retried", count=retried)
    return retried


async def _retry_if_stalled(session: AsyncSession, job_id: int, stalled_after: float) -> bool:
    job = (
        await session.execute(
            text(
                "SELECT status::text AS status, worker_id, attempts, task_name FROM procrastinate_jobs "
                "WHERE id = :id FOR UPDATE"
            ),
            {"id": job_id},
        )
    ).one_or_none()
    if job is None or job.status != "doing":
        return False
    if job.worker_id is not None:
        alive = await session.scalar(
            text(
                "SELECT last_heartbeat >= now() - make_interval(secs => :secs) "
                "FROM procrastinate_workers WHERE id = :worker_id"
            ),
            {"worker_id": job.worker_id, "secs": stalled_after},
        )
        if alive:
            return False
    if job.attempts + 1 >= STALLED_MAX_RUNS:
        await session.execute(
            text("SELECT procrastinate_finish_job_v1(:id, 'failed', false)"), {"id": job_id}
        )
        log.error("jobs.stalled_job_failed", job_id=job_id, task=job.task_name, runs=job.attempts + 1)
        return False
    await session.execute(
        text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)"), {"id": job_id}
    )
    return True


async def _sweep_stalled_jobs(
    app: procrastinate.App, database: Database, every: float, stalled_after: float
) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            await retry_stalled_jobs(app, database.sessionmaker, stalled_after)
        except Exception:  # the database is away for a moment: the next sweep tries again
            log.exception("jobs.stalled_sweep_failed")


async def run_worker(
    database: Database,
    *,
    settings: Settings | None = None,
    concurrency: int = 4,
    wait: bool = True,
    install_signal_handlers: bool = True,
) -> None:
    """Run a worker against ``database`` until stopped (or, with ``wait=False``, until the queue is empty).
    Tasks read ``settings`` (default: the environment's) through ``job_settings``. The worker queues
    again the jobs of dead workers (see above) before its first job, then at each heartbeat."""
    config = settings if settings is not None else get_settings()
    heartbeat, stalled_after = config.worker_heartbeat_seconds, config.worker_stalled_after_seconds
    async with open_jobs_app(database.url) as app:
        await retry_stalled_jobs(app, database.sessionmaker, stalled_after)
        sweeper = asyncio.create_task(
            _sweep_stalled_jobs(app, database, heartbeat, stalled_after), name="tixmo-stalled-jobs"
        )
        try:
            await app.run_worker_async(
                concurrency=concurrency,
                wait=wait,
                install_signal_handlers=install_signal_handlers,
                additional_context={"database": database, "settings": settings},
                name="tixmo-worker",
                update_heartbeat_interval=heartbeat,
                stalled_worker_timeout=stalled_after,
            )
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper


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

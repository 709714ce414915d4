"""The job queue: in-transaction enqueue, a real worker run, and the periodic clean-up task."""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_settings
from tests.factories import create_user
from tixmo import jobs
from tixmo.accounts.models import RefreshToken
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.security import hash_token

PURGE_TASK = "accounts.purge_expired_refresh_tokens"


async def _token(session: AsyncSession, user_id: uuid.UUID, expires_in: timedelta) -> uuid.UUID:
    token = RefreshToken(
        user_id=user_id,
        family_id=uuid.uuid4(),
        token_hash=hash_token(uuid.uuid4().hex),
        expires_at=utcnow() + expires_in,
    )
    session.add(token)
    await session.commit()
    return token.id


async def _job_statuses(session: AsyncSession) -> list[tuple[str, str]]:
    """The purge jobs this test deferred. A worker also defers periodic tasks that fall due while it
    runs (those carry a ``timestamp`` argument), whatever the test does: they are left out."""
    rows = await session.execute(
        text(
            "SELECT task_name, status::text FROM procrastinate_jobs "
            "WHERE task_name = :task AND NOT args ? 'timestamp' ORDER BY id"
        ),
        {"task": PURGE_TASK},
    )
    return [(row[0], row[1]) for row in rows.all()]


async def test_worker_runs_an_enqueued_purge(session: AsyncSession, context: AppContext) -> None:
    user = await create_user(session, context)
    expired = await _token(session, user.id, timedelta(seconds=-1))
    alive = await _token(session, user.id, timedelta(days=1))

    await jobs.enqueue(session, PURGE_TASK)
    await session.commit()
    assert await _job_statuses(session) == [(PURGE_TASK, "todo")]

    await jobs.run_worker(context.database, wait=False, install_signal_handlers=False)

    remaining = set(await session.scalars(select(RefreshToken.id)))
    assert remaining == {alive}
    assert expired not in remaining
    assert await _job_statuses(session) == [(PURGE_TASK, "succeeded")]


async def test_enqueue_is_part_of_the_callers_transaction(session: AsyncSession) -> None:
    await jobs.enqueue(session, PURGE_TASK)
    assert await _job_statuses(session) == [(PURGE_TASK, "todo")]
    await session.rollback()
    assert await _job_statuses(session) == []


async def test_purge_is_registered_as_a_periodic_task() -> None:
    app = jobs.load_tasks()
    assert PURGE_TASK in app.tasks
    crons = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert crons.get(PURGE_TASK) == "17 * * * *"


async def test_purge_keeps_tokens_that_can_still_be_used(session: AsyncSession, context: AppContext) -> None:
    from tixmo.accounts import service

    user = await create_user(session, context)
    for days in (-3, -2, 1, 2):
        await _token(session, user.id, timedelta(days=days))
    purged = await service.purge_expired_refresh_tokens(session)
    await session.commit()
    assert purged == 2
    assert await session.scalar(select(func.count()).select_from(RefreshToken)) == 2


async def test_overlapping_opens_share_the_app_until_the_last_one_leaves(context: AppContext) -> None:
    """Two workers in one process open the one ``jobs_app``: the first to finish must not close it
    under the second (CI once saw ``AppNotOpen`` from exactly this)."""
    url = context.database.url
    first, second = contextlib.AsyncExitStack(), contextlib.AsyncExitStack()
    app = await first.enter_async_context(jobs.open_jobs_app(url))
    assert await second.enter_async_context(jobs.open_jobs_app(url)) is app
    await first.aclose()  # the first one leaves while the second still works
    assert isinstance(await app.job_manager.list_jobs_async(), list)
    await second.aclose()
    # Once everyone has left the app is closed, and it opens again afterwards.
    async with jobs.open_jobs_app(url) as again:
        assert isinstance(await again.job_manager.list_jobs_async(), list)


async def test_the_app_cannot_be_open_on_two_databases_at_once(context: AppContext) -> None:
    async with jobs.open_jobs_app(context.database.url):
        other = context.database.url.replace("/" + context.database.url.rsplit("/", 1)[1], "/postgres")
        async with contextlib.AsyncExitStack() as stack:
            with pytest.raises(RuntimeError, match="another database"):
                await stack.enter_async_context(jobs.open_jobs_app(other))


async def test_a_job_that_keeps_dying_with_its_worker_is_failed_after_the_last_run(
    session: AsyncSession, context: AppContext
) -> None:
    """A job whose every run takes its worker down (out of memory, say) is not queued again for ever."""
    await jobs.enqueue(session, PURGE_TASK)
    await jobs.enqueue(session, PURGE_TASK)
    spent, spare = list(await session.scalars(text("SELECT id FROM procrastinate_jobs ORDER BY id")))
    # Both left 'doing' by a worker that is gone; the run that died was the first one's last.
    await session.execute(
        text(
            "UPDATE procrastinate_jobs SET status = 'doing', "
            "attempts = CASE WHEN id = :spent THEN :runs - 1 ELSE :runs - 2 END"
        ),
        {"spent": spent, "runs": jobs.STALLED_MAX_RUNS},
    )
    await session.commit()

    assert await jobs.retry_stalled(context.database.sessionmaker, [spent, spare], stalled_after=60) == 1

    rows = await session.execute(text("SELECT id, status::text, attempts FROM procrastinate_jobs"))
    states = {row[0]: (row[1], row[2]) for row in rows.all()}
    await session.commit()
    assert states == {
        spent: ("failed", jobs.STALLED_MAX_RUNS),
        spare: ("todo", jobs.STALLED_MAX_RUNS - 1),
    }


@pytest.mark.parametrize(("heartbeat", "stalled_after"), [(10, 29), (1, 2)])
def test_a_worker_is_not_taken_for_dead_after_one_missed_heartbeat(
    heartbeat: float, stalled_after: float
) -> None:
    with pytest.raises(ValidationError, match="3 times"):
        make_settings(
            Path("."), worker_heartbeat_seconds=heartbeat, worker_stalled_after_seconds=stalled_after
        )
    settings = make_settings(
        Path("."), worker_heartbeat_seconds=heartbeat, worker_stalled_after_seconds=3 * heartbeat
    )
    assert settings.worker_stalled_after_seconds == 3 * heartbeat

from __future__ import annotations

import uuid
from collections.abc import Iterable

import procrastinate
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tixmo.db import utcnow
from tixmo.jobs import job_database, job_settings, jobs_app, unit_of_work
from tixmo.notifications import delivery, reminders
from tixmo.notifications.mailer import MailError, backend_for
from tixmo.notifications.service import SEND_EMAIL

log = structlog.get_logger(__name__)

SEND_REMINDERS = "notifications.send_event_reminders"
RETRY_STALLED = "notifications.retry_stalled_emails"
STALLED_AFTER_SECONDS = 120  # a worker silent this long (no heartbeat) has died

# Retries after a failed send (so EMAIL_RETRIES + 1 attempts in all), waiting 10 s + 5^n s:
# 15 s, 35 s, 135 s, 635 s, 3135 s — about an hour of SMTP outage before a message is FAILED.
EMAIL_RETRIES = 5
EMAIL_RETRY = procrastinate.RetryStrategy(
    max_attempts=EMAIL_RETRIES, wait=10, exponential_wait=5, retry_exceptions={MailError}
)


@jobs_app.task(name=SEND_EMAIL, pass_context=True, retry=EMAIL_RETRY)
async def send_email(context: procrastinate.JobContext, message_id: str) -> str | None:
    """Render and send one outbox email (``email_messages``); SENT, or retried on SMTP errors worth
    retrying and FAILED after the last attempt; FAILED at once when the server refuses it for good
    (``delivery.Undeliverable``, not retried). Another run holding the message's claim: nothing sent."""
    settings = job_settings(context)
    job = context.job
    return await delivery.send(
        job_database(context).sessionmaker,
        settings,
        settings.resolved_secret_key(),
        backend_for(settings),
        uuid.UUID(message_id),
        final_attempt=job is not None and job.attempts >= EMAIL_RETRIES,
    )


@jobs_app.periodic(cron="*/10 * * * *")
@jobs_app.task(name=SEND_REMINDERS, pass_context=True, retry=3)
async def send_event_reminders(context: procrastinate.JobContext, timestamp: int | None = None) -> int:
    """Every 10 minutes: holders of tickets for events starting within the reminder window get their
    reminder, exactly once (``notifications.reminders``). One transaction per batch."""
    hours = job_settings(context).reminder_hours_before
    total = 0
    while True:
        async with unit_of_work(context) as session:
            sent = await reminders.remind_batch(session, utcnow(), hours)
        total += sent
        if sent < reminders.BATCH:
            break
    if total:
        log.info("reminders.sent", count=total)
    return total


@jobs_app.periodic(cron="*/5 * * * *")
@jobs_app.task(name=RETRY_STALLED, pass_context=True, retry=3)
async def retry_stalled_emails(context: procrastinate.JobContext, timestamp: int | None = None) -> int:
    """Every 5 minutes: send-email jobs left ``doing`` by a worker that died (no heartbeat for two
    minutes, or gone) are queued again, so a crash mid-send does not strand the message (at least once).

    The list of candidates is read first; each job is then re-checked and re-queued in its own
    transaction under its row lock, so a job that meanwhile finished, or was re-queued by another run
    of this task and taken by a live worker, is left alone. One job's error does not stop the others."""
    candidates = await context.app.job_manager.get_stalled_jobs(
        task_name=SEND_EMAIL, seconds_since_heartbeat=STALLED_AFTER_SECONDS
    )
    job_ids = [job.id for job in candidates if job.id is not None]
    return await retry_stalled(job_database(context).sessionmaker, job_ids)


async def retry_stalled(sessionmaker: async_sessionmaker[AsyncSession], job_ids: Iterable[int]) -> int:
    """Re-queue those of ``job_ids`` that are still stalled, each in its own transaction; returns how many."""
    retried = 0
    for job_id in job_ids:
        try:
            async with sessionmaker() as session, session.begin():
                retried += await retry_if_stalled(session, job_id)
        except Exception:
            log.exception("emails.stalled_job_retry_failed", job_id=job_id)
    if retried:
        log.warning("emails.stalled_jobs_retried", count=retried)
    return retried


async def retry_if_stalled(session: AsyncSession, job_id: int) -> bool:
    """Queue the send-email job ``job_id`` again if it is still ``doing`` with no live worker behind it.
    The job's row stays locked until the caller's transaction ends, so no worker can take or finish it
    between the check and the re-queue."""
    job = (
        await session.execute(
            text(
                "SELECT status::text AS status, worker_id FROM procrastinate_jobs "
                "WHERE id = :id AND task_name = :task FOR UPDATE"
            ),
            {"id": job_id, "task": SEND_EMAIL},
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
            {"worker_id": job.worker_id, "secs": STALLED_AFTER_SECONDS},
        )
        if alive:
            return False
    # procrastinate's own retry (doing -> todo, due now; an abort requested meanwhile fails it instead).
    await session.execute(
        text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)"), {"id": job_id}
    )
    return True

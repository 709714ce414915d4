from __future__ import annotations

import uuid

import procrastinate
import structlog

from tixmo.db import utcnow
from tixmo.jobs import job_database, job_settings, jobs_app, unit_of_work
from tixmo.notifications import delivery, reminders
from tixmo.notifications.mailer import MailError, backend_for
from tixmo.notifications.service import SEND_EMAIL

log = structlog.get_logger(__name__)

SEND_REMINDERS = "notifications.send_event_reminders"

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

from __future__ import annotations

import uuid

import procrastinate
import structlog

from tixmo.analytics import delivery, rollup
from tixmo.db import utcnow
from tixmo.jobs import job_database, job_settings, jobs_app, unit_of_work
from tixmo.notifications.mailer import MailError, backend_for

log = structlog.get_logger(__name__)

REFRESH_ROLLUPS = "analytics.refresh_rollups"
QUEUE_REPORTS = "analytics.queue_report_deliveries"

# Retries of a failed send, waiting 10 s + 5^n s as for every email (about an hour of SMTP outage).
REPORT_RETRIES = 5
REPORT_RETRY = procrastinate.RetryStrategy(
    max_attempts=REPORT_RETRIES, wait=10, exponential_wait=5, retry_exceptions={MailError}
)


@jobs_app.periodic(cron="* * * * *")
@jobs_app.task(name=REFRESH_ROLLUPS, pass_context=True, retry=3)
async def refresh_rollups(context: procrastinate.JobContext, timestamp: int | None = None) -> str | None:
    """Every minute: add the orders paid since the watermark to the sales rollups (``analytics.rollup``)."""
    covered = await rollup.refresh(job_database(context).sessionmaker)
    return covered.isoformat() if covered is not None else None


@jobs_app.periodic(cron="*/15 * * * *")
@jobs_app.task(name=QUEUE_REPORTS, pass_context=True, retry=3)
async def queue_report_deliveries(context: procrastinate.JobContext, timestamp: int | None = None) -> int:
    """Every 15 minutes: claim the finished periods of every subscription, once, and queue their mail."""
    now, after, total = utcnow(), None, 0
    while True:
        async with unit_of_work(context) as session:
            claimed, after = await delivery.queue_due(session, now, after=after)
        total += claimed
        if after is None:
            break
    if total:
        log.info("analytics.reports_queued", count=total)
    return total


@jobs_app.task(name=delivery.DELIVER_REPORT, pass_context=True, retry=REPORT_RETRY)
async def deliver_report(context: procrastinate.JobContext, delivery_id: str) -> str | None:
    """Build one period's report and mail it (PDF + CSV) to the subscription's recipients."""
    settings = job_settings(context)
    job = context.job
    return await delivery.deliver(
        job_database(context).sessionmaker,
        settings,
        backend_for(settings),
        uuid.UUID(delivery_id),
        final_attempt=job is not None and job.attempts >= REPORT_RETRIES,
    )

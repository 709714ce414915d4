from __future__ import annotations

import uuid
from datetime import timedelta

import procrastinate
import structlog

from tixmo.db import utcnow
from tixmo.jobs import job_database, job_settings, jobs_app, unit_of_work
from tixmo.payments import refunds
from tixmo.payments.providers import ProviderError, open_providers

log = structlog.get_logger(__name__)

SWEEP_REFUNDS = "payments.sweep_pending_refunds"
# Stripe keeps an idempotency key for 24 h: a refund is retried with its key only well within that.
SWEEP_WINDOW = timedelta(hours=23)
SWEEP_GRACE = timedelta(minutes=10)
# Refunds pending at the provider are checked this long (Stripe settles most within days).
SWEEP_HORIZON = timedelta(days=30)


@jobs_app.task(
    name=refunds.SETTLE_REFUND,
    pass_context=True,
    retry=procrastinate.RetryStrategy(max_attempts=8, exponential_wait=2, retry_exceptions=[ProviderError]),
)
async def settle_refund(context: procrastinate.JobContext, refund_id: str) -> str:
    """After the commit that recorded a refund: ask the provider to pay it out (idempotency key = the
    refund's id). A provider outage raises and is retried with backoff (2 s … ~8 min)."""
    async with open_providers(job_settings(context)) as providers:
        status = await refunds.settle_refund(
            job_database(context).sessionmaker, providers, uuid.UUID(refund_id)
        )
    log.info("payments.refund_settled", refund_id=refund_id, status=status)
    return status


@jobs_app.periodic(cron="*/10 * * * *")
@jobs_app.task(name=SWEEP_REFUNDS, pass_context=True, retry=0)
async def sweep_pending_refunds(context: procrastinate.JobContext, timestamp: int | None = None) -> int:
    """Every 10 minutes: refunds still PENDING with no answer from the provider (its outage outlasted the
    job's retries) are tried again, for up to 23 hours; older ones are logged for a person to check.
    Refunds the provider answered ``pending`` are fetched again (``Refund.retrieve``) and settled by their
    status, for up to 30 days: their ``refund.updated`` webhook may never come."""
    now = utcnow()
    async with unit_of_work(context) as session:
        due = await refunds.pending_refund_ids(
            session, older_than=now - SWEEP_GRACE, newer_than=now - SWEEP_WINDOW
        )
        due += await refunds.pending_refund_ids(
            session, older_than=now - SWEEP_GRACE, newer_than=now - SWEEP_HORIZON, known=True
        )
        stale = await refunds.pending_refund_ids(
            session, older_than=now - SWEEP_WINDOW, newer_than=now - SWEEP_HORIZON
        )
    settled = 0
    async with open_providers(job_settings(context)) as providers:
        for refund_id in due:
            try:
                await refunds.settle_refund(job_database(context).sessionmaker, providers, refund_id)
                settled += 1
            except ProviderError as exc:
                log.warning("payments.refund_still_failing", refund_id=str(refund_id), error=str(exc))
    for refund_id in stale:
        log.error("payments.refund_stuck", refund_id=str(refund_id))
    return settled

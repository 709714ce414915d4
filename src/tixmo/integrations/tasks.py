from __future__ import annotations

import uuid

import procrastinate

from tixmo.integrations import webhooks
from tixmo.jobs import job_database, job_settings, jobs_app
from tixmo.outbox import DELIVER_WEBHOOK


@jobs_app.task(name=DELIVER_WEBHOOK, pass_context=True, retry=3)
async def deliver_webhook(context: procrastinate.JobContext, delivery_id: str) -> str:
    """One attempt of one webhook delivery (``webhooks.deliver``): retries of a failed attempt are new
    delivery rows with jobs scheduled by backoff; ``retry`` here covers the database being away."""
    return await webhooks.deliver(
        job_database(context).sessionmaker, job_settings(context), uuid.UUID(delivery_id)
    )

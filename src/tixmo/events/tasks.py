from __future__ import annotations

import procrastinate
import structlog

from tixmo.events import service
from tixmo.jobs import jobs_app, unit_of_work

log = structlog.get_logger(__name__)

COMPLETE_ENDED_EVENTS = "events.complete_ended_events"


@jobs_app.periodic(cron="*/5 * * * *")
@jobs_app.task(name=COMPLETE_ENDED_EVENTS, pass_context=True, retry=3)
async def complete_ended_events(context: procrastinate.JobContext, timestamp: int | None = None) -> int:
    """Every 5 minutes: PUBLISHED events whose end has passed become COMPLETED (audited, system actor)."""
    async with unit_of_work(context) as session:
        completed = await service.complete_ended_events(session)
    log.info("events.completed", count=completed)
    return completed

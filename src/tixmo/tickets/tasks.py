from __future__ import annotations

import procrastinate
import structlog

from tixmo.jobs import jobs_app, unit_of_work
from tixmo.tickets import counts

log = structlog.get_logger(__name__)

FOLD_TICKET_COUNTS = "tickets.fold_ticket_counts"


@jobs_app.periodic(cron="*/10 * * * *")
@jobs_app.task(name=FOLD_TICKET_COUNTS, pass_context=True, retry=3)
async def fold_ticket_counts(context: procrastinate.JobContext, timestamp: int | None = None) -> int:
    """Every 10 minutes: the ticket counts' rows of ended database backends folded into one per event
    and status (``tickets.counts``), so ``/events/{id}/stats`` sums a bounded number of rows."""
    async with unit_of_work(context) as session:
        folded = await counts.fold_ended_backends(session)
    log.info("ticket_counts.folded", rows=folded)
    return folded

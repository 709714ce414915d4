from __future__ import annotations

import procrastinate
import structlog

from tixmo.accounts import service
from tixmo.jobs import jobs_app, unit_of_work

log = structlog.get_logger(__name__)


@jobs_app.periodic(cron="17 * * * *")
@jobs_app.task(name="accounts.purge_expired_refresh_tokens", pass_context=True, retry=3)
async def purge_expired_refresh_tokens(
    context: procrastinate.JobContext, timestamp: int | None = None
) -> int:
    """Hourly: delete refresh tokens past their expiry (they can never be used again)."""
    async with unit_of_work(context) as session:
        purged = await service.purge_expired_refresh_tokens(session)
    log.info("refresh_tokens.purged", count=purged)
    return purged

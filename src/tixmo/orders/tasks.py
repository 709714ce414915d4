from __future__ import annotations

import procrastinate
import structlog

from tixmo.idempotency import service as idempotency
from tixmo.jobs import jobs_app, unit_of_work
from tixmo.orders import service

log = structlog.get_logger(__name__)

EXPIRE_ORDERS = "orders.expire_due"
PURGE_IDEMPOTENCY_KEYS = "orders.purge_idempotency_keys"


@jobs_app.periodic(cron="* * * * *")
@jobs_app.task(name=EXPIRE_ORDERS, pass_context=True, retry=3)
async def expire_due_orders(context: procrastinate.JobContext, timestamp: int | None = None) -> int:
    """Every minute: PENDING orders past their hold become EXPIRED and their tickets go back on sale.

    Batches of ``EXPIRY_BATCH`` orders, one transaction each, until none is due. Orders that a request is
    confirming or cancelling at that moment are skipped (it settles them itself).
    """
    total = 0
    while True:
        async with unit_of_work(context) as session:
            expired = await service.expire_due(session)
        total += expired
        if expired < service.EXPIRY_BATCH:
            break
    if total:
        log.info("orders.expired", count=total)
    return total


@jobs_app.periodic(cron="17 * * * *")
@jobs_app.task(name=PURGE_IDEMPOTENCY_KEYS, pass_context=True, retry=3)
async def purge_idempotency_keys(context: procrastinate.JobContext, timestamp: int | None = None) -> int:
    """Hourly: stored Idempotency-Key answers past their retention (24 h) are deleted."""
    async with unit_of_work(context) as session:
        purged = await idempotency.purge_expired(session)
    log.info("idempotency.purged", count=purged)
    return purged

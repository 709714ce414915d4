"""Waitlist jobs: offers made from the pool, and offers that ran out passed on.

Both run ``offers.settle_event`` under the event's ticket-type locks, one transaction per event, so any
number of workers (and a job run again after a worker died) move each entry once.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import procrastinate
import structlog
from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.db import Database, utcnow
from tixmo.jobs import job_database, job_settings, jobs_app, unit_of_work
from tixmo.ticketing.models import TicketType
from tixmo.ticketing.waitlist_pool import OFFER_TASK
from tixmo.waitlist import offers
from tixmo.waitlist.models import WaitlistEntry, WaitlistStatus

log = structlog.get_logger(__name__)

EXPIRE_OFFERS = "waitlist.expire_offers"
SWEEP_BATCH = 100


def _offer_for(context: procrastinate.JobContext) -> timedelta:
    return timedelta(minutes=job_settings(context).waitlist_offer_minutes)


@jobs_app.task(name=OFFER_TASK, pass_context=True, retry=5)
async def offer(context: procrastinate.JobContext, ticket_type_id: str) -> int:
    """Tickets of a ticket type came back while entries waited: offer them (the whole event's pools)."""
    async with unit_of_work(context) as session:
        event_id = await session.scalar(
            select(TicketType.event_id).where(TicketType.id == uuid.UUID(ticket_type_id))
        )
        if event_id is None:
            return 0
        _, made = await offers.settle_event(session, event_id, utcnow(), _offer_for(context))
    if made:
        log.info("waitlist.offered", count=made, event_id=str(event_id))
    return made


async def events_to_settle(session: AsyncSession, now: datetime) -> list[uuid.UUID]:
    """Events with an offer past its deadline, or tickets in a pool (normally offered at once by the
    ``waitlist.offer`` job; this catches any left over)."""
    due = select(WaitlistEntry.event_id).where(
        WaitlistEntry.status == WaitlistStatus.OFFERED.value, WaitlistEntry.offer_expires_at <= now
    )
    pooled = select(TicketType.event_id).where(TicketType.waitlist_pool > 0)
    return sorted(set(await session.scalars(union(due, pooled).limit(SWEEP_BATCH))))


async def settle_due(database: Database, offer_for: timedelta) -> int:
    """Settle every event that needs it, one transaction each; returns the offers expired."""
    now = utcnow()
    async with database.sessionmaker() as session, session.begin():
        event_ids = await events_to_settle(session, now)
    expired = 0
    for event_id in event_ids:
        async with database.sessionmaker() as session, session.begin():
            count, _ = await offers.settle_event(session, event_id, now, offer_for)
        expired += count
    return expired


@jobs_app.periodic(cron="* * * * *")
@jobs_app.task(name=EXPIRE_OFFERS, pass_context=True, retry=3)
async def expire_offers(context: procrastinate.JobContext, timestamp: int | None = None) -> int:
    """Every minute: offers past their deadline expire and their tickets go to the next entry that fits."""
    expired = await settle_due(job_database(context), _offer_for(context))
    if expired:
        log.info("waitlist.offers_expired", count=expired)
    return expired

"""The waiting room's job: telling those still waiting that the event sold out."""

from __future__ import annotations

import uuid

import procrastinate
import structlog

from tixmo.jobs import jobs_app, unit_of_work
from tixmo.notifications import kinds
from tixmo.notifications.service import notify
from tixmo.queue import service

log = structlog.get_logger(__name__)

TELL_BATCH = 200


@jobs_app.task(name=service.TELL_CLOSED, pass_context=True, retry=5)
async def tell_closed(context: procrastinate.JobContext, event_id: str) -> int:
    """Everyone still waiting in a room that closed (sold out) gets a notification and an email pointing
    to the waitlist — once each: a batch is claimed and told in one transaction, so a retry or a second
    worker carries on where the last committed batch ended."""
    event = uuid.UUID(event_id)
    told = 0
    while True:
        async with unit_of_work(context) as session:
            users = await service.waiting_to_tell(session, event, TELL_BATCH)
            for user_id in users:
                await notify(
                    session,
                    user_id=user_id,
                    kind=kinds.QUEUE_CLOSED,
                    title="Sold out before your turn",
                    body="Every ticket was sold before your turn in the waiting room. "
                    "Join the waitlist to be offered tickets that come back.",
                    data={"eventId": event_id},
                )
        told += len(users)
        if len(users) < TELL_BATCH:
            break
    log.info("queue.told_closed", event_id=event_id, count=told)
    return told

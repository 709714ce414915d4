"""The one call domain code makes to tell integrations that something happened.

``emit`` runs in the caller's transaction: it records the event and queues one delivery job per
enabled webhook endpoint of the organization subscribed to ``type``. Rolled back with the change, it
never happened; committed, its jobs are committed with it (DESIGN rule 7). With no endpoint listening it
costs one indexed SELECT and writes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Exists, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import jobs
from tixmo.integrations.models import OutgoingEvent, WebhookDelivery, WebhookEndpoint

DELIVER_WEBHOOK = "integrations.deliver_webhook"

EVENT_TYPES = (
    "order.created",
    "order.confirmed",
    "order.cancelled",
    "order.expired",
    "order.refunded",
    "ticket.transferred",
    "ticket.cancelled",
    "ticket.checked_in",
    "event.published",
    "event.cancelled",
    "event.updated",
    "waitlist.offered",
)


async def queue_delivery(
    session: AsyncSession,
    endpoint_id: uuid.UUID,
    event_id: uuid.UUID,
    attempt: int,
    scheduled_at: datetime | None = None,
) -> WebhookDelivery:
    """A PENDING delivery row and the job that makes it, in the caller's transaction."""
    delivery = WebhookDelivery(endpoint_id=endpoint_id, event_id=event_id, attempt=attempt)
    session.add(delivery)
    await session.flush()
    await jobs.enqueue(session, DELIVER_WEBHOOK, scheduled_at=scheduled_at, delivery_id=str(delivery.id))
    return delivery


async def emit(session: AsyncSession, organization_id: uuid.UUID, type: str, data: dict[str, Any]) -> None:
    """``type`` (one of ``EVENT_TYPES``) happened in ``organization_id``; ``data`` is the payload's ``data``
    (JSON-ready: ids and decimal strings, camelCase keys)."""
    assert type in EVENT_TYPES, type
    endpoint_ids = list(
        await session.scalars(
            select(WebhookEndpoint.id).where(
                WebhookEndpoint.organization_id == organization_id,
                WebhookEndpoint.enabled.is_(True),
                WebhookEndpoint.events.contains([type]),
            )
        )
    )
    if not endpoint_ids:
        return
    event = OutgoingEvent(organization_id=organization_id, type=type, data=data)
    session.add(event)
    await session.flush()
    for endpoint_id in sorted(endpoint_ids):
        await queue_delivery(session, endpoint_id, event.id, 1)


def subscribed(organization_id: ColumnElement[uuid.UUID], type: str) -> Exists:
    """``EXISTS`` an enabled endpoint of ``organization_id`` subscribed to ``type``: for a single-statement
    write path (orders/express.py) that cannot call ``emit`` and hands such a change to the full path."""
    return exists().where(
        WebhookEndpoint.organization_id == organization_id,
        WebhookEndpoint.enabled.is_(True),
        WebhookEndpoint.events.contains([type]),
    )

"""Webhook endpoints of an organization, the delivery log, redelivery, and the delivery job's work."""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tixmo.accounts.models import User
from tixmo.config import Settings
from tixmo.db import utcnow
from tixmo.errors import Conflict, NotFound, ValidationFailed
from tixmo.integrations import sender
from tixmo.integrations.apikeys import managed_organization
from tixmo.integrations.models import DeliveryStatus, OutgoingEvent, WebhookDelivery, WebhookEndpoint
from tixmo.outbox import EVENT_TYPES, queue_delivery

SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix of generated secrets)
# Waits before attempt 2, 3, …: about 2.95 days in all, so the last attempt comes before 3 days pass.
RETRY_DELAYS_SECONDS = (30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600, 24 * 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS_SECONDS) + 1


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _check(url: str | None, events: list[str], settings: Settings) -> None:
    if url is not None:
        try:
            sender.check_url(url, allow_private=settings.webhook_allow_private)
        except sender.Refused as exc:
            raise ValidationFailed("url", str(exc)) from exc
    for index, event_type in enumerate(events):
        if event_type not in EVENT_TYPES:
            raise ValidationFailed(
                f"events.{index}", f"Unknown event type; one of: {', '.join(EVENT_TYPES)}."
            )


async def create(
    session: AsyncSession,
    actor: User,
    org_id: uuid.UUID,
    settings: Settings,
    *,
    url: str,
    events: list[str],
    enabled: bool,
    description: str | None,
) -> tuple[WebhookEndpoint, str]:
    await managed_organization(session, actor, org_id)
    _check(url, events, settings)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        organization_id=org_id,
        url=url,
        events=sorted(set(events)),
        enabled=enabled,
        description=description,
        secret=secret,
    )
    session.add(endpoint)
    await session.flush()
    await session.refresh(endpoint)
    return endpoint, secret


async def list_for(session: AsyncSession, actor: User, org_id: uuid.UUID) -> list[WebhookEndpoint]:
    await managed_organization(session, actor, org_id)
    rows = await session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.organization_id == org_id)
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    )
    return list(rows)


async def get_managed(session: AsyncSession, actor: User, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    """The endpoint, when the caller manages its organization (not visible ⇒ 404)."""
    endpoint = await session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound("Webhook not found.")
    try:
        await managed_organization(session, actor, endpoint.organization_id)
    except NotFound:
        raise NotFound("Webhook not found.") from None
    return endpoint


async def update(
    session: AsyncSession, actor: User, endpoint_id: uuid.UUID, settings: Settings, changes: dict[str, Any]
) -> WebhookEndpoint:
    endpoint = await get_managed(session, actor, endpoint_id)
    events = changes.get("events", endpoint.events)
    _check(changes.get("url"), events, settings)  # a stored URL is checked again when connecting
    endpoint.url = changes.get("url", endpoint.url)
    endpoint.events = sorted(set(events))
    if "description" in changes:
        endpoint.description = changes["description"]
    if "enabled" in changes:
        endpoint.enabled = changes["enabled"]
        if endpoint.enabled:
            endpoint.disabled_reason = None
    await session.flush()
    await session.refresh(endpoint)
    return endpoint


async def delete(session: AsyncSession, actor: User, endpoint_id: uuid.UUID) -> None:
    endpoint = await get_managed(session, actor, endpoint_id)
    await session.delete(endpoint)
    await session.flush()


async def rotate_secret(
    session: AsyncSession, actor: User, endpoint_id: uuid.UUID, settings: Settings
) -> tuple[WebhookEndpoint, str]:
    """A new secret; the current one keeps signing (a second ``v1=``) for the overlap window."""
    endpoint = await get_managed(session, actor, endpoint_id)
    secret = new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = utcnow() + timedelta(hours=settings.webhook_secret_overlap_hours)
    endpoint.secret = secret
    await session.flush()
    await session.refresh(endpoint)
    return endpoint, secret


async def deliveries(
    session: AsyncSession, actor: User, endpoint_id: uuid.UUID, *, offset: int, limit: int
) -> tuple[list[tuple[WebhookDelivery, str]], int]:
    await get_managed(session, actor, endpoint_id)
    query = (
        select(WebhookDelivery, OutgoingEvent.type)
        .join(OutgoingEvent, OutgoingEvent.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
    )
    total = await session.scalar(
        select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    )
    rows = await session.execute(
        query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id).offset(offset).limit(limit)
    )
    return [(row[0], row[1]) for row in rows], total or 0


async def redeliver(
    session: AsyncSession, actor: User, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> tuple[WebhookDelivery, str]:
    """Send a logged delivery's event again (same event id and payload), with retries of its own."""
    endpoint = await get_managed(session, actor, endpoint_id)
    original = await session.get(WebhookDelivery, delivery_id)
    if original is None or original.endpoint_id != endpoint.id:
        raise NotFound("Delivery not found.")
    if not endpoint.enabled:
        raise Conflict("The webhook is disabled; enable it first.")
    event = await session.get(OutgoingEvent, original.event_id)
    assert event is not None
    delivery = await queue_delivery(session, endpoint.id, event.id, 1)
    await session.refresh(delivery)
    return delivery, event.type


# --------------------------------------------------------------------------------------- delivering


def payload_bytes(event: OutgoingEvent) -> bytes:
    payload = {
        "id": str(event.id),
        "type": event.type,
        "createdAt": event.created_at.isoformat().replace("+00:00", "Z"),
        "organizationId": str(event.organization_id),
        "data": event.data,
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    keys = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret is not None and expires is not None and expires > now:
        keys.append(endpoint.previous_secret)
    return keys


async def deliver(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, delivery_id: uuid.UUID
) -> str:
    """Make one PENDING delivery attempt; log it, and queue the next attempt or disable on 410.

    Run again after a crash mid-request, it sends again (at least once); a finished attempt is not."""
    async with sessionmaker() as session, session.begin():
        delivery = await session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.status != DeliveryStatus.PENDING.value:
            return "done"
        endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id)
        event = await session.get(OutgoingEvent, delivery.event_id)
        if endpoint is None or event is None:
            return "gone"
        if not endpoint.enabled:
            delivery.status, delivery.error = DeliveryStatus.FAILED.value, "endpoint disabled"
            return "disabled"
        url, body = endpoint.url, payload_bytes(event)
        now = utcnow()
        headers = {
            "TixMo-Event-Id": str(event.id),
            "TixMo-Signature": sender.signature_header(
                signing_secrets(endpoint, now), body, int(now.timestamp())
            ),
        }
        attempt, endpoint_id, event_id = delivery.attempt, endpoint.id, event.id
    outcome = await sender.post(
        url,
        body,
        headers,
        timeout_seconds=settings.webhook_timeout_seconds,
        allow_private=settings.webhook_allow_private,
    )
    async with sessionmaker() as session, session.begin():
        delivery = await session.get(WebhookDelivery, delivery_id, with_for_update=True)
        if delivery is None or delivery.status != DeliveryStatus.PENDING.value:
            return "done"
        delivery.status = (DeliveryStatus.DELIVERED if outcome.delivered else DeliveryStatus.FAILED).value
        delivery.response_code, delivery.duration_ms = outcome.status, outcome.duration_ms
        delivery.response_excerpt, delivery.error = outcome.excerpt, outcome.error
        if outcome.delivered:
            return "delivered"
        if outcome.status == 410:
            endpoint = await session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
            if endpoint is not None:
                endpoint.enabled = False
                endpoint.disabled_reason = "The endpoint answered 410 Gone."
            return "disabled"
        if attempt < MAX_ATTEMPTS:
            due = utcnow() + timedelta(seconds=RETRY_DELAYS_SECONDS[attempt - 1])
            await queue_delivery(session, endpoint_id, event_id, attempt + 1, scheduled_at=due)
            return "retrying"
        return "failed"

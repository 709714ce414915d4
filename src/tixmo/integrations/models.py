"""API keys, webhook endpoints, the events they are sent and each delivery attempt."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import Base, IdMixin, TimestampMixin


class Scope(StrEnum):
    EVENTS_READ = "events:read"
    EVENTS_WRITE = "events:write"
    ORDERS_READ = "orders:read"
    ORDERS_WRITE = "orders:write"
    CHECKIN = "checkin"
    ANALYTICS_READ = "analytics:read"


class ApiKey(IdMixin, TimestampMixin, Base):
    """A key of an organization. Only the SHA-256 of the key is kept (a key has 256 random bits, so a
    fast hash is enough); ``prefix`` is its first characters, shown in lists. ``user_id`` is the key's
    own service account, a member of the organization: the API's tenant scoping applies to it unchanged."""

    __tablename__ = "api_keys"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(32))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    # Requests per minute; NULL: the default tier (TIXMO_API_KEY_RATE_LIMIT). Set by platform ADMINs.
    rate_limit_per_minute: Mapped[int | None] = mapped_column(Integer)


class WebhookEndpoint(IdMixin, TimestampMixin, Base):
    __tablename__ = "webhook_endpoints"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[str]] = mapped_column(ARRAY(String(64)))
    enabled: Mapped[bool] = mapped_column(server_default=text("true"))
    description: Mapped[str | None] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(100))
    # The secret before the last rotation, still signing until ``previous_secret_expires_at``.
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_expires_at: Mapped[datetime | None]
    disabled_reason: Mapped[str | None] = mapped_column(String(200))


class OutgoingEvent(IdMixin, Base):
    """An occurrence as sent to webhooks: its ``id`` is the payload ``id`` and ``TixMo-Event-Id``.

    No foreign key to ``organizations``: ``emit`` runs under a write path's row locks (docs/architecture.md,
    "Lock order"), and the key check would take a share lock on the organization row outside that order.
    Organizations are soft-deleted; their endpoints (and so deliveries) go with a hard delete."""

    __tablename__ = "outgoing_events"

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    type: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"))


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # queued, not tried yet
    DELIVERED = "DELIVERED"  # the endpoint answered 2xx
    FAILED = "FAILED"  # this attempt failed (a later attempt may follow)


class WebhookDelivery(IdMixin, Base):
    """One attempt to deliver one event to one endpoint (the delivery log)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_endpoint_id_created_at", "endpoint_id", "created_at"),)

    endpoint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("outgoing_events.id", ondelete="CASCADE"))
    attempt: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), server_default=text("'PENDING'"))
    response_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    response_excerpt: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"))

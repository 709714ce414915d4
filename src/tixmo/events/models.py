from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Computed, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import Base, IdMixin, TimestampMixin


class EventStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"


class EventCategory(StrEnum):
    CONCERT = "CONCERT"
    FESTIVAL = "FESTIVAL"
    SPORTS = "SPORTS"
    THEATER = "THEATER"
    COMEDY = "COMEDY"
    CONFERENCE = "CONFERENCE"
    WORKSHOP = "WORKSHOP"
    EXHIBITION = "EXHIBITION"
    NIGHTLIFE = "NIGHTLIFE"
    OTHER = "OTHER"


class RefundPolicy(StrEnum):
    """Whether ticket holders may cancel a ticket themselves for its paid share (staff always may)."""

    FULL = "FULL"  # until ``refund_deadline_hours`` before the start
    NONE = "NONE"


# Name (unstemmed, weight A) and description (stemmed B + unstemmed C): prefix queries built with the
# 'simple' configuration match both, so "jaz" finds "Jazz" and "concerts" still finds "concert".
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'C')"
)


class Event(IdMixin, TimestampMixin, Base):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("max_per_buyer IS NULL OR max_per_buyer >= 1", name="max_per_buyer_positive"),
        CheckConstraint("status IN ('DRAFT', 'PUBLISHED', 'CANCELLED', 'COMPLETED')", name="status_valid"),
        CheckConstraint("refund_policy IN ('FULL', 'NONE')", name="refund_policy_valid"),
        CheckConstraint("refund_deadline_hours >= 0", name="refund_deadline_non_negative"),
        Index("ix_events_status_starts_at", "status", "starts_at"),
        Index("ix_events_organization_id_starts_at", "organization_id", "starts_at"),
        Index("ix_events_venue_id", "venue_id"),
        Index("ix_events_category_starts_at", "category", "starts_at"),
        Index("ix_events_series_id", "series_id"),
        Index("ix_events_tags", "tags", postgresql_using="gin"),
        Index("ix_events_search_vector", "search_vector", postgresql_using="gin"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venues.id", ondelete="RESTRICT"))
    series_id: Mapped[uuid.UUID | None]
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), server_default=text("'{}'"), default=list)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int | None]
    # Anti-scalping: the most tickets (all types) one buyer may hold or own across all their orders.
    max_per_buyer: Mapped[int | None]
    # May ticket holders transfer their tickets to another account (POST /tickets/{id}/transfer)?
    transfers_allowed: Mapped[bool] = mapped_column(server_default=text("true"), default=True)
    image_url: Mapped[str | None] = mapped_column(String(2048))
    currency: Mapped[str] = mapped_column(String(3), server_default="USD", default="USD")
    status: Mapped[str] = mapped_column(String(16), default=EventStatus.DRAFT.value)
    refund_policy: Mapped[str] = mapped_column(
        String(8), default=RefundPolicy.NONE.value, server_default=RefundPolicy.NONE.value
    )
    refund_deadline_hours: Mapped[int] = mapped_column(default=24, server_default=text("24"))
    # A payment disputed by the buyer's bank suspends the order's unused tickets until the dispute ends
    # (payments.disputes): a chargeback cannot be used to get in for free.
    suspend_tickets_on_dispute: Mapped[bool] = mapped_column(server_default=text("false"), default=False)
    published_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    search_vector: Mapped[str] = mapped_column(TSVECTOR, Computed(SEARCH_VECTOR_SQL, persisted=True))

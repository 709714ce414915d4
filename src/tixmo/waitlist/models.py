"""Waitlist entries and the per-event switch.

An entry waits for ``quantity`` tickets of one ticket type, or of any ticket type of the event
(``ticket_type_id`` NULL). Its place in the queue is ``seq`` (join order). While it is OFFERED, its
``quantity`` tickets of ``offer_ticket_type_id`` are held for it: they are part of that ticket type's
``quantity_held`` (the CHECK ``sold + held <= total`` covers them) until it claims, leaves or lets the
offer run out. Units released while entries wait and not yet offered are the ticket type's
``waitlist_pool`` (also inside ``quantity_held``): see ``ticketing/waitlist_pool.py`` and docs/waitlist.md.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Identity,
    Index,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import Base, IdMixin, TimestampMixin


class WaitlistStatus(StrEnum):
    WAITING = "WAITING"
    OFFERED = "OFFERED"
    CLAIMED = "CLAIMED"
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"


ACTIVE_STATUSES = (WaitlistStatus.WAITING.value, WaitlistStatus.OFFERED.value)
NO_TICKET_TYPE = "'00000000-0000-0000-0000-000000000000'::uuid"


class WaitlistEntry(IdMixin, TimestampMixin, Base):
    __tablename__ = "waitlist_entries"
    __table_args__ = (
        CheckConstraint(
            "status IN ('WAITING', 'OFFERED', 'CLAIMED', 'EXPIRED', 'CANCELLED')", name="status_valid"
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "status <> 'OFFERED' OR (offer_ticket_type_id IS NOT NULL AND offer_expires_at IS NOT NULL)",
            name="offer_complete",
        ),
        # One active entry per user per ticket type (or per event, for "any ticket type").
        Index(
            "uq_waitlist_entries_active",
            "user_id",
            "event_id",
            text(f"coalesce(ticket_type_id, {NO_TICKET_TYPE})"),
            unique=True,
            postgresql_where=text("status IN ('WAITING', 'OFFERED')"),
        ),
        # The queue: WAITING entries of an event in join order.
        Index("ix_waitlist_entries_waiting", "event_id", "seq", postgresql_where=text("status = 'WAITING'")),
        Index(
            "ix_waitlist_entries_offers_due", "offer_expires_at", postgresql_where=text("status = 'OFFERED'")
        ),
        Index("ix_waitlist_entries_user_id", "user_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), unique=True)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    ticket_type_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ticket_types.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    quantity: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=WaitlistStatus.WAITING.value)
    offer_ticket_type_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ticket_types.id", ondelete="CASCADE"), index=True
    )
    offered_at: Mapped[datetime | None]
    offer_expires_at: Mapped[datetime | None]
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None]  # claimed, expired or cancelled


class WaitlistSettings(Base):
    """The per-event switch (no row: the waitlist is open)."""

    __tablename__ = "waitlist_settings"

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(server_default=text("true"), default=True)
    updated_at: Mapped[datetime] = mapped_column(server_default=text("now()"))

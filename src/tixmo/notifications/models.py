"""Notifications: in-app messages, email preferences, the email outbox and sent reminders."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import Base, IdMixin, utcnow


class Notification(IdMixin, Base):
    """One message to one user, e.g. "a ticket was transferred to you". ``read_at`` is set when read."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
        Index("ix_notifications_unread", "user_id", postgresql_where=text("read_at IS NULL")),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # A stable machine-readable kind, e.g. ``ticket.transfer.received`` (``notifications.kinds``).
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"), default=dict)
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=lambda: utcnow())


class NotificationPreference(Base):
    """A user's email switches. No row: the defaults (everything on but marketing)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_enabled: Mapped[bool] = mapped_column(server_default=text("true"), default=True)
    order_updates: Mapped[bool] = mapped_column(server_default=text("true"), default=True)
    ticket_transfers: Mapped[bool] = mapped_column(server_default=text("true"), default=True)
    event_reminders: Mapped[bool] = mapped_column(server_default=text("true"), default=True)
    marketing: Mapped[bool] = mapped_column(server_default=text("false"), default=False)
    updated_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=lambda: utcnow())


class EmailStatus(StrEnum):
    QUEUED = "QUEUED"
    SENDING = "SENDING"  # claimed by one sender until ``locked_until`` (``notifications.delivery``)
    SENT = "SENT"
    FAILED = "FAILED"


class EmailMessage(IdMixin, Base):
    """The email outbox: one row per email, written in the transaction of the change that causes it,
    together with the job (carrying this id) that renders and sends it. A sender claims it exclusively
    (SENDING) until ``locked_until``; a claim whose sender died lapses then and the message is sent again."""

    __tablename__ = "email_messages"
    __table_args__ = (
        CheckConstraint("status IN ('QUEUED', 'SENDING', 'SENT', 'FAILED')", name="status_valid"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_email_messages_user_id_created_at", "user_id", "created_at"),
        Index("ix_email_messages_status", "status", postgresql_where=text("status <> 'SENT'")),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    notification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(64))
    to: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), server_default=text("'QUEUED'"), default="QUEUED")
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"), default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # While SENDING: when the sender's claim lapses (a sender that died by then is replaced).
    locked_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=lambda: utcnow())


class SentReminder(Base):
    """One row per (event, user, kind) reminder ever sent: the insert (``ON CONFLICT DO NOTHING``) is the
    claim that makes a reminder go out exactly once, however many workers look at the same event."""

    __tablename__ = "sent_reminders"
    __table_args__ = (PrimaryKeyConstraint("event_id", "user_id", "kind"),)

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=lambda: utcnow())

"""The waiting room of an event and the people in it (docs/waiting-room.md).

A room's order is a ``position`` per entry. People who joined before ``opens_at`` have none until the
draw: at the first request after the opening, one statement numbers them by a random ``draw_key`` each
drew when joining (a fair shuffle among the early arrivals); later arrivals then take the next position
in the order they join. ``admitted`` is the room's watermark: positions below it are admitted, and a
person admitted gets a pass the first time they ask for their status.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import Base, IdMixin, TimestampMixin


class QueueStatus(StrEnum):
    WAITING = "WAITING"  # in the room, not admitted yet
    ADMITTED = "ADMITTED"  # holds an unused pass that has not expired (or may collect one)
    EXPIRED = "EXPIRED"  # the pass ended: it ran out unused, or placed its one order (``passUsedAt``)
    CLOSED = "CLOSED"  # the event sold out before this person was admitted


class WaitingRoom(TimestampMixin, Base):
    """One event's waiting room: the settings staff set and the room's running state."""

    __tablename__ = "waiting_rooms"
    __table_args__ = (
        CheckConstraint("admit_per_minute IS NULL OR admit_per_minute > 0", name="admit_rate_positive"),
        CheckConstraint("pass_minutes > 0 AND pass_minutes <= 1440", name="pass_minutes_range"),
        CheckConstraint("admitted >= 0 AND next_position >= 0", name="counters_not_negative"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(server_default=text("true"))
    opens_at: Mapped[datetime]
    # Passes per minute; NULL: automatic, from the checkout rate of the last minutes (service.py).
    admit_per_minute: Mapped[int | None] = mapped_column(Integer)
    pass_minutes: Mapped[int] = mapped_column(Integer, server_default=text("10"))
    # Running state. ``admitted`` is fractional: a rate of 1 per minute polled every second admits a
    # sixtieth each time.
    admitted: Mapped[float] = mapped_column(Float, server_default=text("0"))
    next_position: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    drawn_at: Mapped[datetime | None]
    advanced_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]  # sold out: admission stopped, those waiting were told


class QueueEntry(IdMixin, Base):
    """One person in one event's waiting room (one entry per account and event)."""

    __tablename__ = "queue_entries"
    __table_args__ = (
        Index("uq_queue_entries_event_id_user_id", "event_id", "user_id", unique=True),
        Index(
            "uq_queue_entries_event_id_position",
            "event_id",
            "position",
            unique=True,
            postgresql_where=text("position IS NOT NULL"),
        ),
        Index(
            "ix_queue_entries_event_id_waiting_draw", "event_id", postgresql_where=text("position IS NULL")
        ),
        Index(
            "ix_queue_entries_event_id_open_pass",
            "event_id",
            "pass_expires_at",
            postgresql_where=text("pass_issued_at IS NOT NULL AND pass_used_at IS NULL"),
        ),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    joined_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    # Early arrivals: a random key drawn at joining; their position is given at the draw.
    draw_key: Mapped[int | None] = mapped_column(BigInteger)
    position: Mapped[int | None] = mapped_column(BigInteger)
    pass_issued_at: Mapped[datetime | None]
    pass_expires_at: Mapped[datetime | None]
    pass_used_at: Mapped[datetime | None]
    told_closed_at: Mapped[datetime | None]

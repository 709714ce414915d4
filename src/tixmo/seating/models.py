from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import Base, IdMixin


class SeatStatus(StrEnum):
    AVAILABLE = "AVAILABLE"
    HELD = "HELD"
    SOLD = "SOLD"


class EventSeat(IdMixin, Base):
    """A seat of the venue's seating chart, sold for one event through one ticket type.

    A seat exists once per event (unique ``(event_id, section, row, label)``) and belongs to at most one
    order at a time: it is taken by a conditional UPDATE ``… WHERE order_id IS NULL``, and the CHECK ties
    ``status`` to ``order_id``, so it is held or sold at most once.
    """

    __tablename__ = "event_seats"
    __table_args__ = (
        UniqueConstraint("event_id", "section", "row", "label"),
        CheckConstraint("status IN ('AVAILABLE', 'HELD', 'SOLD')", name="status_valid"),
        CheckConstraint("(status = 'AVAILABLE') = (order_id IS NULL)", name="order_matches_status"),
        Index("ix_event_seats_ticket_type_id_position", "ticket_type_id", "position"),
        Index("ix_event_seats_order_id", "order_id"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    ticket_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket_types.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(100))
    row: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(50))
    # Order in the seating chart (sections, then rows, then seats): "best available" takes the lowest.
    position: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=SeatStatus.AVAILABLE.value)
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"))

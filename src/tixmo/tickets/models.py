from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import DEFERRED, Base, IdMixin, TimestampMixin


class TicketStatus(StrEnum):
    VALID = "VALID"
    USED = "USED"
    CANCELLED = "CANCELLED"


class Ticket(IdMixin, TimestampMixin, Base):
    """One admission, issued when its order is confirmed. ``barcode`` is random (128 bits) and unique."""

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint("status IN ('VALID', 'USED', 'CANCELLED')", name="status_valid"),
        Index("ix_tickets_order_id", "order_id"),
        Index("ix_tickets_owner_id_event_id", "owner_id", "event_id"),
        Index("ix_tickets_event_id_status", "event_id", "status"),
        Index("ix_tickets_ticket_type_id", "ticket_type_id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"))
    # Deferred like the orders' (see orders/models.py): confirm updates the ticket type it references.
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="RESTRICT", **DEFERRED))
    ticket_type_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ticket_types.id", ondelete="RESTRICT", **DEFERRED)
    )
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    seat_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("event_seats.id", ondelete="SET NULL"))
    barcode: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(server_default=text("1"), default=1)
    status: Mapped[str] = mapped_column(String(16), default=TicketStatus.VALID.value)
    checked_in_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

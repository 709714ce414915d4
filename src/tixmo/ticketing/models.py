from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import Base, IdMixin, TimestampMixin


class TicketType(IdMixin, TimestampMixin, Base):
    """A kind of ticket for one event, with live inventory counters.

    The invariant ``quantity_sold + quantity_held <= quantity_total`` is a CHECK constraint: inventory
    is reserved by one conditional UPDATE (DESIGN rule 6) and the database refuses any oversell.
    """

    __tablename__ = "ticket_types"
    __table_args__ = (
        CheckConstraint("quantity_total >= 0", name="total_non_negative"),
        CheckConstraint("quantity_sold >= 0", name="sold_non_negative"),
        CheckConstraint("quantity_held >= 0", name="held_non_negative"),
        CheckConstraint("quantity_sold + quantity_held <= quantity_total", name="no_oversell"),
        CheckConstraint("price_minor >= 0", name="price_non_negative"),
        CheckConstraint("min_per_order >= 1", name="min_per_order_positive"),
        CheckConstraint(
            "max_per_order IS NULL OR max_per_order >= min_per_order", name="max_per_order_valid"
        ),
        CheckConstraint(
            "sales_end IS NULL OR sales_start IS NULL OR sales_end > sales_start", name="sales_window"
        ),
        CheckConstraint("max_per_buyer IS NULL OR max_per_buyer >= 1", name="max_per_buyer_positive"),
        CheckConstraint("waitlist_pool >= 0 AND waitlist_pool <= quantity_held", name="waitlist_pool_held"),
        Index("ix_ticket_types_event_id", "event_id"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    quantity_total: Mapped[int]
    quantity_sold: Mapped[int] = mapped_column(server_default=text("0"), default=0)
    quantity_held: Mapped[int] = mapped_column(server_default=text("0"), default=0)
    # Of ``quantity_held``: tickets that came back while waitlist entries waited for them, kept for the
    # waitlist until offered (tixmo/ticketing/waitlist_pool.py); never on public sale meanwhile.
    waitlist_pool: Mapped[int] = mapped_column(server_default=text("0"), default=0)
    sales_start: Mapped[datetime | None]
    sales_end: Mapped[datetime | None]
    min_per_order: Mapped[int] = mapped_column(server_default=text("1"), default=1)
    max_per_order: Mapped[int | None]
    # Anti-scalping: the most tickets of this type one buyer may hold or own across all their orders.
    max_per_buyer: Mapped[int | None]
    sort_order: Mapped[int] = mapped_column(server_default=text("0"), default=0)
    # Ordered pricing rules, e.g. [{"kind": "DATE", "until": "2026-03-01T00:00:00Z", "priceMinor": 2000},
    # {"kind": "DEMAND", "afterSoldPercent": 80, "priceMinor": 3500}] (see pricing.py).
    price_tiers: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, server_default=text("'[]'"), default=list
    )

    @property
    def quantity_available(self) -> int:
        return max(0, self.quantity_total - self.quantity_sold - self.quantity_held)

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import DEFERRED, Base, IdMixin, TimestampMixin


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"
    REFUNDED = "REFUNDED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"


# Orders whose tickets count against inventory and per-buyer caps as sold.
PAID_STATUSES = (OrderStatus.CONFIRMED.value, OrderStatus.PARTIALLY_REFUNDED.value)


class Order(IdMixin, TimestampMixin, Base):
    """A buyer's order for one event. PENDING orders hold inventory until ``expires_at``.

    The status moves only through ``orders.service`` with conditional UPDATEs (``WHERE status = …``), so
    an order's hold is released, and its promo use given back, exactly once.
    """

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(
            "status IN ('PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'REFUNDED', 'PARTIALLY_REFUNDED')",
            name="status_valid",
        ),
        CheckConstraint("subtotal_minor >= 0", name="subtotal_non_negative"),
        CheckConstraint("discount_minor >= 0 AND discount_minor <= subtotal_minor", name="discount_valid"),
        CheckConstraint("total_minor = subtotal_minor - discount_minor", name="total_adds_up"),
        CheckConstraint("ticket_count > 0", name="ticket_count_positive"),
        Index("ix_orders_user_id_created_at", "user_id", "created_at"),
        # Covering for the analytics reports (order starts, status breakdowns: analytics/models.py).
        Index(
            "ix_orders_event_id_created_at",
            "event_id",
            "created_at",
            postgresql_include=["status", "confirmed_at", "promo_code_id"],
        ),
        Index("ix_orders_pending_expires_at", "expires_at", postgresql_where=text("status = 'PENDING'")),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    # Deferred foreign keys (checked at commit): the check's KEY SHARE lock on the event, promo code and
    # ticket type rows is then taken after the order's own UPDATE of the hot rows, instead of making every
    # concurrent buyer a co-locker (a MultiXact) of the row all of them are queueing to update.
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="RESTRICT", **DEFERRED))
    status: Mapped[str] = mapped_column(String(24), default=OrderStatus.PENDING.value)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)
    discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    ticket_count: Mapped[int]
    promo_code_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("promo_codes.id", ondelete="SET NULL", **DEFERRED), index=True
    )
    promo_code: Mapped[str | None] = mapped_column(String(50))
    expires_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    expired_at: Mapped[datetime | None]


class OrderItem(IdMixin, Base):
    """One ticket type in an order, at the unit price the buyer was quoted."""

    __tablename__ = "order_items"
    __table_args__ = (
        UniqueConstraint("order_id", "ticket_type_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_minor >= 0", name="unit_price_non_negative"),
        CheckConstraint("discount_minor >= 0", name="discount_non_negative"),
        Index("ix_order_items_ticket_type_id", "ticket_type_id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    ticket_type_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ticket_types.id", ondelete="RESTRICT", **DEFERRED)
    )
    quantity: Mapped[int]
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    # The share of the order's discount that falls on this line (the lines' shares sum to the discount).
    discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)

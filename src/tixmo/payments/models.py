"""Payments, their append-only history, refunds, and the webhook events already processed.

Money is integer minor units. ``amount_refunded_minor`` counts every refund that is PENDING or
SUCCEEDED: a refund claims its amount when it is recorded, under the order's row lock, so concurrent
refunds can never add up to more than was received (the CHECK constraint backs it).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import DEFERRED, Base, IdMixin, TimestampMixin, utcnow


class PaymentStatus(StrEnum):
    REQUIRES_PAYMENT = "REQUIRES_PAYMENT"  # an intent exists; the buyer has not paid (yet)
    FAILED = "FAILED"  # the last attempt failed; the buyer may try again with the same intent
    SUCCEEDED = "SUCCEEDED"
    REQUIRES_REVIEW = "REQUIRES_REVIEW"  # money arrived that does not match the order: not confirmed
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"


# Payments whose money was received and can be refunded.
REFUNDABLE_STATUSES = (
    PaymentStatus.SUCCEEDED.value,
    PaymentStatus.PARTIALLY_REFUNDED.value,
    PaymentStatus.REQUIRES_REVIEW.value,
)
OPEN_STATUSES = (PaymentStatus.REQUIRES_PAYMENT.value, PaymentStatus.FAILED.value)


class RefundStatus(StrEnum):
    PENDING = "PENDING"  # recorded; the provider has not confirmed it yet
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"  # the provider refused it: the amount is free to refund again


class Payment(IdMixin, TimestampMixin, Base):
    """The one payment of an order, through one provider (``manual`` or ``stripe``)."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("order_id"),
        UniqueConstraint("provider", "provider_payment_id"),
        CheckConstraint("provider IN ('manual', 'stripe')", name="provider_valid"),
        CheckConstraint(
            "status IN ('REQUIRES_PAYMENT', 'FAILED', 'SUCCEEDED', 'REQUIRES_REVIEW', "
            "'PARTIALLY_REFUNDED', 'REFUNDED')",
            name="status_valid",
        ),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("amount_received_minor >= 0", name="received_non_negative"),
        CheckConstraint(
            "amount_refunded_minor >= 0 AND amount_refunded_minor <= amount_received_minor",
            name="refunds_within_received",
        ),
        Index("ix_payments_user_id_created_at", "user_id", "created_at"),
        Index("ix_payments_event_id_created_at", "event_id", "created_at"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"))
    # The buyer and the event of the order, kept here for listing and tenant scoping.
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="RESTRICT", **DEFERRED))
    provider: Mapped[str] = mapped_column(String(16))
    # The provider's id: a Stripe PaymentIntent ``pi_…``, or ``manual_…``.
    provider_payment_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)  # what the order costs
    amount_received_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    amount_refunded_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    succeeded_at: Mapped[datetime | None]


class PaymentEvent(IdMixin, Base):
    """One entry of a payment's history (append-only): what happened and the status it left."""

    __tablename__ = "payment_events"
    __table_args__ = (Index("ix_payment_events_payment_id_created_at", "payment_id", "created_at"),)

    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id", ondelete="RESTRICT"))
    type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(24))
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    refund_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("refunds.id", ondelete="RESTRICT"))
    provider_event_id: Mapped[str | None] = mapped_column(String(255))
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=lambda: utcnow(), server_default=text("now()"))


class Refund(IdMixin, TimestampMixin, Base):
    """Money going back. Its id is the provider's idempotency key: retried calls never refund twice."""

    __tablename__ = "refunds"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("status IN ('PENDING', 'SUCCEEDED', 'FAILED')", name="status_valid"),
        Index("ix_refunds_payment_id", "payment_id"),
        Index("ix_refunds_pending", "created_at", postgresql_where=text("status = 'PENDING'")),
    )

    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id", ondelete="RESTRICT"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    # ``external``: found at the provider (e.g. refunded in the Stripe dashboard), not asked for here.
    origin: Mapped[str] = mapped_column(String(16), default="api", server_default="api")
    provider_refund_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    ticket_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), default=list, server_default=text("'{}'")
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attempts: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)


class WebhookEvent(IdMixin, Base):
    """A provider event already processed: a second delivery of the same id changes nothing."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    provider: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(default=lambda: utcnow(), server_default=text("now()"))

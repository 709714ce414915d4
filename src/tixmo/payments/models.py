"""Payments, their append-only history, refunds, and the webhook events already processed.

Money is integer minor units. ``amount_refunded_minor`` counts every refund that is PENDING or
SUCCEEDED: a refund claims its amount when it is recorded, under the order's row lock, so concurrent
refunds can never add up to more than was received (the CHECK constraint backs it).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import DEFERRED, Base, IdMixin, TimestampMixin, utcnow


class PaymentStatus(StrEnum):
    REQUIRES_PAYMENT = "REQUIRES_PAYMENT"  # an intent exists; the buyer has not paid (yet)
    REQUIRES_ACTION = "REQUIRES_ACTION"  # 3-D Secure / SCA: the buyer must authenticate (``nextAction``)
    PROCESSING = "PROCESSING"  # the bank is confirming (the order's hold is extended once)
    FAILED = "FAILED"  # the last attempt failed; the buyer may try again with the same intent
    CANCELED = "CANCELED"  # the intent was canceled; create-intent makes a new one while the hold lasts
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
# Payments not (yet) paid: the order stays payable until its hold ends.
OPEN_STATUSES = (
    PaymentStatus.REQUIRES_PAYMENT.value,
    PaymentStatus.REQUIRES_ACTION.value,
    PaymentStatus.PROCESSING.value,
    PaymentStatus.FAILED.value,
    PaymentStatus.CANCELED.value,
)
# Dispute statuses after which Stripe changes nothing any more.
DISPUTE_CLOSED = ("won", "lost", "warning_closed")


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
            "status IN ('REQUIRES_PAYMENT', 'REQUIRES_ACTION', 'PROCESSING', 'FAILED', 'CANCELED', "
            "'SUCCEEDED', 'REQUIRES_REVIEW', 'PARTIALLY_REFUNDED', 'REFUNDED')",
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
    # What the buyer must do next (Stripe's ``next_action``, e.g. a 3-D Secure redirect) while
    # REQUIRES_ACTION; cleared by any other status.
    next_action: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # The order's hold was extended while the bank confirmed (PROCESSING): once per payment.
    hold_extended_at: Mapped[datetime | None]
    # Intents made for the order so far (a canceled one is replaced: ``…-intent-<n>`` idempotency keys).
    intent_attempt: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # The provider's time of the last event that set an open status (REQUIRES_ACTION, PROCESSING,
    # FAILED, CANCELED): an older one delivered later is kept in the history and changes nothing.
    provider_status_at: Mapped[datetime | None]
    # The payment method type that paid (``card``, ``sepa_debit``, …; ``manual``), for the reports.
    method: Mapped[str | None] = mapped_column(String(32))


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
    # A machine-readable reason: the decline code of a failed attempt (``insufficient_funds``), a
    # dispute's reason (``fraudulent``).
    code: Mapped[str | None] = mapped_column(String(64))
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
    # ``external``: found at the provider (e.g. refunded in the Stripe dashboard), not asked for here;
    # ``dispute``: a chargeback the organizer lost (the bank took the money back).
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


class Dispute(IdMixin, TimestampMixin, Base):
    """A chargeback on a payment (Stripe's ``charge.dispute.*``): its amount, reason, status and evidence
    deadline as Stripe last reported them. A ``lost`` one is also recorded as a ``dispute`` refund, so
    every figure that counts refunds counts it."""

    __tablename__ = "payment_disputes"
    __table_args__ = (
        UniqueConstraint("provider", "provider_dispute_id"),
        CheckConstraint("amount_minor >= 0", name="amount_non_negative"),
        Index("ix_payment_disputes_payment_id", "payment_id"),
    )

    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id", ondelete="RESTRICT"))
    provider: Mapped[str] = mapped_column(String(16))
    provider_dispute_id: Mapped[str] = mapped_column(String(255))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(String(64))
    # Stripe's words: warning_needs_response, warning_under_review, warning_closed, needs_response,
    # under_review, won, lost.
    status: Mapped[str] = mapped_column(String(32))
    evidence_due_by: Mapped[datetime | None]
    # The order's VALID tickets were suspended for it (the event's ``suspendTicketsOnDispute``).
    tickets_suspended: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    refund_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("refunds.id", ondelete="RESTRICT"))
    closed_at: Mapped[datetime | None]


class PaymentCustomer(Base):
    """The provider's customer of a user (a Stripe Customer ``cus_…``), made on the first opt-in to save
    a payment method."""

    __tablename__ = "payment_customers"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    provider_customer_id: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=lambda: utcnow(), server_default=text("now()"))

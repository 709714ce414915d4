"""Analytics tables (page-view counters, report subscriptions and their deliveries) and the indexes the
reports need on other domains' tables.

The reports are SQL aggregates over the orders, payments, tickets and scans as they are (no rollup of
money: a refund or a cancellation shows in the next answer). The indexes below make those aggregates
index-only scans of the rows of one organization's events; they are declared here, next to the queries
that need them, and bound to the tables they index.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.checkin.models import Scan
from tixmo.db import Base, IdMixin, TimestampMixin, utcnow
from tixmo.orders.models import Order
from tixmo.payments.models import Payment


class Report(StrEnum):
    SALES = "SALES"
    EVENTS = "EVENTS"
    CUSTOMERS = "CUSTOMERS"
    PROMO_CODES = "PROMO_CODES"
    DASHBOARD = "DASHBOARD"
    FUNNEL = "FUNNEL"
    PAYMENTS = "PAYMENTS"


class Frequency(StrEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"


class DeliveryStatus(StrEnum):
    QUEUED = "QUEUED"
    SENDING = "SENDING"  # claimed by one sender until ``locked_until`` (``analytics.delivery``)
    SENT = "SENT"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"  # nobody left to send it to (no recipient is still a member)


class PageViewCount(Base):
    """Public reads of an event's page (``GET /events/{id}``) per day in the event's time zone. Counted in
    each API process's memory and added here in batches (``analytics.pageviews``)."""

    __tablename__ = "analytics_page_views"
    __table_args__ = (PrimaryKeyConstraint("event_id", "day", postgresql_include=["views"]),)

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    views: Mapped[int] = mapped_column(BigInteger)


class ReportSubscription(IdMixin, TimestampMixin, Base):
    """A report mailed (PDF + CSV) to some of an organization's members after every day or week."""

    __tablename__ = "analytics_subscriptions"
    __table_args__ = (
        CheckConstraint(
            "report IN ('SALES', 'EVENTS', 'CUSTOMERS', 'PROMO_CODES', 'DASHBOARD', 'FUNNEL', 'PAYMENTS')",
            name="report_valid",
        ),
        CheckConstraint("frequency IN ('DAILY', 'WEEKLY')", name="frequency_valid"),
        CheckConstraint("cardinality(recipient_ids) >= 1", name="has_recipients"),
        Index("ix_analytics_subscriptions_organization_id", "organization_id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    report: Mapped[str] = mapped_column(String(16))
    frequency: Mapped[str] = mapped_column(String(8))
    # Filters: one event of the organization (else all of them) and the time zone that cuts the days
    # and the periods (else UTC for the periods, each event's own zone for the days).
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    timezone: Mapped[str | None] = mapped_column(String(64))
    recipient_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    is_active: Mapped[bool] = mapped_column(server_default=text("true"), default=True)


class ReportDelivery(IdMixin, Base):
    """One period's mail of a subscription. The unique ``(subscription_id, period_start)`` is the claim
    that makes a period go out once however many workers tick at the same time; ``status`` with its lease
    makes one sender at a time send it."""

    __tablename__ = "analytics_report_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "period_start"),
        CheckConstraint("status IN ('QUEUED', 'SENDING', 'SENT', 'FAILED', 'SKIPPED')", name="status_valid"),
        CheckConstraint("period_end > period_start", name="period_valid"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index(
            "ix_analytics_report_deliveries_unsent",
            "status",
            postgresql_where=text("status IN ('QUEUED', 'SENDING')"),
        ),
    )

    subscription_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("analytics_subscriptions.id", ondelete="CASCADE")
    )
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), server_default=text("'QUEUED'"), default="QUEUED")
    attempts: Mapped[int] = mapped_column(server_default=text("0"), default=0)
    locked_until: Mapped[datetime | None]
    recipients: Mapped[list[str]] = mapped_column(
        ARRAY(String(320)), server_default=text("'{}'"), default=list
    )
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=lambda: utcnow())


class SalesDay(Base):
    """Rollup: paid orders of one event per day (in the event's time zone at the time of the rollup) and
    currency — only orders paid before ``RollupState.covered_until``; reports add the orders paid since
    from the orders themselves (``analytics.figures``). A paid order's figures never change (refunds are
    summed from the payments), so each order is added once, by ``analytics.rollup.refresh``."""

    __tablename__ = "analytics_sales_days"
    # The figures ride in the key's index: reports read the rollup with index-only scans.
    __table_args__ = (
        PrimaryKeyConstraint(
            "event_id",
            "day",
            "currency",
            postgresql_include=["orders", "tickets", "gross_minor", "discount_minor"],
        ),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    orders: Mapped[int] = mapped_column(BigInteger)
    tickets: Mapped[int] = mapped_column(BigInteger)
    gross_minor: Mapped[int] = mapped_column(BigInteger)
    discount_minor: Mapped[int] = mapped_column(BigInteger)


class TicketTypeSalesDay(Base):
    """Rollup: the lines of paid orders per event, day, ticket type and currency (as ``SalesDay``)."""

    __tablename__ = "analytics_ticket_type_sales_days"
    __table_args__ = (
        PrimaryKeyConstraint(
            "event_id",
            "day",
            "ticket_type_id",
            "currency",
            postgresql_include=["tickets", "gross_minor", "discount_minor"],
        ),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    ticket_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket_types.id", ondelete="CASCADE"))
    currency: Mapped[str] = mapped_column(String(3))
    tickets: Mapped[int] = mapped_column(BigInteger)
    gross_minor: Mapped[int] = mapped_column(BigInteger)
    discount_minor: Mapped[int] = mapped_column(BigInteger)


class RollupState(Base):
    """How far the rollups reach: every order paid before ``covered_until`` is in them, none after."""

    __tablename__ = "analytics_rollup_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    covered_until: Mapped[datetime | None]
    refreshed_at: Mapped[datetime | None]


# ------------------------------------------------------------------------ indexes on others' tables
#
# Paid orders by event and paid time, with every column the money reports read: the customers, promo-code
# and refund aggregates and the orders paid since the rollup are index-only scans of one organization's
# events' ranges.
PAID_ORDERS_INDEX = Index(
    "ix_orders_paid_by_event",
    Order.event_id,
    Order.confirmed_at,
    postgresql_include=[
        "id",
        "user_id",
        "currency",
        "subtotal_minor",
        "discount_minor",
        "ticket_count",
        "promo_code_id",
    ],
    postgresql_where=text("confirmed_at IS NOT NULL"),
)
# The few payments with money refunded, by event: refunds are summed from these alone.
REFUNDED_PAYMENTS_INDEX = Index(
    "ix_payments_refunded_by_event",
    Payment.event_id,
    postgresql_include=["order_id", "amount_refunded_minor"],
    postgresql_where=text("amount_refunded_minor > 0"),
)
# Admissions (VALID, unconflicted entries) by event and time: the peak entry hour.
ENTRIES_INDEX = Index(
    "ix_scans_entries_by_event",
    Scan.event_id,
    Scan.scanned_at,
    postgresql_where=text("status = 'VALID' AND direction = 'ENTRY' AND NOT conflict"),
)

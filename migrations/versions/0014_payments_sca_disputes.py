"""Payments: 3-D Secure / SCA statuses (REQUIRES_ACTION, PROCESSING) and CANCELED, the next action,
the once-only hold extension, replaced intents, the payment method; decline codes in the history;
disputes; Stripe customers of users (saved payment methods); the PAYMENTS analytics report may be
subscribed to; the events' ``suspend_tickets_on_dispute`` and the tickets' ``suspended_at``.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 03:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OLD_STATUSES = (
    "status IN ('REQUIRES_PAYMENT', 'FAILED', 'SUCCEEDED', 'REQUIRES_REVIEW', 'PARTIALLY_REFUNDED', 'REFUNDED')"
)
NEW_STATUSES = (
    "status IN ('REQUIRES_PAYMENT', 'REQUIRES_ACTION', 'PROCESSING', 'FAILED', 'CANCELED', "
    "'SUCCEEDED', 'REQUIRES_REVIEW', 'PARTIALLY_REFUNDED', 'REFUNDED')"
)

REPORTS = "'SALES', 'EVENTS', 'CUSTOMERS', 'PROMO_CODES', 'DASHBOARD', 'FUNNEL'"


def upgrade() -> None:
    op.drop_constraint(op.f("ck_payments_status_valid"), "payments", type_="check")
    op.create_check_constraint(op.f("ck_payments_status_valid"), "payments", NEW_STATUSES)
    op.add_column("payments", sa.Column("next_action", postgresql.JSONB(), nullable=True))
    op.add_column("payments", sa.Column("hold_extended_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "payments", sa.Column("intent_attempt", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column("payments", sa.Column("method", sa.String(length=32), nullable=True))
    op.add_column("payments", sa.Column("provider_status_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("payment_events", sa.Column("code", sa.String(length=64), nullable=True))
    op.create_table(
        "payment_disputes",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("provider_dispute_id", sa.String(length=255), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("evidence_due_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tickets_suspended", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("refund_id", sa.Uuid(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("amount_minor >= 0", name=op.f("ck_payment_disputes_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_disputes_payment_id_payments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["refund_id"], ["refunds.id"], name=op.f("fk_payment_disputes_refund_id_refunds"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_disputes")),
        sa.UniqueConstraint(
            "provider", "provider_dispute_id", name=op.f("uq_payment_disputes_provider_provider_dispute_id")
        ),
    )
    op.create_index("ix_payment_disputes_payment_id", "payment_disputes", ["payment_id"])
    op.drop_constraint(op.f("ck_analytics_subscriptions_report_valid"), "analytics_subscriptions", type_="check")
    op.create_check_constraint(
        op.f("ck_analytics_subscriptions_report_valid"), "analytics_subscriptions", f"report IN ({REPORTS}, 'PAYMENTS')"
    )
    op.add_column(
        "events",
        sa.Column("suspend_tickets_on_dispute", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column("tickets", sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "payment_customers",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("provider_customer_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_payment_customers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "provider", name=op.f("pk_payment_customers")),
        sa.UniqueConstraint("provider_customer_id", name=op.f("uq_payment_customers_provider_customer_id")),
    )


def downgrade() -> None:
    op.drop_table("payment_customers")
    op.drop_column("tickets", "suspended_at")
    op.drop_column("events", "suspend_tickets_on_dispute")
    op.execute("DELETE FROM analytics_subscriptions WHERE report = 'PAYMENTS'")
    op.drop_constraint(op.f("ck_analytics_subscriptions_report_valid"), "analytics_subscriptions", type_="check")
    op.create_check_constraint(
        op.f("ck_analytics_subscriptions_report_valid"), "analytics_subscriptions", f"report IN ({REPORTS})"
    )
    op.drop_index("ix_payment_disputes_payment_id", table_name="payment_disputes")
    op.drop_table("payment_disputes")
    op.drop_column("payment_events", "code")
    op.drop_column("payments", "provider_status_at")
    op.drop_column("payments", "method")
    op.drop_column("payments", "intent_attempt")
    op.drop_column("payments", "hold_extended_at")
    op.drop_column("payments", "next_action")
    op.drop_constraint(op.f("ck_payments_status_valid"), "payments", type_="check")
    op.execute(
        "UPDATE payments SET status = 'FAILED' WHERE status IN ('REQUIRES_ACTION', 'PROCESSING', 'CANCELED')"
    )
    op.create_check_constraint(op.f("ck_payments_status_valid"), "payments", OLD_STATUSES)

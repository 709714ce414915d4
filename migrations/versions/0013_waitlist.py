"""Waitlist: entries (a queue per event), the per-event switch, and the ticket types' waitlist pool
(tickets kept back for the waitlist, counted in quantity_held).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 03:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "ticket_types", sa.Column("waitlist_pool", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.create_check_constraint(
        op.f("ck_ticket_types_waitlist_pool_held"),
        "ticket_types",
        "waitlist_pool >= 0 AND waitlist_pool <= quantity_held",
    )
    op.create_table(
        "waitlist_entries",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_type_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("offer_ticket_type_id", sa.Uuid(), nullable=True),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("offer_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('WAITING', 'OFFERED', 'CLAIMED', 'EXPIRED', 'CANCELLED')",
            name=op.f("ck_waitlist_entries_status_valid"),
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_waitlist_entries_quantity_positive")),
        sa.CheckConstraint(
            "status <> 'OFFERED' OR (offer_ticket_type_id IS NOT NULL AND offer_expires_at IS NOT NULL)",
            name=op.f("ck_waitlist_entries_offer_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_waitlist_entries_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_type_id"],
            ["ticket_types.id"],
            name=op.f("fk_waitlist_entries_ticket_type_id_ticket_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offer_ticket_type_id"],
            ["ticket_types.id"],
            name=op.f("fk_waitlist_entries_offer_ticket_type_id_ticket_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_waitlist_entries_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_waitlist_entries_order_id_orders"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entries")),
        sa.UniqueConstraint("seq", name=op.f("uq_waitlist_entries_seq")),
    )
    op.create_index(
        "uq_waitlist_entries_active",
        "waitlist_entries",
        [
            "user_id",
            "event_id",
            sa.text("coalesce(ticket_type_id, '00000000-0000-0000-0000-000000000000'::uuid)"),
        ],
        unique=True,
        postgresql_where=sa.text("status IN ('WAITING', 'OFFERED')"),
    )
    op.create_index(
        "ix_waitlist_entries_waiting",
        "waitlist_entries",
        ["event_id", "seq"],
        postgresql_where=sa.text("status = 'WAITING'"),
    )
    op.create_index(
        "ix_waitlist_entries_offers_due",
        "waitlist_entries",
        ["offer_expires_at"],
        postgresql_where=sa.text("status = 'OFFERED'"),
    )
    op.create_index("ix_waitlist_entries_user_id", "waitlist_entries", ["user_id", "seq"])
    op.create_index(op.f("ix_waitlist_entries_ticket_type_id"), "waitlist_entries", ["ticket_type_id"])
    op.create_index(
        op.f("ix_waitlist_entries_offer_ticket_type_id"), "waitlist_entries", ["offer_ticket_type_id"]
    )
    op.create_table(
        "waitlist_settings",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_waitlist_settings_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_waitlist_settings")),
    )


def downgrade() -> None:
    op.drop_table("waitlist_settings")
    op.drop_table("waitlist_entries")
    op.drop_constraint(op.f("ck_ticket_types_waitlist_pool_held"), "ticket_types", type_="check")
    op.drop_column("ticket_types", "waitlist_pool")

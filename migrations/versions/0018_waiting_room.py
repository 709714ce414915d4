"""The flash-sale waiting room: a room per event and its entries (queue/models.py).

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-05 03:23:30.129407
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_entries",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("draw_key", sa.BigInteger(), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("pass_issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pass_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pass_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("told_closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_queue_entries_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_queue_entries_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_entries")),
    )
    op.create_index(
        "ix_queue_entries_event_id_waiting_draw",
        "queue_entries",
        ["event_id"],
        unique=False,
        postgresql_where=sa.text("position IS NULL"),
    )
    op.create_index(
        "ix_queue_entries_event_id_open_pass",
        "queue_entries",
        ["event_id", "pass_expires_at"],
        unique=False,
        postgresql_where=sa.text("pass_issued_at IS NOT NULL AND pass_used_at IS NULL"),
    )
    op.create_index(
        "uq_queue_entries_event_id_position",
        "queue_entries",
        ["event_id", "position"],
        unique=True,
        postgresql_where=sa.text("position IS NOT NULL"),
    )
    op.create_index(
        "uq_queue_entries_event_id_user_id", "queue_entries", ["event_id", "user_id"], unique=True
    )
    op.create_table(
        "waiting_rooms",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("admit_per_minute", sa.Integer(), nullable=True),
        sa.Column("pass_minutes", sa.Integer(), server_default=sa.text("10"), nullable=False),
        sa.Column("admitted", sa.Float(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_position", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("advanced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "admit_per_minute IS NULL OR admit_per_minute > 0",
            name=op.f("ck_waiting_rooms_admit_rate_positive"),
        ),
        sa.CheckConstraint(
            "admitted >= 0 AND next_position >= 0", name=op.f("ck_waiting_rooms_counters_not_negative")
        ),
        sa.CheckConstraint(
            "pass_minutes > 0 AND pass_minutes <= 1440", name=op.f("ck_waiting_rooms_pass_minutes_range")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_waiting_rooms_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_waiting_rooms")),
    )


def downgrade() -> None:
    op.drop_table("waiting_rooms")
    op.drop_index("uq_queue_entries_event_id_user_id", table_name="queue_entries")
    op.drop_index(
        "uq_queue_entries_event_id_position",
        table_name="queue_entries",
        postgresql_where=sa.text("position IS NOT NULL"),
    )
    op.drop_index(
        "ix_queue_entries_event_id_open_pass",
        table_name="queue_entries",
        postgresql_where=sa.text("pass_issued_at IS NOT NULL AND pass_used_at IS NULL"),
    )
    op.drop_index(
        "ix_queue_entries_event_id_waiting_draw",
        table_name="queue_entries",
        postgresql_where=sa.text("position IS NULL"),
    )
    op.drop_table("queue_entries")

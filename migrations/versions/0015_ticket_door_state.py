"""Check-in: the door state on the ticket row (``inside``, ``entry_scan_id``), kept in step with the
scan history so that an online scan decides in one statement under the ticket's row lock; filled from the
history here (the latest VALID, non-conflict scan of each ticket).

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-05 03:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("inside", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    op.add_column("tickets", sa.Column("entry_scan_id", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE tickets SET inside = true, entry_scan_id = last.id FROM ("
        "SELECT DISTINCT ON (ticket_id) ticket_id, id, direction FROM scans "
        "WHERE status = 'VALID' AND NOT conflict AND ticket_id IS NOT NULL "
        "ORDER BY ticket_id, scanned_at DESC, id DESC"
        ") AS last WHERE last.ticket_id = tickets.id AND last.direction = 'ENTRY'"
    )


def downgrade() -> None:
    op.drop_column("tickets", "entry_scan_id")
    op.drop_column("tickets", "inside")

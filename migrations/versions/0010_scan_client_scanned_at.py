"""Scans: the device's own clock (client_scanned_at), kept next to the time that orders the history.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-25 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no default: a metadata-only change, no table rewrite on a large scans table.
    op.add_column('scans', sa.Column('client_scanned_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('scans', 'client_scanned_at')

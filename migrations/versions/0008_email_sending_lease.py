"""Email outbox: a SENDING state with a lease (locked_until), so one message has one sender at a time.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('email_messages', sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    op.drop_constraint(op.f('ck_email_messages_status_valid'), 'email_messages', type_='check')
    op.create_check_constraint(
        op.f('ck_email_messages_status_valid'),
        'email_messages',
        "status IN ('QUEUED', 'SENDING', 'SENT', 'FAILED')",
    )


def downgrade() -> None:
    # A message caught mid-send goes back to the queue: its job (or the stalled-job sweep) sends it.
    op.execute("UPDATE email_messages SET status = 'QUEUED' WHERE status = 'SENDING'")
    op.drop_constraint(op.f('ck_email_messages_status_valid'), 'email_messages', type_='check')
    op.create_check_constraint(
        op.f('ck_email_messages_status_valid'),
        'email_messages',
        "status IN ('QUEUED', 'SENT', 'FAILED')",
    )
    op.drop_column('email_messages', 'locked_until')

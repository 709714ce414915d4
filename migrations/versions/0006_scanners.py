"""Scanners: devices, the scan history, live-stream tickets.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scanners',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('api_key_hash', sa.String(length=64), nullable=False),
    sa.Column('api_key_prefix', sa.String(length=16), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_scanners_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_scanners_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_scanners_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scanners')),
    sa.UniqueConstraint('api_key_hash', name=op.f('uq_scanners_api_key_hash'))
    )
    op.create_index('ix_scanners_event_id', 'scanners', ['event_id'], unique=False)
    op.create_index('ix_scanners_organization_id', 'scanners', ['organization_id'], unique=False)
    op.create_table('scans',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('scanner_id', sa.Uuid(), nullable=True),
    sa.Column('ticket_id', sa.Uuid(), nullable=True),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('message', sa.String(length=200), nullable=False),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('client_scan_id', sa.String(length=64), nullable=True),
    sa.Column('conflict', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('conflicts_with_scan_id', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("direction IN ('ENTRY', 'EXIT')", name=op.f('ck_scans_direction_valid')),
    sa.CheckConstraint("source IN ('ONLINE', 'OFFLINE', 'MANUAL')", name=op.f('ck_scans_source_valid')),
    sa.CheckConstraint("status IN ('VALID', 'DUPLICATE', 'NOT_INSIDE', 'INVALID', 'WRONG_EVENT', 'CANCELLED')", name=op.f('ck_scans_status_valid')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_scans_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conflicts_with_scan_id'], ['scans.id'], name=op.f('fk_scans_conflicts_with_scan_id_scans'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_scans_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scanner_id'], ['scanners.id'], name=op.f('fk_scans_scanner_id_scanners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_scans_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scans'))
    )
    op.create_index('ix_scans_event_id_id', 'scans', ['event_id', 'id'], unique=False)
    op.create_index('ix_scans_event_id_scanned_at', 'scans', ['event_id', 'scanned_at'], unique=False)
    op.create_index('ix_scans_scanner_id_id', 'scans', ['scanner_id', 'id'], unique=False)
    op.create_index('ix_scans_ticket_id_scanned_at', 'scans', ['ticket_id', 'scanned_at'], unique=False)
    op.create_index('uq_scans_scanner_id_client_scan_id', 'scans', ['scanner_id', 'client_scan_id'], unique=True, postgresql_where=sa.text('client_scan_id IS NOT NULL'))
    op.create_table('live_tickets',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_live_tickets_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_tickets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_tickets')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_live_tickets_token_hash'))
    )
    op.create_index('ix_live_tickets_expires_at', 'live_tickets', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_live_tickets_expires_at', table_name='live_tickets')
    op.drop_table('live_tickets')
    op.drop_index('uq_scans_scanner_id_client_scan_id', table_name='scans', postgresql_where=sa.text('client_scan_id IS NOT NULL'))
    op.drop_index('ix_scans_ticket_id_scanned_at', table_name='scans')
    op.drop_index('ix_scans_scanner_id_id', table_name='scans')
    op.drop_index('ix_scans_event_id_scanned_at', table_name='scans')
    op.drop_index('ix_scans_event_id_id', table_name='scans')
    op.drop_table('scans')
    op.drop_index('ix_scanners_organization_id', table_name='scanners')
    op.drop_index('ix_scanners_event_id', table_name='scanners')
    op.drop_table('scanners')

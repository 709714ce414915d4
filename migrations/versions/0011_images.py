"""Images of events and venues (media): one cover each at most, the gallery's order, rendition status.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('images',
    sa.Column('event_id', sa.Uuid(), nullable=True),
    sa.Column('venue_id', sa.Uuid(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('alt', sa.String(length=300), server_default='', nullable=False),
    sa.Column('position', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('byte_size', sa.BigInteger(), nullable=False),
    sa.Column('rendition_status', sa.String(length=16), server_default='PENDING', nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('num_nonnulls(event_id, venue_id) = 1', name=op.f('ck_images_one_owner')),
    sa.CheckConstraint("role IN ('COVER', 'GALLERY')", name=op.f('ck_images_role_valid')),
    sa.CheckConstraint("rendition_status IN ('PENDING', 'READY', 'FAILED')", name=op.f('ck_images_rendition_status_valid')),
    sa.CheckConstraint("format IN ('jpeg', 'png', 'webp')", name=op.f('ck_images_format_valid')),
    sa.CheckConstraint('width > 0 AND height > 0', name=op.f('ck_images_size_positive')),
    sa.CheckConstraint('position >= 0', name=op.f('ck_images_position_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_images_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_images_venue_id_venues'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_images'))
    )
    op.create_index('ix_images_event_id_position', 'images', ['event_id', 'position'], unique=False)
    op.create_index('ix_images_venue_id_position', 'images', ['venue_id', 'position'], unique=False)
    op.create_index('uq_images_event_cover', 'images', ['event_id'], unique=True, postgresql_where=sa.text("role = 'COVER'"))
    op.create_index('uq_images_venue_cover', 'images', ['venue_id'], unique=True, postgresql_where=sa.text("role = 'COVER'"))


def downgrade() -> None:
    op.drop_index('uq_images_venue_cover', table_name='images', postgresql_where=sa.text("role = 'COVER'"))
    op.drop_index('uq_images_event_cover', table_name='images', postgresql_where=sa.text("role = 'COVER'"))
    op.drop_index('ix_images_venue_id_position', table_name='images')
    op.drop_index('ix_images_event_id_position', table_name='images')
    op.drop_table('images')

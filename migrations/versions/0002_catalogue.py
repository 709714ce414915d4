"""catalogue

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 14:50:14.372961
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('venues',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address_line1', sa.String(length=200), nullable=False),
    sa.Column('address_line2', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('seating_chart', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_venues_capacity_positive')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_venues_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venues'))
    )
    op.create_index('ix_venues_city', 'venues', ['city'], unique=False)
    op.create_index('ix_venues_organization_id', 'venues', ['organization_id'], unique=False)
    op.create_table('events',
    sa.Column('organization_id', sa.Uuid(), nullable=False),
    sa.Column('venue_id', sa.Uuid(), nullable=True),
    sa.Column('series_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.String(length=50)), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('image_url', sa.String(length=2048), nullable=True),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('search_vector', postgresql.TSVECTOR(), sa.Computed("setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B') || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'C')", persisted=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('DRAFT', 'PUBLISHED', 'CANCELLED', 'COMPLETED')", name=op.f('ck_events_status_valid')),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_events_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_ends_after_start')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_events_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_events_venue_id_venues'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    op.create_index('ix_events_category_starts_at', 'events', ['category', 'starts_at'], unique=False)
    op.create_index('ix_events_organization_id_starts_at', 'events', ['organization_id', 'starts_at'], unique=False)
    op.create_index('ix_events_search_vector', 'events', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_index('ix_events_series_id', 'events', ['series_id'], unique=False)
    op.create_index('ix_events_status_starts_at', 'events', ['status', 'starts_at'], unique=False)
    op.create_index('ix_events_tags', 'events', ['tags'], unique=False, postgresql_using='gin')
    op.create_index('ix_events_venue_id', 'events', ['venue_id'], unique=False)
    op.create_table('ticket_types',
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('quantity_total', sa.Integer(), nullable=False),
    sa.Column('quantity_sold', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('quantity_held', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('sales_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sales_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('min_per_order', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('max_per_order', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('price_tiers', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('max_per_order IS NULL OR max_per_order >= min_per_order', name=op.f('ck_ticket_types_max_per_order_valid')),
    sa.CheckConstraint('min_per_order >= 1', name=op.f('ck_ticket_types_min_per_order_positive')),
    sa.CheckConstraint('price_minor >= 0', name=op.f('ck_ticket_types_price_non_negative')),
    sa.CheckConstraint('quantity_held >= 0', name=op.f('ck_ticket_types_held_non_negative')),
    sa.CheckConstraint('quantity_sold + quantity_held <= quantity_total', name=op.f('ck_ticket_types_no_oversell')),
    sa.CheckConstraint('quantity_sold >= 0', name=op.f('ck_ticket_types_sold_non_negative')),
    sa.CheckConstraint('quantity_total >= 0', name=op.f('ck_ticket_types_total_non_negative')),
    sa.CheckConstraint('sales_end IS NULL OR sales_start IS NULL OR sales_end > sales_start', name=op.f('ck_ticket_types_sales_window')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_ticket_types_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_types'))
    )
    op.create_index('ix_ticket_types_event_id', 'ticket_types', ['event_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ticket_types_event_id', table_name='ticket_types')
    op.drop_table('ticket_types')
    op.drop_index('ix_events_venue_id', table_name='events')
    op.drop_index('ix_events_tags', table_name='events', postgresql_using='gin')
    op.drop_index('ix_events_status_starts_at', table_name='events')
    op.drop_index('ix_events_series_id', table_name='events')
    op.drop_index('ix_events_search_vector', table_name='events', postgresql_using='gin')
    op.drop_index('ix_events_organization_id_starts_at', table_name='events')
    op.drop_index('ix_events_category_starts_at', table_name='events')
    op.drop_table('events')
    op.drop_index('ix_venues_organization_id', table_name='venues')
    op.drop_index('ix_venues_city', table_name='venues')
    op.drop_table('venues')

"""Announce inventory coming back: ``pg_notify('tixmo_inventory', ticket type id)`` (orders/soldout.py).

A row trigger on ``ticket_types`` fires only when the tickets left grow (a hold released, tickets
cancelled or refunded, capacity raised) — never for a reservation — so every path that gives tickets
back clears the API processes' sold-out flags, whichever code (or SQL) did it. The notification is
delivered when (and only if) the transaction commits.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 04:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION tixmo_inventory_back() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('tixmo_inventory', NEW.id::text);
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER ticket_types_inventory_back
        AFTER UPDATE OF quantity_total, quantity_sold, quantity_held ON ticket_types
        FOR EACH ROW
        WHEN (NEW.quantity_total - NEW.quantity_sold - NEW.quantity_held
              > OLD.quantity_total - OLD.quantity_sold - OLD.quantity_held)
        EXECUTE FUNCTION tixmo_inventory_back()
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER ticket_types_inventory_back ON ticket_types")
    op.execute("DROP FUNCTION tixmo_inventory_back()")

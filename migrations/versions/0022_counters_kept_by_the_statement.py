"""The counter triggers (``scan_counters``: 0015; ``ticket_counts``: 0021) stand aside for a statement
that keeps the counters itself.

The online scan's express statement (``checkin/decide.py``) is its own transaction and writes one scan
and at most one ticket. Two statement-level triggers with transition tables cost it about a fifth of its
PostgreSQL CPU; it now adds its deltas to the same counter rows in the statement itself, and says so with
``set_config('tixmo.counters', 'kept', true)`` — a setting local to its transaction, which ends with the
statement. Every trigger here fires unless that setting is ``kept``, so every other write (the full path,
the offline merge, orders, refunds, raw SQL) is counted by the triggers as before.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 03:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# table, trigger, event, transition tables, function
_TRIGGERS = (
    ("scans", "scans_count_insert", "INSERT", "NEW TABLE AS new_rows", "scan_counters_insert"),
    ("scans", "scans_count_update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "scan_counters_update"),
    ("scans", "scans_count_delete", "DELETE", "OLD TABLE AS old_rows", "scan_counters_delete"),
    ("tickets", "tickets_count_insert", "INSERT", "NEW TABLE AS new_rows", "ticket_counts_insert"),
    (
        "tickets",
        "tickets_count_update",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "ticket_counts_update",
    ),
    ("tickets", "tickets_count_delete", "DELETE", "OLD TABLE AS old_rows", "ticket_counts_delete"),
)
_UNLESS_KEPT = "WHEN (current_setting('tixmo.counters', true) IS DISTINCT FROM 'kept') "


def _recreate(when: str) -> None:
    for table, trigger, event, transitions, function in _TRIGGERS:
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
        op.execute(
            f"CREATE TRIGGER {trigger} AFTER {event} ON {table} REFERENCING {transitions} "
            f"FOR EACH STATEMENT {when}EXECUTE FUNCTION {function}()"
        )


def upgrade() -> None:
    _recreate(_UNLESS_KEPT)


def downgrade() -> None:
    _recreate("")

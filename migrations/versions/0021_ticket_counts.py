"""Ticket counts per event and status (``ticket_counts``), kept by statement-level triggers on
``tickets`` (insert, update, delete; transition tables), filled here; ``/events/{id}/stats`` reads them
instead of counting the event's tickets at every request.

One row per event, status and database backend (``pg_backend_pid()``): a backend runs one transaction
at a time, so the counter rows never make two transactions wait for each other (no new lock waits, no
deadlocks, on any path that changes tickets). A statement that changes no ticket's status or event
writes nothing.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# Each statement's rows counted with their sign: +1 for the new rows, -1 for the old ones (an UPDATE has
# both; one that changes no status nets to zero and writes nothing).
_DELTA = """
    INSERT INTO ticket_counts AS c (event_id, status, backend, tickets)
    SELECT event_id, status, pg_backend_pid(), sum(sign)
    FROM ({rows}) AS d
    GROUP BY event_id, status
    HAVING sum(sign) <> 0
    ON CONFLICT (event_id, status, backend) DO UPDATE SET tickets = c.tickets + excluded.tickets
"""
_NEW = "SELECT event_id, status, 1 AS sign FROM new_rows"
_OLD = "SELECT event_id, status, -1 AS sign FROM old_rows"


def _function(name: str, rows: str) -> str:
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + _DELTA.format(rows=rows)
        + "; RETURN NULL; END $$"
    )


TRIGGERS = (
    _function("ticket_counts_insert", _NEW),
    _function("ticket_counts_update", f"{_NEW} UNION ALL {_OLD}"),
    _function("ticket_counts_delete", _OLD),
    "CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION ticket_counts_insert()",
    "CREATE TRIGGER tickets_count_update AFTER UPDATE ON tickets REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_counts_update()",
    "CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION ticket_counts_delete()",
)


def upgrade() -> None:
    op.create_table(
        "ticket_counts",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("backend", sa.Integer(), nullable=False),
        sa.Column("tickets", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "status", "backend", name="pk_ticket_counts"),
    )
    # The table is locked first, so no ticket changes between the fill and the triggers.
    op.execute("LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE")
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute(
        "INSERT INTO ticket_counts (event_id, status, backend, tickets) "
        "SELECT event_id, status, 0, count(*) FROM tickets GROUP BY event_id, status"
    )


def downgrade() -> None:
    for trigger in ("tickets_count_insert", "tickets_count_update", "tickets_count_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON tickets")
    for function in ("ticket_counts_insert", "ticket_counts_update", "ticket_counts_delete"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_table("ticket_counts")

"""Check-in: the door state on the ticket row (``inside``, ``entry_scan_id``), kept in step with the
scan history so that an online scan decides in one statement under the ticket's row lock; filled from the
history here (the latest VALID, non-conflict scan of each ticket).

And the scan counters the attendance figures read (``scan_counters``: per event, 16 shards), kept by
statement-level triggers on ``scans`` (insert, update, delete; transition tables, so a batch costs one
upsert), filled here from the history.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 03:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
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


    op.create_table(
        "scan_counters",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("shard", sa.SmallInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("valid", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("entries", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("exits", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_scan_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("event_id", "shard", name="pk_scan_counters"),
    )
    for statement in COUNTER_TRIGGERS:
        op.execute(statement)
    op.execute(
        "INSERT INTO scan_counters (event_id, shard, total, valid, entries, exits, last_scan_at) "
        "SELECT event_id, 0, count(*), "
        "count(*) FILTER (WHERE status = 'VALID' AND NOT conflict), "
        "count(*) FILTER (WHERE status = 'VALID' AND NOT conflict AND direction = 'ENTRY'), "
        "count(*) FILTER (WHERE status = 'VALID' AND NOT conflict AND direction = 'EXIT'), "
        "max(scanned_at) FROM scans GROUP BY event_id"
    )


# Each statement's rows counted with their sign: +1 for the new rows, -1 for the old ones (an UPDATE has
# both: a verdict changed by a merge moves a scan from one count to another). The shard is the backend's:
# concurrent transactions (one per pooled connection) mostly update different rows.
_DELTA = """
    INSERT INTO scan_counters AS c (event_id, shard, total, valid, entries, exits, last_scan_at)
    SELECT event_id, pg_backend_pid() % 16, sum(sign), sum(valid), sum(entries), sum(exits),
           max(scanned_at) FILTER (WHERE sign > 0)
    FROM (
        SELECT event_id, sign, scanned_at,
               CASE WHEN counted THEN sign ELSE 0 END AS valid,
               CASE WHEN counted AND direction = 'ENTRY' THEN sign ELSE 0 END AS entries,
               CASE WHEN counted AND direction = 'EXIT' THEN sign ELSE 0 END AS exits
        FROM ({rows}) AS r
    ) AS d
    GROUP BY event_id
    HAVING sum(sign) <> 0 OR sum(valid) <> 0 OR sum(entries) <> 0 OR sum(exits) <> 0
    ON CONFLICT (event_id, shard) DO UPDATE SET
        total = c.total + excluded.total,
        valid = c.valid + excluded.valid,
        entries = c.entries + excluded.entries,
        exits = c.exits + excluded.exits,
        last_scan_at = greatest(c.last_scan_at, excluded.last_scan_at)
"""
_NEW = (
    "SELECT event_id, 1 AS sign, status = 'VALID' AND NOT conflict AS counted, direction, scanned_at "
    "FROM new_rows"
)
_OLD = (
    "SELECT event_id, -1 AS sign, status = 'VALID' AND NOT conflict AS counted, direction, scanned_at "
    "FROM old_rows"
)


def _function(name: str, rows: str) -> str:
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + _DELTA.format(rows=rows)
        + "; RETURN NULL; END $$"
    )


COUNTER_TRIGGERS = (
    _function("scan_counters_insert", _NEW),
    _function("scan_counters_update", f"{_NEW} UNION ALL {_OLD}"),
    _function("scan_counters_delete", _OLD),
    "CREATE TRIGGER scans_count_insert AFTER INSERT ON scans REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION scan_counters_insert()",
    "CREATE TRIGGER scans_count_update AFTER UPDATE ON scans REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scan_counters_update()",
    "CREATE TRIGGER scans_count_delete AFTER DELETE ON scans REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION scan_counters_delete()",
)


def downgrade() -> None:
    for trigger in ("scans_count_insert", "scans_count_update", "scans_count_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON scans")
    for function in ("scan_counters_insert", "scan_counters_update", "scan_counters_delete"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_table("scan_counters")
    op.drop_column("tickets", "entry_scan_id")
    op.drop_column("tickets", "inside")

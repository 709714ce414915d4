"""The references of ``scans`` to its event, device and ticket checked once per statement, not per row.

The three foreign keys (``event_id`` → events, ``scanner_id`` → scanners, ``ticket_id`` → tickets, all
``ON DELETE CASCADE``) ran one check per inserted row: for an offline batch of 10,000 scans, 30,000
lookups, each a query of its own (about 0.15 s of the merge's INSERT). They are replaced by triggers
that keep the same guarantees set-based:

* after an ``INSERT`` into ``scans`` (per statement, over its new rows): the distinct events, devices
  and tickets the rows name are locked ``FOR KEY SHARE`` — the lock a foreign key check takes, so a
  concurrent delete of one of them waits for this transaction, or this one finds it gone — and if fewer
  are found than named, the statement fails with ``foreign_key_violation`` (23503), as before;
* an ``UPDATE`` of a scan's ``event_id``, ``scanner_id`` or ``ticket_id`` (nothing does it, but it
  would have been checked) is checked the same way, per row;
* deleting events, devices or tickets deletes their scans (per statement, as ``ON DELETE CASCADE``
  did); the delete runs after the parents' rows are gone, with a snapshot taken then, so it also finds
  a scan committed by a transaction the delete waited for (its insert held the parent's key-share lock);
* changing the ``id`` of an event, device or ticket is refused (a foreign key without ``ON UPDATE``
  refused it while scans referenced it; ids never change).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 00:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_PARENTS = {"event_id": "events", "scanner_id": "scanners", "ticket_id": "tickets"}


def _check(rows: str) -> str:
    """One query: how many distinct events, devices and tickets ``rows`` name, and how many of them were
    found and locked ``FOR KEY SHARE`` (each kind in id order); unless all were, ``foreign_key_violation``."""
    named = ", ".join(f"count(DISTINCT {column})" for column in _PARENTS)
    found = ", ".join(
        f"(SELECT count(*) FROM (SELECT 1 FROM {parent} p WHERE p.id IN (SELECT {column} FROM {rows}) "
        "ORDER BY p.id FOR KEY SHARE) AS locked)"
        for column, parent in _PARENTS.items()
    )
    return (
        "DECLARE e bigint; s bigint; t bigint; fe bigint; fs bigint; ft bigint; BEGIN "
        f"SELECT {named}, {found} INTO e, s, t, fe, fs, ft FROM {rows}; "
        "IF fe < e OR fs < s OR ft < t THEN "
        'RAISE EXCEPTION \'insert or update on table "scans" violates its references: an event, '
        "scanner or ticket that does not exist' USING ERRCODE = 'foreign_key_violation', TABLE = 'scans'; "
        "END IF; RETURN NULL; END"
    )


STATEMENTS = (
    *(f"ALTER TABLE scans DROP CONSTRAINT fk_scans_{column}_{parent}" for column, parent in _PARENTS.items()),
    f"CREATE FUNCTION scans_references_insert() RETURNS trigger LANGUAGE plpgsql AS $$ {_check('new_rows')} $$",
    "CREATE TRIGGER scans_references_insert AFTER INSERT ON scans REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION scans_references_insert()",
    # One row at a time: the statement's own rows, as a one-row relation.
    "CREATE FUNCTION scans_references_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
    + _check(
        "(SELECT NEW.event_id, NEW.scanner_id, NEW.ticket_id) AS changed(event_id, scanner_id, ticket_id)"
    )
    + " $$",
    "CREATE TRIGGER scans_references_update AFTER UPDATE OF event_id, scanner_id, ticket_id ON scans "
    "FOR EACH ROW EXECUTE FUNCTION scans_references_update()",
    *(
        statement
        for column, parent in _PARENTS.items()
        for statement in (
            f"CREATE FUNCTION scans_cascade_{parent}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"DELETE FROM scans WHERE {column} IN (SELECT id FROM old_rows); RETURN NULL; END $$",
            f"CREATE TRIGGER {parent}_delete_scans AFTER DELETE ON {parent} REFERENCING OLD TABLE AS "
            f"old_rows FOR EACH STATEMENT EXECUTE FUNCTION scans_cascade_{parent}()",
            f"CREATE TRIGGER {parent}_keep_id BEFORE UPDATE OF id ON {parent} FOR EACH ROW "
            "WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION scans_parent_keeps_id()",
        )
    ),
)


def upgrade() -> None:
    op.execute(
        "CREATE FUNCTION scans_parent_keeps_id() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'the id of a row of % never changes (scans reference it)', TG_TABLE_NAME "
        "USING ERRCODE = 'foreign_key_violation'; END $$"
    )
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS scans_references_insert ON scans")
    op.execute("DROP TRIGGER IF EXISTS scans_references_update ON scans")
    op.execute("DROP FUNCTION IF EXISTS scans_references_insert()")
    op.execute("DROP FUNCTION IF EXISTS scans_references_update()")
    for column, parent in _PARENTS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {parent}_delete_scans ON {parent}")
        op.execute(f"DROP TRIGGER IF EXISTS {parent}_keep_id ON {parent}")
        op.execute(f"DROP FUNCTION IF EXISTS scans_cascade_{parent}()")
        op.execute(
            f"ALTER TABLE scans ADD CONSTRAINT fk_scans_{column}_{parent} FOREIGN KEY ({column}) "
            f"REFERENCES {parent} (id) ON DELETE CASCADE"
        )
    op.execute("DROP FUNCTION IF EXISTS scans_parent_keeps_id()")

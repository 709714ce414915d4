"""Zero-downtime migrations (docs/operations.md#zero-downtime-migrations): while a release rolls out,
the previous release's code runs against the new schema. So each migration only *expands* the schema its
parent left: every table and column the previous code knows is still there with the same type, every
column it does not know can be left out of its INSERTs (nullable, or with a server default), and no
column it writes becomes NOT NULL. Checked here for every migration against its parent, on a real
database, by comparing what PostgreSQL reports after each step. (New CHECK constraints and changed
meanings are beyond it: the review checks those.)

Migrations written before this rule (the project's pre-release history) are listed in PRE_RULE with
what they did; a new migration must not be added there — split it into expand now, contract a release
later.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from alembic.script import ScriptDirectory

from tests.conftest import _server_url, _with_database
from tixmo.db import libpq_conninfo
from tixmo.migrate import alembic_config, upgrade

# Migrations from before the rule, with the changes that broke it, as "table.column: what".
PRE_RULE: dict[str, set[str]] = {}

COLUMNS_SQL = """
SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable = 'YES',
       c.column_default IS NOT NULL OR c.is_identity = 'YES' OR c.is_generated <> 'NEVER'
FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
"""


def _schema(url: str) -> dict[tuple[str, str], tuple[str, str, bool, bool]]:
    with psycopg.connect(libpq_conninfo(url)) as connection:
        rows = connection.execute(COLUMNS_SQL).fetchall()
    return {
        (table, column): (dtype, udt, nullable, has_default)
        for table, column, dtype, udt, nullable, has_default in rows
    }


def _revisions() -> list[tuple[str, str]]:
    """(revision, parent) for every migration, oldest first."""
    script = ScriptDirectory.from_config(alembic_config("postgresql://unused/"))
    steps = [(rev.revision, rev.down_revision) for rev in script.walk_revisions()]
    return [(str(rev), str(parent)) for rev, parent in reversed(steps) if parent is not None]


@pytest.fixture(scope="module")
def scratch_url() -> Iterator[str]:
    server = _server_url()
    name = f"tixmo_compat_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(libpq_conninfo(_with_database(server, "postgres")), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server, name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _breaks(before: dict[Any, Any], after: dict[Any, Any]) -> set[str]:
    problems = set()
    for (table, column), (dtype, udt, nullable, _) in before.items():
        now = after.get((table, column))
        if now is None:
            problems.add(f"{table}.{column}: dropped or renamed")
        elif now[:2] != (dtype, udt):
            problems.add(f"{table}.{column}: type {udt} -> {now[1]}")
        elif nullable and not now[2]:
            problems.add(f"{table}.{column}: made NOT NULL")
    tables_before = {table for table, _ in before}
    for (table, column), (_, _, nullable, has_default) in after.items():
        if (table, column) in before or table not in tables_before:
            continue  # a new table: the previous code does not write it
        if not nullable and not has_default:
            problems.add(f"{table}.{column}: new NOT NULL column without a default")
    return problems


def test_every_migration_keeps_the_previous_code_working(scratch_url: str) -> None:
    steps = _revisions()
    assert len(steps) >= 10, steps
    first_parent = steps[0][1]
    upgrade(scratch_url, first_parent)
    before = _schema(scratch_url)
    found: dict[str, set[str]] = {}
    for revision, _parent in steps:
        upgrade(scratch_url, revision)
        after = _schema(scratch_url)
        problems = _breaks(before, after)
        if problems:
            found[revision] = problems
        before = after
    assert found == PRE_RULE, (
        "a migration breaks the previous release's code (docs/operations.md#zero-downtime-migrations): "
        f"{ {rev: sorted(p) for rev, p in found.items() if PRE_RULE.get(rev) != p} }"
    )


def test_the_check_catches_what_it_should() -> None:
    """A negative control: the comparison flags each kind of break."""
    before = {
        ("orders", "id"): ("uuid", "uuid", False, True),
        ("orders", "note"): ("text", "text", True, False),
    }
    assert _breaks(before, dict(before)) == set()
    assert _breaks(before, {("orders", "id"): before[("orders", "id")]}) == {
        "orders.note: dropped or renamed"
    }
    assert _breaks(before, {**before, ("orders", "note"): ("text", "text", False, False)}) == {
        "orders.note: made NOT NULL"
    }
    assert _breaks(before, {**before, ("orders", "note"): ("integer", "int4", True, False)}) == {
        "orders.note: type text -> int4"
    }
    assert _breaks(before, {**before, ("orders", "kind"): ("text", "text", False, False)}) == {
        "orders.kind: new NOT NULL column without a default"
    }
    assert _breaks(before, {**before, ("orders", "kind"): ("text", "text", False, True)}) == set()
    assert _breaks(before, {**before, ("refunds", "id"): ("uuid", "uuid", False, False)}) == set()

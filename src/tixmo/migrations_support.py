"""Helpers used by migration scripts."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import Connection


def procrastinate_schema_sql() -> str:
    """The job queue schema shipped with the installed procrastinate (applied once, by migration 0001)."""
    return resources.files("procrastinate.sql").joinpath("schema.sql").read_text()


def run_raw_sql(connection: Connection, sql: str) -> None:
    """Run a multi-statement SQL script as-is (no placeholder parsing) on the migration's connection."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
    finally:
        cursor.close()

"""Helpers used by migration scripts."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import Connection


def procrastinate_schema_sql() -> str:
    """The job queue schema shipped with the installed procrastinate (applied once, by migration 0001)."""
    return resources.files("procrastinate.sql").joinpath("schema.sql").read_text()


def procrastinate_drop_sql() -> str:
    """Remove everything the procrastinate schema created (functions, tables, types)."""
    return """
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'
    LOOP
        EXECUTE 'DROP FUNCTION IF EXISTS ' || r.signature || ' CASCADE';
    END LOOP;
END $$;
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers, procrastinate_version CASCADE;
DROP TYPE IF EXISTS procrastinate_job_status, procrastinate_job_event_type,
    procrastinate_job_to_defer_v1 CASCADE;
"""


def run_raw_sql(connection: Connection, sql: str) -> None:
    """Run a multi-statement SQL script as-is (no placeholder parsing) on the migration's connection."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
    finally:
        cursor.close()

"""The schema comes from the migrations; the models must agree with it."""

from __future__ import annotations

import os

import psycopg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, pool

from tixmo.db import libpq_conninfo, sync_url
from tixmo.migrate import alembic_config
from tixmo.models import Base


def _include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (name or "").startswith(("procrastinate_", "idx_procrastinate"))


def test_models_match_the_migrated_schema(database_url: str) -> None:
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _include}
        )
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_migrations_downgrade_and_upgrade_again(database_url: str) -> None:
    """A scratch database goes up, all the way down, and up again."""
    from alembic import command

    name = f"tixmo_migration_roundtrip_{os.getpid()}"  # parallel test runs each have their own
    admin_url = sync_url(database_url).set(database="postgres").render_as_string(hide_password=False)
    scratch_url = sync_url(database_url).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(libpq_conninfo(admin_url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        config = alembic_config(scratch_url)
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        with psycopg.connect(libpq_conninfo(scratch_url)) as conn:
            tables = conn.execute(
                "SELECT tablename FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            ).fetchall()
        assert tables == []
        command.upgrade(config, "head")
        with psycopg.connect(libpq_conninfo(scratch_url)) as conn:
            names = {
                row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            }
        assert {"users", "organizations", "events", "ticket_types", "procrastinate_jobs"} <= names
    finally:
        with psycopg.connect(libpq_conninfo(admin_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

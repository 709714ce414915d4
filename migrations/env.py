from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from tixmo.config import get_settings
from tixmo.db import resolve_database_url, sync_url
from tixmo.models import Base

config = context.config
target_metadata = Base.metadata


def _include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate ignores the job queue's tables: procrastinate owns them (applied by 0001)."""
    return not (name or "").startswith(("procrastinate_", "idx_procrastinate"))


def _url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return str(url)
    return sync_url(resolve_database_url(get_settings())).render_as_string(hide_password=False)


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        # One migration run at a time, even when several API processes start together. The lock is
        # session-level, so it outlives the transaction; it is released whatever happens.
        connection.exec_driver_sql("SELECT pg_advisory_lock(74696, 1)")
        connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                compare_type=True,
                include_object=_include_object,
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.exec_driver_sql("SELECT pg_advisory_unlock(74696, 1)")
            connection.commit()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""SQLAlchemy Core statements compiled once and run straight on the asyncpg connection.

For the few statements that run for every request of a flash sale. Through SQLAlchemy a statement costs
the API process about 150 µs of CPU (Core) to 300 µs (ORM) — the greenlet hop, the compiled-cache lookup,
result processing — against about 60 µs sent through the driver (measured on the CI machine). The
statements are still written with Core, against the models' tables, so a renamed column fails at import
and the SQL stays the one the rest of the code would send.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from tixmo.db import Database

_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]


class RawStatement:
    """A Core statement compiled once for asyncpg (``$n`` parameters with casts).

    Parameters are passed by bind name, as with ``session.execute``; each is converted by its type's bind
    processor for the asyncpg dialect (JSONB becomes text, as the pool's connections expect). A bind that
    has a value in the statement (a literal) is used when not given. Column defaults are not applied:
    the statement must name every value it inserts.
    """

    def __init__(self, statement: ClauseElement) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        names: list[str] = list(compiled.positiontup or ())
        binds = {name: compiled.binds[name] for name in names}
        self._order = tuple(names)
        self._processors: tuple[Callable[[Any], Any] | None, ...] = tuple(
            binds[name].type.bind_processor(_DIALECT) for name in names
        )
        self._literals = {
            name: bind.effective_value
            for name, bind in binds.items()
            if not bind.required and bind.value is not None
        }

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        values: list[Any] = []
        for name, process in zip(self._order, self._processors, strict=True):
            value = params[name] if name in params else self._literals[name]
            values.append(process(value) if process is not None and value is not None else value)
        return values

    async def fetchrow(
        self, connection: asyncpg.Connection, params: Mapping[str, Any]
    ) -> asyncpg.Record | None:
        return await connection.fetchrow(self.sql, *self.arguments(params))

    async def fetch(self, connection: asyncpg.Connection, params: Mapping[str, Any]) -> list[asyncpg.Record]:
        rows: list[asyncpg.Record] = await connection.fetch(self.sql, *self.arguments(params))
        return rows

    async def fetchval(self, connection: asyncpg.Connection, params: Mapping[str, Any]) -> Any:
        return await connection.fetchval(self.sql, *self.arguments(params))


@asynccontextmanager
async def driver_connection(database: Database) -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection's asyncpg connection, outside any transaction: each statement commits alone.

    It comes from the engine's pool (checked on checkout like any other). An error that is not
    PostgreSQL's answer to a statement (the connection broke, the task was cancelled mid-statement)
    invalidates it, as does an error that left it closed, so it is never handed out again in an unknown or
    dead state.
    """
    async with database.engine.connect() as connection:
        pooled = await connection.get_raw_connection()
        driver: asyncpg.Connection = pooled.driver_connection
        try:
            yield driver
        except asyncpg.PostgresError:
            if driver.is_closed():  # e.g. the server's FATAL "terminating connection" to a killed backend
                await connection.invalidate()
            raise
        except BaseException:
            await connection.invalidate()
            raise

"""Database failures worth another try: which they are, and whether trying again is safe.

Two kinds (``classify``):

* ``CONFLICT`` — PostgreSQL rolled the transaction back to break a deadlock (``40P01``) or a
  serialization failure (``40001``). It said so itself, so nothing of the transaction was kept: running
  the request again is always safe.
* ``OVERLOADED`` — no pooled connection came free within the pool's timeout (``TIXMO_DB_POOL_TIMEOUT``),
  or PostgreSQL refused a new connection for want of slots (``53300``): 503 at once.
* ``CONNECTION`` — the connection was lost (killed by ``pg_terminate_backend``, a restart, a network cut,
  or the driver found it in a broken state), or no new one could be opened (refused, unreachable host,
  ``TIXMO_DB_CONNECT_TIMEOUT`` passed). Safe to try again unless it broke while a COMMIT was on its
  way: the transaction may or may not have been kept, and only the client (with its ``Idempotency-Key``)
  can find out. Code that commits says so with ``committing()``.

The request-level retry (``tixmo.retry``) uses both; nothing else needs to know.
"""

from __future__ import annotations

import contextvars
import enum
import errno
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.exc import DBAPIError, DisconnectionError, InvalidRequestError
from sqlalchemy.exc import TimeoutError as PoolTimeout


class Transient(enum.Enum):
    CONFLICT = "conflict"
    CONNECTION = "connection"
    OVERLOADED = "overloaded"  # no pooled connection came free in time: answered 503 at once


_CONFLICT_STATES = {"40P01", "40001"}
_OVERLOADED_STATES = {"53300"}  # too_many_connections: the server has no slot for a new connection
# 08: connection exceptions; 57P01-57P03: the server is shutting down or terminated the backend.
_CONNECTION_STATES = {"57P01", "57P02", "57P03"}
_CONNECTION_TYPES: tuple[type[BaseException], ...] = (
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.InterfaceError,  # "cannot perform operation: another operation is in progress", closed …
    asyncpg.InternalClientError,  # "cannot switch to state 12": a connection broken mid-protocol
    DisconnectionError,
    ConnectionError,
    TimeoutError,
    socket.gaierror,  # the database host's name does not resolve (DNS down)
)
# Connecting failed with an OSError that is no ConnectionError: the host or its network is unreachable.
_UNREACHABLE_ERRNOS = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN}


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend([current.__cause__, current.__context__, getattr(current, "orig", None)])


def _sqlstate(error: BaseException) -> str | None:
    for name in ("sqlstate", "pgcode"):
        value = getattr(error, name, None)
        if isinstance(value, str) and len(value) == 5:
            return value
    return None


def classify(error: BaseException) -> Transient | None:
    """Whether ``error`` (anywhere in its chain) is a transient database failure, and which kind."""
    connection = False
    for current in _chain(error):
        state = _sqlstate(current)
        if state in _CONFLICT_STATES:
            return Transient.CONFLICT
        if state in _OVERLOADED_STATES:
            return Transient.OVERLOADED
        if (state is not None and (state in _CONNECTION_STATES or state.startswith("08"))) or (
            isinstance(current, DBAPIError) and current.connection_invalidated
        ):
            connection = True
        elif isinstance(current, PoolTimeout):
            return Transient.OVERLOADED
        elif isinstance(current, InvalidRequestError) and str(current) == "This connection is closed":
            connection = True  # the pool's checkout gave up reconnecting (sqlalchemy/pool/base.py)
        elif isinstance(current, _CONNECTION_TYPES) or (
            isinstance(current, OSError) and current.errno in _UNREACHABLE_ERRNOS
        ):
            connection = True
    return Transient.CONNECTION if connection else None


@dataclass
class Attempt:
    """One run of a request: set by ``tixmo.retry`` around it, marked by the code that commits."""

    in_doubt: bool = False  # a connection broke while a COMMIT was on its way: it may have been kept


_attempt: contextvars.ContextVar[Attempt | None] = contextvars.ContextVar("tixmo_attempt", default=None)


def begin_attempt() -> Attempt:
    attempt = Attempt()
    _attempt.set(attempt)
    return attempt


def _never_sent(error: BaseException) -> bool:
    """Whether ``error`` (or what it wraps) says the statement never left: the driver found its connection
    already closed, the pool could not hand one out, or no connection could be opened. Only explicit
    wrapping (``orig``, ``raise … from``) is followed, not an error met while handling another."""
    current: BaseException | None = error
    for _ in range(8):
        if current is None:
            return False
        if isinstance(current, asyncpg.InterfaceError) and str(current) == "connection is closed":
            return True  # asyncpg checks this before it sends anything
        if isinstance(current, InvalidRequestError) and str(current) == "This connection is closed":
            return True
        if isinstance(current, DisconnectionError | ConnectionRefusedError | socket.gaierror):
            return True  # the checkout's check, or a connection that was never opened
        current = getattr(current, "orig", None) or current.__cause__
    return False


@contextmanager
def committing() -> Iterator[None]:
    """Around a COMMIT (or a statement that commits by itself): a connection lost inside it leaves the
    outcome unknown, so the request is not run again (503 instead) — unless the statement never left
    (``_never_sent``): then nothing was kept and running the request again is safe."""
    try:
        yield
    except BaseException as exc:
        attempt = _attempt.get()
        if attempt is not None and classify(exc) is Transient.CONNECTION and not _never_sent(exc):
            attempt.in_doubt = True
        raise

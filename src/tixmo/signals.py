"""Typed in-process domain events: how a lower domain lets higher ones react without importing them.

A domain declares what happened as a small frozen dataclass (``orders.signals.OrderConfirmed``, ...) and
``await signals.send(session, OrderConfirmed(...))`` where it happens. The handlers run at once, in the
order they were connected, in the sender's transaction and with its session: what they write commits or
rolls back with the change that caused it, and an exception in a handler (a veto, say) fails the sender.
There is no queue and no retry here; a reaction that must happen later enqueues a job (``tixmo.jobs``).

Who reacts to what is wired in one place, ``tixmo.reactions`` (above every domain), by
``reactions.install()`` at start-up (``create_app``, the worker, the CLI). Sending a signal before it is
installed is a programming error (``NotWired``), so a process that forgot to wire them fails loudly
instead of silently skipping mail or refunds. docs/architecture.md lists the reactions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession


class Signal:
    """Base of every domain event (subclasses are frozen dataclasses)."""


S = TypeVar("S", bound=Signal)
Handler = Callable[[AsyncSession, Any], Awaitable[None]]

_handlers: dict[type[Signal], list[Handler]] = {}
_wired = False


class NotWired(RuntimeError):
    """A signal was sent before ``tixmo.reactions.install()`` connected its handlers."""


def connect(kind: type[S], handler: Callable[[AsyncSession, S], Awaitable[None]]) -> None:
    """Run ``handler`` whenever a ``kind`` is sent (once per handler: connecting it again is a no-op)."""
    handlers = _handlers.setdefault(kind, [])
    if handler not in handlers:
        handlers.append(handler)


def mark_wired() -> None:
    global _wired
    _wired = True


def handlers_of(kind: type[Signal]) -> list[Handler]:
    return list(_handlers.get(kind, ()))


async def send(session: AsyncSession, signal: Signal) -> None:
    """Run every handler of ``signal``'s type, in order, in ``session``'s transaction."""
    if not _wired:
        raise NotWired(f"{type(signal).__name__} sent before tixmo.reactions.install()")
    for handler in _handlers.get(type(signal), ()):
        await handler(session, signal)

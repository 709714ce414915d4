"""Domain events (``tixmo.signals``) and their wiring (``tixmo.reactions``)."""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import tixmo
from tixmo import reactions, signals
from tixmo.audit import service as audit
from tixmo.audit.models import AuditEntry
from tixmo.errors import InvalidState


@dataclass(frozen=True)
class Happened(signals.Signal):
    what: str


def _every_signal_type() -> list[type[signals.Signal]]:
    for module in pkgutil.walk_packages(tixmo.__path__, "tixmo."):
        if module.name.endswith(".signals"):
            importlib.import_module(module.name)
    found: list[type[signals.Signal]] = []
    pending = list(signals.Signal.__subclasses__())
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if kind.__module__.startswith("tixmo."):
            found.append(kind)
    return found


def test_every_signal_of_the_domains_has_a_reaction() -> None:
    reactions.install()
    kinds = _every_signal_type()
    assert len(kinds) >= 6  # the table of docs/architecture.md
    unwired = [kind.__qualname__ for kind in kinds if not signals.handlers_of(kind)]
    assert unwired == [], f"signals nobody reacts to (add them to tixmo/reactions.py): {unwired}"


def test_install_twice_connects_each_handler_once() -> None:
    reactions.install()
    before = {kind: signals.handlers_of(kind) for kind in _every_signal_type()}
    reactions.install()
    assert {kind: signals.handlers_of(kind) for kind in before} == before


async def test_handlers_run_in_order_in_the_senders_transaction(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(signals, "_handlers", {})
    ran: list[str] = []
    marker = uuid.uuid4()

    async def first(session_: AsyncSession, happened: Happened) -> None:
        ran.append(f"first {happened.what}")
        await audit.record(session_, action="test.first", entity_type="test", entity_id=marker)

    async def second(session_: AsyncSession, happened: Happened) -> None:
        ran.append(f"second {happened.what}")

    signals.connect(Happened, first)
    signals.connect(Happened, second)
    signals.connect(Happened, first)  # no second copy
    await signals.send(session, Happened("x"))
    assert ran == ["first x", "second x"]
    # The handler wrote with the sender's session: the row is there before any commit.
    count = select(func.count()).select_from(AuditEntry).where(AuditEntry.entity_id == marker)
    assert await session.scalar(count) == 1
    await session.rollback()
    assert await session.scalar(count) == 0  # rolled back with the sender


async def test_a_failing_handler_fails_the_sender(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(signals, "_handlers", {})
    after: list[str] = []

    async def veto(session_: AsyncSession, happened: Happened) -> None:
        raise InvalidState(f"no {happened.what}")

    async def never(session_: AsyncSession, happened: Happened) -> None:
        after.append(happened.what)

    signals.connect(Happened, veto)
    signals.connect(Happened, never)
    with pytest.raises(InvalidState, match="no y"):
        await signals.send(session, Happened("y"))
    assert after == []  # the handlers after the failing one did not run


async def test_a_signal_sent_before_the_reactions_are_installed_is_an_error(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(signals, "_wired", False)
    with pytest.raises(signals.NotWired, match=r"Happened sent before tixmo\.reactions\.install"):
        await signals.send(session, Happened("z"))

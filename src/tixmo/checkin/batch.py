"""Online scans batched: the express scans of one event waiting in a process decided by one statement.

At a gate opening every scan is its own transaction, and what PostgreSQL spends on a scan is mostly what
it spends on a transaction: the statement's start and end, the commit, and the notification, which
PostgreSQL queues under one lock for the whole database held through the commit, so notifying
transactions commit one at a time. Each API process keeps one queue per event. A scan whose express
statement is ready (``express.py``) joins its event's queue; when no batch of that event is in flight it
is sent at once, alone, with the one-scan statement (a quiet door costs nothing more); otherwise it waits
while the batch in flight commits, and the scans that gathered meanwhile go together in the next one
(``decide.BATCH``): one statement, one transaction, one commit, one notification.

What a batch never holds: two scans of one ticket (the same barcode), or two with the same device and
``clientScanId``. The later one stays queued for the next batch, so it sees the earlier one committed —
exactly what one statement after the other would do, and no two requests of a statement ever meet at a
row. The tickets are locked in id order after the event (``tixmo.locks``), as every other path.

Each scan learns its own answer row, or none (the full path answers it, as for the one-scan statement).
If the batch fails (an error, a deadlock, a lost connection before the commit), nothing of it was
committed and each of its scans runs again alone with the one-scan statement, whose errors are its own.
A scan whose client went away while it waits leaves the queue; once its batch is in flight it is decided
with the others, as a scan whose client went away after its statement started.
"""

from __future__ import annotations

import asyncio
import contextvars
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from tixmo import metrics, transient
from tixmo.checkin import decide
from tixmo.db import Database
from tixmo.rawsql import RawStatement, driver_connection

_BATCH = RawStatement(decide.BATCH)
ALONE = object()  # a scan's outcome when it must run alone (its batch failed, or it was the only one)


@dataclass(eq=False)
class PendingScan:
    """One express scan waiting for its batch: its statement's parameters (``decide.params``, the code's)."""

    params: dict[str, Any]
    future: asyncio.Future[Any] = field(default_factory=lambda: asyncio.get_running_loop().create_future())

    @property
    def ticket_key(self) -> str:
        return str(self.params["barcode"])

    @property
    def replay_key(self) -> tuple[uuid.UUID, str] | None:
        client_scan_id = self.params["client_scan_id"]
        return None if client_scan_id is None else (self.params["scanner_id"], client_scan_id)


class ScanBatcher:
    """One per API process: a queue and at most one batch in flight per event."""

    def __init__(self, database: Database, *, max_batch: int = 8) -> None:
        self.database = database
        self.max_batch = max_batch
        self.stats = metrics.BatchSizes(metrics.SCAN_BATCH_SIZE)
        self._queues: dict[uuid.UUID, list[PendingScan]] = {}
        self._runners: dict[uuid.UUID, asyncio.Task[None]] = {}

    async def decide(
        self, event_id: uuid.UUID, params: dict[str, Any], alone: Callable[[], Awaitable[Any]]
    ) -> Any:
        """The scan's answer row (``None``: the full path's), from its batch or, when it goes alone or its
        batch failed, from ``alone()`` (the one-scan statement)."""
        if event_id not in self._runners and not self._queues.get(event_id):
            # Nothing in flight for this event: the one-scan statement at once. The runner slot is held
            # meanwhile, so the scans that come now gather for the next statement.
            self._runners[event_id] = asyncio.current_task()  # type: ignore[assignment]
            try:
                return await alone()
            finally:
                del self._runners[event_id]
                if self._queues.get(event_id):
                    self._start(event_id)
        pending = PendingScan(params)
        queue = self._queues.setdefault(event_id, [])
        queue.append(pending)
        if event_id not in self._runners:
            self._start(event_id)
        try:
            with transient.committing():  # the batch's commit is this scan's
                outcome = await pending.future
        except asyncio.CancelledError:
            if pending in queue:  # not in a batch yet: nothing written for it
                queue.remove(pending)
            raise
        return await alone() if outcome is ALONE else outcome

    def _start(self, event_id: uuid.UUID) -> None:
        self._runners[event_id] = asyncio.create_task(self._run(event_id), context=contextvars.Context())

    def _take(self, queue: list[PendingScan]) -> list[PendingScan]:
        """The next batch: in arrival order, skipping a scan of a ticket (or a clientScanId) already in it."""
        batch: list[PendingScan] = []
        tickets: set[str] = set()
        replays: set[tuple[uuid.UUID, str]] = set()
        for pending in list(queue):
            if len(batch) >= self.max_batch:
                break
            replay = pending.replay_key
            if pending.ticket_key in tickets or (replay is not None and replay in replays):
                continue
            queue.remove(pending)
            if pending.future.done():
                continue
            batch.append(pending)
            tickets.add(pending.ticket_key)
            if replay is not None:
                replays.add(replay)
        return batch

    async def _run(self, event_id: uuid.UUID) -> None:
        try:
            while self._queues.get(event_id):
                batch = self._take(self._queues[event_id])
                if len(batch) == 1:
                    batch[0].future.set_result(ALONE)  # the one-scan statement, in its own request
                elif batch:
                    await self._write(event_id, batch)
        finally:
            del self._runners[event_id]
            if not self._queues.get(event_id):
                self._queues.pop(event_id, None)
            else:  # scans that joined while this runner was stopping
                self._start(event_id)

    async def _write(self, event_id: uuid.UUID, batch: Sequence[PendingScan]) -> None:
        answers: dict[int, Any] = {}
        try:
            params = decide.batch_params(event_id, [p.params for p in batch])
            async with driver_connection(self.database) as connection:  # one statement, one transaction
                rows = await _BATCH.fetch(connection, params)
            answers = {row[decide.BATCH_COLUMNS - 1]: row for row in rows}
        except asyncio.CancelledError:
            for pending in batch:
                if not pending.future.done():
                    pending.future.cancel()
            raise
        except asyncpg.PostgresError:
            # PostgreSQL refused the statement (a deadlock, a key that raced it): nothing of it was
            # committed, and each scan runs alone, with the one-scan statement's own handling.
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_result(ALONE)
            return
        except Exception as exc:
            # Not committed, or not known whether (the connection broke at COMMIT): each scan fails as its
            # own statement would have, and the request-level retry decides (tixmo.retry).
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_exception(exc)
            return
        self.stats.record(len(batch))
        for number, pending in enumerate(batch, start=1):
            if not pending.future.done():
                pending.future.set_result(answers.get(number))

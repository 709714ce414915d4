"""The live stream of an event's scans: PostgreSQL ``LISTEN/NOTIFY`` → Server-Sent Events.

Each API process holds **one** listening connection (asyncpg ``add_listener``), opened with the first
subscriber. A scan's transaction announces it with ``pg_notify`` (``history.notify``), so only committed
scans are sent, whichever process wrote them. The hub reads the announced scans and the new occupancy
once per notification and fans them out to the process's subscribers of that event.

SSE ``id`` is the scan's id (a sequence). A client that reconnects with ``Last-Event-ID`` first gets
all the event's scans after that id from the table (read in pages of ``REPLAY_PAGE``), then the live
ones; delivery is at-least-once (dedupe by ``id``): a scan committed out of id order in the instant of a
reconnect can be missed by the replay and is not repeated live. If the listening connection is lost,
every stream of the process ends, so clients reconnect and replay what they missed.

An offline merge can change the verdict of scans already sent (a VALID entry becomes a DUPLICATE, an
online VALID answer is flagged ``conflict``): those are sent again as ``scan-updated`` events, with the
scan as it is now and the new occupancy, and without an SSE ``id`` (so they neither move the client's
``Last-Event-ID`` nor fall to its dedupe by id).

Shutdown: a server waits for its open responses before it stops, and a stream never ends by itself.
``LiveHub.end_streams_on_signals`` (called at start-up) chains onto the server's own SIGTERM/SIGINT
handlers: when the signal comes, every stream of the process sends a last ``shutdown`` event (with a
short ``retry``) and ends at once, so the process stops without waiting out its graceful-shutdown
period and the clients reconnect, through the load balancer, to a process that is still running.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from types import FrameType
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import orjson
import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.checkin import stats
from tixmo.checkin.history import NOTIFY_CHANNEL, UPDATED
from tixmo.checkin.models import LiveTicket, Scan
from tixmo.db import Database, async_url, utcnow
from tixmo.errors import Unauthorized, ValidationFailed
from tixmo.events import service as events
from tixmo.events.models import Event
from tixmo.security import hash_token, new_opaque_token

log = structlog.get_logger(__name__)

LIVE_TICKET_SECONDS = 60
REPLAY_PAGE = 1000
MAX_SCAN_ID = 2**63 - 1  # scans.id is a bigint
RETRY_MS = 3000  # the reconnection delay a stream asks of EventSource
SHUTDOWN_RETRY_MS = 1000  # ... when it ends because its server stops: soon, another process will answer
SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_CLOSED = object()  # the listening connection was lost: end the stream (the client reconnects)
_SHUTDOWN = object()  # the server is stopping: say so, then end the stream
SignalHandler = Callable[[int, FrameType | None], Any]
# The last event of a stream whose server stops. No ``id``: the client's Last-Event-ID stays on the
# last scan it received, so its reconnect (to another process) replays from there.
SHUTDOWN_EVENT = (
    f"event: shutdown\nretry: {SHUTDOWN_RETRY_MS}\ndata: ".encode()
    + orjson.dumps({"reconnect": True, "message": "This server is shutting down; reconnect."})
    + b"\n\n"
)
Message = tuple[int, bool, dict[str, Any]]  # scan id, updated (re-judged), the event's data


def scan_payload(scan: Scan) -> dict[str, Any]:
    return {
        "id": scan.id,
        "eventId": str(scan.event_id),
        "scannerId": str(scan.scanner_id) if scan.scanner_id else None,
        "ticketId": str(scan.ticket_id) if scan.ticket_id else None,
        "direction": scan.direction,
        "status": scan.status,
        "source": scan.source,
        "conflict": scan.conflict,
        "scannedAt": scan.scanned_at.isoformat().replace("+00:00", "Z"),
    }


def _occupancy_payload(value: dict[str, object]) -> dict[str, Any]:
    return {
        "occupancy": value["occupancy"],
        "entries": value["entries"],
        "exits": value["exits"],
        "capacity": value["capacity"],
        "utilization": value["utilization"],
    }


class LiveHub:
    """One LISTEN connection per process, fanning notifications out to in-process subscribers."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._connection: asyncpg.Connection | None = None
        self._subscribers: dict[uuid.UUID, set[asyncio.Queue[Any]]] = defaultdict(set)
        self._start_lock = asyncio.Lock()
        self._inbox: asyncio.Queue[tuple[uuid.UUID, list[int], bool]] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._ending = False  # the server is shutting down: streams end, new ones end at once
        self._loop: asyncio.AbstractEventLoop | None = None
        self._chained: dict[int, SignalHandler] = {}

    @property
    def dsn(self) -> str:
        return (
            async_url(self._database.url).set(drivername="postgresql").render_as_string(hide_password=False)
        )

    async def _ensure_listening(self) -> None:
        async with self._start_lock:
            if self._connection is not None and not self._connection.is_closed():
                return
            connection = await asyncpg.connect(self.dsn)
            connection.add_termination_listener(self._on_lost)
            await connection.add_listener(NOTIFY_CHANNEL, self._on_notify)
            self._connection = connection
            if self._worker is None or self._worker.done():
                self._worker = asyncio.create_task(self._deliver_forever())

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            message = orjson.loads(payload)
            event_id = uuid.UUID(message["eventId"])
            ids = [int(i) for i in message["ids"]]
            kind = message.get("kind")
            if kind not in (None, UPDATED):
                raise ValueError(kind)
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("live.bad_notification")
            return
        if self._subscribers.get(event_id):
            self._inbox.put_nowait((event_id, ids, kind == UPDATED))

    def _on_lost(self, _conn: object) -> None:
        log.warning("live.listener_lost")
        self._connection = None
        for queues in self._subscribers.values():
            for queue in queues:
                queue.put_nowait(_CLOSED)

    async def _deliver_forever(self) -> None:
        while True:
            event_id, ids, updated = await self._inbox.get()
            queues = list(self._subscribers.get(event_id, ()))
            if not queues:
                continue
            try:
                messages = await self._load(event_id, ids, updated)
            except Exception:  # a failed read must not stop the stream of every other event
                log.exception("live.delivery_failed")
                continue
            for queue in queues:
                for message in messages:
                    queue.put_nowait(message)

    async def _load(self, event_id: uuid.UUID, ids: list[int], updated: bool) -> list[Message]:
        async with self._database.sessionmaker() as session:
            scans = list(await session.scalars(select(Scan).where(Scan.id.in_(ids)).order_by(Scan.id)))
            event = await session.get(Event, event_id)
            if event is None:
                return []
            occupancy = _occupancy_payload(await stats.occupancy_of(session, event))
            messages = [
                (scan.id, updated, {"scan": scan_payload(scan), "occupancy": occupancy}) for scan in scans
            ]
            await session.rollback()
        return messages

    async def _replay_page(
        self, event_id: uuid.UUID, after: int | None
    ) -> tuple[dict[str, Any], list[tuple[int, dict[str, Any]]]]:
        """The occupancy now and (when ``after`` is given) the next ``REPLAY_PAGE`` scans after that id,
        read in one short transaction (none is held open while a slow client reads)."""
        async with self._database.sessionmaker() as session:
            event = await session.get(Event, event_id)
            assert event is not None
            scans: list[Scan] = []
            if after is not None:
                scans = list(
                    await session.scalars(
                        select(Scan)
                        .where(Scan.event_id == event_id, Scan.id > after)
                        .order_by(Scan.id)
                        .limit(REPLAY_PAGE)
                    )
                )
            occupancy = _occupancy_payload(await stats.occupancy_of(session, event))
            page = [(scan.id, scan_payload(scan)) for scan in scans]
            await session.rollback()
        return occupancy, page

    async def subscribe(self, event_id: uuid.UUID) -> asyncio.Queue[Any]:
        await self._ensure_listening()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        self._subscribers[event_id].add(queue)
        return queue

    def unsubscribe(self, event_id: uuid.UUID, queue: asyncio.Queue[Any]) -> None:
        queues = self._subscribers.get(event_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._subscribers[event_id]

    def end_streams_on_signals(self) -> None:
        """Chain onto the server's handlers of SIGTERM and SIGINT (uvicorn's, in each worker process):
        the signal still reaches the server, and every stream of this process ends at once.

        Python runs signal handlers in the main thread only: elsewhere (an app served from another
        thread) nothing is installed. A signal without a Python handler (default or ignored) is left
        alone: no server stops gracefully on it, so nothing waits for the streams either.
        """
        if threading.current_thread() is not threading.main_thread():
            return
        self._loop = asyncio.get_running_loop()
        for sig in SHUTDOWN_SIGNALS:
            previous = signal.getsignal(sig)
            if callable(previous) and sig not in self._chained:
                self._chained[sig] = previous
                signal.signal(sig, self._on_signal)

    def _on_signal(self, sig: int, frame: FrameType | None) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.end_streams)
        previous = self._chained.get(sig)
        if previous is not None:
            previous(sig, frame)

    def _restore_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for sig, previous in self._chained.items():
            if signal.getsignal(sig) == self._on_signal:  # nobody chained onto ours meanwhile
                signal.signal(sig, previous)
        self._chained.clear()

    def end_streams(self) -> None:
        """The server is stopping: every stream sends its ``shutdown`` event and ends; so does any
        stream opened from now on."""
        if self._ending:
            return
        self._ending = True
        log.info("live.ending_streams", streams=sum(len(q) for q in self._subscribers.values()))
        for queues in self._subscribers.values():
            for queue in queues:
                queue.put_nowait(_SHUTDOWN)

    async def close(self) -> None:
        self.end_streams()
        self._restore_signals()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        if self._connection is not None and not self._connection.is_closed():
            await self._connection.close()
        self._connection = None

    async def stream(
        self, event_id: uuid.UUID, last_event_id: int | None, heartbeat: float
    ) -> AsyncIterator[bytes]:
        """The SSE body: a ``retry`` hint, the current occupancy, every missed scan (page by page until
        caught up), then live ones: new scans and re-judged ones."""
        queue = await self.subscribe(event_id)
        try:
            yield f"retry: {RETRY_MS}\n\n".encode()
            occupancy, page = await self._replay_page(event_id, last_event_id)
            yield _sse("occupancy", occupancy)
            replayed: set[int] = set()
            while page:
                for scan_id, payload in page:
                    yield _sse("scan", {"scan": payload, "occupancy": occupancy}, scan_id)
                    replayed.add(scan_id)
                if len(page) < REPLAY_PAGE or self._ending:
                    break
                occupancy, page = await self._replay_page(event_id, page[-1][0])
            while True:
                if self._ending:
                    yield SHUTDOWN_EVENT
                    return
                try:
                    item = await asyncio.wait_for(queue.get(), timeout=heartbeat)
                except TimeoutError:
                    yield b": heartbeat\n\n"
                    continue
                if item is _CLOSED:
                    return
                if item is _SHUTDOWN:
                    continue  # ends above
                scan_id, updated, data = item
                if updated:
                    yield _sse("scan-updated", data)
                elif scan_id not in replayed:
                    yield _sse("scan", data, scan_id)
        finally:
            self.unsubscribe(event_id, queue)


def parse_last_event_id(value: str | None) -> int | None:
    """The scan id a reconnecting client names in ``Last-Event-ID``: ``None`` when the header is absent
    or empty (no position: no replay). Anything else this stream never sends as an ``id`` — not only
    ASCII digits (``str.isdigit`` also accepts "²" and "١٢٣"), or past the largest bigint — is a 422
    naming the header, rather than a 500 or a silent full replay."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_SCAN_ID:
        raise ValidationFailed("Last-Event-ID", "Must be the id of a scan this stream sent (ASCII digits).")
    return int(value)


def _sse(kind: str, data: dict[str, Any], event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: ".encode() + orjson.dumps(data) + b"\n\n"


# ------------------------------------------------------------------------------------- live tickets


async def issue_ticket(session: AsyncSession, actor: User, event_id: uuid.UUID) -> tuple[str, Any]:
    """A single-use pass to the event's stream for 60 s (EventSource cannot send headers)."""
    event = await events.get_for_staff(session, actor, event_id)
    token = new_opaque_token("tmlive")
    expires_at = utcnow() + timedelta(seconds=LIVE_TICKET_SECONDS)
    session.add(
        LiveTicket(token_hash=hash_token(token), event_id=event.id, user_id=actor.id, expires_at=expires_at)
    )
    await session.flush()
    return token, expires_at


async def redeem_ticket(session: AsyncSession, event_id: uuid.UUID, token: str) -> User:
    """The user a live ticket was issued to; it works once, for its event, within 60 s."""
    user_id = await session.scalar(
        update(LiveTicket)
        .where(
            LiveTicket.token_hash == hash_token(token),
            LiveTicket.event_id == event_id,
            LiveTicket.used_at.is_(None),
            LiveTicket.expires_at > utcnow(),
        )
        .values(used_at=utcnow())
        .returning(LiveTicket.user_id)
    )
    user = await session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active:
        raise Unauthorized("The live ticket is unknown, used or expired.")
    return user

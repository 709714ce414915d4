"""The flash-sale waiting room: joining, the draw, admission and single-use passes (docs/waiting-room.md).

Writes are rare by design. A poll reads the room and one entry; the room's watermark moves at most once
a second per event (a conditional UPDATE that one poller wins), and an entry is written once when its
pass is issued. The order of the room is ``position``: early arrivals are numbered at the draw by the
random key each drew on joining; later ones take the room's next position as they join.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic.alias_generators import to_camel
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import jobs, locks
from tixmo.accounts.models import User
from tixmo.errors import Conflict, Forbidden, InvalidState, NotFound, ValidationFailed
from tixmo.events import service as events
from tixmo.events.models import Event, EventStatus
from tixmo.locks import EventLock
from tixmo.orders.models import Order
from tixmo.queue.models import QueueEntry, QueueStatus, WaitingRoom
from tixmo.queue.schemas import WaitingRoomUpdate
from tixmo.ticketing.models import TicketType

TELL_CLOSED = "queue.tell_closed"
# The room's watermark moves at most this often (per event, whatever the number of pollers).
ADVANCE_EVERY = timedelta(seconds=1)
# Automatic admission: twice the orders placed per minute over this window, and at least the floor.
AUTO_WINDOW = timedelta(minutes=5)
AUTO_MIN_PER_MINUTE = 60
_KEY_BITS = 62
ADMISSION_REQUIRED = "ADMISSION_REQUIRED"


class AdmissionRequired(Forbidden):
    code = ADMISSION_REQUIRED
    title = "Admission required"


# ------------------------------------------------------------------------------ tokens and passes
#
# Both are ``<entry id hex>.<MAC>``: nothing to store, the same token is given back to someone who joins
# again, and neither can be forged or moved to another entry. A pass is bound to its entry, so to its
# account; using it checks the caller is that account.


def _mac(secret: str, purpose: str, entry_id: uuid.UUID) -> str:
    digest = hmac.new(secret.encode(), f"{purpose}:{entry_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def token_of(secret: str, entry_id: uuid.UUID) -> str:
    return f"{entry_id.hex}.{_mac(secret, 'queue-token', entry_id)}"


def pass_of(secret: str, entry_id: uuid.UUID) -> str:
    return f"{entry_id.hex}.{_mac(secret, 'queue-pass', entry_id)}"


def _entry_of(secret: str, purpose: str, value: str) -> uuid.UUID | None:
    head, _, mac = value.partition(".")
    try:
        entry_id = uuid.UUID(hex=head)
    except ValueError:
        return None
    expected = _mac(secret, purpose, entry_id)
    return entry_id if hmac.compare_digest(mac.encode(), expected.encode()) else None


def entry_of_token(secret: str, token: str) -> uuid.UUID | None:
    return _entry_of(secret, "queue-token", token)


# ------------------------------------------------------------------------------------ staff settings


async def get_room_for_staff(session: AsyncSession, actor: User, event_id: uuid.UUID) -> WaitingRoom:
    await events.get_for_staff(session, actor, event_id)
    room = await session.get(WaitingRoom, event_id)
    if room is None:
        raise NotFound("This event has no waiting room.")
    return room


async def configure(
    session: AsyncSession, actor: User, event_id: uuid.UUID, data: WaitingRoomUpdate
) -> WaitingRoom:
    """Create or change the room (partial update). A room that has drawn keeps its draw and positions."""
    await events.get_for_staff(session, actor, event_id, lock=EventLock.EDIT)
    room = await session.get(WaitingRoom, event_id, with_for_update=True)
    values = data.model_dump(exclude_unset=True, by_alias=False)
    if room is None:
        if values.get("opens_at") is None:
            raise ValidationFailed("opensAt", "opensAt is required when the waiting room is created.")
        room = WaitingRoom(event_id=event_id, enabled=True, pass_minutes=10, admitted=0.0, next_position=0)
        session.add(room)
    for name, value in values.items():
        if name == "opens_at" and value is None:
            raise ValidationFailed("opensAt", "opensAt cannot be removed.")
        if name in ("enabled", "pass_minutes") and value is None:
            raise ValidationFailed(to_camel(name), f"{to_camel(name)} cannot be null.")
        setattr(room, name, value)
    await session.flush()
    return room


# ------------------------------------------------------------------------------------------ joining


@dataclass(frozen=True)
class QueueView:
    entry: QueueEntry
    status: QueueStatus
    position: int | None  # 1-based; None until the draw
    ahead: int | None
    estimated_wait_seconds: int | None
    pass_expires_at: datetime | None

    @property
    def pass_used_at(self) -> datetime | None:
        return self.entry.pass_used_at


async def join(
    session: AsyncSession, user: User, event_id: uuid.UUID, *, draw: random.Random
) -> tuple[QueueEntry, bool]:
    """The caller's entry in the room (``created``: False when they had joined already).

    Early arrivals (before the draw) hold the room's advisory lock in shared mode until they commit, and
    the draw takes it exclusively: a join is either in the draw or, once it has happened, takes the next
    position. Shared advisory locks leave the room row alone, so a flood of early joins runs in parallel.
    Whoever takes both, takes the advisory lock first.
    """
    event = await session.get(Event, event_id)
    if event is None or event.status not in events.PUBLIC_STATUSES:
        raise NotFound("Event not found.")
    if event.status != EventStatus.PUBLISHED.value:
        raise InvalidState("Only a published event's waiting room can be joined.")
    found = (
        await session.execute(
            select(WaitingRoom, func.clock_timestamp()).where(WaitingRoom.event_id == event_id)
        )
    ).first()
    if found is None or not found[0].enabled:
        raise Conflict("This event has no waiting room open; order directly.")
    room, now = found
    if room.drawn_at is None and now < room.opens_at:
        await session.execute(_SHARED_ROOM_LOCK, {"room": str(event_id)})
        created = (
            await session.execute(
                _JOIN_EARLY,
                {"id": uuid.uuid4(), "e": event_id, "u": user.id, "now": now, "key": draw_key(draw)},
            )
        ).scalar()
        if created is not None:
            entry = await session.get(QueueEntry, created)
            assert entry is not None
            return entry, True
        # Already in the room, or the draw happened meanwhile: on to the checks below.
    else:
        await draw_if_due(session, event_id)
    await session.execute(
        select(WaitingRoom.event_id).where(WaitingRoom.event_id == event_id).with_for_update(key_share=True)
    )
    existing = await session.scalar(
        select(QueueEntry).where(QueueEntry.event_id == event_id, QueueEntry.user_id == user.id)
    )
    if existing is not None:
        return existing, False
    await session.refresh(room)
    if room.closed_at is not None:
        raise Conflict("The event is sold out; the waiting room is closed. Join the waitlist instead.")
    position = (
        await session.execute(
            text(
                "UPDATE waiting_rooms SET next_position = next_position + 1 "
                "WHERE event_id = :e RETURNING next_position - 1"
            ),
            {"e": event_id},
        )
    ).scalar_one()
    entry = QueueEntry(event_id=event_id, user_id=user.id, joined_at=now, position=position)
    session.add(entry)
    await session.flush()
    return entry, True


# The room's advisory lock (one bigint per event): early joins share it, the draw takes it alone.
_ROOM_KEY = "hashtextextended('tixmo.queue:' || :room, 0)"
_SHARED_ROOM_LOCK = text(f"SELECT pg_advisory_xact_lock_shared({_ROOM_KEY})")
_EXCLUSIVE_ROOM_LOCK = text(f"SELECT pg_advisory_xact_lock({_ROOM_KEY})")
_TRY_EXCLUSIVE_ROOM_LOCK = text(f"SELECT pg_try_advisory_xact_lock({_ROOM_KEY})")
# Read after the shared lock is held (a statement of its own, so its snapshot follows the lock).
_JOIN_EARLY = text(
    "INSERT INTO queue_entries (id, event_id, user_id, joined_at, draw_key)"
    " SELECT :id, :e, :u, :now, :key FROM waiting_rooms"
    " WHERE event_id = :e AND drawn_at IS NULL AND closed_at IS NULL"
    " ON CONFLICT (event_id, user_id) DO NOTHING RETURNING id"
)


def draw_key(draw: random.Random) -> int:
    """An early arrival's random key: the draw orders by it (ties, at 2**-62, broken by id)."""
    return draw.getrandbits(_KEY_BITS)


async def _db_now(session: AsyncSession) -> datetime:
    now: datetime = (await session.execute(select(func.clock_timestamp()))).scalar_one()
    return now


# Waiting for the room row, the condition is checked again on the row as it is once the lock is ours.
_DRAW = text(
    "UPDATE waiting_rooms SET drawn_at = clock_timestamp() WHERE event_id = :e"
    " AND drawn_at IS NULL AND opens_at <= clock_timestamp() RETURNING event_id"
)
_DRAW_UNLESS_BUSY = text(
    "UPDATE waiting_rooms SET drawn_at = clock_timestamp() WHERE event_id = ("
    "  SELECT event_id FROM waiting_rooms WHERE event_id = :e"
    "  AND drawn_at IS NULL AND opens_at <= clock_timestamp() FOR UPDATE SKIP LOCKED"
    ") RETURNING event_id"
)


async def draw_if_due(session: AsyncSession, event_id: uuid.UUID, *, wait: bool = True) -> bool:
    """Number the early arrivals by their random keys, once, when the room has opened. ``wait=False``
    (a poll): when another request holds the room row (drawing, or moving the watermark), leave the draw
    to it instead of queueing behind it."""
    if wait:
        await session.execute(_EXCLUSIVE_ROOM_LOCK, {"room": str(event_id)})
    elif not (await session.execute(_TRY_EXCLUSIVE_ROOM_LOCK, {"room": str(event_id)})).scalar():
        return False  # early joins are committing, or another request is drawing
    drew = (await session.execute(_DRAW if wait else _DRAW_UNLESS_BUSY, {"e": event_id})).first()
    if drew is None:
        return False
    await session.execute(
        text(
            "WITH ranked AS ("
            "  SELECT id, row_number() OVER (ORDER BY draw_key, id) - 1 AS pos"
            "  FROM queue_entries WHERE event_id = :e AND position IS NULL"
            "), numbered AS ("
            "  UPDATE queue_entries q SET position = ranked.pos FROM ranked WHERE q.id = ranked.id"
            "  RETURNING 1"
            ") UPDATE waiting_rooms SET next_position = (SELECT count(*) FROM numbered) WHERE event_id = :e"
        ),
        {"e": event_id},
    )
    return True


# ----------------------------------------------------------------------------------------- admission


@dataclass(frozen=True)
class Stock:
    available: int  # total - sold - held over the event's ticket types
    unsold: int  # total - sold: 0 means sold out for good (no hold can come back)


async def _stock(session: AsyncSession, event_id: uuid.UUID) -> Stock:
    row = (
        await session.execute(
            select(
                func.coalesce(
                    func.sum(TicketType.quantity_total - TicketType.quantity_sold - TicketType.quantity_held),
                    0,
                ),
                func.coalesce(func.sum(TicketType.quantity_total - TicketType.quantity_sold), 0),
                func.count(),
            ).where(TicketType.event_id == event_id)
        )
    ).one()
    available, unsold, types = int(row[0]), int(row[1]), int(row[2])
    return Stock(available=available, unsold=unsold if types else 1)


async def _rate_per_minute(session: AsyncSession, room: WaitingRoom, now: datetime) -> float:
    if room.admit_per_minute is not None:
        return float(room.admit_per_minute)
    recent = await session.scalar(
        select(func.count())
        .select_from(Order)
        .where(Order.event_id == room.event_id, Order.created_at >= now - AUTO_WINDOW)
    )
    per_minute = (recent or 0) / (AUTO_WINDOW.total_seconds() / 60)
    return max(float(AUTO_MIN_PER_MINUTE), 2 * per_minute)


async def _outstanding_passes(session: AsyncSession, event_id: uuid.UUID, now: datetime) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(QueueEntry)
        .where(
            QueueEntry.event_id == event_id,
            QueueEntry.pass_issued_at.is_not(None),
            QueueEntry.pass_used_at.is_(None),
            QueueEntry.pass_expires_at > now,
        )
    )
    return int(count or 0)


async def advance(session: AsyncSession, room: WaitingRoom, now: datetime) -> WaitingRoom:
    """Draw when due, then move the admission watermark by the rate times the time since it last moved
    — at most once per ``ADVANCE_EVERY``, whoever asks; never past the people in the room, and never so
    far that more unused passes are out than tickets are left. A sold-out event closes the room."""
    if not room.enabled or room.closed_at is not None or now < room.opens_at:
        return room
    if room.drawn_at is None:
        await draw_if_due(session, room.event_id, wait=False)
        await session.refresh(room)
    last = room.advanced_at
    if last is not None and now - last < ADVANCE_EVERY:
        return room
    since = last or room.opens_at
    stock = await _stock(session, room.event_id)
    closing = stock.unsold <= 0
    admitted = room.admitted
    if not closing:
        rate = await _rate_per_minute(session, room, now)
        grown = admitted + rate * max(0.0, (now - since).total_seconds()) / 60
        headroom = stock.available - await _outstanding_passes(session, room.event_id, now)
        admitted = min(grown, float(room.next_position), math.floor(admitted) + max(0, headroom))
        admitted = max(admitted, room.admitted)  # the watermark never moves back
    # One poller a second moves the watermark; the others skip the locked row and answer with the
    # watermark as it is, instead of queueing behind the winner's transaction.
    moved = await session.execute(
        text(
            "UPDATE waiting_rooms SET admitted = :admitted, advanced_at = :now,"
            " closed_at = CASE WHEN :closing THEN CAST(:now AS timestamptz) END"
            " WHERE event_id = ("
            "  SELECT event_id FROM waiting_rooms WHERE event_id = :e AND closed_at IS NULL"
            "  AND advanced_at IS NOT DISTINCT FROM CAST(:last AS timestamptz) FOR UPDATE SKIP LOCKED"
            ") RETURNING event_id"
        ),
        {"e": room.event_id, "admitted": admitted, "now": now, "closing": closing, "last": last},
    )
    if moved.first() is not None and closing:
        await jobs.enqueue(
            session,
            TELL_CLOSED,
            queueing_lock=f"queue-closed:{room.event_id}",
            event_id=str(room.event_id),
        )
    await session.refresh(room)
    return room


async def status(session: AsyncSession, event_id: uuid.UUID, entry_id: uuid.UUID) -> QueueView:
    """Where an entry stands, read in one round trip; the watermark moves (at most once a second per
    room) and the entry's pass is issued (once) when the watermark has passed it."""
    row = (
        await session.execute(
            select(QueueEntry, WaitingRoom, func.clock_timestamp())
            .join(WaitingRoom, WaitingRoom.event_id == QueueEntry.event_id)
            .where(QueueEntry.id == entry_id, QueueEntry.event_id == event_id)
        )
    ).first()
    if row is None:
        raise NotFound("Queue token not found.")
    entry, room, now = row
    room = await advance(session, room, now)
    if entry.position is None and room.drawn_at is not None:
        await session.refresh(entry)  # numbered by the draw this request made
    rate = float(room.admit_per_minute or AUTO_MIN_PER_MINUTE)
    admitted = math.floor(room.admitted)
    position = None if entry.position is None else entry.position + 1

    def view(state: QueueStatus, ahead: int | None = None, wait: int | None = None) -> QueueView:
        return QueueView(entry, state, position, ahead, wait, entry.pass_expires_at)

    if entry.pass_used_at is not None:
        return view(QueueStatus.EXPIRED, 0, 0)
    if entry.pass_issued_at is not None:
        assert entry.pass_expires_at is not None
        return view(QueueStatus.ADMITTED if entry.pass_expires_at > now else QueueStatus.EXPIRED, 0, 0)
    if not room.enabled:
        return view(QueueStatus.ADMITTED, 0, 0)  # the room is off: everyone may order without a pass
    if room.closed_at is not None:
        return view(QueueStatus.CLOSED)
    if entry.position is None:
        wait = max(0, math.ceil((room.opens_at - now).total_seconds()))
        return view(QueueStatus.WAITING, None, wait)
    if entry.position < admitted:
        return await _issue_pass(session, entry, room, now, position)
    ahead = entry.position - admitted
    return view(QueueStatus.WAITING, ahead, math.ceil(ahead / rate * 60))


async def _issue_pass(
    session: AsyncSession, entry: QueueEntry, room: WaitingRoom, now: datetime, position: int | None
) -> QueueView:
    expires = now + timedelta(minutes=room.pass_minutes)
    await session.execute(
        update(QueueEntry)
        .where(QueueEntry.id == entry.id, QueueEntry.pass_issued_at.is_(None))
        .values(pass_issued_at=now, pass_expires_at=expires)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(entry)
    assert entry.pass_expires_at is not None
    state = QueueStatus.ADMITTED if entry.pass_expires_at > now else QueueStatus.EXPIRED
    return QueueView(entry, state, position, 0, 0, entry.pass_expires_at)


# ------------------------------------------------------------------------------- passes at checkout


def _refuse(detail: str) -> AdmissionRequired:
    return AdmissionRequired(detail)


async def check_pass(
    session: AsyncSession, secret: str, event_id: uuid.UUID, user_id: uuid.UUID, admission: str | None
) -> uuid.UUID:
    """The entry of a pass the caller may use for this event now (read only); 403 ADMISSION_REQUIRED
    naming what is wrong otherwise."""
    if not admission:
        raise _refuse("This event has a waiting room: send the TixMo-Admission header with your pass.")
    entry_id = _entry_of(secret, "queue-pass", admission.strip())
    entry = await session.get(QueueEntry, entry_id) if entry_id is not None else None
    if entry is None or entry.event_id != event_id or entry.user_id != user_id:
        raise _refuse("This admission pass is not valid for you and this event.")
    if entry.pass_issued_at is None:
        raise _refuse("You have not been admitted yet.")
    if entry.pass_used_at is not None:
        raise _refuse("This admission pass has already been used for an order.")
    assert entry.pass_expires_at is not None
    if entry.pass_expires_at <= await _db_now(session):
        raise _refuse("This admission pass has expired.")
    return entry.id


async def use_pass(session: AsyncSession, entry_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """Spend the pass in the order's transaction (after its reservation; see locks ``ADMISSION``): of two
    orders racing with one pass, the second waits here for the first and is refused when it commits."""
    locks.note(session, locks.Kind.ADMISSION, [entry_id])
    used = await session.execute(
        update(QueueEntry)
        .where(
            QueueEntry.id == entry_id,
            QueueEntry.user_id == user_id,
            QueueEntry.pass_used_at.is_(None),
            QueueEntry.pass_expires_at > func.clock_timestamp(),
        )
        .values(pass_used_at=func.clock_timestamp())
        .returning(QueueEntry.id)
        .execution_options(synchronize_session=False)
    )
    if used.first() is None:
        raise _refuse("This admission pass has already been used or has expired.")


# ------------------------------------------------------------------------------------- sold out


async def waiting_to_tell(session: AsyncSession, event_id: uuid.UUID, limit: int) -> list[uuid.UUID]:
    """Claim (once each) up to ``limit`` people still waiting in a closed room; their user ids."""
    rows = await session.execute(
        text(
            "UPDATE queue_entries SET told_closed_at = clock_timestamp() WHERE id IN ("
            "  SELECT q.id FROM queue_entries q JOIN waiting_rooms r ON r.event_id = q.event_id"
            "  WHERE q.event_id = :e AND q.told_closed_at IS NULL AND q.pass_issued_at IS NULL"
            "    AND (q.position IS NULL OR q.position >= floor(r.admitted))"
            "  ORDER BY q.id LIMIT :n FOR UPDATE OF q SKIP LOCKED"
            ") RETURNING user_id"
        ),
        {"e": event_id, "n": limit},
    )
    return [row[0] for row in rows]


async def staff_counts(session: AsyncSession, event_id: uuid.UUID) -> dict[str, int]:
    now = await _db_now(session)
    row = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(QueueEntry.pass_issued_at.is_not(None)),
                func.count().filter(QueueEntry.pass_used_at.is_not(None)),
                func.count().filter(QueueEntry.pass_used_at.is_(None), QueueEntry.pass_expires_at <= now),
            ).where(QueueEntry.event_id == event_id)
        )
    ).one()
    joined, admitted, used, expired = (int(v) for v in row)
    return {"joined": joined, "admitted": admitted, "used": used, "expired": expired}

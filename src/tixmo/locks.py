"""Row locks, taken in one global order (DESIGN rule 13, docs/architecture.md "Lock order").

    event → order → payment → refund → promo code → ticket → ticket type → waitlist entry → seat
          → admission pass

and, within one kind, by id (seats: by position). Every write path takes its row locks through this
module — ``take`` for an explicit lock, ``note`` right before a conditional UPDATE that locks the rows
it changes — and each transaction keeps a record of what it locked. Asking for a lock that comes
*before* one already held is a programming error (``LockOrderViolation``), raised at once in
development and tests, so a path that could deadlock fails its tests instead of a buyer's order.
A lock taken without waiting (``SKIP LOCKED``) is recorded but never checked: it cannot wait in a cycle.

The event row is the gate of everything sold for it, in three modes:

* ``EventLock.SHARE`` (``FOR KEY SHARE``): whatever needs the event's status to stay as read until the
  commit — placing, confirming, cancelling and refunding orders, scans. Holders never wait for each
  other, nor for staff edits; the deferred foreign keys of an order take this same lock at commit.
* ``EventLock.EDIT`` (``FOR NO KEY UPDATE``): staff edits of the event and of what hangs off it (its
  fields, ticket types, seat maps, promo codes, signing keys). Edits queue behind each other; buyers,
  who hold ``SHARE``, never wait for them.
* ``EventLock.STATUS`` (``FOR UPDATE``): a change of status (publish, cancel, complete, delete). It
  waits for every ``SHARE`` holder to commit and keeps new ones out until it commits, so an order is
  either placed before a cancellation (and cancelled by it) or sees the event CANCELLED.

Implicit locks: the deferred foreign keys of an order take ``FOR KEY SHARE`` at COMMIT, after every other
lock of the transaction, on its event, ticket types and promo code. For a new order all of them are held
already (the event taken first, the ticket types reserved, the code claimed). PostgreSQL checks the keys
of an existing row again only when the transaction updates a row version it wrote itself, so a status
move writes an order's row once (``orders.status.mirror``): written twice, a confirm — which does not
lock the promo code — took the code's ``FOR KEY SHARE`` at its commit, after its ticket types, and
deadlocked with a cancel holding the code and waiting for one of them. And ``take`` locks promo codes and
ticket types ``FOR NO KEY UPDATE`` (``NO_KEY_UPDATE``), which no ``FOR KEY SHARE`` waits for; nothing
takes ``FOR UPDATE`` on them but their deletion, which holds the event's ``EDIT`` lock first.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Select, event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from tixmo.events.models import Event
from tixmo.orders.models import Order
from tixmo.payments.models import Payment, Refund
from tixmo.promos.models import PromoCode
from tixmo.queue.models import QueueEntry
from tixmo.seating.models import EventSeat
from tixmo.ticketing.models import TicketType
from tixmo.tickets.models import Ticket
from tixmo.waitlist.models import WaitlistEntry

# Raise on a lock taken out of order (development, tests); production only logs it (``configure``).
_strict = True


class Kind(enum.IntEnum):
    """The kinds of rows, in the order they are locked."""

    EVENT = 1
    ORDER = 2
    PAYMENT = 3
    REFUND = 4
    PROMO = 5
    TICKET = 6
    TICKET_TYPE = 7
    WAITLIST = 8
    SEAT = 9
    # A waiting-room pass, spent by the order it admits after that order's reservation (queue/service.py).
    ADMISSION = 10


class EventLock(enum.Enum):
    SHARE = "FOR KEY SHARE"
    EDIT = "FOR NO KEY UPDATE"
    STATUS = "FOR UPDATE"


_MODELS: dict[Kind, Any] = {
    Kind.EVENT: Event,
    Kind.ORDER: Order,
    Kind.PAYMENT: Payment,
    Kind.REFUND: Refund,
    Kind.PROMO: PromoCode,
    Kind.TICKET: Ticket,
    Kind.TICKET_TYPE: TicketType,
    Kind.WAITLIST: WaitlistEntry,
    Kind.SEAT: EventSeat,
    Kind.ADMISSION: QueueEntry,
}


class LockOrderViolation(RuntimeError):
    """A row lock asked for out of the global order: two such transactions could deadlock."""


@dataclass
class _Record:
    """What one transaction has locked: the highest (kind, key) so far and every row held."""

    last: tuple[int, Any] | None = None
    held: set[tuple[int, Any]] = field(default_factory=set)
    alone: bool = False  # ``alone``: the order is not checked (nobody else writes meanwhile)


# Rows that deferred foreign keys point at (``orders.promo_code_id``, ``order_items.ticket_type_id``,
# ``tickets.ticket_type_id``): a deferred check takes ``FOR KEY SHARE`` on them at COMMIT, after every
# other lock of its transaction — out of the order by construction. So they are locked ``FOR NO KEY
# UPDATE`` (all that changing their counters needs), which no ``FOR KEY SHARE`` waits for; only their
# deletion takes ``FOR UPDATE``.
NO_KEY_UPDATE: frozenset[Kind] = frozenset({Kind.PROMO, Kind.TICKET_TYPE})
_INFO_KEY = "tixmo.locks"
_S = TypeVar("_S", bound=Select[*tuple[Any, ...]])


def alone(session: AsyncSession | Session) -> None:
    """This transaction locks only rows it created itself (demo seeding): no other transaction can see,
    hold or wait for them until it commits, so it may take its locks in any order."""
    _record(session).alone = True


def configure(*, strict: bool) -> None:
    global _strict
    _strict = strict


def _record(session: AsyncSession | Session) -> _Record:
    record: _Record = session.info.setdefault(_INFO_KEY, _Record())
    return record


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    # The transaction's locks end with it (a savepoint's are kept: conservative).
    if transaction.parent is None:
        session.info.pop(_INFO_KEY, None)


def note(
    session: AsyncSession | Session, kind: Kind, keys: Iterable[Any] = (), *, waits: bool = True
) -> None:
    """Record that this transaction is about to lock rows of ``kind`` (``keys``: their ids, or another
    sort key the rows are locked in; empty: the kind alone is checked). Raises ``LockOrderViolation``
    when a row that could make it wait comes before one it already holds."""
    record = _record(session)
    if record.alone:
        return
    keys = list(keys)
    if not keys and any(held_kind == kind for held_kind, _ in record.held):
        return  # rows of this kind locked first (``take``), e.g. an order's tickets before cancelling them
    wanted = sorted({(int(kind), key) for key in keys}) or [(int(kind), None)]
    new = [item for item in wanted if item not in record.held]
    if not new:
        return
    if waits and record.last is not None and _before(new[0], record.last):
        message = (
            f"Lock order: {Kind(new[0][0]).name} {new[0][1]} asked for after "
            f"{Kind(record.last[0]).name} {record.last[1]} (see tixmo/locks.py)."
        )
        if _strict:
            raise LockOrderViolation(message)
        import structlog

        structlog.get_logger(__name__).warning("locks.order_violation", detail=message)
    record.held.update(item for item in new if item[1] is not None)
    top = new[-1]
    if record.last is None or _before(record.last, top):
        record.last = top


def _before(a: tuple[int, Any], b: tuple[int, Any]) -> bool:
    """Whether ``a`` comes strictly before ``b`` (a key of None is the kind itself: never before it)."""
    if a[0] != b[0]:
        return a[0] < b[0]
    if a[1] is None or b[1] is None:
        return False
    return bool(a[1] < b[1])


def clause(
    query: _S, kind: Kind, *, mode: EventLock | None = None, skip_locked: bool = False, share: bool = False
) -> _S:
    """``query`` with the locking clause for rows of ``kind`` (``FOR UPDATE``; ``FOR NO KEY UPDATE`` for
    the kinds of ``NO_KEY_UPDATE``; ``mode`` for an event; ``share``: ``FOR SHARE``), re-reading rows this
    session already loaded."""
    model = _MODELS[kind]
    if kind == Kind.EVENT:
        mode = mode or EventLock.STATUS
        options: dict[str, Any] = {
            EventLock.SHARE: {"read": True, "key_share": True},
            EventLock.EDIT: {"key_share": True},
            EventLock.STATUS: {},
        }[mode]
    elif share:
        options = {"read": True}
    else:
        options = {"key_share": True} if kind in NO_KEY_UPDATE else {}
    return query.with_for_update(of=model, skip_locked=skip_locked, **options).execution_options(
        populate_existing=True
    )


async def take(
    session: AsyncSession,
    kind: Kind,
    ids: Iterable[uuid.UUID],
    *,
    mode: EventLock | None = None,
    skip_locked: bool = False,
    share: bool = False,
) -> list[uuid.UUID]:
    """Lock the rows of ``kind`` with these ids, in id order; the ids locked (those that exist, minus
    those skipped with ``skip_locked``)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    note(session, kind, wanted, waits=not skip_locked)
    model = _MODELS[kind]
    query = select(model.id).where(model.id.in_(wanted)).order_by(model.id)
    locked = await session.scalars(clause(query, kind, mode=mode, skip_locked=skip_locked, share=share))
    return list(locked)


async def event_status(session: AsyncSession, event_id: uuid.UUID, mode: EventLock) -> str | None:
    """Lock the event row (``mode``) and read its status under the lock; ``None`` when it is gone."""
    note(session, Kind.EVENT, [event_id])
    status: str | None = await session.scalar(
        clause(select(Event.status).where(Event.id == event_id), Kind.EVENT, mode=mode)
    )
    return status


async def events_of_orders(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """``SHARE``-lock the events of these orders (an order's event never changes), in id order."""
    event_ids = set(await session.scalars(select(Order.event_id).where(Order.id.in_(list(order_ids)))))
    return await take(session, Kind.EVENT, event_ids, mode=EventLock.SHARE)


async def payments_of(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Lock the payments of these orders (after the orders), in id order."""
    ids = await session.scalars(select(Payment.id).where(Payment.order_id.in_(list(order_ids))))
    return await take(session, Kind.PAYMENT, ids)


async def refunds_of(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Lock the refunds of these orders' payments (after the payments), in id order: a provider's answer
    about one of them (the settle job, a webhook) then finds it held already."""
    ids = await session.scalars(
        select(Refund.id)
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Payment.order_id.in_(list(order_ids)))
    )
    return await take(session, Kind.REFUND, ids)


async def promos_of(
    session: AsyncSession, order_ids: Sequence[uuid.UUID], also: Iterable[uuid.UUID | None] = ()
) -> list[uuid.UUID]:
    """Lock the promo codes of these orders (and ``also`` those), in id order, before any ticket or
    ticket type: whatever gives a use back later (a refund, an expiry) already holds it."""
    found = await session.scalars(
        select(Order.promo_code_id).where(Order.id.in_(list(order_ids)), Order.promo_code_id.is_not(None))
    )
    ids = {promo_id for promo_id in [*found, *also] if promo_id is not None}
    return await take(session, Kind.PROMO, ids)


async def tickets_of(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Lock the tickets of these orders, in id order: a scan or a check-in of one of them (which locks
    the ticket) is then either finished, and seen, or waits for this transaction."""
    ids = await session.scalars(select(Ticket.id).where(Ticket.order_id.in_(list(order_ids))))
    return await take(session, Kind.TICKET, ids)

"""Turning the tickets kept for the waitlist into offers, and offers that ran out back into the pool.

Every change to an event's waitlist (a join, a leave, an offer made, claimed or expired, the event
cancelled) first locks the event's ticket types (``FOR NO KEY UPDATE``, in id order, after the event's
``SHARE`` lock), then the entries it changes (``locks.Kind.WAITLIST``): the ticket types are the
mutex of the event's queue, so two workers never offer the same tickets, and an offer expiring while
its claim arrives ends one way (both take the same locks, then move the entry with a status check).

The rule (docs/waitlist.md): the pool of a ticket type goes to WAITING entries in join order; an entry
that asks for more tickets than the pool has keeps its place and waits, and the next entry that fits is
offered (first come, first served among those that fit). Tickets nobody waiting could take go back on
sale; as long as somebody waiting could take them, they stay in the pool.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks
from tixmo.audit import service as audit
from tixmo.events.models import Event, EventStatus
from tixmo.notifications import triggers as notify
from tixmo.seating.models import EventSeat
from tixmo.ticketing.models import TicketType
from tixmo.waitlist.models import WaitlistEntry, WaitlistStatus


async def lock_ticket_types(session: AsyncSession, event_id: uuid.UUID) -> dict[uuid.UUID, TicketType]:
    """Lock every ticket type of the event (``FOR NO KEY UPDATE``, id order): the waitlist's mutex."""
    ids = sorted(await session.scalars(select(TicketType.id).where(TicketType.event_id == event_id)))
    if not ids:
        return {}
    locks.note(session, locks.Kind.TICKET_TYPE, ids)
    rows = await session.scalars(
        select(TicketType)
        .where(TicketType.id.in_(ids))
        .order_by(TicketType.id)
        .with_for_update(of=TicketType, key_share=True)
        .execution_options(populate_existing=True)
    )
    return {row.id: row for row in rows}


async def seated_types(session: AsyncSession, ticket_type_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these ticket types have a seat map (their tickets are seats: not on the waitlist)."""
    if not ticket_type_ids:
        return set()
    rows = await session.scalars(
        select(EventSeat.ticket_type_id).where(EventSeat.ticket_type_id.in_(list(ticket_type_ids))).distinct()
    )
    return {row for row in rows if row is not None}


async def lock_entries(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, WaitlistEntry]:
    """Lock these entries (after the ticket types), in id order, re-read under the lock."""
    if not ids:
        return {}
    await locks.take(session, locks.Kind.WAITLIST, ids)
    rows = await session.scalars(
        select(WaitlistEntry).where(WaitlistEntry.id.in_(list(ids))).execution_options(populate_existing=True)
    )
    return {row.id: row for row in rows}


async def waiting_ids(session: AsyncSession, event_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        await session.scalars(
            select(WaitlistEntry.id)
            .where(WaitlistEntry.event_id == event_id, WaitlistEntry.status == WaitlistStatus.WAITING.value)
            .order_by(WaitlistEntry.seq)
        )
    )


async def lock_queue(
    session: AsyncSession, event_id: uuid.UUID, also: Sequence[uuid.UUID] = ()
) -> dict[uuid.UUID, WaitlistEntry]:
    """Lock the event's WAITING entries and ``also`` those, all at once in id order (after the ticket
    types): whatever ``distribute`` does next then holds them already."""
    return await lock_entries(session, [*await waiting_ids(session, event_id), *also])


def fits_type(entry: WaitlistEntry, ticket_type: TicketType, seated: set[uuid.UUID]) -> bool:
    """Whether the entry could take tickets of this type at all (whatever the pool holds)."""
    if entry.ticket_type_id is not None:
        return entry.ticket_type_id == ticket_type.id
    if ticket_type.id in seated:
        return False
    if entry.quantity < ticket_type.min_per_order:
        return False
    return ticket_type.max_per_order is None or entry.quantity <= ticket_type.max_per_order


async def _set_pool(session: AsyncSession, ticket_type: TicketType, pool: int, *, back_on_sale: int) -> None:
    locks.note(session, locks.Kind.TICKET_TYPE, [ticket_type.id])
    await session.execute(
        update(TicketType)
        .where(TicketType.id == ticket_type.id)
        .values(waitlist_pool=pool, quantity_held=TicketType.quantity_held - back_on_sale)
        .execution_options(synchronize_session=False)
    )
    ticket_type.waitlist_pool = pool
    ticket_type.quantity_held -= back_on_sale


async def add_to_pool(session: AsyncSession, ticket_type: TicketType, quantity: int) -> None:
    """Tickets held for an offer go back to the type's pool (still held)."""
    await _set_pool(session, ticket_type, ticket_type.waitlist_pool + quantity, back_on_sale=0)


async def return_to_pool(
    session: AsyncSession, ticket_types: dict[uuid.UUID, TicketType], entry: WaitlistEntry
) -> None:
    """An offer ended unclaimed (expired, left): its held tickets go back to the type's pool."""
    assert entry.offer_ticket_type_id is not None
    await add_to_pool(session, ticket_types[entry.offer_ticket_type_id], entry.quantity)


async def distribute(
    session: AsyncSession,
    event: Event,
    ticket_types: dict[uuid.UUID, TicketType],
    now: datetime,
    offer_for: timedelta,
) -> list[WaitlistEntry]:
    """Offer each ticket type's pool to the WAITING entries that fit, in join order; give back on sale
    what nobody waiting could take. The caller locked the event (``SHARE`` or more) and its ticket
    types (``lock_ticket_types``). Returns the entries offered."""
    if event.status != EventStatus.PUBLISHED.value:
        return []
    pooled = [tt for tt in sorted(ticket_types.values(), key=lambda tt: tt.id) if tt.waitlist_pool > 0]
    if not pooled:
        return []
    seated = await seated_types(session, list(ticket_types))
    locked = await lock_queue(session, event.id)
    queue = sorted(
        (entry for entry in locked.values() if entry.status == WaitlistStatus.WAITING.value),
        key=lambda entry: entry.seq,
    )
    offered: list[WaitlistEntry] = []
    for ticket_type in pooled:
        pool = ticket_type.waitlist_pool
        for entry in queue:
            if pool == 0:
                break
            if entry.status != WaitlistStatus.WAITING.value or not fits_type(entry, ticket_type, seated):
                continue
            if entry.quantity > pool:
                continue  # partial fit: it keeps its place and waits for more to come back
            entry.status = WaitlistStatus.OFFERED.value
            entry.offer_ticket_type_id = ticket_type.id
            entry.offered_at = now
            entry.offer_expires_at = now + offer_for
            entry.updated_at = now
            pool -= entry.quantity
            offered.append(entry)
        still_wanted = any(
            entry.status == WaitlistStatus.WAITING.value and fits_type(entry, ticket_type, seated)
            for entry in queue
        )
        back_on_sale = 0 if still_wanted else pool
        await _set_pool(session, ticket_type, pool - back_on_sale, back_on_sale=back_on_sale)
    await session.flush()
    for entry in offered:
        assert entry.offer_expires_at is not None
        # The organization's webhooks (docs/webhooks.md), in this transaction: none for a rolled-back offer.
        await audit.emit_webhook(
            session,
            "waitlist.offered",
            "waitlist",
            entry.id,
            event.organization_id,
            {
                "eventId": str(event.id),
                "ticketTypeId": str(entry.offer_ticket_type_id),
                "quantity": entry.quantity,
                "offerExpiresAt": entry.offer_expires_at.isoformat(),
            },
        )
        await notify.waitlist_offer(
            session,
            user_id=entry.user_id,
            event=event,
            waitlist_id=entry.id,
            quantity=entry.quantity,
            offer_expires_at=entry.offer_expires_at,
        )
    return offered


async def settle_event(
    session: AsyncSession, event_id: uuid.UUID, now: datetime, offer_for: timedelta
) -> tuple[int, int]:
    """One transaction's work for an event (the jobs): lock it (``SHARE``) and its ticket types, expire
    the offers that ran out (their tickets back to the pool), then offer the pools. Exactly once
    whatever the number of workers: everything is decided under those locks, each entry moved only
    from the status it was read in. Returns (offers expired, offers made)."""
    status = await locks.event_status(session, event_id, locks.EventLock.SHARE)
    if status is None:
        return 0, 0
    event = await session.get(Event, event_id)
    assert event is not None
    ticket_types = await lock_ticket_types(session, event_id)
    due_ids = list(
        await session.scalars(
            select(WaitlistEntry.id).where(
                WaitlistEntry.event_id == event_id,
                WaitlistEntry.status == WaitlistStatus.OFFERED.value,
                WaitlistEntry.offer_expires_at <= now,
            )
        )
    )
    expired = 0
    locked = await lock_queue(session, event_id, due_ids)
    for entry in sorted((locked[i] for i in due_ids if i in locked), key=lambda e: e.seq):
        if await expire_offer(session, ticket_types, entry, event, now):
            expired += 1
    offered = await distribute(session, event, ticket_types, now, offer_for)
    return expired, len(offered)


async def expire_offer(
    session: AsyncSession,
    ticket_types: dict[uuid.UUID, TicketType],
    entry: WaitlistEntry,
    event: Event,
    now: datetime,
) -> bool:
    """OFFERED past its deadline → EXPIRED (the entry locked by the caller): the tickets go back to the
    pool, the person hears of it. False when it is not (or no longer) a due offer."""
    if (
        entry.status != WaitlistStatus.OFFERED.value
        or entry.offer_expires_at is None
        or entry.offer_expires_at > now
    ):
        return False
    entry.status = WaitlistStatus.EXPIRED.value
    entry.ended_at = now
    entry.updated_at = now
    await return_to_pool(session, ticket_types, entry)
    await session.flush()
    await notify.waitlist_offer_expired(session, user_id=entry.user_id, event=event, waitlist_id=entry.id)
    return True


async def release_pools(
    session: AsyncSession, ticket_types: dict[uuid.UUID, TicketType], *, everything: bool = False
) -> None:
    """Put back on sale the pool of every ticket type (locked by the caller) that no WAITING entry could
    take any more (the waitlist closed, the last entry left); ``everything``: every pool (the event
    cancelled)."""
    pooled = [tt for tt in sorted(ticket_types.values(), key=lambda tt: tt.id) if tt.waitlist_pool > 0]
    if not pooled:
        return
    event_id = pooled[0].event_id
    seated = await seated_types(session, list(ticket_types))
    waiting = list(
        await session.scalars(
            select(WaitlistEntry).where(
                WaitlistEntry.event_id == event_id, WaitlistEntry.status == WaitlistStatus.WAITING.value
            )
        )
    )
    for ticket_type in pooled:
        if everything or not any(fits_type(entry, ticket_type, seated) for entry in waiting):
            await _set_pool(session, ticket_type, 0, back_on_sale=ticket_type.waitlist_pool)

"""Tickets that come back while waitlist entries wait for them are kept for the waitlist.

The one function the paths that give tickets back call (an order cancelled or expired, a refund, a ticket
cancelled, ``quantityTotal`` raised): ``keep_for_waitlist``, in their transaction, right after the
change, with the ticket type's row already locked by it. When a WAITING entry could take tickets of the
type, every free ticket of it moves into the type's ``waitlist_pool`` — still counted in
``quantity_held``, so availability never shows it and the CHECK ``sold + held <= total`` covers it —
and a ``waitlist.offer`` job (same transaction) turns the pool into offers. So a ticket released while
entries wait is never on public sale, not even between the release and the offer.

It lives with the ticket types (the pool is their column) and reads ``waitlist_entries`` in SQL only, so
orders, payments and tickets below the waitlist can call it; the waitlist's ``offer`` job (registered
under ``OFFER_TASK``) takes it from there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import jobs, locks

OFFER_TASK = "waitlist.offer"

# Free tickets of the type (total - sold - held) join its pool when a WAITING entry could take them: one
# for this ticket type, or one for "any ticket type" of its event (seated ticket types excepted: their
# tickets are seats, not part of the waitlist). Runs under the row lock the caller's UPDATE took.
_SOMEONE_WAITS = """
    EXISTS (
        SELECT 1 FROM waitlist_entries AS w
         WHERE w.status = 'WAITING' AND w.event_id = t.event_id
           AND (w.ticket_type_id = t.id
                OR (w.ticket_type_id IS NULL
                    AND NOT EXISTS (SELECT 1 FROM event_seats AS s WHERE s.ticket_type_id = t.id))))
"""
_KEEP = text(
    f"""
    UPDATE ticket_types AS t
       SET waitlist_pool = t.waitlist_pool + (t.quantity_total - t.quantity_sold - t.quantity_held),
           quantity_held = t.quantity_total - t.quantity_sold
     WHERE t.id = :ticket_type_id
       AND t.quantity_total - t.quantity_sold - t.quantity_held > 0
       AND {_SOMEONE_WAITS}
    RETURNING t.waitlist_pool
    """  # noqa: S608 (constant SQL, no input in it)
)
_WAITS = text(f"SELECT {_SOMEONE_WAITS} FROM ticket_types AS t WHERE t.id = :ticket_type_id")  # noqa: S608


async def keep_for_waitlist(session: AsyncSession, ticket_type_ids: Iterable[uuid.UUID]) -> int:
    """Keep the free tickets of these ticket types (their rows locked by the caller, or locked here in
    id order) for the entries waiting for them, and queue the job that offers them. Returns how many
    ticket types kept some."""
    kept = 0
    for ticket_type_id in sorted(set(ticket_type_ids)):
        locks.note(session, locks.Kind.TICKET_TYPE, [ticket_type_id])
        pool = await session.scalar(_KEEP, {"ticket_type_id": ticket_type_id})
        if pool is not None:
            kept += 1
            await jobs.enqueue(session, OFFER_TASK, ticket_type_id=str(ticket_type_id))
    return kept


async def someone_waits(session: AsyncSession, ticket_type_id: uuid.UUID) -> bool:
    """Whether a WAITING entry could take tickets of this type (tickets that come back go to it)."""
    return bool(await session.scalar(_WAITS, {"ticket_type_id": ticket_type_id}))

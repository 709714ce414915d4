"""Event reminders: each holder of a VALID ticket hears once, ``TIXMO_REMINDER_HOURS_BEFORE`` (24 h)
before the event starts.

Exactly once, however many workers run the periodic job at the same time: the reminder is *claimed* by
inserting ``(event, user, kind)`` into ``sent_reminders`` with ``ON CONFLICT DO NOTHING … RETURNING`` in
the transaction that records the notification and enqueues its email. A second worker's insert of the
same row waits for the first transaction and then inserts nothing, so only the first one notifies; if
the first rolls back, the second claims it instead.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.events.models import Event
from tixmo.notifications import kinds
from tixmo.notifications import service as notifications
from tixmo.tickets import pdf

BATCH = 500

_CLAIM = text(
    """
    INSERT INTO sent_reminders (event_id, user_id, kind)
    SELECT DISTINCT t.event_id, t.owner_id, :kind
    FROM tickets t JOIN events e ON e.id = t.event_id
    WHERE e.status = 'PUBLISHED' AND e.starts_at > :now AND e.starts_at <= :horizon
      AND t.status = 'VALID'
      AND NOT EXISTS (
        SELECT 1 FROM sent_reminders r
        WHERE r.event_id = t.event_id AND r.user_id = t.owner_id AND r.kind = :kind
      )
    LIMIT :batch
    ON CONFLICT DO NOTHING
    RETURNING event_id, user_id
    """
)


async def remind_batch(session: AsyncSession, now: datetime, hours_before: float, batch: int = BATCH) -> int:
    """Claim and notify up to ``batch`` (event, holder) pairs due a reminder; returns how many."""
    rows = (
        await session.execute(
            _CLAIM,
            {
                "kind": kinds.EVENT_REMINDER,
                "now": now,
                "horizon": now + timedelta(hours=hours_before),
                "batch": batch,
            },
        )
    ).all()
    if not rows:
        return 0
    event_ids = sorted({row[0] for row in rows})
    events = {e.id: e for e in await session.scalars(select(Event).where(Event.id.in_(event_ids)))}
    counts = await _ticket_counts(session, [(row[0], row[1]) for row in rows])
    for event_id, user_id in rows:
        event = events[event_id]
        day, time = pdf.when(event.starts_at, event.timezone)
        held = counts.get((event_id, user_id), 0)
        await notifications.notify(
            session,
            user_id=user_id,
            kind=kinds.EVENT_REMINDER,
            title=f"Reminder: {event.name} starts {day}, {time}",
            body=f"{event.name} starts on {day} at {time}. You hold {held} ticket"
            f"{'s' if held != 1 else ''} for it.",
            data={"eventId": event_id, "eventName": event.name, "startsAt": event.starts_at, "tickets": held},
        )
    return len(rows)


async def _ticket_counts(
    session: AsyncSession, pairs: list[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    rows = await session.execute(
        text(
            "SELECT event_id, owner_id, count(*) FROM tickets WHERE status = 'VALID' "
            "AND (event_id, owner_id) IN "
            "(SELECT * FROM unnest(CAST(:events AS uuid[]), CAST(:users AS uuid[]))) "
            "GROUP BY event_id, owner_id"
        ),
        {"events": [p[0] for p in pairs], "users": [p[1] for p in pairs]},
    )
    return {(row[0], row[1]): int(row[2]) for row in rows.all()}

"""The ticket counts' rows of backends that have ended, folded into one row per event and status.

``ticket_counts`` (migration 0021) has a row per event, status and database backend that changed the
event's tickets: a backend runs one transaction at a time, so no two transactions ever wait on a counter
row. A backend that ends (a pooled connection recycled, a server restarted) leaves its rows behind, so
over weeks of sales the rows ``/events/{id}/stats`` sums would only grow. ``fold_ended_backends`` moves
the rows of every backend no longer in ``pg_stat_activity`` into the event's and status's row of backend
0, in one statement: the sums never change.

A new backend that reuses an ended one's pid while the fold runs stays exact (READ COMMITTED): if it
updated the row first, the DELETE waits for it and folds the row as it left it; if the DELETE came first,
its upsert waits, finds no row and inserts a new one.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

FOLDED_BACKEND = 0  # never a backend's pid

_FOLD = text(
    """
    WITH gone AS (
        DELETE FROM ticket_counts
        WHERE backend <> :folded
          AND backend NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
        RETURNING event_id, status, tickets
    ),
    kept AS (
        INSERT INTO ticket_counts AS c (event_id, status, backend, tickets)
        SELECT event_id, status, :folded, sum(tickets) FROM gone
        GROUP BY event_id, status
        HAVING sum(tickets) <> 0
        ON CONFLICT (event_id, status, backend) DO UPDATE SET tickets = c.tickets + excluded.tickets
    )
    SELECT count(*) FROM gone
    """
).bindparams(folded=FOLDED_BACKEND)


async def fold_ended_backends(session: AsyncSession) -> int:
    """Fold the rows of ended backends into backend 0's (in the caller's transaction); the rows folded."""
    return int((await session.execute(_FOLD)).scalar_one())

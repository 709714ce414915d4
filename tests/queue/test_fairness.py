"""The pre-opening draw is a fair shuffle: a statistical test with a fixed seed, and its negative control.

Eight people join before the opening; the draw is run 400 times with fresh keys from the join's own key
function. A fair shuffle puts each of them at each position equally often: Pearson's chi-square over the
8 by 8 table of (arrival, position) counts stays under the 0.1 % critical value for 49 degrees of freedom.
The control runs the same statistic on a "draw" that keeps the arrival order, and must fail it.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_user
from tests.orders.helpers import make_shop
from tixmo.deps import AppContext
from tixmo.queue import service
from tixmo.queue.models import QueueEntry, WaitingRoom

PEOPLE = 8
TRIALS = 400
# Chi-square critical value for (8-1)**2 = 49 degrees of freedom at p = 0.001.
CRITICAL = 85.35


async def _table(
    session: AsyncSession, event_id: uuid.UUID, ids: list[uuid.UUID], keys: list[list[int]]
) -> list[list[int]]:
    counts = [[0] * PEOPLE for _ in range(PEOPLE)]
    for trial in keys:
        values = ", ".join(f"('{entry_id}'::uuid, {key})" for entry_id, key in zip(ids, trial, strict=True))
        await session.execute(
            text(
                f"UPDATE queue_entries q SET draw_key = v.k, position = NULL "  # noqa: S608 - generated literals
                f"FROM (VALUES {values}) AS v(id, k) WHERE q.id = v.id"
            )
        )
        await session.execute(
            text("UPDATE waiting_rooms SET drawn_at = NULL, next_position = 0 WHERE event_id = :e"),
            {"e": event_id},
        )
        assert await service.draw_if_due(session, event_id)
        rows = await session.execute(
            text("SELECT id, position FROM queue_entries WHERE event_id = :e"), {"e": event_id}
        )
        position_of = {row[0]: row[1] for row in rows}
        for arrival, entry_id in enumerate(ids):
            counts[arrival][position_of[entry_id]] += 1
    await session.rollback()
    return counts


def _chi_square(counts: list[list[int]]) -> float:
    expected = TRIALS / PEOPLE
    return sum((observed - expected) ** 2 / expected for row in counts for observed in row)


async def test_the_draw_is_a_uniform_shuffle_and_the_test_can_tell(
    session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    session.add(
        WaitingRoom(
            event_id=shop.event.id,
            enabled=True,
            opens_at=datetime(2000, 1, 1, tzinfo=UTC),
            pass_minutes=10,
            admitted=0.0,
            next_position=0,
        )
    )
    ids = []
    for _ in range(PEOPLE):
        user = await create_user(session, context)
        entry = QueueEntry(event_id=shop.event.id, user_id=user.id)
        session.add(entry)
        await session.flush()
        ids.append(entry.id)
    await session.commit()

    event_id = shop.event.id
    seeded = random.Random(20261205)
    fair = await _table(
        session, event_id, ids, [[service.draw_key(seeded) for _ in ids] for _ in range(TRIALS)]
    )
    assert all(sum(row) == TRIALS for row in fair)
    assert _chi_square(fair) < CRITICAL, fair

    arrival_order = await _table(session, event_id, ids, [list(range(PEOPLE)) for _ in range(TRIALS)])
    assert _chi_square(arrival_order) > CRITICAL  # the control: keeping the arrival order is caught

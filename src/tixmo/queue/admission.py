"""Which events have their waiting room on, cached per process (``POST /orders`` asks on every order)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from tixmo.db import Database
from tixmo.queue.models import WaitingRoom


@dataclass
class RoomCache:
    """Which events have their waiting room on, as this process last read it (``ttl`` seconds).

    ``POST /orders`` asks this on every order, so a flash sale without a room pays no extra round trip.
    A change made through this process is seen at once; one made through another process within ``ttl``.
    """

    ttl: float = 2.0
    _seen: dict[uuid.UUID, tuple[bool, float]] = field(default_factory=dict)

    async def is_on(self, database: Database, event_id: uuid.UUID) -> bool:
        now = time.monotonic()
        cached = self._seen.get(event_id)
        if cached is not None and now - cached[1] < self.ttl:
            return cached[0]
        async with database.sessionmaker() as session:
            on = bool(
                await session.scalar(select(WaitingRoom.enabled).where(WaitingRoom.event_id == event_id))
            )
        if len(self._seen) > 10_000:
            self._seen.clear()
        self._seen[event_id] = (on, now)
        return on

    def forget(self, event_id: uuid.UUID) -> None:
        self._seen.pop(event_id, None)

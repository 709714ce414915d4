"""What happens to everything hanging off an event when it is cancelled.

``on_event_cancelled`` is the one place other domains plug into an event cancellation. It runs in the
cancelling request's transaction, right after the event became CANCELLED, so whatever it does commits
or rolls back together with the cancellation.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.events.models import Event


async def on_event_cancelled(session: AsyncSession, event: Event, actor: User | None) -> None:
    """Consequences of cancelling ``event``.

    The orders and payments domains extend this function: cancel the event's PENDING orders (releasing
    their held inventory), refund every paid order in full (it ends REFUNDED, API.md "Orders and
    payments"), and enqueue the notification to every ticket holder (a job carrying the event id, so it
    is sent only if the cancellation commits). Until those domains exist an event has no orders, so
    there is nothing to do.
    """
    return None

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
    """Consequences of cancelling ``event``: its PENDING orders are cancelled (holds released) and its
    paid orders cancelled and refunded in full (they end REFUNDED, API.md "Orders and payments").

    The notifications issue adds the message to every ticket holder here (a job carrying the event id,
    enqueued in this transaction, so it is sent only if the cancellation commits).
    """
    from tixmo.orders import service as orders  # orders depend on events; imported when needed

    await orders.cancel_for_event(session, event, actor)

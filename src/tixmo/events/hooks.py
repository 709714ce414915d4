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

    Every ticket holder and buyer of a live order gets one "event cancelled" notification (and email,
    queued in this transaction: sent only if the cancellation commits) instead of one per order.
    """
    from tixmo.notifications import triggers as notify  # imports orders; imported when needed
    from tixmo.orders import service as orders  # orders depend on events; imported when needed
    from tixmo.waitlist import service as waitlist  # the waitlist depends on events too

    people = await notify.people_of_event(session, event.id)
    await orders.cancel_for_event(session, event, actor)
    waiting = await waitlist.cancel_for_event(session, event)  # its entries end CANCELLED, told too
    await notify.event_cancelled(session, event, sorted({*people, *waiting}))

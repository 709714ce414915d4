"""What happens to events that other domains react to (``tixmo.signals``; wired in ``tixmo.reactions``)."""

from __future__ import annotations

from dataclasses import dataclass

from tixmo.accounts.models import User
from tixmo.events.models import Event
from tixmo.signals import Signal


@dataclass(frozen=True)
class EventCancelled(Signal):
    """``event`` became CANCELLED, in the cancelling transaction (its ``STATUS`` lock held): everything
    hanging off it (orders, waitlist entries, the people to tell) follows in the same transaction."""

    event: Event
    actor: User | None

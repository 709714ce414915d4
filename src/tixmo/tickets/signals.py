"""What happens to tickets that other domains react to (``tixmo.signals``; wired in ``tixmo.reactions``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from tixmo.accounts.models import User
from tixmo.events.models import Event
from tixmo.signals import Signal
from tixmo.tickets.models import Ticket, TicketTransfer


@dataclass(frozen=True)
class TicketCheckedInManually(Signal):
    """Staff checked a ticket in by hand (``POST /tickets/{id}/check-in``): the scan history counts it
    as an ENTRY. The ticket's order and the ticket are locked (in that order) by the sender."""

    event_id: uuid.UUID
    ticket_id: uuid.UUID
    actor_id: uuid.UUID
    at: datetime


@dataclass(frozen=True)
class TicketTransferred(Signal):
    """``ticket`` now belongs to ``recipient`` (its new barcode issued); both people are told."""

    ticket: Ticket
    event: Event
    transfer: TicketTransfer
    sender: User
    recipient: User

"""Imports every table so ``Base.metadata`` is complete (Alembic, tests)."""

from tixmo.accounts.models import RefreshToken, User
from tixmo.audit.models import AuditEntry
from tixmo.db import Base
from tixmo.events.models import Event
from tixmo.idempotency.models import IdempotencyRecord
from tixmo.orders.models import Order, OrderItem
from tixmo.organizations.models import Membership, Organization
from tixmo.promos.models import PromoCode
from tixmo.seating.models import EventSeat
from tixmo.ticketing.models import TicketType
from tixmo.tickets.models import Ticket
from tixmo.venues.models import Venue

__all__ = [
    "AuditEntry",
    "Base",
    "Event",
    "EventSeat",
    "IdempotencyRecord",
    "Membership",
    "Order",
    "OrderItem",
    "Organization",
    "PromoCode",
    "RefreshToken",
    "Ticket",
    "TicketType",
    "User",
    "Venue",
]

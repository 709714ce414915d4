"""Imports every table so ``Base.metadata`` is complete (Alembic, tests)."""

from tixmo.accounts.models import RefreshToken, User
from tixmo.audit.models import AuditEntry
from tixmo.db import Base
from tixmo.events.models import Event
from tixmo.organizations.models import Membership, Organization
from tixmo.ticketing.models import TicketType
from tixmo.venues.models import Venue

__all__ = [
    "AuditEntry",
    "Base",
    "Event",
    "Membership",
    "Organization",
    "RefreshToken",
    "TicketType",
    "User",
    "Venue",
]

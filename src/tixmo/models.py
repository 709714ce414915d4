"""Imports every table so ``Base.metadata`` is complete (Alembic, tests)."""

from tixmo.accounts.models import RefreshToken, User
from tixmo.analytics.models import (
    PageViewCount,
    ReportDelivery,
    ReportSubscription,
    RollupState,
    SalesDay,
    TicketTypeSalesDay,
)
from tixmo.audit.models import AuditEntry
from tixmo.checkin.models import LiveTicket, Scan, Scanner
from tixmo.db import Base
from tixmo.events.models import Event
from tixmo.idempotency.models import IdempotencyRecord
from tixmo.integrations.models import ApiKey, OutgoingEvent, WebhookDelivery, WebhookEndpoint
from tixmo.media.models import Image
from tixmo.notifications.models import EmailMessage, Notification, NotificationPreference, SentReminder
from tixmo.orders.models import Order, OrderItem
from tixmo.organizations.models import Membership, Organization
from tixmo.payments.models import Payment, PaymentEvent, Refund, WebhookEvent
from tixmo.promos.models import PromoCode
from tixmo.queue.models import QueueEntry, WaitingRoom
from tixmo.seating.models import EventSeat
from tixmo.ticketing.models import TicketType
from tixmo.tickets.models import SigningKey, Ticket, TicketRevocation, TicketTransfer
from tixmo.venues.models import Venue
from tixmo.waitlist.models import WaitlistEntry, WaitlistSettings

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "EmailMessage",
    "Event",
    "EventSeat",
    "IdempotencyRecord",
    "Image",
    "LiveTicket",
    "Membership",
    "Notification",
    "NotificationPreference",
    "Order",
    "OrderItem",
    "Organization",
    "OutgoingEvent",
    "PageViewCount",
    "Payment",
    "PaymentEvent",
    "PromoCode",
    "QueueEntry",
    "RefreshToken",
    "Refund",
    "ReportDelivery",
    "ReportSubscription",
    "RollupState",
    "SalesDay",
    "Scan",
    "Scanner",
    "SentReminder",
    "SigningKey",
    "Ticket",
    "TicketRevocation",
    "TicketTransfer",
    "TicketType",
    "TicketTypeSalesDay",
    "User",
    "Venue",
    "WaitingRoom",
    "WaitlistEntry",
    "WaitlistSettings",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]

"""Every kind of notification, and which email switch (if any) governs its email.

Policy (docs/notifications.md):

* **Transactional** kinds are emailed whatever the preferences say, ``emailEnabled`` included: they carry
  the buyer's tickets, money or a change to something they paid for (order confirmed — with the ticket
  PDFs —, order refunded, a ticket received, a ticket held by transfer cancelled, event cancelled, a
  waitlist offer with a deadline, the waiting room closing before one's turn because the event sold
  out, and the welcome mail that confirms the address at registration).
* **Optional** kinds are emailed when ``emailEnabled`` *and* their own switch are on: ``orderUpdates``
  (a pending order cancelled or expired: no money moved; joining a waitlist, a waitlist offer that ran
  out), ``ticketTransfers`` (the sender's copy of a
  transfer they made), ``eventReminders``, ``marketing`` (off by default; no kind uses it yet).

The in-app notification is recorded for every kind, whatever the preferences.
"""

from __future__ import annotations

from enum import StrEnum


class Switch(StrEnum):
    """The preference fields (snake_case names of ``NotificationPreference`` columns)."""

    ORDER_UPDATES = "order_updates"
    TICKET_TRANSFERS = "ticket_transfers"
    EVENT_REMINDERS = "event_reminders"
    MARKETING = "marketing"


WELCOME = "account.welcome"
ORDER_CONFIRMED = "order.confirmed"
ORDER_CANCELLED = "order.cancelled"
ORDER_EXPIRED = "order.expired"
ORDER_REFUNDED = "order.refunded"
TICKET_SENT = "ticket.transfer.sent"
TICKET_RECEIVED = "ticket.transfer.received"
TICKET_CANCELLED = "ticket.cancelled"
EVENT_REMINDER = "event.reminder"
EVENT_CANCELLED = "event.cancelled"
WAITLIST_OFFER = "waitlist.offer"
PAYMENT_DISPUTED = "payment.disputed"  # to the organizer: a chargeback opened or closed
WAITLIST_JOINED = "waitlist.joined"
WAITLIST_EXPIRED = "waitlist.expired"
QUEUE_CLOSED = "queue.closed"

# kind -> the switch that governs its email; None: transactional (always emailed).
EMAIL_SWITCH: dict[str, Switch | None] = {
    WELCOME: None,
    ORDER_CONFIRMED: None,
    ORDER_REFUNDED: None,
    TICKET_RECEIVED: None,
    TICKET_CANCELLED: None,
    EVENT_CANCELLED: None,
    WAITLIST_OFFER: None,
    PAYMENT_DISPUTED: None,
    QUEUE_CLOSED: None,
    ORDER_CANCELLED: Switch.ORDER_UPDATES,
    ORDER_EXPIRED: Switch.ORDER_UPDATES,
    WAITLIST_JOINED: Switch.ORDER_UPDATES,
    WAITLIST_EXPIRED: Switch.ORDER_UPDATES,
    TICKET_SENT: Switch.TICKET_TRANSFERS,
    EVENT_REMINDER: Switch.EVENT_REMINDERS,
}

ALL_KINDS = tuple(EMAIL_SWITCH)


def is_transactional(kind: str) -> bool:
    return kind in EMAIL_SWITCH and EMAIL_SWITCH[kind] is None

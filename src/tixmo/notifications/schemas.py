"""Notification request and response schemas (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import Path
from pydantic import Field, StrictBool

from tixmo.schemas import ReadModel, UpdateModel

NotificationIdPath = Annotated[uuid.UUID, Path(alias="notificationId")]


class NotificationRead(ReadModel):
    id: uuid.UUID
    kind: str = Field(
        description="account.welcome, order.confirmed, order.cancelled, order.expired, order.refunded, "
        "ticket.transfer.sent, ticket.transfer.received, event.reminder, event.cancelled, waitlist.joined, "
        "waitlist.offer, waitlist.expired"
    )
    title: str
    body: str
    data: dict[str, Any] = Field(description="Ids and names the notification is about (orderId, eventId, …).")
    read: bool
    read_at: datetime | None
    created_at: datetime


class ReadAllResult(ReadModel):
    updated: int = Field(description="How many notifications were unread and are now read.")


class PreferencesRead(ReadModel):
    email_enabled: bool = Field(
        description="Off: no optional email at all. Transactional email (order confirmation with the "
        "tickets, refunds, a ticket received, event cancelled, waitlist offers) is always sent."
    )
    order_updates: bool = Field(description="Email when a pending order is cancelled or expires.")
    ticket_transfers: bool = Field(description="Email confirming a transfer you made (received: always).")
    event_reminders: bool = Field(description="Email reminder 24 h before an event you hold tickets for.")
    marketing: bool = Field(description="News and offers (off by default).")
    updated_at: datetime


class PreferencesUpdate(UpdateModel):
    """Partial: the fields given change, the others stay. ``null`` is refused."""

    read_model = PreferencesRead

    email_enabled: StrictBool | None = None
    order_updates: StrictBool | None = None
    ticket_transfers: StrictBool | None = None
    event_reminders: StrictBool | None = None
    marketing: StrictBool | None = None

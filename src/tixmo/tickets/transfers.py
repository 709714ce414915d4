"""Ticket transfers: the holder gives a VALID ticket to another registered account.

One transaction: the order row is share-locked and the ticket row locked (so a transfer and the order's
cancellation, or two transfers, run one after the other), the old barcode is revoked, the ticket gets a
new barcode, version and owner, a ``ticket_transfers`` row keeps the history, both people get a
notification and the audit log an entry. The second of two concurrent transfers finds, once it has the
lock, that the ticket is no longer the caller's: 409 CONFLICT.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import signals
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.db import utcnow
from tixmo.errors import FieldError, Forbidden, NotFound, ValidationFailed
from tixmo.tickets import service as tickets
from tixmo.tickets.models import RevocationReason, TicketTransfer
from tixmo.tickets.signals import TicketTransferred


@dataclass(frozen=True)
class TransferDone:
    transfer: TicketTransfer
    event_id: uuid.UUID
    to_email: str


async def _recipient(session: AsyncSession, email: str) -> User:
    """The active account with this email (case-insensitive). A missing, deleted or anonymised account
    all get the same 404, which says nothing about accounts anywhere else."""
    user: User | None = await session.scalar(
        select(User).where(User.email == email.strip().lower(), User.deleted_at.is_(None))
    )
    if user is None:
        message = "No TixMo account has this email; ask the recipient to register first."
        raise NotFound(message, errors=[FieldError(field="email", message=message)])
    return user


async def transfer(session: AsyncSession, actor: User, ticket_id: uuid.UUID, email: str) -> TransferDone:
    """Move the holder's VALID ticket to the account with ``email``: new barcode, history, notices."""
    ticket = await tickets.holders_ticket(session, actor, ticket_id, lock=True, with_order=True)
    event = await tickets.event_of(session, ticket)
    tickets.require_active(ticket, event, "transferred")
    if not event.transfers_allowed:
        raise Forbidden("The organizer does not allow ticket transfers for this event.")
    recipient = await _recipient(session, email)
    if recipient.id == actor.id:
        raise ValidationFailed("email", "This ticket is already yours; give another account's email.")

    now: datetime = utcnow()
    before_version = ticket.version
    await tickets.recode(session, ticket, RevocationReason.TRANSFERRED, now)
    ticket.owner_id = recipient.id
    record = TicketTransfer(
        ticket_id=ticket.id, from_user_id=actor.id, to_user_id=recipient.id, created_at=now
    )
    session.add(record)
    await session.flush()

    await signals.send(session, TicketTransferred(ticket, event, record, sender=actor, recipient=recipient))
    await audit.record(
        session,
        action="ticket.transferred",
        entity_type="ticket",
        entity_id=ticket.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before={"ownerId": actor.id, "version": before_version},
        after={"ownerId": recipient.id, "version": ticket.version, "transferId": record.id},
    )
    return TransferDone(transfer=record, event_id=event.id, to_email=recipient.email)

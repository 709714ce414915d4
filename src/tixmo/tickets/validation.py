"""Is this code good for entry? Verifying ``qrData``, finding a barcode, revocations — without a state
change. ``POST /tickets/validate`` answers with these, and the scanners domain reuses them.

Everything is scoped to a set of events (the caller's organizations' events; a scanner's organization):
a code or barcode of any other event answers exactly as an unknown one does, so nothing leaks across
tenants.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from tixmo.accounts.models import Role, User
from tixmo.errors import Forbidden, ValidationFailed
from tixmo.events.models import Event, EventStatus
from tixmo.organizations import service as organizations
from tixmo.tickets import codes
from tixmo.tickets import service as tickets
from tixmo.tickets.codes import InvalidCode, InvalidReason, TicketClaims
from tixmo.tickets.models import SigningKey, SigningKeyStatus, Ticket, TicketRevocation, TicketStatus

EventIds = Select[uuid.UUID] | None  # a subquery of event ids; None = every event

MESSAGES = {
    InvalidReason.NOT_FOUND: "No ticket has this code.",
    InvalidReason.REVOKED: "This code was replaced by a newer one (regenerated or transferred).",
    InvalidReason.WRONG_EVENT: "This ticket is for another event.",
    InvalidReason.ALREADY_USED: "This ticket was already checked in.",
    InvalidReason.CANCELLED: "This ticket was cancelled.",
    InvalidReason.EVENT_NOT_ACTIVE: "The event is not open for entry.",
    InvalidReason.SUSPENDED: "This ticket is suspended: its payment is disputed. Ask the organizer.",
}


def _in(column: InstrumentedAttribute[uuid.UUID], event_ids: EventIds) -> list[ColumnElement[bool]]:
    return [] if event_ids is None else [column.in_(event_ids)]


async def verify_qr_data(session: AsyncSession, code: str, *, event_ids: EventIds = None) -> TicketClaims:
    """The claims of an authentic ``qrData`` signed by a verifying key of one of ``event_ids``.

    Raises ``InvalidCode``: MALFORMED, UNKNOWN_KEY (no such key among those events), KEY_RETIRED, or
    BAD_SIGNATURE (altered or forged, or signed by another event's key). It says nothing about whether
    the ticket still has this code: ``identify`` checks that.
    """
    if len(code) > 1024:
        raise InvalidCode(InvalidReason.MALFORMED, "Not a TixMo ticket code.")
    parsed = codes.parse(code)
    key = await session.scalar(
        select(SigningKey).where(SigningKey.key_id == parsed.key_id, *_in(SigningKey.event_id, event_ids))
    )
    if key is None:
        raise InvalidCode(InvalidReason.UNKNOWN_KEY, "The code is signed with an unknown key.")
    if key.status == SigningKeyStatus.RETIRED.value:
        raise InvalidCode(InvalidReason.KEY_RETIRED, "The code is signed with a retired key.")
    claims = codes.check_signature(parsed, bytes(key.public_key))
    if claims.event_id != key.event_id:
        raise InvalidCode(InvalidReason.BAD_SIGNATURE, "The code is signed with another event's key.")
    return claims


@dataclass
class Identified:
    """What a code or barcode identifies: the ticket (when one of the scoped events' tickets is
    named, even by a revoked code) and why it does not admit anyone (``None``: it does)."""

    ticket: Ticket | None
    reason: InvalidReason | None
    message: str

    @property
    def valid(self) -> bool:
        return self.reason is None


async def _ticket(
    session: AsyncSession, event_ids: EventIds, *conditions: ColumnElement[bool]
) -> Ticket | None:
    found: Ticket | None = await session.scalar(
        select(Ticket).where(*conditions, *_in(Ticket.event_id, event_ids))
    )
    return found


async def identify(
    session: AsyncSession,
    *,
    barcode: str | None = None,
    qr_data: str | None = None,
    event_ids: EventIds = None,
    for_event_id: uuid.UUID | None = None,
) -> Identified:
    """Find the ticket behind a barcode or a ``qrData`` among ``event_ids`` and judge it for entry to
    ``for_event_id`` (any of them when ``None``). Reads only."""
    if qr_data is not None:
        try:
            claims = await verify_qr_data(session, qr_data, event_ids=event_ids)
        except InvalidCode as exc:
            return Identified(None, exc.reason, str(exc))
        ticket = await _ticket(session, event_ids, Ticket.id == claims.ticket_id)
        if ticket is None:
            return Identified(None, InvalidReason.NOT_FOUND, MESSAGES[InvalidReason.NOT_FOUND])
        if (ticket.barcode, ticket.version) != (claims.barcode, claims.version):
            return Identified(ticket, InvalidReason.REVOKED, MESSAGES[InvalidReason.REVOKED])
    else:
        assert barcode is not None
        ticket = await _ticket(session, event_ids, Ticket.barcode == barcode)
        if ticket is None:
            revoked = await session.scalar(
                select(TicketRevocation.ticket_id).where(
                    TicketRevocation.barcode_hash == tickets.barcode_hash(barcode)
                )
            )
            former = await _ticket(session, event_ids, Ticket.id == revoked) if revoked else None
            if former is not None:
                return Identified(former, InvalidReason.REVOKED, MESSAGES[InvalidReason.REVOKED])
            return Identified(None, InvalidReason.NOT_FOUND, MESSAGES[InvalidReason.NOT_FOUND])
    return Identified(ticket, *await _judge(session, ticket, for_event_id))


async def _judge(
    session: AsyncSession, ticket: Ticket, for_event_id: uuid.UUID | None
) -> tuple[InvalidReason | None, str]:
    if for_event_id is not None and ticket.event_id != for_event_id:
        return InvalidReason.WRONG_EVENT, MESSAGES[InvalidReason.WRONG_EVENT]
    if ticket.status == TicketStatus.CANCELLED.value:
        return InvalidReason.CANCELLED, MESSAGES[InvalidReason.CANCELLED]
    if ticket.status == TicketStatus.VALID.value and ticket.suspended_at is not None:
        return InvalidReason.SUSPENDED, MESSAGES[InvalidReason.SUSPENDED]
    if ticket.status == TicketStatus.USED.value:
        return InvalidReason.ALREADY_USED, MESSAGES[InvalidReason.ALREADY_USED]
    event_status = await session.scalar(select(Event.status).where(Event.id == ticket.event_id))
    if event_status != EventStatus.PUBLISHED.value:
        return InvalidReason.EVENT_NOT_ACTIVE, f"The event is {event_status}: not open for entry."
    return None, "Valid ticket."


def scope_of(user: User) -> EventIds:
    """The events whose codes a user may check: those of their organizations (ADMIN: all)."""
    return None if user.role == Role.ADMIN else organizations.staff_event_ids(user)


async def validate(
    session: AsyncSession,
    actor: User,
    *,
    barcode: str | None,
    qr_data: str | None,
    event_id: uuid.UUID | None,
) -> Identified:
    """``POST /tickets/validate``: org staff check a code without checking the ticket in.

    A caller who is staff of no organization is refused (403): the endpoint is for staff. Staff of some
    organization get answers only for its events; any other code answers like an unknown one.
    """
    if not await organizations.is_staff_anywhere(session, actor):
        raise Forbidden("Only staff of an organization can validate tickets.")
    if barcode is not None and qr_data is not None:
        raise ValidationFailed("qrData", "Give either barcode or qrData, not both.")
    if barcode is None and qr_data is None:
        raise ValidationFailed("barcode", "Give barcode or qrData.")
    return await identify(
        session, barcode=barcode, qr_data=qr_data, event_ids=scope_of(actor), for_event_id=event_id
    )


async def revoked_since(
    session: AsyncSession, event_id: uuid.UUID, since: datetime | None = None
) -> list[str]:
    """The barcode hashes (SHA-256 hex) of the event revoked after ``since`` (all when ``None``), oldest
    first: the ``revoked`` list of a scanner's sync bundle.

    ``revoked_at`` is stamped in the revoking transaction before it commits, so a sync that read just
    before that commit does not see it: a scanner should ask with ``since`` a little before its last
    ``syncedAt`` (the answers are idempotent; a hash listed twice is harmless).
    """
    query = select(TicketRevocation.barcode_hash).where(TicketRevocation.event_id == event_id)
    if since is not None:
        query = query.where(TicketRevocation.revoked_at > since)
    rows = await session.scalars(query.order_by(TicketRevocation.revoked_at, TicketRevocation.barcode_hash))
    return list(rows)

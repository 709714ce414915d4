"""Tickets: issued when an order is confirmed; read, re-coded and checked in here.

Who sees a ticket: its holder (``owner_id``) and the staff of its event's organization (ADMIN: all).
Anyone else, the former holder of a transferred ticket included, gets 404 on reads. Actions only the
holder may take (QR, PDF, regenerate, transfer) answer 403 to staff who are not the holder, and 409 to a
former holder — the clear answer for the loser of a race between two transfers.

Locks: an action that must not interleave with its order's cancellation takes the order row ``FOR
SHARE`` and then the ticket row ``FOR UPDATE`` (order → ticket, after the orders domain's own order:
event → order → …). Status changes are conditional UPDATEs (``… WHERE status = 'VALID'``).

Transfers live in ``transfers.py``, code checks and revocations in ``validation.py``, keys in ``keys.py``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Uuid,
    bindparam,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from tixmo import locks, signals
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.audit.models import AuditEntry
from tixmo.db import fetch_page, utcnow
from tixmo.errors import Conflict, Forbidden, InvalidState, NotFound
from tixmo.events.models import Event, EventStatus
from tixmo.organizations import service as organizations
from tixmo.organizations.models import Organization
from tixmo.seating.models import EventSeat
from tixmo.ticketing.models import TicketType
from tixmo.tickets import codes, keys
from tixmo.tickets.models import RevocationReason, Ticket, TicketRevocation, TicketStatus, TicketTransfer
from tixmo.tickets.pdf import PrintableTicket
from tixmo.tickets.signals import TicketCheckedInManually
from tixmo.venues.models import Venue

BARCODE_BYTES = 16  # 128 random bits: unguessable, and unique in practice (a UNIQUE constraint backs it)
TICKET_NOT_FOUND = "Ticket not found."


def new_barcode() -> str:
    """26 characters of RFC 4648 base32 (A-Z, 2-7): compact in a QR code's alphanumeric mode."""
    return base64.b32encode(secrets.token_bytes(BARCODE_BYTES)).decode().rstrip("=")


def barcode_hash(barcode: str) -> str:
    """How scanners and revocation lists name a barcode: SHA-256 of its bytes (ASCII), lower-case hex."""
    return hashlib.sha256(barcode.encode()).hexdigest()


# ------------------------------------------------------------------------------------ orders' needs


async def issue(
    session: AsyncSession,
    *,
    order_id: uuid.UUID,
    event_id: uuid.UUID,
    owner_id: uuid.UUID,
    quantities: Sequence[tuple[uuid.UUID, int]],
    seats: Sequence[EventSeat] = (),
) -> None:
    """One ticket per unit: ``quantities`` is (ticket type id, count); seated units get their seat."""
    seats_by_type: dict[uuid.UUID, list[EventSeat]] = defaultdict(list)
    for seat in sorted(seats, key=lambda s: s.position):
        seats_by_type[seat.ticket_type_id].append(seat)
    rows = []
    for ticket_type_id, count in quantities:
        type_seats = seats_by_type.get(ticket_type_id, [])
        for index in range(count):
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "order_id": order_id,
                    "event_id": event_id,
                    "ticket_type_id": ticket_type_id,
                    "owner_id": owner_id,
                    "seat_id": type_seats[index].id if index < len(type_seats) else None,
                    "barcode": new_barcode(),
                    "status": TicketStatus.VALID.value,
                }
            )
    if rows:
        await session.execute(insert(Ticket), rows)


async def cancel_for_order(
    session: AsyncSession, order_id: uuid.UUID, *, include_used: bool = False
) -> dict[uuid.UUID, int]:
    """Cancel the order's VALID (and, when asked, USED) tickets; how many per ticket type."""
    statuses = [TicketStatus.VALID.value, *([TicketStatus.USED.value] if include_used else [])]
    locks.note(session, locks.Kind.TICKET)  # locked by the caller first (``locks.tickets_of``)
    result = await session.execute(
        update(Ticket)
        .where(Ticket.order_id == order_id, Ticket.status.in_(statuses))
        .values(status=TicketStatus.CANCELLED.value, cancelled_at=utcnow(), updated_at=utcnow())
        .returning(Ticket.ticket_type_id)
        .execution_options(synchronize_session=False)
    )
    counts: dict[uuid.UUID, int] = defaultdict(int)
    for (ticket_type_id,) in result.all():
        counts[ticket_type_id] += 1
    return dict(counts)


async def cancel_tickets(
    session: AsyncSession, order_id: uuid.UUID, ticket_ids: Sequence[uuid.UUID] | None = None
) -> list[Ticket]:
    """Cancel VALID tickets of the order (those of ``ticket_ids``; all when ``None``), each only once:
    the cancelled ones, whose ticket types and seats go back on sale with them."""
    locks.note(session, locks.Kind.TICKET)  # locked by the caller first (``locks.tickets_of``)
    query = (
        update(Ticket)
        .where(Ticket.order_id == order_id, Ticket.status == TicketStatus.VALID.value)
        .values(status=TicketStatus.CANCELLED.value, cancelled_at=utcnow(), updated_at=utcnow())
        .returning(Ticket)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    if ticket_ids is not None:
        if not ticket_ids:
            return []
        query = query.where(Ticket.id.in_(list(ticket_ids)))
    return list((await session.scalars(query)).all())


async def count_used(session: AsyncSession, order_id: uuid.UUID) -> int:
    used = await session.scalar(
        select(func.count()).where(Ticket.order_id == order_id, Ticket.status == TicketStatus.USED.value)
    )
    return int(used or 0)


async def count_transferred(session: AsyncSession, order_id: uuid.UUID, buyer_id: uuid.UUID) -> int:
    """Live tickets of the order that now belong to someone other than its buyer."""
    moved = await session.scalar(
        select(func.count()).where(
            Ticket.order_id == order_id,
            Ticket.owner_id != buyer_id,
            Ticket.status != TicketStatus.CANCELLED.value,
        )
    )
    return int(moved or 0)


async def for_orders(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Ticket]]:
    by_order: dict[uuid.UUID, list[Ticket]] = defaultdict(list)
    if not order_ids:
        return by_order
    rows = await session.scalars(
        select(Ticket).where(Ticket.order_id.in_(order_ids)).order_by(Ticket.created_at, Ticket.barcode)
    )
    for ticket in rows:
        by_order[ticket.order_id].append(ticket)
    return by_order


# ------------------------------------------------------------------------------------ tenant scoping


def staff_scope(user: User) -> ColumnElement[bool] | None:
    """Tickets of the caller's organizations' events; ``None`` for ADMIN (all)."""
    return organizations.staff_events_scope(user, Ticket.event_id)


def _visible_to(user: User) -> ColumnElement[bool] | None:
    scope = staff_scope(user)
    return None if scope is None else or_(Ticket.owner_id == user.id, scope)


@dataclass
class TicketView:
    """A ticket with its seat (if it has one), as its read model shows it."""

    ticket: Ticket
    seat: EventSeat | None = None


async def views(session: AsyncSession, tickets: Sequence[Ticket]) -> list[TicketView]:
    seat_ids = [t.seat_id for t in tickets if t.seat_id is not None]
    seats: dict[uuid.UUID, EventSeat] = {}
    if seat_ids:
        seats = {
            seat.id: seat
            for seat in await session.scalars(select(EventSeat).where(EventSeat.id.in_(seat_ids)))
        }
    return [TicketView(t, seats.get(t.seat_id) if t.seat_id else None) for t in tickets]


async def _visible(session: AsyncSession, viewer: User, ticket_id: uuid.UUID) -> Ticket:
    query = select(Ticket).where(Ticket.id == ticket_id)
    scope = _visible_to(viewer)
    if scope is not None:
        query = query.where(scope)
    ticket = await session.scalar(query)
    if ticket is None:
        raise NotFound(TICKET_NOT_FOUND)
    return ticket


async def get(session: AsyncSession, viewer: User, ticket_id: uuid.UUID) -> TicketView:
    return (await views(session, [await _visible(session, viewer, ticket_id)]))[0]


async def list_tickets(
    session: AsyncSession,
    viewer: User,
    *,
    event_id: uuid.UUID | None,
    status: TicketStatus | None,
    offset: int,
    limit: int,
) -> tuple[list[TicketView], int]:
    """The caller's own tickets; org staff (and ADMIN) with ``eventId``: all of that event's tickets."""
    query = select(Ticket)
    if event_id is not None:
        query = query.where(Ticket.event_id == event_id)
    if event_id is None or not await organizations.is_event_staff(session, viewer, event_id):
        query = query.where(Ticket.owner_id == viewer.id)
    if status is not None:
        query = query.where(Ticket.status == status.value)
    tickets, total = await fetch_page(
        session, query, Ticket.created_at.desc(), Ticket.id, offset=offset, limit=limit
    )
    return await views(session, tickets), total


async def was_holder(session: AsyncSession, user_id: uuid.UUID, ticket_id: uuid.UUID) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(TicketTransfer.ticket_id == ticket_id, TicketTransfer.from_user_id == user_id)
            )
        )
    )


async def _lock(session: AsyncSession, ticket: Ticket, *, with_order: bool, event: bool = False) -> Ticket:
    """Lock the ticket row and re-read it, in the global lock order (``tixmo.locks``): after its event
    (``EventLock.SHARE``, when ``event``) and its order (``FOR SHARE``, when ``with_order``)."""
    if event:
        await locks.event_status(session, ticket.event_id, locks.EventLock.SHARE)
    if with_order:
        await locks.take(session, locks.Kind.ORDER, [ticket.order_id], share=True)
    await locks.take(session, locks.Kind.TICKET, [ticket.id])
    locked = await session.scalar(
        select(Ticket).where(Ticket.id == ticket.id).execution_options(populate_existing=True)
    )
    assert locked is not None  # tickets are never deleted while their event exists
    return locked


async def holders_ticket(
    session: AsyncSession, actor: User, ticket_id: uuid.UUID, *, lock: bool = False, with_order: bool = False
) -> Ticket:
    """The caller's own ticket, for something only its holder may do or see.

    Not visible → 404; visible to staff who do not hold it → 403. A change (``lock``: the row is locked)
    asked by a former holder — also one whose ticket was transferred while this request waited for the
    lock — is 409 CONFLICT; for a read the former holder sees nothing (404).
    """
    query = select(Ticket).where(Ticket.id == ticket_id)
    scope = _visible_to(actor)
    if scope is not None:
        if lock:
            former = exists().where(
                TicketTransfer.ticket_id == Ticket.id, TicketTransfer.from_user_id == actor.id
            )
            scope = or_(scope, former)
        query = query.where(scope)
    ticket = await session.scalar(query)
    if ticket is None:
        raise NotFound(TICKET_NOT_FOUND)
    if lock:
        ticket = await _lock(session, ticket, with_order=with_order)
    if ticket.owner_id == actor.id:
        return ticket
    if lock and await was_holder(session, actor.id, ticket.id):
        raise Conflict("This ticket has been transferred to someone else; it is no longer yours.")
    raise Forbidden("Only the ticket's holder can do this.")


async def event_of(session: AsyncSession, ticket: Ticket) -> Event:
    event = await session.get(Event, ticket.event_id)
    assert event is not None
    return event


# -------------------------------------------------------------------------------------------- codes


async def code_for(session: AsyncSession, secret: str, ticket: Ticket) -> str:
    """The ticket's signed ``qrData`` for its current barcode and version, with the event's ACTIVE key."""
    private_key = await keys.signing_key(session, secret, ticket.event_id)
    claims = codes.TicketClaims(ticket.id, ticket.event_id, ticket.version, ticket.barcode)
    return codes.sign(claims, private_key)


async def qr_data(
    session: AsyncSession, actor: User, secret: str, ticket_id: uuid.UUID
) -> tuple[Ticket, str]:
    """The holder's ticket and its signed code; a CANCELLED ticket has none (409), like its PDF."""
    ticket = await holders_ticket(session, actor, ticket_id)
    if ticket.status == TicketStatus.CANCELLED.value:
        raise InvalidState("A CANCELLED ticket has no QR code.")
    return ticket, await code_for(session, secret, ticket)


async def revoke(session: AsyncSession, ticket: Ticket, reason: RevocationReason, at: datetime) -> None:
    """Record the ticket's current barcode as revoked (before it is replaced)."""
    session.add(
        TicketRevocation(
            ticket_id=ticket.id,
            event_id=ticket.event_id,
            barcode_hash=barcode_hash(ticket.barcode),
            reason=reason.value,
            revoked_at=at,
        )
    )
    await session.flush()


async def recode(session: AsyncSession, ticket: Ticket, reason: RevocationReason, at: datetime) -> None:
    """A new barcode and version for a locked ticket; the old barcode is revoked."""
    await revoke(session, ticket, reason, at)
    ticket.barcode = new_barcode()
    ticket.version += 1
    ticket.updated_at = at
    await session.flush()


def require_active(ticket: Ticket, event: Event, action: str) -> None:
    if ticket.status != TicketStatus.VALID.value:
        raise InvalidState(f"A {ticket.status} ticket cannot be {action}.")
    if event.status != EventStatus.PUBLISHED.value:
        raise InvalidState(f"Tickets of a {event.status} event cannot be {action}.")


async def regenerate(
    session: AsyncSession, actor: User, secret: str, ticket_id: uuid.UUID
) -> tuple[Ticket, str]:
    """A new barcode and code for the holder's VALID ticket; the old ones scan INVALID from now on."""
    ticket = await holders_ticket(session, actor, ticket_id, lock=True)
    event = await event_of(session, ticket)
    require_active(ticket, event, "re-coded")
    before = ticket.version
    await recode(session, ticket, RevocationReason.REGENERATED, utcnow())
    await audit.record(
        session,
        action="ticket.code_regenerated",
        entity_type="ticket",
        entity_id=ticket.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before={"version": before},
        after={"version": ticket.version},
    )
    return ticket, await code_for(session, secret, ticket)


# ---------------------------------------------------------------------------------------- check-in


async def mark_used(
    session: AsyncSession,
    ticket: Ticket,
    *,
    at: datetime,
    actor_id: uuid.UUID | None,
    actor_type: str,
    organization_id: uuid.UUID,
    via: str,
) -> bool:
    """VALID → USED with one conditional UPDATE: of any number of concurrent check-ins of a ticket,
    exactly one returns True. The scanners' entry scan calls this too (``via`` says which door)."""
    moved = await session.scalar(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.status == TicketStatus.VALID.value)
        .values(status=TicketStatus.USED.value, checked_in_at=at, updated_at=at)
        .returning(Ticket.id)
        .execution_options(synchronize_session=False)
    )
    if moved is None:
        return False
    # As the row now is, without marking the object changed: a second UPDATE of the row at the commit
    # would re-check its foreign keys (the row was written by this transaction), taking KEY SHARE on the
    # order after the ticket — out of the global lock order (a deadlock with the order's cancellation).
    for name, value in (("status", TicketStatus.USED.value), ("checked_in_at", at), ("updated_at", at)):
        set_committed_value(ticket, name, value)
    await audit.record(
        session,
        action="ticket.checked_in",
        entity_type="ticket",
        entity_id=ticket.id,
        actor_id=actor_id,
        actor_type=actor_type,
        organization_id=organization_id,
        before={"status": TicketStatus.VALID.value},
        after={"status": TicketStatus.USED.value, "via": via},
    )
    return True


async def mark_used_many(
    session: AsyncSession,
    first_entries: Sequence[tuple[uuid.UUID, datetime]],
    *,
    actor_id: uuid.UUID | None,
    actor_type: str,
    organization_id: uuid.UUID,
    via: str,
) -> int:
    """``mark_used`` for a batch (an offline upload): each VALID ticket → USED at its first entry's time,
    with one conditional UPDATE and one audit insert for the lot; how many moved.

    A ticket already USED whose first entry turns out to be earlier (an offline entry that arrived after
    the online one) has its ``checked_in_at`` moved back to it: one more UPDATE, no audit entry (the
    status does not change; the scans table holds both entries)."""
    if not first_entries:
        return 0
    at_by_id = dict(first_entries)
    values = (
        select(
            func.unnest(bindparam("ids", list(at_by_id), type_=ARRAY(Uuid()))).label("id"),
            func.unnest(
                bindparam("ats", list(at_by_id.values()), type_=ARRAY(DateTime(timezone=True)))
            ).label("at"),
        )
    ).subquery()
    now = utcnow()
    moved = await session.execute(
        update(Ticket)
        .where(Ticket.id == values.c.id, Ticket.status == TicketStatus.VALID.value)
        .values(status=TicketStatus.USED.value, checked_in_at=values.c.at, updated_at=now)
        .returning(Ticket.id)
        .execution_options(synchronize_session=False)
    )
    moved_ids = [row[0] for row in moved.all()]
    await session.execute(
        update(Ticket)
        .where(
            Ticket.id == values.c.id,
            Ticket.status == TicketStatus.USED.value,
            or_(Ticket.checked_in_at.is_(None), Ticket.checked_in_at > values.c.at),
        )
        .values(checked_in_at=values.c.at, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved_ids:
        await session.execute(
            insert(AuditEntry),
            [
                audit.entry_values(
                    action="ticket.checked_in",
                    entity_type="ticket",
                    entity_id=ticket_id,
                    actor_id=actor_id,
                    actor_type=actor_type,
                    organization_id=organization_id,
                    before={"status": TicketStatus.VALID.value},
                    after={"status": TicketStatus.USED.value, "via": via},
                )
                for ticket_id in moved_ids
            ],
        )
    return len(moved_ids)


async def check_in(session: AsyncSession, actor: User, ticket_id: uuid.UUID) -> TicketView:
    """Manual check-in by org staff: VALID → USED. USED or CANCELLED, or an event not PUBLISHED → 409."""
    query = select(Ticket).where(Ticket.id == ticket_id)
    scope = staff_scope(actor)
    if scope is not None:
        query = query.where(scope)
    ticket = await session.scalar(query)
    if ticket is None:
        raise NotFound(TICKET_NOT_FOUND)
    ticket = await _lock(session, ticket, with_order=True, event=True)
    event = await event_of(session, ticket)
    if event.status != EventStatus.PUBLISHED.value:
        raise InvalidState(f"Check-in is open while the event is PUBLISHED; this one is {event.status}.")
    if ticket.status == TicketStatus.VALID.value and ticket.suspended_at is not None:
        raise InvalidState("This ticket is suspended: its payment is disputed (a chargeback).")
    now = utcnow()
    if not await mark_used(
        session,
        ticket,
        at=now,
        actor_id=actor.id,
        actor_type="user",
        organization_id=event.organization_id,
        via="manual",
    ):
        if ticket.status == TicketStatus.USED.value and ticket.checked_in_at is not None:
            raise InvalidState(f"This ticket was already checked in at {ticket.checked_in_at.isoformat()}.")
        raise InvalidState(f"A {ticket.status} ticket cannot be checked in.")
    # Counts as an ENTRY in the scan history (stats, live stream): see docs/checkin.md.
    await signals.send(
        session,
        TicketCheckedInManually(event_id=ticket.event_id, ticket_id=ticket.id, actor_id=actor.id, at=now),
    )
    return (await views(session, [ticket]))[0]


# ------------------------------------------------------------------------------------------ printing


async def printable(session: AsyncSession, actor: User, secret: str, ticket_id: uuid.UUID) -> PrintableTicket:
    """What the holder's PDF shows; a CANCELLED ticket has none (409)."""
    ticket = await holders_ticket(session, actor, ticket_id)
    if ticket.status == TicketStatus.CANCELLED.value:
        raise InvalidState("A CANCELLED ticket cannot be printed.")
    row = (
        await session.execute(
            select(Event, Organization.name, TicketType.name)
            .join(Organization, Organization.id == Event.organization_id)
            .join(TicketType, TicketType.id == ticket.ticket_type_id)
            .where(Event.id == ticket.event_id)
        )
    ).one()
    event, organizer, type_name = row
    venue = await session.get(Venue, event.venue_id) if event.venue_id is not None else None
    seat = await session.get(EventSeat, ticket.seat_id) if ticket.seat_id is not None else None
    address: list[str] = []
    if venue is not None:
        address = [line for line in (venue.address_line1, venue.address_line2) if line]
        region = ", ".join(part for part in (venue.state, venue.country) if part)
        address.append(f"{venue.postal_code} {venue.city}, {region}")
    return PrintableTicket(
        ticket_id=str(ticket.id),
        event_name=event.name,
        organizer=organizer,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        venue_name=venue.name if venue is not None else None,
        venue_address=address,
        ticket_type=type_name,
        seat=f"Section {seat.section}, row {seat.row}, seat {seat.label}" if seat is not None else None,
        holder=f"{actor.first_name} {actor.last_name}".strip() or actor.email,
        barcode=ticket.barcode,
        code=await code_for(session, secret, ticket),
        status=ticket.status,
    )

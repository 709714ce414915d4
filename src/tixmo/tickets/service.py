"""Tickets: issued when an order is confirmed, cancelled with it.

The Tickets issue builds the rest of this domain (signed QR codes, PDFs, transfers); the orders service
needs only issuing and cancelling.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.db import utcnow
from tixmo.seating.models import EventSeat
from tixmo.tickets.models import Ticket, TicketStatus

BARCODE_BYTES = 16  # 128 random bits: unguessable, and unique in practice (a UNIQUE constraint backs it)


def new_barcode() -> str:
    """26 characters of RFC 4648 base32 (A-Z, 2-7): compact in a QR code's alphanumeric mode."""
    return base64.b32encode(secrets.token_bytes(BARCODE_BYTES)).decode().rstrip("=")


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


async def count_used(session: AsyncSession, order_id: uuid.UUID) -> int:
    used = await session.scalar(
        select(func.count()).where(Ticket.order_id == order_id, Ticket.status == TicketStatus.USED.value)
    )
    return int(used or 0)


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

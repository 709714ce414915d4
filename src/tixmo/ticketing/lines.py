"""Turning requested items into priced order lines: every rule about *what* may be ordered.

Shared by order creation and the promo-code validate endpoint, so both refuse the same bad input with
the same error naming the same field.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks, pricing
from tixmo.accounts.models import User
from tixmo.errors import FieldError, NotFound, ValidationFailed
from tixmo.events import service as events_service
from tixmo.events.models import Event
from tixmo.organizations import service as organizations
from tixmo.seating.models import EventSeat
from tixmo.ticketing import service as ticketing
from tixmo.ticketing.models import TicketType
from tixmo.ticketing.schemas import OrderItemInput


@dataclass(frozen=True)
class Line:
    """One ticket type of an order at the price quoted now."""

    ticket_type_id: uuid.UUID
    quantity: int
    unit_price_minor: int

    @property
    def amount_minor(self) -> int:
        return self.quantity * self.unit_price_minor


@dataclass
class PricedItems:
    event: Event
    ticket_types: dict[uuid.UUID, TicketType]
    lines: list[Line]
    seated: frozenset[uuid.UUID] = frozenset()  # ticket types with a seat map: orders get seats

    @property
    def subtotal_minor(self) -> int:
        return sum(line.amount_minor for line in self.lines)

    @property
    def ticket_count(self) -> int:
        return sum(line.quantity for line in self.lines)


async def _check_visible(session: AsyncSession, viewer: User | None, event: Event | None) -> Event:
    """The event when the caller may see it (public once published, or staff); 404 naming ``eventId``
    otherwise. Whether it is on sale is ``price_items``' question (SALES_CLOSED)."""
    if event is not None and (
        event.status in events_service.PUBLIC_STATUSES
        or await organizations.is_staff(session, viewer, event.organization_id)
    ):
        return event
    raise NotFound("Event not found.", errors=[FieldError(field="eventId", message="No such event.")])


async def _catalogue(
    session: AsyncSession, event_id: uuid.UUID, ticket_type_ids: Sequence[uuid.UUID], *, lock: bool
) -> tuple[Event | None, dict[uuid.UUID, TicketType], frozenset[uuid.UUID]]:
    """The event, those of ``ticket_type_ids`` that are its ticket types, and which of them have seats:
    one query, as it runs for every order placed in a flash sale. ``lock``: the event's row is locked
    ``EventLock.SHARE`` (its status stays as read until the commit; see ``tixmo.locks``)."""
    has_seats = exists().where(EventSeat.ticket_type_id == TicketType.id).label("has_seats")
    query = (
        select(Event, TicketType, has_seats)
        .outerjoin(
            TicketType, and_(TicketType.event_id == Event.id, TicketType.id.in_(list(ticket_type_ids)))
        )
        .where(Event.id == event_id)
    )
    if lock:
        locks.note(session, locks.Kind.EVENT, [event_id])
        query = locks.clause(query, locks.Kind.EVENT, mode=locks.EventLock.SHARE)
    rows = (await session.execute(query)).all()
    if not rows:
        return None, {}, frozenset()
    ticket_types = {ticket_type.id: ticket_type for _, ticket_type, _ in rows if ticket_type is not None}
    seated = frozenset(ticket_type.id for _, ticket_type, seats in rows if ticket_type is not None and seats)
    return rows[0][0], ticket_types, seated


async def price_items(
    session: AsyncSession,
    viewer: User | None,
    event_id: uuid.UUID,
    items: Sequence[OrderItemInput],
    now: datetime,
    *,
    max_tickets: int,
    lock: bool = False,
) -> PricedItems:
    """Check ``items`` against the catalogue and price them at ``now`` (``lock``: with the event's row
    locked ``EventLock.SHARE``, for an order about to be placed).

    Errors: the event not visible → 404; an unknown ticket type, one of another event, a ticket type
    listed twice, a quantity outside min/max per order, more than ``max_tickets`` in all, or a seat
    list whose length is not the quantity → 422 naming ``items.N.<field>``; the event not PUBLISHED or
    a ticket type outside its sales window → 409 ``SALES_CLOSED``.
    """
    found, ticket_types, seated = await _catalogue(
        session, event_id, [item.ticket_type_id for item in items], lock=lock
    )
    event = await _check_visible(session, viewer, found)
    seen: dict[uuid.UUID, int] = {}
    for index, item in enumerate(items):
        if item.ticket_type_id in seen:
            raise ValidationFailed(
                f"items.{index}.ticketTypeId",
                f"This ticket type is already listed as items.{seen[item.ticket_type_id]}; "
                "list each ticket type once with its total quantity.",
            )
        seen[item.ticket_type_id] = index
    for index, item in enumerate(items):
        if item.ticket_type_id not in ticket_types:
            raise ValidationFailed(f"items.{index}.ticketTypeId", "No such ticket type for this event.")
    check_total(items, max_tickets)
    lines: list[Line] = []
    for index, item in enumerate(items):
        ticket_type = ticket_types[item.ticket_type_id]
        check_item(ticket_type, event, item, index, now)
        lines.append(Line(ticket_type.id, item.quantity, pricing.current_price_minor(ticket_type, now)))
    return PricedItems(event=event, ticket_types=ticket_types, lines=lines, seated=seated)


def check_total(items: Sequence[OrderItemInput], max_tickets: int) -> None:
    """At most ``max_tickets`` tickets in one order, all ticket types together."""
    total = sum(item.quantity for item in items)
    if total > max_tickets:
        raise ValidationFailed("items", f"At most {max_tickets} tickets per order ({total} requested).")


def check_item(
    ticket_type: TicketType, event: Event, item: OrderItemInput, index: int, now: datetime
) -> None:
    """One line's rules: on sale now, within min/max per order, as many seats named as tickets (if any).
    Also the express path's (``orders/express.py``), so both paths accept the same lines."""
    ticketing.assert_on_sale(ticket_type, event, now)
    if item.quantity < ticket_type.min_per_order:
        raise ValidationFailed(
            f"items.{index}.quantity",
            f"At least {ticket_type.min_per_order} of {ticket_type.name!r} per order.",
        )
    if ticket_type.max_per_order is not None and item.quantity > ticket_type.max_per_order:
        raise ValidationFailed(
            f"items.{index}.quantity",
            f"At most {ticket_type.max_per_order} of {ticket_type.name!r} per order.",
        )
    if item.seats is not None and len(item.seats) != item.quantity:
        raise ValidationFailed(
            f"items.{index}.seats", f"Name exactly {item.quantity} seats, or none for best available."
        )

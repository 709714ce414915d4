"""Ticket types: who may see them, the catalogue rules, and whether one is on sale.

Rules (API.md "Ticket types"): one currency per event; the event's ticket types together offer at most
the event's capacity (else the venue's); ``quantity_total`` never drops below sold + held; a ticket type
with anything sold or held cannot be deleted; CANCELLED and COMPLETED events are frozen.

Locking (``tixmo.locks``): writes lock the event row first (``EventLock.EDIT``, ``FOR NO KEY UPDATE``), so
two concurrent creates cannot both pass the capacity check while buyers, who hold the event ``FOR KEY
SHARE``, never wait for it; then they touch the ticket type with conditional statements, so a concurrent
order (which reserves with one conditional UPDATE on the ticket type) can never be undercut.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks, pricing
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.errors import Conflict, InvalidState, NotFound, SalesClosed, ValidationFailed
from tixmo.events import service as events_service
from tixmo.events.models import Event, EventStatus
from tixmo.locks import EventLock
from tixmo.money import format_minor
from tixmo.organizations import service as organizations
from tixmo.schemas import partial_changes
from tixmo.seating.models import EventSeat
from tixmo.ticketing import waitlist_pool as waitlist
from tixmo.ticketing.models import TicketType
from tixmo.ticketing.schemas import PriceTierInput, TicketTypeCreate, TicketTypeUpdate

EDITABLE_EVENT_STATUSES = frozenset({EventStatus.DRAFT.value, EventStatus.PUBLISHED.value})
REQUIRED_ON_UPDATE = ("name", "price", "currency", "quantity_total", "min_per_order")
EVENT_NOT_FOUND = "Event not found."
TICKET_TYPE_NOT_FOUND = "Ticket type not found."


async def has_seats(session: AsyncSession, ticket_type_id: uuid.UUID) -> bool:
    """Whether the ticket type sells reserved seats (has any seat mapped)."""
    return bool(await session.scalar(select(exists().where(EventSeat.ticket_type_id == ticket_type_id))))


def snapshot(ticket_type: TicketType) -> dict[str, Any]:
    """The audited fields, camelCase, money as decimal strings."""
    return {
        "name": ticket_type.name,
        "description": ticket_type.description,
        "price": format_minor(ticket_type.price_minor),
        "currency": ticket_type.currency,
        "quantityTotal": ticket_type.quantity_total,
        "salesStart": ticket_type.sales_start,
        "salesEnd": ticket_type.sales_end,
        "minPerOrder": ticket_type.min_per_order,
        "maxPerOrder": ticket_type.max_per_order,
        "maxPerBuyer": ticket_type.max_per_buyer,
        "priceTiers": ticket_type.price_tiers,
    }


# ------------------------------------------------------------------------------------ tenant scoping


async def get_event_visible(session: AsyncSession, viewer: User | None, event_id: uuid.UUID) -> Event:
    """The event, when ``viewer`` may read its ticket types: org staff always, anyone once PUBLISHED."""
    event = await session.get(Event, event_id)
    if event is None:
        raise NotFound(EVENT_NOT_FOUND)
    if event.status == EventStatus.PUBLISHED.value or await organizations.is_staff(
        session, viewer, event.organization_id
    ):
        return event
    raise NotFound(EVENT_NOT_FOUND)


async def get_event_for_staff(
    session: AsyncSession,
    actor: User,
    event_id: uuid.UUID,
    *,
    for_update: bool = False,
    not_found: str = EVENT_NOT_FOUND,
) -> Event:
    """The event, when ``actor`` is staff of its organization (or ADMIN); ``for_update``: locked for an
    edit (``EventLock.EDIT``: edits queue behind each other, buyers never wait for them)."""
    try:
        return await events_service.get_for_staff(
            session, actor, event_id, lock=EventLock.EDIT if for_update else None
        )
    except NotFound:
        raise NotFound(not_found) from None


async def get_visible(
    session: AsyncSession, viewer: User | None, ticket_type_id: uuid.UUID
) -> tuple[TicketType, Event]:
    ticket_type = await session.get(TicketType, ticket_type_id)
    if ticket_type is None:
        raise NotFound(TICKET_TYPE_NOT_FOUND)
    try:
        event = await get_event_visible(session, viewer, ticket_type.event_id)
    except NotFound:
        raise NotFound(TICKET_TYPE_NOT_FOUND) from None
    return ticket_type, event


async def _get_for_change(
    session: AsyncSession, actor: User, ticket_type_id: uuid.UUID
) -> tuple[TicketType, Event]:
    """The ticket type and its locked event, for staff of a DRAFT or PUBLISHED event."""
    ticket_type = await session.get(TicketType, ticket_type_id)
    if ticket_type is None:
        raise NotFound(TICKET_TYPE_NOT_FOUND)
    event = await get_event_for_staff(
        session, actor, ticket_type.event_id, for_update=True, not_found=TICKET_TYPE_NOT_FOUND
    )
    _require_editable(event)
    # Re-read under the event lock: sold/held may have moved since the first read.
    await session.refresh(ticket_type)
    return ticket_type, event


def _require_editable(event: Event) -> None:
    if event.status not in EDITABLE_EVENT_STATUSES:
        raise InvalidState(f"The ticket types of a {event.status} event cannot be changed.")


# ----------------------------------------------------------------------------------------- on sale


def in_sales_window(ticket_type: TicketType, now: datetime) -> bool:
    """``salesStart`` is inclusive, ``salesEnd`` exclusive; a missing bound is open."""
    if ticket_type.sales_start is not None and now < ticket_type.sales_start:
        return False
    return ticket_type.sales_end is None or now < ticket_type.sales_end


def is_on_sale(ticket_type: TicketType, event: Event, now: datetime, *, past_due: int = 0) -> bool:
    """On sale now, with a ticket left (``past_due``: held tickets whose hold ran out count as left)."""
    return (
        event.status == EventStatus.PUBLISHED.value
        and in_sales_window(ticket_type, now)
        and ticket_type.quantity_available + past_due > 0
    )


def assert_on_sale(ticket_type: TicketType, event: Event, now: datetime) -> None:
    """Raise ``SalesClosed`` unless the event is PUBLISHED and ``now`` is inside the sales window.

    Availability is not checked here: not enough tickets is ``INSUFFICIENT_INVENTORY``, decided by the
    reservation itself.
    """
    if ticket_type.event_id != event.id:
        raise ValueError("The ticket type does not belong to that event.")
    if event.status != EventStatus.PUBLISHED.value:
        raise SalesClosed(f"Tickets for this event are not on sale (the event is {event.status}).")
    if ticket_type.sales_start is not None and now < ticket_type.sales_start:
        raise SalesClosed(f"Sales for {ticket_type.name!r} start at {ticket_type.sales_start.isoformat()}.")
    if ticket_type.sales_end is not None and now >= ticket_type.sales_end:
        raise SalesClosed(f"Sales for {ticket_type.name!r} ended at {ticket_type.sales_end.isoformat()}.")


# ------------------------------------------------------------------------------------------- rules


async def _check_capacity(
    session: AsyncSession, event: Event, quantity: int, *, excluding: uuid.UUID | None = None
) -> None:
    capacity = await events_service.capacity_of(session, event)
    if capacity is None:
        return
    _, others = await events_service.tickets_offered(session, event.id, excluding=excluding)
    if others + quantity > capacity:
        raise ValidationFailed(
            "quantityTotal",
            f"The event's ticket types would offer {others + quantity} tickets, more than its capacity of "
            f"{capacity} ({max(0, capacity - others)} left for this ticket type).",
        )


def _check_window(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and end <= start:
        raise ValidationFailed("salesEnd", "Must be after salesStart.")


def _check_per_order(minimum: int, maximum: int | None) -> None:
    if maximum is not None and maximum < minimum:
        raise ValidationFailed("maxPerOrder", "Must be at least minPerOrder.")


def _tiers_json(tiers: list[PriceTierInput]) -> list[dict[str, Any]]:
    validated = pricing.validate_tiers(
        [
            {
                "kind": tier.kind,
                "price_minor": tier.price,
                "name": tier.name,
                "until": tier.until,
                "after_sold_percent": tier.after_sold_percent,
            }
            for tier in tiers
        ]
    )
    return [tier.to_json() for tier in validated]


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


async def _count_ticket_types(session: AsyncSession, event_id: uuid.UUID) -> int:
    count = await session.scalar(select(func.count()).where(TicketType.event_id == event_id))
    return int(count or 0)


def _currency_mismatch(event: Event) -> ValidationFailed:
    return ValidationFailed(
        "currency",
        f"This event's ticket types are sold in {event.currency}; one currency per event.",
    )


# -------------------------------------------------------------------------------------------- reads


async def list_for_event(
    session: AsyncSession, viewer: User | None, event_id: uuid.UUID, *, offset: int, limit: int
) -> tuple[Event, list[TicketType], int]:
    event = await get_event_visible(session, viewer, event_id)
    total = await _count_ticket_types(session, event.id)
    rows = await session.scalars(
        select(TicketType)
        .where(TicketType.event_id == event.id)
        .order_by(TicketType.sort_order, TicketType.created_at, TicketType.id)
        .offset(offset)
        .limit(limit)
    )
    return event, list(rows), total


# ------------------------------------------------------------------------------------------- writes


async def create(
    session: AsyncSession, actor: User, event_id: uuid.UUID, data: TicketTypeCreate
) -> tuple[TicketType, Event]:
    event = await get_event_for_staff(session, actor, event_id, for_update=True)
    _require_editable(event)
    sales_start, sales_end = _utc(data.sales_start), _utc(data.sales_end)
    _check_window(sales_start, sales_end)
    _check_per_order(data.min_per_order, data.max_per_order)
    tiers = _tiers_json(data.price_tiers)
    existing = await _count_ticket_types(session, event.id)
    currency = data.currency or event.currency
    if currency != event.currency:
        if existing:
            raise _currency_mismatch(event)
        event.currency = currency  # the first ticket type sets the event's currency
    await _check_capacity(session, event, data.quantity_total)
    ticket_type = TicketType(
        event_id=event.id,
        name=data.name,
        description=data.description,
        price_minor=data.price,
        currency=currency,
        quantity_total=data.quantity_total,
        sales_start=sales_start,
        sales_end=sales_end,
        min_per_order=data.min_per_order,
        max_per_order=data.max_per_order,
        max_per_buyer=data.max_per_buyer,
        sort_order=existing,
        price_tiers=tiers,
    )
    session.add(ticket_type)
    await session.flush()
    await audit.record(
        session,
        action="ticket_type.created",
        entity_type="ticket_type",
        entity_id=ticket_type.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        after={"eventId": event.id, **snapshot(ticket_type)},
    )
    return ticket_type, event


async def _set_quantity_total(session: AsyncSession, ticket_type: TicketType, new_total: int) -> None:
    """One conditional UPDATE: refused when sold + held (as they are at that instant) exceed ``new_total``."""
    locks.note(session, locks.Kind.TICKET_TYPE, [ticket_type.id])
    changed = await session.scalar(
        update(TicketType)
        .where(
            TicketType.id == ticket_type.id,
            TicketType.quantity_sold + TicketType.quantity_held <= new_total,
        )
        .values(quantity_total=new_total)
        .returning(TicketType.id)
        .execution_options(synchronize_session=False)
    )
    if changed is not None:  # a raised total: entries waiting get the new tickets first
        await waitlist.keep_for_waitlist(session, [ticket_type.id])
    await session.refresh(ticket_type)
    if changed is None:
        committed = ticket_type.quantity_sold + ticket_type.quantity_held
        raise Conflict(
            f"quantityTotal cannot drop below the {committed} tickets already sold or held.",
            extra={"quantitySold": ticket_type.quantity_sold, "quantityHeld": ticket_type.quantity_held},
        )


# --- reused by seating.seatmap (a seat map sets quantityTotal through the same rules) ----------------


async def check_capacity(
    session: AsyncSession, event: Event, quantity: int, *, excluding: uuid.UUID | None = None
) -> None:
    """422 (``quantityTotal``) when the event's ticket types would offer more than its capacity."""
    await _check_capacity(session, event, quantity, excluding=excluding)


async def set_quantity_total(session: AsyncSession, ticket_type: TicketType, new_total: int) -> None:
    """The conditional ``quantityTotal`` UPDATE (locks the ticket type); 409 below sold + held."""
    await _set_quantity_total(session, ticket_type, new_total)


# -----------------------------------------------------------------------------------------------------


async def update_ticket_type(
    session: AsyncSession, actor: User, ticket_type_id: uuid.UUID, data: TicketTypeUpdate
) -> tuple[TicketType, Event]:
    ticket_type, event = await _get_for_change(session, actor, ticket_type_id)
    changes = partial_changes(data, REQUIRED_ON_UPDATE)
    for name in ("sales_start", "sales_end"):
        if name in changes:
            changes[name] = _utc(changes[name])
    _check_window(
        changes.get("sales_start", ticket_type.sales_start), changes.get("sales_end", ticket_type.sales_end)
    )
    _check_per_order(
        changes.get("min_per_order", ticket_type.min_per_order),
        changes.get("max_per_order", ticket_type.max_per_order),
    )
    if "price_tiers" in changes:
        changes["price_tiers"] = _tiers_json(data.price_tiers or [])
    currency = changes.get("currency")
    if currency is not None and currency != event.currency:
        # Only an event's single, untouched ticket type may still switch the event's currency.
        alone = await _count_ticket_types(session, event.id) == 1
        untouched = ticket_type.quantity_sold == 0 and ticket_type.quantity_held == 0
        if not (alone and untouched):
            raise _currency_mismatch(event)
        event.currency = currency

    before = snapshot(ticket_type)
    new_total = changes.pop("quantity_total", None)
    if new_total is not None and new_total != ticket_type.quantity_total:
        # Reserved seating: the seat map sets the quantity.
        if await has_seats(session, ticket_type.id):
            raise Conflict(
                "The quantity follows the seat map; change it with "
                f"PUT /api/v1/ticket-types/{ticket_type.id}/seats."
            )
        if new_total > ticket_type.quantity_total:
            await _check_capacity(session, event, new_total, excluding=ticket_type.id)
        await _set_quantity_total(session, ticket_type, new_total)
    if "price" in changes:
        changes["price_minor"] = changes.pop("price")
    for name, value in changes.items():
        setattr(ticket_type, name, value)
    await session.flush()
    await session.refresh(ticket_type)
    await audit.record_changes(
        session,
        action="ticket_type.updated",
        entity_type="ticket_type",
        entity_id=ticket_type.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before=before,
        after=snapshot(ticket_type),
    )
    return ticket_type, event


async def delete_ticket_type(session: AsyncSession, actor: User, ticket_type_id: uuid.UUID) -> None:
    ticket_type, event = await _get_for_change(session, actor, ticket_type_id)
    before = snapshot(ticket_type)
    locks.note(session, locks.Kind.TICKET_TYPE, [ticket_type.id])
    try:
        deleted = await session.scalar(
            sql_delete(TicketType)
            .where(
                TicketType.id == ticket_type.id,
                TicketType.quantity_sold == 0,
                TicketType.quantity_held == 0,
            )
            .returning(TicketType.id)
            .execution_options(synchronize_session=False)
        )
    except IntegrityError as exc:  # referenced by orders that no longer hold or own any ticket
        raise Conflict("This ticket type has orders and cannot be deleted.") from exc
    if deleted is None:
        raise Conflict("A ticket type with tickets sold or held cannot be deleted.")
    session.expunge(ticket_type)
    await audit.record(
        session,
        action="ticket_type.deleted",
        entity_type="ticket_type",
        entity_id=ticket_type.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before={"eventId": event.id, **before},
    )

"""``/events/{eventId}/ticket-types`` and ``/ticket-types/{id}`` endpoints."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response, status

from tixmo import pricing
from tixmo.db import utcnow
from tixmo.deps import CurrentUser, DbSession, OptionalUser
from tixmo.errors import problems
from tixmo.events.models import Event
from tixmo.orders import service as order_service
from tixmo.schemas import EventIdPath, Page, Pagination, TicketTypeIdPath
from tixmo.ticketing import service
from tixmo.ticketing.models import TicketType
from tixmo.ticketing.schemas import (
    AvailabilityRead,
    PriceTierRead,
    TicketTypeCreate,
    TicketTypeRead,
    TicketTypeUpdate,
)

router = APIRouter(tags=["ticket-types"])


def ticket_type_read(ticket_type: TicketType, event: Event, now: datetime) -> TicketTypeRead:
    return TicketTypeRead(
        id=ticket_type.id,
        event_id=ticket_type.event_id,
        name=ticket_type.name,
        description=ticket_type.description,
        price=ticket_type.price_minor,
        current_price=pricing.current_price_minor(ticket_type, now),
        currency=ticket_type.currency,
        quantity_total=ticket_type.quantity_total,
        quantity_sold=ticket_type.quantity_sold,
        quantity_held=ticket_type.quantity_held,
        quantity_available=ticket_type.quantity_available,
        on_sale=service.is_on_sale(ticket_type, event, now),
        sales_start=ticket_type.sales_start,
        sales_end=ticket_type.sales_end,
        min_per_order=ticket_type.min_per_order,
        max_per_order=ticket_type.max_per_order,
        max_per_buyer=ticket_type.max_per_buyer,
        price_tiers=[
            PriceTierRead(
                kind=tier.kind.value,
                name=tier.name,
                price=tier.price_minor,
                until=tier.until,
                after_sold_percent=tier.after_sold_percent,
            )
            for tier in pricing.tiers_of(ticket_type)
        ],
        created_at=ticket_type.created_at,
        updated_at=ticket_type.updated_at,
    )


def availability_read(
    ticket_type: TicketType, event: Event, now: datetime, *, past_due: int = 0
) -> AvailabilityRead:
    """``past_due``: held tickets whose hold has run out, shown as available (see
    ``orders.service.ticket_type_with_live_holds``)."""
    change = pricing.next_price_change(ticket_type, now)
    available = ticket_type.quantity_available + past_due
    return AvailabilityRead(
        ticket_type_id=ticket_type.id,
        quantity_total=ticket_type.quantity_total,
        quantity_sold=ticket_type.quantity_sold,
        quantity_held=ticket_type.quantity_held - past_due,
        quantity_available=available,
        on_sale=service.is_on_sale(ticket_type, event, now, past_due=past_due),
        current_price=pricing.current_price_minor(ticket_type, now),
        currency=ticket_type.currency,
        sales_start=ticket_type.sales_start,
        sales_end=ticket_type.sales_end,
        next_price_change=change,
        next_price=pricing.current_price_minor(ticket_type, change) if change is not None else None,
    )


@router.post(
    "/events/{eventId}/ticket-types",
    status_code=status.HTTP_201_CREATED,
    response_model=TicketTypeRead,
    responses=problems(401, 404, 409),
    summary="Create a ticket type for an event (org staff)",
)
async def create_ticket_type(
    event_id: EventIdPath, body: TicketTypeCreate, actor: CurrentUser, session: DbSession
) -> TicketTypeRead:
    ticket_type, event = await service.create(session, actor, event_id, body)
    return ticket_type_read(ticket_type, event, utcnow())


@router.get(
    "/events/{eventId}/ticket-types",
    response_model=Page[TicketTypeRead],
    responses=problems(401, 404),
    summary="List an event's ticket types (public for PUBLISHED events; org staff always)",
)
async def list_event_ticket_types(
    event_id: EventIdPath, viewer: OptionalUser, session: DbSession, paging: Pagination
) -> Page[TicketTypeRead]:
    event, ticket_types, total = await service.list_for_event(
        session, viewer, event_id, offset=paging.offset, limit=paging.limit
    )
    now = utcnow()
    return paging.build([ticket_type_read(item, event, now) for item in ticket_types], total)


@router.get(
    "/ticket-types/{ticketTypeId}",
    response_model=TicketTypeRead,
    responses=problems(401, 404),
    summary="Get a ticket type (public for PUBLISHED events; org staff always)",
)
async def get_ticket_type(
    ticket_type_id: TicketTypeIdPath, viewer: OptionalUser, session: DbSession
) -> TicketTypeRead:
    ticket_type, event = await service.get_visible(session, viewer, ticket_type_id)
    return ticket_type_read(ticket_type, event, utcnow())


@router.put(
    "/ticket-types/{ticketTypeId}",
    response_model=TicketTypeRead,
    responses=problems(401, 404, 409),
    summary="Update a ticket type (org staff; partial; quantityTotal not below sold + held)",
)
async def update_ticket_type(
    ticket_type_id: TicketTypeIdPath, body: TicketTypeUpdate, actor: CurrentUser, session: DbSession
) -> TicketTypeRead:
    await body.check_read_only(lambda: get_ticket_type(ticket_type_id, actor, session))
    ticket_type, event = await service.update_ticket_type(session, actor, ticket_type_id, body)
    return ticket_type_read(ticket_type, event, utcnow())


@router.delete(
    "/ticket-types/{ticketTypeId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 404, 409),
    summary="Delete a ticket type (org staff; only with nothing sold or held)",
)
async def delete_ticket_type(
    ticket_type_id: TicketTypeIdPath, actor: CurrentUser, session: DbSession
) -> Response:
    await service.delete_ticket_type(session, actor, ticket_type_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/ticket-types/{ticketTypeId}/availability",
    response_model=AvailabilityRead,
    responses=problems(401, 404),
    summary="Live availability and current price (public for PUBLISHED events)",
)
async def get_ticket_type_availability(
    ticket_type_id: TicketTypeIdPath, viewer: OptionalUser, session: DbSession
) -> AvailabilityRead:
    ticket_type, event, past_due = await order_service.ticket_type_with_live_holds(
        session, viewer, ticket_type_id
    )
    return availability_read(ticket_type, event, utcnow(), past_due=past_due)

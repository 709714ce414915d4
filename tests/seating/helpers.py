"""Shared set-up for the reserved seating tests: charts, a seated shop, orders inserted directly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event, create_ticket_type, create_venue
from tests.problems import assert_problem as assert_problem
from tests.problems import error_fields as error_fields
from tests.ticketing.helpers import Staff, make_staff
from tixmo.accounts.models import User
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.orders.models import Order
from tixmo.seating import seatmap as seating
from tixmo.seating.models import EventSeat
from tixmo.seating.schemas import SeatMapUpdate
from tixmo.ticketing.models import TicketType
from tixmo.ticketing.schemas import SeatRef
from tixmo.venues.models import Venue

Key = tuple[str, str, str]


def chart(layout: dict[str, dict[str, int]]) -> dict[str, Any]:
    """``{"A": {"1": 3}}`` → section A, row 1, seats "1".."3" (the stored seating chart JSON)."""
    return {
        "sections": [
            {
                "name": section,
                "rows": [
                    {"name": row, "seats": [str(n) for n in range(1, count + 1)]}
                    for row, count in rows.items()
                ],
            }
            for section, rows in layout.items()
        ]
    }


def ref(section: str, row: str, seat: str) -> dict[str, str]:
    return {"section": section, "row": row, "seat": seat}


def refs(*keys: Key) -> list[SeatRef]:
    return [SeatRef.model_validate(ref(*key)) for key in keys]


@dataclass
class SeatedShop:
    """Staff of an organization, a venue with a seating chart, an event there and one ticket type."""

    staff: Staff
    venue: Venue
    event: Event
    ticket_type: TicketType


async def make_seated_shop(
    session: AsyncSession,
    context: AppContext,
    layout: dict[str, dict[str, int]],
    *,
    status: str = "PUBLISHED",
    venue_capacity: int = 1000,
    **event_kw: Any,
) -> SeatedShop:
    staff = await make_staff(session, context)
    venue = await create_venue(
        session, organization=staff.org, capacity=venue_capacity, seating_chart=chart(layout)
    )
    event = await create_event(session, organization=staff.org, venue=venue, status=status, **event_kw)
    ticket_type = await create_ticket_type(session, event=event, name="Stalls", quantity_total=0)
    return SeatedShop(staff, venue, event, ticket_type)


async def map_seats(
    session: AsyncSession,
    actor: User,
    ticket_type: TicketType,
    *,
    seats: list[Key] | None = None,
    sections: list[str] | None = None,
) -> None:
    """Map seats through the service (its rules and locks), committed."""
    body: dict[str, Any] = (
        {"seats": [ref(*key) for key in seats]} if seats is not None else {"sections": sections}
    )
    await seating.set_seat_map(session, actor, ticket_type.id, SeatMapUpdate.model_validate(body))
    await session.commit()


async def create_order(session: AsyncSession, *, user: User, event: Event, tickets: int = 1) -> Order:
    """A PENDING order row, inserted directly (hold_seats needs an order id)."""
    order = Order(
        user_id=user.id,
        event_id=event.id,
        status="PENDING",
        currency="USD",
        subtotal_minor=0,
        discount_minor=0,
        total_minor=0,
        ticket_count=tickets,
    )
    session.add(order)
    await session.commit()
    return order


async def seat_rows(session: AsyncSession, ticket_type: TicketType) -> list[EventSeat]:
    """The ticket type's seats as committed now, in chart order."""
    rows = await session.scalars(
        select(EventSeat)
        .where(EventSeat.ticket_type_id == ticket_type.id)
        .order_by(EventSeat.position)
        .execution_options(populate_existing=True)
    )
    return list(rows)


def keys_of(seats: list[EventSeat]) -> list[Key]:
    return [(seat.section, seat.row, seat.label) for seat in seats]


async def reload_ticket_type(session: AsyncSession, ticket_type: TicketType) -> TicketType:
    row = await session.scalar(
        select(TicketType).where(TicketType.id == ticket_type.id).execution_options(populate_existing=True)
    )
    assert row is not None
    return row

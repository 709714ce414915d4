"""``/ticket-types/{id}/seats``: a ticket type's reserved seats."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tixmo.deps import CurrentUser, DbSession, OptionalUser
from tixmo.errors import problems
from tixmo.schemas import Page, Pagination, TicketTypeIdPath
from tixmo.seating import seatmap as service
from tixmo.seating.models import SeatStatus
from tixmo.seating.schemas import SeatMapRead, SeatMapUpdate, SeatStatusRead

router = APIRouter(tags=["seating"])


@router.put(
    "/ticket-types/{ticketTypeId}/seats",
    response_model=SeatMapRead,
    responses=problems(401, 404, 409),
    summary="Set the seats a ticket type sells (org staff); quantityTotal becomes the seat count",
    description=(
        "Give `seats` (`[{section, row, seat}]`, at most 10,000) or `sections` (every seat of those "
        "sections), not both: the ticket type's seat map becomes exactly that set. The event needs a venue "
        "with a seating chart and must be DRAFT or PUBLISHED. A seat of another ticket type of the event, "
        "or removing a HELD or SOLD seat, is 409 `CONFLICT`."
    ),
)
async def set_seat_map(
    ticket_type_id: TicketTypeIdPath, body: SeatMapUpdate, actor: CurrentUser, session: DbSession
) -> SeatMapRead:
    ticket_type, seat_count = await service.set_seat_map(session, actor, ticket_type_id, body)
    return SeatMapRead(
        ticket_type_id=ticket_type.id, seat_count=seat_count, quantity_total=ticket_type.quantity_total
    )


@router.get(
    "/ticket-types/{ticketTypeId}/seats",
    response_model=Page[SeatStatusRead],
    responses=problems(401, 404),
    summary="A ticket type's seats in chart order (public for PUBLISHED events; org staff always)",
)
async def list_seats(
    ticket_type_id: TicketTypeIdPath,
    viewer: OptionalUser,
    session: DbSession,
    paging: Pagination,
    status: Annotated[SeatStatus | None, Query(description="Only seats in this status.")] = None,
) -> Page[SeatStatusRead]:
    seats, total = await service.list_seats(
        session, viewer, ticket_type_id, status=status, offset=paging.offset, limit=paging.limit
    )
    return paging.build(
        [
            SeatStatusRead(
                section=seat.section, row=seat.row, seat=seat.label, status=SeatStatus(seat.status)
            )
            for seat in seats
        ],
        total,
    )

"""Seat map request and response schemas (camelCase on the wire)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field, StringConstraints

from tixmo.schemas import CamelModel, OneLine, ReadModel
from tixmo.seating.models import SeatStatus
from tixmo.ticketing.schemas import SeatRef
from tixmo.venues.schemas import MAX_SECTIONS

MAX_MAPPED_SEATS = 10_000

SectionName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine]


class SeatMapUpdate(CamelModel):
    """The ticket type's seat map becomes exactly this set: give ``seats`` or ``sections``, not both."""

    seats: Annotated[list[SeatRef], Field(max_length=MAX_MAPPED_SEATS)] | None = Field(
        default=None, description=f"The seats, by section, row and seat label (at most {MAX_MAPPED_SEATS})."
    )
    sections: Annotated[list[SectionName], Field(max_length=MAX_SECTIONS)] | None = Field(
        default=None, description="Whole sections of the venue's seating chart: every seat in them."
    )


class SeatMapRead(ReadModel):
    ticket_type_id: uuid.UUID
    seat_count: int = Field(description="Seats now mapped to the ticket type.")
    quantity_total: int = Field(description="The ticket type's quantityTotal: the number of mapped seats.")


class SeatStatusRead(ReadModel):
    section: str
    row: str
    seat: str
    status: SeatStatus

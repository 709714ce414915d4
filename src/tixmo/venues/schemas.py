"""Venue request and response schemas (camelCase on the wire)."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, field_validator

from tixmo.media.schemas import ImageRead
from tixmo.schemas import CamelModel, OneLine, ReadModel, UpdateModel

MAX_SEATS_PER_ROW = 1000
MAX_ROWS_PER_SECTION = 500
MAX_SECTIONS = 200


@lru_cache(maxsize=1)
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_timezone(value: str) -> str:
    """An IANA time zone name such as ``Europe/Berlin`` (or ``UTC``)."""
    if value not in _known_timezones():
        raise ValueError('Must be an IANA time zone name such as "Europe/Berlin".')
    return value


Timezone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(check_timezone),
    Field(examples=["Europe/Berlin"]),
]
VenueName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), OneLine]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), OneLine]
City = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine]
State = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine]
PostalCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20), OneLine]
Country = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Z]{2}$"),
    Field(description="ISO 3166-1 alpha-2 code, upper case.", examples=["DE"]),
]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), OneLine]
Capacity = Annotated[int, Field(gt=0, le=10_000_000)]


def _duplicates(names: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for name in names:
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated


class SeatingRow(CamelModel):
    name: Label
    seats: Annotated[list[Label], Field(max_length=MAX_SEATS_PER_ROW)]

    @field_validator("seats")
    @classmethod
    def _unique_seats(cls, seats: list[str]) -> list[str]:
        if repeated := _duplicates(seats):
            raise ValueError(f"Seat labels must be unique in a row; repeated: {', '.join(repeated)}.")
        return seats


class SeatingSection(CamelModel):
    name: Label
    rows: Annotated[list[SeatingRow], Field(max_length=MAX_ROWS_PER_SECTION)]

    @field_validator("rows")
    @classmethod
    def _unique_rows(cls, rows: list[SeatingRow]) -> list[SeatingRow]:
        if repeated := _duplicates([row.name for row in rows]):
            raise ValueError(f"Row names must be unique in a section; repeated: {', '.join(repeated)}.")
        return rows


class SeatingChart(CamelModel):
    sections: Annotated[list[SeatingSection], Field(max_length=MAX_SECTIONS)]

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, sections: list[SeatingSection]) -> list[SeatingSection]:
        if repeated := _duplicates([section.name for section in sections]):
            raise ValueError(f"Section names must be unique; repeated: {', '.join(repeated)}.")
        return sections


def seat_count(chart: dict[str, Any] | None) -> int:
    """Seats in a stored chart (the JSON written from a validated ``SeatingChart``)."""
    if not chart:
        return 0
    return sum(len(row.get("seats", [])) for section in chart.get("sections", []) for row in section["rows"])


class Address(CamelModel):
    line1: Line
    line2: Line | None = None
    city: City
    state: State | None = None
    postal_code: PostalCode
    country: Country


class AddressUpdate(CamelModel):
    """A partial address: the fields given replace the stored ones."""

    line1: Line | None = None
    line2: Line | None = None
    city: City | None = None
    state: State | None = None
    postal_code: PostalCode | None = None
    country: Country | None = None


class VenueCreate(CamelModel):
    organization_id: uuid.UUID
    name: VenueName
    address: Address
    capacity: Capacity
    timezone: Timezone
    seating_chart: SeatingChart | None = None


class AddressRead(ReadModel):
    line1: str
    line2: str | None
    city: str
    state: str | None
    postal_code: str
    country: str


class VenueRead(ReadModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    address: AddressRead
    capacity: int
    timezone: str
    seating_chart: dict[str, Any] | None
    seat_count: int = Field(description="Seats in the seating chart (0 without a chart).")
    created_at: datetime
    updated_at: datetime
    cover_image: ImageRead | None = Field(
        default=None, description="The cover image (POST /venues/{id}/images)."
    )
    images: list[ImageRead] = Field(
        default_factory=list, description="The gallery, in order (the cover apart)."
    )


class VenueUpdate(UpdateModel):
    read_model = VenueRead

    name: VenueName | None = None
    address: AddressUpdate | None = None
    capacity: Capacity | None = None
    timezone: Timezone | None = None
    seating_chart: SeatingChart | None = Field(default=None, description="`null` removes the chart.")

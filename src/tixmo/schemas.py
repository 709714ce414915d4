"""Shared API schema pieces: camelCase models, pagination, instants."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Path, Query
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from tixmo.errors import ValidationFailed

T = TypeVar("T")


class CamelModel(BaseModel):
    """Base of request schemas: camelCase on the wire only, unknown fields rejected."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        serialize_by_alias=True,
        extra="forbid",
    )


class ReadModel(BaseModel):
    """Base of response schemas: built in Python by field name or from ORM objects, camelCase out."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
        from_attributes=True,
    )


class PageMeta(ReadModel):
    page: int
    limit: int
    total: int
    total_pages: int


class Page(ReadModel, Generic[T]):
    data: list[T]
    meta: PageMeta


@dataclass(frozen=True)
class PageParams:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def build(self, items: list[T], total: int) -> Page[T]:
        return Page[T](
            data=items,
            meta=PageMeta(
                page=self.page,
                limit=self.limit,
                total=total,
                total_pages=math.ceil(total / self.limit) if total else 0,
            ),
        )


async def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")] = 1,
    limit: Annotated[int, Query(ge=1, le=100, description="Items per page (1..100).")] = 20,
) -> PageParams:
    return PageParams(page=page, limit=limit)


NonEmptyStr = Annotated[str, Field(min_length=1, max_length=200)]

# Line breaks, tabs and every other control character (C0, DEL, C1) and the Unicode line and paragraph
# separators: none belongs in a name, and a name may end up in an email header (an event's in subjects).
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(value: str) -> str:
    if _NOT_ONE_LINE.search(value):
        raise ValueError("Must be one line: no line breaks, tabs or other control characters.")
    return value


# Metadata for a single-line text type: ``Annotated[str, StringConstraints(...), OneLine]``.
OneLine = AfterValidator(one_line)


# ------------------------------------------------------------------------------------------ instants

# Business dates (an event's start and end, sales windows, price tiers, promo validity) lie in this window.
EARLIEST_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2100, 1, 1, tzinfo=UTC)


def to_utc(value: datetime) -> datetime:
    """The same instant in UTC (a value without an offset is read as UTC). An offset that carries it
    past year 1 or 9999 (``9999-12-31T23:59:59-23:59``) is a ValueError, hence a 422."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("This date and time is out of range once converted to UTC.") from None


def business_instant(value: datetime) -> datetime:
    """``to_utc``, and inside [2000-01-01, 2100-01-01) UTC."""
    moment = to_utc(value)
    if not EARLIEST_INSTANT <= moment < LATEST_INSTANT:
        raise ValueError("Must be from 2000-01-01T00:00:00Z up to (not including) 2100-01-01T00:00:00Z.")
    return moment


# Every instant a request gives is one of these three, converted to UTC before any code sees it.
Instant = Annotated[
    AwareDatetime,
    AfterValidator(business_instant),
    Field(
        description="ISO 8601 with an offset, e.g. 2026-05-01T19:30:00Z; from 2000-01-01 up to 2100-01-01 "
        "(UTC)."
    ),
]
"""A stored business date: with an offset, in the window, answered in UTC."""
AnyInstant = Annotated[
    AwareDatetime,
    AfterValidator(to_utc),
    Field(description="ISO 8601 with an offset, e.g. 2026-05-01T19:30:00Z."),
]
"""With an offset, any date that exists in UTC: a device's clock reading (a scan's ``scannedAt``), a
``since`` handed back by the server."""
FilterInstant = Annotated[datetime, AfterValidator(to_utc)]
"""A query filter bound (``from``, ``to``): without an offset read as UTC."""

# The pagination dependency for routers: ``paging: Pagination``.
Pagination = Annotated[PageParams, Depends(page_params)]


def partial_changes(data: BaseModel, required: Iterable[str] = (), *, prefix: str = "") -> dict[str, Any]:
    """What a partial update (``PUT``) gave, by Python field name. A required field sent as ``null``
    is a 422 naming the wire field (``prefix`` + camelCase name)."""
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    for name in required:
        if name in changes and changes[name] is None:
            raise ValidationFailed(prefix + to_camel(name), "This field cannot be null.")
    return changes


# Path ids, camelCase on the wire like every other name (``/users/{userId}``).
UserIdPath = Annotated[uuid.UUID, Path(alias="userId")]
OrganizationIdPath = Annotated[uuid.UUID, Path(alias="organizationId")]
VenueIdPath = Annotated[uuid.UUID, Path(alias="venueId")]
EventIdPath = Annotated[uuid.UUID, Path(alias="eventId")]
TicketTypeIdPath = Annotated[uuid.UUID, Path(alias="ticketTypeId")]
OrderIdPath = Annotated[uuid.UUID, Path(alias="orderId")]

"""Event request and response schemas (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AnyHttpUrl, Field, StrictBool, StringConstraints

from tixmo.events.models import EventCategory, EventStatus, RefundPolicy
from tixmo.media.schemas import ImageRead
from tixmo.money import MoneyOutput
from tixmo.schemas import CamelModel, Instant, OneLine, ReadModel, UpdateModel
from tixmo.venues.schemas import Timezone

MAX_TAGS = 20
MAX_TAG_LENGTH = 50

EventSort = Literal["startsAt", "-startsAt", "name"]


def normalize_tags(tags: list[str]) -> list[str]:
    """Trimmed, lower-cased, de-duplicated (first occurrence kept), at most 20 of at most 50 characters."""
    result: list[str] = []
    for raw in tags:
        tag = raw.strip().lower()
        if not tag:
            raise ValueError("Tags cannot be empty.")
        if len(tag) > MAX_TAG_LENGTH:
            raise ValueError(f"A tag has at most {MAX_TAG_LENGTH} characters.")
        if tag not in result:
            result.append(tag)
    if len(result) > MAX_TAGS:
        raise ValueError(f"At most {MAX_TAGS} tags.")
    return result


EventName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), OneLine]
Description = Annotated[str, Field(max_length=10_000)]
Tags = Annotated[
    list[Annotated[str, Field(max_length=200), OneLine]],
    Field(max_length=100, description="Lower-cased, trimmed and de-duplicated; at most 20 of 50 characters."),
    AfterValidator(normalize_tags),
]
ImageUrl = Annotated[AnyHttpUrl, Field(max_length=2048)]
EventCapacity = Annotated[int, Field(gt=0, le=10_000_000)]
MaxPerBuyer = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=10_000,
        description="Anti-scalping: most tickets one buyer may hold or own for this event (all orders).",
    ),
]
RefundDeadlineHours = Annotated[
    int,
    Field(
        strict=True,
        ge=0,
        le=8760,
        description="With refundPolicy FULL: owners may cancel until this many hours before the start.",
    ),
]
SuspendTicketsOnDispute = Annotated[
    StrictBool,
    Field(
        description="A disputed payment (chargeback) suspends the order's unused tickets until the dispute "
        "is closed (they scan INVALID meanwhile; docs/payments.md). Default false."
    ),
]
TransfersAllowed = Annotated[
    StrictBool,
    Field(description="May ticket holders transfer their tickets to another account? Default true."),
]


class EventCreate(CamelModel):
    organization_id: uuid.UUID
    venue_id: uuid.UUID | None = None
    series_id: uuid.UUID | None = None
    name: EventName
    description: Description | None = None
    category: EventCategory
    tags: Tags = []
    starts_at: Instant
    ends_at: Instant
    timezone: Timezone | None = Field(default=None, description="Defaults to the venue's, else UTC.")
    capacity: EventCapacity | None = Field(default=None, description="At most the venue's capacity.")
    max_per_buyer: MaxPerBuyer | None = None
    image_url: ImageUrl | None = None
    refund_policy: RefundPolicy = Field(
        default=RefundPolicy.NONE,
        description="FULL: ticket holders may cancel a ticket for its paid share until the deadline; "
        "NONE: only the organizer's staff cancel tickets.",
    )
    refund_deadline_hours: RefundDeadlineHours = 24
    transfers_allowed: TransfersAllowed = True
    suspend_tickets_on_dispute: SuspendTicketsOnDispute = False


class PriceRange(ReadModel):
    min: MoneyOutput
    max: MoneyOutput
    currency: str


class EventRead(ReadModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    venue_id: uuid.UUID | None
    series_id: uuid.UUID | None
    name: str
    description: str | None
    category: EventCategory
    tags: list[str]
    starts_at: datetime = Field(description="UTC.")
    ends_at: datetime = Field(description="UTC.")
    starts_at_local: str = Field(description="startsAt in the event's time zone, ISO 8601 with offset.")
    ends_at_local: str = Field(description="endsAt in the event's time zone, ISO 8601 with offset.")
    timezone: str
    capacity: int | None
    max_per_buyer: int | None
    image_url: str | None
    transfers_allowed: bool
    currency: str
    refund_policy: RefundPolicy
    refund_deadline_hours: int
    suspend_tickets_on_dispute: bool
    status: EventStatus
    sold_out: bool = Field(description="Has ticket types and none has a ticket left.")
    published_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    price_range: PriceRange | None = Field(
        default=None, description="Lowest and highest current ticket price, when the event has ticket types."
    )
    cover_image: ImageRead | None = Field(
        default=None, description="The cover image (POST /events/{id}/images)."
    )
    images: list[ImageRead] = Field(
        default_factory=list, description="The gallery, in order (the cover apart)."
    )


class EventUpdate(UpdateModel):
    """A partial update: the fields given replace the stored ones (``null`` clears optional fields)."""

    read_model = EventRead

    venue_id: uuid.UUID | None = None
    series_id: uuid.UUID | None = None
    name: EventName | None = None
    description: Description | None = None
    category: EventCategory | None = None
    tags: Tags | None = None
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    timezone: Timezone | None = None
    capacity: EventCapacity | None = None
    max_per_buyer: MaxPerBuyer | None = None
    image_url: ImageUrl | None = None
    refund_policy: RefundPolicy | None = None
    refund_deadline_hours: RefundDeadlineHours | None = None
    transfers_allowed: TransfersAllowed | None = None
    suspend_tickets_on_dispute: SuspendTicketsOnDispute | None = None

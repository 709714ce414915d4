"""Shared API schema pieces: camelCase models, pagination, instants."""

from __future__ import annotations

import functools
import math
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from fastapi import Depends, Path, Query
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    PrivateAttr,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from tixmo.errors import FieldError, ValidationFailed

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


READ_ONLY_MESSAGE = "Read-only: send the value last read, or leave it out."

# Read-only fields the server moves by itself while a client holds its copy (sales, uses, scans, the
# clock): a GET-modify-PUT sends them back stale through no fault of its own, so any value is ignored.
# The others (ids, owners, ``status``, ``createdAt``, ...) must be sent as they are, or left out.
SERVER_MOVED = frozenset(
    {
        "updatedAt",
        "quantitySold",
        "quantityHeld",
        "quantityAvailable",
        "soldOut",
        "onSale",
        "currentPrice",
        "nextPriceChange",
        "nextPrice",
        "priceRange",
        "usedCount",
        "remainingUses",
        "seatCount",
        "lastSeenAt",
        "online",
        # Images: a rendition job finishes, presigned URLs are signed again.
        "coverImage",
        "images",
        "urls",
        "webpUrls",
        "renditionStatus",
        # Analytics: a report subscription's latest period mailed.
        "lastPeriodSent",
        # Waiting room: people join, passes are issued, used and run out, the draw and the close happen.
        "joined",
        "admitted",
        "used",
        "expired",
        "drawnAt",
        "closedAt",
    }
)


class UpdateModel(CamelModel):
    """Base of the bodies of partial updates (``PUT``), made for GET-modify-PUT: a client may send back the
    resource as it read it, with some fields changed.

    ``read_model`` is the resource as GET answers it. Its fields this body cannot change (``id``,
    ``createdAt``, ``status``, counters, ...) are read-only: set aside at validation, then compared by
    ``check_read_only`` with the resource's current values: the same value is accepted and ignored, a
    different one is a 422 naming the field — except the values the server moves by itself
    (``SERVER_MOVED``: counters, ``updatedAt``), ignored whatever was sent. Any other unknown field is
    refused, as by every request body.
    """

    read_model: ClassVar[type[BaseModel]]
    _read_only_sent: dict[str, Any] = PrivateAttr(default_factory=dict)

    @classmethod
    def read_only_fields(cls) -> frozenset[str]:
        """Wire names of the read model's fields that this body does not take."""
        return _read_only_fields(cls)

    @model_validator(mode="wrap")
    @classmethod
    def _set_read_only_aside(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        sent: dict[str, Any] = {}
        if isinstance(data, dict):
            read_only = cls.read_only_fields()
            sent = {key: value for key, value in data.items() if key in read_only}
            if sent:
                data = {key: value for key, value in data.items() if key not in sent}
        model = handler(data)
        model._read_only_sent = sent
        return model

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The read-only fields are documented too (``readOnly``), so a client validating its body against
        the OpenAPI document may send the resource back."""
        json_schema = handler.resolve_ref_schema(handler(schema))
        properties = json_schema.setdefault("properties", {})
        for name in sorted(cls.read_only_fields()):
            properties[name] = {"readOnly": True, "description": READ_ONLY_MESSAGE}
        return json_schema

    async def check_read_only(self, current: Callable[[], Awaitable[BaseModel]]) -> None:
        """A 422 naming each read-only field sent with a value other than the resource's current one.
        ``current`` reads the resource as GET answers it; it is called only when read-only fields came."""
        if not self._read_only_sent:
            return
        answered = (await current()).model_dump(mode="json", by_alias=True)
        differ = [
            name
            for name, value in self._read_only_sent.items()
            if name not in SERVER_MOVED and not same_value(value, answered.get(name))
        ]
        if differ:
            error = ValidationFailed(differ[0], READ_ONLY_MESSAGE, detail=f"Read-only: {', '.join(differ)}.")
            error.errors = [FieldError(field=name, message=READ_ONLY_MESSAGE) for name in differ]
            raise error


@functools.cache
def _read_only_fields(model: type[UpdateModel]) -> frozenset[str]:
    def wire_names(fields: type[BaseModel]) -> set[str]:
        return {field.alias or name for name, field in fields.model_fields.items()}

    return frozenset(wire_names(model.read_model) - wire_names(model))


def same_value(sent: Any, answered: Any) -> bool:
    """Does a value sent back equal the one answered (both JSON)? The same instant in another notation
    (``+00:00``, milliseconds) and the same amount as a number (``25`` for ``"25.00"``) count as equal."""
    if isinstance(sent, bool) or isinstance(answered, bool):
        return type(sent) is type(answered) and sent == answered
    if isinstance(sent, dict) and isinstance(answered, dict):
        return sent.keys() == answered.keys() and all(same_value(sent[k], answered[k]) for k in sent)
    if isinstance(sent, list) and isinstance(answered, list):
        return len(sent) == len(answered) and all(map(same_value, sent, answered))
    if sent == answered:
        return True
    if not isinstance(answered, str) or not isinstance(sent, str | int | float):
        return False
    return _same_instant(sent, answered) or _same_number(sent, answered)


def _same_instant(sent: object, answered: str) -> bool:
    if not isinstance(sent, str):
        return False
    try:
        a, b = datetime.fromisoformat(sent), datetime.fromisoformat(answered)
        return a.tzinfo is not None and b.tzinfo is not None and a == b
    except ValueError:
        return False


def _same_number(sent: str | int | float, answered: str) -> bool:
    try:
        return Decimal(str(sent)) == Decimal(answered)
    except (InvalidOperation, ValueError):
        return False


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


def window_edge(value: datetime) -> datetime:
    """``to_utc``, moved to the nearest edge of the window when outside it. Nothing stored lies outside, so a
    cursor such as the epoch selects what it selected before, and code may still add or subtract margins."""
    return min(max(to_utc(value), EARLIEST_INSTANT), LATEST_INSTANT)


# Every instant a request gives is one of these, converted to UTC before any code sees it.
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
"""With an offset, any date that exists in UTC: a device's clock reading (a scan's ``scannedAt``)."""
CursorInstant = Annotated[
    AwareDatetime,
    AfterValidator(window_edge),
    Field(description="ISO 8601 with an offset; a previous answer's time, e.g. syncedAt."),
]
"""A position in stored history (the sync bundle's ``since``): with an offset, moved into the window."""
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

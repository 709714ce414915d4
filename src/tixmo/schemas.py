"""Shared API schema pieces: camelCase models, pagination, money."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field
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

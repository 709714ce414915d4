"""Bulk creation: ``POST /events/{id}/ticket-types/bulk`` and ``POST /promo-codes/bulk``.

Up to ``MAX_ITEMS`` items in the request's one transaction, each made by the same service call as the
single-item route (same rules, same audit entries): all or nothing. A refused item fails the whole
request with the error that single route would give, its fields named ``items.<index>.<field>``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, status
from pydantic import Field

from tixmo.db import utcnow
from tixmo.deps import CurrentUser, DbSession
from tixmo.errors import FieldError, TixmoError, problems
from tixmo.promos import service as promos
from tixmo.promos.router import promo_read
from tixmo.promos.schemas import PromoCodeCreate, PromoCodeRead
from tixmo.schemas import CamelModel, EventIdPath, ReadModel
from tixmo.ticketing import service as ticketing
from tixmo.ticketing.router import ticket_type_read
from tixmo.ticketing.schemas import TicketTypeCreate, TicketTypeRead

MAX_ITEMS = 500

ticket_types_router = APIRouter(tags=["ticket-types"])
promo_codes_router = APIRouter(tags=["promo-codes"])

T = TypeVar("T")
R = TypeVar("R")


class TicketTypesBulkCreate(CamelModel):
    items: Annotated[list[TicketTypeCreate], Field(min_length=1, max_length=MAX_ITEMS)]


class TicketTypesBulkCreated(ReadModel):
    data: list[TicketTypeRead]


class PromoCodesBulkCreate(CamelModel):
    items: Annotated[list[PromoCodeCreate], Field(min_length=1, max_length=MAX_ITEMS)]


class PromoCodesBulkCreated(ReadModel):
    data: list[PromoCodeRead]


async def _each(items: list[T], make: Callable[[T], Awaitable[R]]) -> list[R]:
    """``make`` each item in order; a refusal names the item's index in its fields and detail."""
    made = []
    for index, item in enumerate(items):
        try:
            made.append(await make(item))
        except TixmoError as exc:
            prefix = f"items.{index}"
            exc.errors = [FieldError(field=f"{prefix}.{e.field}", message=e.message) for e in exc.errors] or [
                FieldError(field=prefix, message=exc.detail)
            ]
            exc.detail = f"Item {index}: {exc.detail}"
            exc.extra = {**exc.extra, "index": index}
            raise
    return made


@ticket_types_router.post(
    "/events/{eventId}/ticket-types/bulk",
    status_code=status.HTTP_201_CREATED,
    response_model=TicketTypesBulkCreated,
    responses=problems(401, 404, 409, 422),
    summary=f"Create up to {MAX_ITEMS} ticket types at once (org staff; all or nothing)",
)
async def create_ticket_types(
    event_id: EventIdPath, body: TicketTypesBulkCreate, actor: CurrentUser, session: DbSession
) -> TicketTypesBulkCreated:
    made = await _each(body.items, lambda item: ticketing.create(session, actor, event_id, item))
    now = utcnow()
    return TicketTypesBulkCreated(
        data=[ticket_type_read(ticket_type, event, now) for ticket_type, event in made]
    )


@promo_codes_router.post(
    "/promo-codes/bulk",
    status_code=status.HTTP_201_CREATED,
    response_model=PromoCodesBulkCreated,
    responses=problems(401, 404, 409, 422),
    summary=f"Create up to {MAX_ITEMS} promo codes at once (org staff; all or nothing)",
)
async def create_promo_codes(
    body: PromoCodesBulkCreate, actor: CurrentUser, session: DbSession
) -> PromoCodesBulkCreated:
    made = await _each(body.items, lambda item: promos.create(session, actor, item))
    return PromoCodesBulkCreated(data=[promo_read(promo) for promo in made])

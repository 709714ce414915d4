"""``/promo-codes`` endpoints: management for org staff, and ``validate`` for anyone."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from tixmo.db import utcnow
from tixmo.deps import ClientIP, Context, CurrentUser, DbSession, OptionalUser
from tixmo.errors import problems
from tixmo.promos import service
from tixmo.promos.models import PromoCode, PromoStatus
from tixmo.promos.schemas import (
    PromoCodeCreate,
    PromoCodeIdPath,
    PromoCodeRead,
    PromoCodeUpdate,
    PromoCodeValidate,
    PromoCodeValidation,
)
from tixmo.schemas import Page, Pagination

router = APIRouter(tags=["promo-codes"])

# Validate is limited per client IP (``TIXMO_RATE_LIMIT_PROMO_VALIDATE``): it tells whether a code exists,
# so it must not serve as a code-guessing oracle.


def promo_read(promo: PromoCode) -> PromoCodeRead:
    return PromoCodeRead(
        id=promo.id,
        event_id=promo.event_id,
        code=promo.code,
        discount_type=promo.discount_type,
        discount_value=promo.discount_value,
        max_uses=promo.max_uses,
        used_count=promo.used_count,
        remaining_uses=max(0, promo.max_uses - promo.used_count) if promo.max_uses is not None else None,
        min_order_amount=promo.min_order_amount_minor,
        valid_from=promo.valid_from,
        valid_until=promo.valid_until,
        ticket_type_ids=promo.ticket_type_ids,
        status=promo.status,
        created_at=promo.created_at,
        updated_at=promo.updated_at,
    )


@router.post(
    "/promo-codes/validate",
    response_model=PromoCodeValidation,
    responses=problems(401, 404, 409, 429),
    summary="Check a promo code against items and quote the discount (anyone; rate-limited per IP)",
)
async def validate_promo_code(
    body: PromoCodeValidate, viewer: OptionalUser, session: DbSession, context: Context, ip: ClientIP
) -> PromoCodeValidation:
    await context.rate_limiter.hit(context.settings.rate_limit_promo_validate, "promo-validate", ip)
    result = await service.quote(
        session, viewer, body, utcnow(), max_tickets=context.settings.order_max_tickets
    )
    return PromoCodeValidation(
        valid=result.valid,
        code=result.code,
        discount=result.discount_minor,
        subtotal=result.subtotal_minor,
        total=result.total_minor,
        currency=result.currency,
        reason=result.reason,
    )


@router.post(
    "/promo-codes",
    status_code=status.HTTP_201_CREATED,
    response_model=PromoCodeRead,
    responses=problems(401, 404, 409),
    summary="Create a promo code for an event (org staff)",
)
async def create_promo_code(body: PromoCodeCreate, actor: CurrentUser, session: DbSession) -> PromoCodeRead:
    return promo_read(await service.create(session, actor, body))


@router.get(
    "/promo-codes",
    response_model=Page[PromoCodeRead],
    responses=problems(401, 404),
    summary="Promo codes of the caller's organizations' events (ADMIN: all)",
)
async def list_promo_codes(
    actor: CurrentUser,
    session: DbSession,
    paging: Pagination,
    event_id: Annotated[
        uuid.UUID | None, Query(alias="eventId", description="One event's codes (404 unless its staff).")
    ] = None,
    status_filter: Annotated[PromoStatus | None, Query(alias="status")] = None,
) -> Page[PromoCodeRead]:
    promos, total = await service.list_for(
        session, actor, event_id=event_id, status=status_filter, offset=paging.offset, limit=paging.limit
    )
    return paging.build([promo_read(promo) for promo in promos], total)


@router.get(
    "/promo-codes/{promoCodeId}",
    response_model=PromoCodeRead,
    responses=problems(401, 404),
    summary="Get a promo code (org staff)",
)
async def get_promo_code(
    promo_code_id: PromoCodeIdPath, actor: CurrentUser, session: DbSession
) -> PromoCodeRead:
    return promo_read(await service.get_for_staff(session, actor, promo_code_id))


@router.put(
    "/promo-codes/{promoCodeId}",
    response_model=PromoCodeRead,
    responses=problems(401, 404, 409),
    summary="Update a promo code (org staff; partial; maxUses not below usedCount)",
)
async def update_promo_code(
    promo_code_id: PromoCodeIdPath, body: PromoCodeUpdate, actor: CurrentUser, session: DbSession
) -> PromoCodeRead:
    await body.check_read_only(lambda: get_promo_code(promo_code_id, actor, session))
    return promo_read(await service.update_promo(session, actor, promo_code_id, body))


@router.delete(
    "/promo-codes/{promoCodeId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 404, 409),
    summary="Delete a promo code (org staff; only one never used — disable it instead)",
)
async def delete_promo_code(
    promo_code_id: PromoCodeIdPath, actor: CurrentUser, session: DbSession
) -> Response:
    await service.delete_promo(session, actor, promo_code_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

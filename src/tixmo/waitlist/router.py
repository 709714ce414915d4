"""``/events/{id}/waitlist`` and ``/waitlist`` endpoints (docs/waitlist.md)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from starlette.responses import Response

from tixmo.config import Settings
from tixmo.deps import Context, CurrentUser, DbSession
from tixmo.errors import problems
from tixmo.idempotency.service import IdempotencyKey
from tixmo.orders.router import order_read
from tixmo.orders.schemas import OrderRead
from tixmo.schemas import EventIdPath, Page, Pagination
from tixmo.waitlist import service
from tixmo.waitlist.models import WaitlistStatus
from tixmo.waitlist.schemas import (
    WaitlistEntryRead,
    WaitlistJoin,
    WaitlistPage,
    WaitlistSettingsRead,
    WaitlistSettingsUpdate,
    WaitlistTypeCounts,
)
from tixmo.waitlist.service import EntryView

router = APIRouter(tags=["waitlist"])

WaitlistIdPath = Annotated[uuid.UUID, Path(alias="waitlistId")]
StatusFilter = Annotated[WaitlistStatus | None, Query(alias="status")]


def _offer_for(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.waitlist_offer_minutes)


def claim_url(settings: Settings, entry_id: uuid.UUID) -> str:
    return f"{settings.public_url}/api/v1/waitlist/{entry_id}/claim"


def entry_read(settings: Settings, found: EntryView) -> WaitlistEntryRead:
    entry = found.entry
    offered = entry.status == WaitlistStatus.OFFERED.value
    return WaitlistEntryRead(
        id=entry.id,
        event_id=entry.event_id,
        ticket_type_id=entry.ticket_type_id,
        user_id=entry.user_id,
        quantity=entry.quantity,
        status=WaitlistStatus(entry.status),
        position=found.position,
        held_quantity=entry.quantity if offered else 0,
        offer_ticket_type_id=entry.offer_ticket_type_id,
        offered_at=entry.offered_at,
        offer_expires_at=entry.offer_expires_at,
        claim_url=claim_url(settings, entry.id) if offered else None,
        order_id=entry.order_id,
        created_at=entry.created_at,
        ended_at=entry.ended_at,
    )


@router.post(
    "/events/{eventId}/waitlist",
    status_code=status.HTTP_201_CREATED,
    response_model=WaitlistEntryRead,
    responses=problems(401, 404, 409),
    summary="Join the event's waitlist (only when what you ask for is sold out)",
    description="`ticketTypeId` omitted: any general-admission ticket type of the event (all of them must "
    "be sold out). One active entry per person per ticket type. Tickets that come back are offered in "
    "join order to the first entry they fit (docs/waitlist.md).",
)
async def join_waitlist(
    event_id: EventIdPath, body: WaitlistJoin, user: CurrentUser, session: DbSession, context: Context
) -> WaitlistEntryRead:
    found = await service.join(
        session,
        user,
        event_id,
        body,
        offer_for=_offer_for(context.settings),
        max_tickets=context.settings.order_max_tickets,
    )
    return entry_read(context.settings, found)


@router.get(
    "/events/{eventId}/waitlist",
    response_model=WaitlistPage,
    responses=problems(401, 404),
    summary="The event's waitlist (org staff): entries in join order with positions, counts per ticket type",
)
async def event_waitlist(
    event_id: EventIdPath,
    actor: CurrentUser,
    session: DbSession,
    context: Context,
    paging: Pagination,
    entry_status: StatusFilter = None,
) -> WaitlistPage:
    views, total, counts = await service.event_entries(
        session, actor, event_id, status=entry_status, offset=paging.offset, limit=paging.limit
    )
    page = paging.build([entry_read(context.settings, found) for found in views], total)
    return WaitlistPage(
        data=page.data,
        meta=page.meta,
        counts=[WaitlistTypeCounts.model_validate(count, from_attributes=True) for count in counts],
    )


@router.get(
    "/events/{eventId}/waitlist/settings",
    response_model=WaitlistSettingsRead,
    responses=problems(401, 404),
    summary="Whether the event's waitlist is open (org staff)",
)
async def waitlist_settings(
    event_id: EventIdPath, actor: CurrentUser, session: DbSession
) -> WaitlistSettingsRead:
    enabled = await service.get_settings(session, actor, event_id)
    return WaitlistSettingsRead(event_id=event_id, enabled=enabled)


@router.put(
    "/events/{eventId}/waitlist/settings",
    response_model=WaitlistSettingsRead,
    responses=problems(401, 404),
    summary="Open or close the event's waitlist (org staff)",
    description="Closing cancels the WAITING entries; offers already made stay claimable until they run "
    "out, and their tickets then go back on sale.",
)
async def update_waitlist_settings(
    event_id: EventIdPath,
    body: WaitlistSettingsUpdate,
    actor: CurrentUser,
    session: DbSession,
    context: Context,
) -> WaitlistSettingsRead:
    enabled = await service.set_enabled(
        session, actor, event_id, body.enabled, offer_for=_offer_for(context.settings)
    )
    return WaitlistSettingsRead(event_id=event_id, enabled=enabled)


@router.get(
    "/waitlist",
    response_model=Page[WaitlistEntryRead],
    responses=problems(401),
    summary="Your waitlist entries, with positions and offers",
)
async def my_waitlist(
    user: CurrentUser,
    session: DbSession,
    context: Context,
    paging: Pagination,
    entry_status: StatusFilter = None,
) -> Page[WaitlistEntryRead]:
    views, total = await service.my_entries(
        session, user, status=entry_status, offset=paging.offset, limit=paging.limit
    )
    return paging.build([entry_read(context.settings, found) for found in views], total)


@router.get(
    "/waitlist/{waitlistId}",
    response_model=WaitlistEntryRead,
    responses=problems(401, 404),
    summary="One of your waitlist entries",
)
async def get_entry(
    entry_id: WaitlistIdPath, user: CurrentUser, session: DbSession, context: Context
) -> WaitlistEntryRead:
    return entry_read(context.settings, await service.get_own(session, user, entry_id))


@router.delete(
    "/waitlist/{waitlistId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 404, 409),
    summary="Leave the waitlist (an offer you hold goes to the next person)",
)
async def leave_waitlist(
    entry_id: WaitlistIdPath, user: CurrentUser, session: DbSession, context: Context
) -> Response:
    await service.leave(session, user, entry_id, offer_for=_offer_for(context.settings))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/waitlist/{waitlistId}/claim",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderRead,
    responses=problems(401, 404, 409),
    summary="Claim your offer: the held tickets become a PENDING order (201, the order)",
    description="At the ticket type's price now; pay it like any order before its `expiresAt`. "
    "409 `INVALID_STATE` when the entry is not OFFERED or the offer ran out.",
)
async def claim_offer(
    entry_id: WaitlistIdPath,
    user: CurrentUser,
    session: DbSession,
    context: Context,
    idempotency: IdempotencyKey,
) -> Response:
    async def claim() -> OrderRead:
        hold = timedelta(minutes=context.settings.order_hold_minutes)
        details = await service.claim(
            session, user, entry_id, hold=hold, offer_for=_offer_for(context.settings)
        )
        return order_read(details)

    return await idempotency.run(session, user.id, status.HTTP_201_CREATED, claim)

"""``/events`` endpoints: the public catalogue and the organizers' lifecycle actions."""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.analytics import pageviews
from tixmo.deps import Context, CurrentUser, DbSession, OptionalUser
from tixmo.errors import problems
from tixmo.events import service
from tixmo.events.models import EventCategory, EventStatus, RefundPolicy
from tixmo.events.schemas import EventCreate, EventRead, EventSort, EventUpdate, PriceRange
from tixmo.media import service as media
from tixmo.media.models import Image
from tixmo.media.schemas import cover_and_gallery
from tixmo.media.storage import Storage
from tixmo.schemas import EventIdPath, FilterInstant, Page, Pagination

router = APIRouter(prefix="/events", tags=["events"])


async def event_reads(
    session: AsyncSession, context: Context, items: list[service.EventView]
) -> list[EventRead]:
    """The reads of a page of events, with their images from one query for the whole page."""
    images = await media.images_of(session, media.OwnerKind.EVENT, [item.event.id for item in items])
    storage = context.media.storage
    return [event_read(item, images.get(item.event.id, []), storage) for item in items]


async def one_read(session: AsyncSession, context: Context, item: service.EventView) -> EventRead:
    return (await event_reads(session, context, [item]))[0]


def event_read(item: service.EventView, images: list[Image], storage: Storage) -> EventRead:
    event = item.event
    cover_image, gallery = cover_and_gallery(images, storage)
    zone = ZoneInfo(event.timezone)
    price_range = (
        PriceRange(
            min=item.price_range.min_minor, max=item.price_range.max_minor, currency=item.price_range.currency
        )
        if item.price_range is not None
        else None
    )
    return EventRead(
        id=event.id,
        organization_id=event.organization_id,
        venue_id=event.venue_id,
        series_id=event.series_id,
        name=event.name,
        description=event.description,
        category=EventCategory(event.category),
        tags=list(event.tags),
        starts_at=event.starts_at.astimezone(UTC),
        ends_at=event.ends_at.astimezone(UTC),
        starts_at_local=event.starts_at.astimezone(zone).isoformat(),
        ends_at_local=event.ends_at.astimezone(zone).isoformat(),
        timezone=event.timezone,
        capacity=event.capacity,
        max_per_buyer=event.max_per_buyer,
        image_url=event.image_url,
        transfers_allowed=event.transfers_allowed,
        currency=event.currency,
        refund_policy=RefundPolicy(event.refund_policy),
        refund_deadline_hours=event.refund_deadline_hours,
        suspend_tickets_on_dispute=event.suspend_tickets_on_dispute,
        status=EventStatus(event.status),
        sold_out=item.sold_out,
        published_at=event.published_at,
        cancelled_at=event.cancelled_at,
        created_at=event.created_at,
        updated_at=event.updated_at,
        price_range=price_range,
        cover_image=cover_image,
        images=gallery,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=EventRead,
    responses=problems(401, 404),
    summary="Create an event (org staff); it starts as DRAFT",
    description="An unknown `organizationId` (or one the caller is not staff of) is 404. A `venueId` that "
    "is not a live venue of that organization is 422 naming `venueId`.",
)
async def create_event(
    body: EventCreate, actor: CurrentUser, session: DbSession, context: Context
) -> EventRead:
    event = await service.create(session, actor, body)
    return await one_read(session, context, await service.view(session, event))


@router.get(
    "",
    response_model=Page[EventRead],
    responses=problems(401),
    summary="Search and list events",
    description="Without a token: PUBLISHED events only. Org staff also see their organizations' events in "
    "every status; ADMIN sees all. `q` is a full-text prefix search over name and description (every word "
    "must match; results ordered by relevance unless `sort` is given). `from` is inclusive and `to` "
    "exclusive, both on `startsAt`. Several `tag` parameters must all match.",
)
async def list_events(
    viewer: OptionalUser,
    session: DbSession,
    context: Context,
    paging: Pagination,
    q: Annotated[str | None, Query(max_length=200, description="Words to search for.")] = None,
    category: EventCategory | None = None,
    tag: Annotated[list[str] | None, Query(max_length=20, description="A tag (repeatable).")] = None,
    venue_id: Annotated[uuid.UUID | None, Query(alias="venueId")] = None,
    organization_id: Annotated[uuid.UUID | None, Query(alias="organizationId")] = None,
    starts_from: Annotated[
        FilterInstant | None, Query(alias="from", description="startsAt ≥ from (UTC without an offset).")
    ] = None,
    starts_to: Annotated[
        FilterInstant | None, Query(alias="to", description="startsAt < to (UTC without an offset).")
    ] = None,
    event_status: Annotated[EventStatus | None, Query(alias="status")] = None,
    sort: EventSort | None = None,
) -> Page[EventRead]:
    filters = service.EventFilters(
        q=q,
        category=category.value if category else None,
        tags=sorted({value.strip().lower() for value in tag or [] if value.strip()}),
        venue_id=venue_id,
        organization_id=organization_id,
        starts_from=starts_from,
        starts_to=starts_to,
        status=event_status.value if event_status else None,
        sort=sort,
    )
    items, total = await service.list_events(
        session, viewer, filters, offset=paging.offset, limit=paging.limit
    )
    return paging.build(await event_reads(session, context, items), total)


@router.get(
    "/{eventId}",
    response_model=EventRead,
    responses=problems(401, 404),
    summary="Get an event (PUBLISHED/CANCELLED/COMPLETED are public; a DRAFT only for org staff)",
)
async def get_event(
    event_id: EventIdPath, viewer: OptionalUser, session: DbSession, context: Context
) -> EventRead:
    return await _read(session, context, viewer, event_id, count=True)


async def _read(
    session: AsyncSession, context: Context, viewer: User | None, event_id: uuid.UUID, *, count: bool = False
) -> EventRead:
    """The event as ``GET /events/{id}`` answers it; ``count``: a page view for the funnel."""
    view = await service.get_visible(session, viewer, event_id)
    return await one_read(session, context, pageviews.counted(view) if count else view)


@router.put(
    "/{eventId}",
    response_model=EventRead,
    responses=problems(401, 404, 409),
    summary="Update an event (org staff; partial; not once CANCELLED or COMPLETED)",
)
async def update_event(
    event_id: EventIdPath, body: EventUpdate, actor: CurrentUser, session: DbSession, context: Context
) -> EventRead:
    await body.check_read_only(
        lambda: _read(session, context, actor, event_id)  # as GET answers it, not counted as a page view
    )
    event = await service.update(session, actor, event_id, body)
    return await one_read(session, context, await service.view(session, event))


@router.delete(
    "/{eventId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 404, 409),
    summary="Delete an event (org staff; only a DRAFT without orders)",
)
async def delete_event(event_id: EventIdPath, actor: CurrentUser, session: DbSession) -> Response:
    await service.delete(session, actor, event_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{eventId}/publish",
    response_model=EventRead,
    responses=problems(401, 404, 409),
    summary="Publish a DRAFT event (needs a ticket type, a future start, tickets within capacity)",
)
async def publish_event(
    event_id: EventIdPath, actor: CurrentUser, session: DbSession, context: Context
) -> EventRead:
    event = await service.publish(session, actor, event_id)
    return await one_read(session, context, await service.view(session, event))


@router.post(
    "/{eventId}/cancel",
    response_model=EventRead,
    responses=problems(401, 404, 409),
    summary="Cancel a DRAFT or PUBLISHED event (pending orders cancelled, paid orders refunded)",
)
async def cancel_event(
    event_id: EventIdPath, actor: CurrentUser, session: DbSession, context: Context
) -> EventRead:
    event = await service.cancel(session, actor, event_id)
    return await one_read(session, context, await service.view(session, event))

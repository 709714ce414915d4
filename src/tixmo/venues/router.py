"""``/venues`` endpoints (org staff)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.deps import Context, CurrentUser, DbSession
from tixmo.errors import problems
from tixmo.media import service as media
from tixmo.media.models import Image
from tixmo.media.schemas import cover_and_gallery
from tixmo.media.storage import Storage
from tixmo.schemas import Page, Pagination, VenueIdPath
from tixmo.venues import service
from tixmo.venues.models import Venue
from tixmo.venues.schemas import AddressRead, VenueCreate, VenueRead, VenueUpdate, seat_count

router = APIRouter(prefix="/venues", tags=["venues"])


async def venue_reads(session: AsyncSession, context: Context, venues: list[Venue]) -> list[VenueRead]:
    """The reads of a page of venues, with their images from one query for the whole page."""
    images = await media.images_of(session, media.OwnerKind.VENUE, [venue.id for venue in venues])
    return [venue_read(venue, images.get(venue.id, []), context.media.storage) for venue in venues]


async def one_read(session: AsyncSession, context: Context, venue: Venue) -> VenueRead:
    return (await venue_reads(session, context, [venue]))[0]


def venue_read(venue: Venue, images: list[Image], storage: Storage) -> VenueRead:
    cover_image, gallery = cover_and_gallery(images, storage)
    return VenueRead(
        id=venue.id,
        organization_id=venue.organization_id,
        name=venue.name,
        address=AddressRead(
            line1=venue.address_line1,
            line2=venue.address_line2,
            city=venue.city,
            state=venue.state,
            postal_code=venue.postal_code,
            country=venue.country,
        ),
        capacity=venue.capacity,
        timezone=venue.timezone,
        seating_chart=venue.seating_chart,
        seat_count=seat_count(venue.seating_chart),
        created_at=venue.created_at,
        updated_at=venue.updated_at,
        cover_image=cover_image,
        images=gallery,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=VenueRead,
    responses=problems(401, 404),
    summary="Create a venue (org staff)",
)
async def create_venue(
    body: VenueCreate, actor: CurrentUser, session: DbSession, context: Context
) -> VenueRead:
    return await one_read(session, context, await service.create(session, actor, body))


@router.get(
    "",
    response_model=Page[VenueRead],
    responses=problems(401),
    summary="Venues of the caller's organizations (ADMIN: all)",
)
async def list_venues(
    actor: CurrentUser,
    session: DbSession,
    context: Context,
    paging: Pagination,
    organization_id: Annotated[uuid.UUID | None, Query(alias="organizationId")] = None,
    city: Annotated[str | None, Query(max_length=100, description="Exact city, case-insensitive.")] = None,
    search: Annotated[str | None, Query(max_length=200, description="Part of the venue name.")] = None,
) -> Page[VenueRead]:
    venues, total = await service.list_for(
        session,
        actor,
        organization_id=organization_id,
        city=city,
        search=search,
        offset=paging.offset,
        limit=paging.limit,
    )
    return paging.build(await venue_reads(session, context, venues), total)


@router.get("/{venueId}", response_model=VenueRead, responses=problems(401, 404), summary="Get a venue")
async def get_venue(
    venue_id: VenueIdPath, actor: CurrentUser, session: DbSession, context: Context
) -> VenueRead:
    return await one_read(session, context, await service.get_visible(session, actor, venue_id))


@router.put(
    "/{venueId}",
    response_model=VenueRead,
    responses=problems(401, 404),
    summary="Update a venue (org staff; partial, address fields too)",
)
async def update_venue(
    venue_id: VenueIdPath, body: VenueUpdate, actor: CurrentUser, session: DbSession, context: Context
) -> VenueRead:
    await body.check_read_only(lambda: get_venue(venue_id, actor, session, context))
    return await one_read(session, context, await service.update(session, actor, venue_id, body))


@router.delete(
    "/{venueId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 404, 409),
    summary="Delete a venue (soft; refused while a non-cancelled event uses it)",
)
async def delete_venue(venue_id: VenueIdPath, actor: CurrentUser, session: DbSession) -> Response:
    await service.delete(session, actor, venue_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

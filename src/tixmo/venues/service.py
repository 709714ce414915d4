"""Venues: create, list, read, update, soft delete; visible only to the owning organization's staff."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.db import fetch_page, like_pattern, utcnow
from tixmo.errors import Conflict, NotFound, ValidationFailed
from tixmo.events.models import Event, EventStatus
from tixmo.media import service as media
from tixmo.media.service import Owner, OwnerKind
from tixmo.organizations import service as organizations
from tixmo.schemas import partial_changes
from tixmo.seating.models import EventSeat
from tixmo.venues.models import Venue
from tixmo.venues.schemas import VenueCreate, VenueUpdate, seat_count

ADDRESS_COLUMNS = {
    "line1": "address_line1",
    "line2": "address_line2",
    "city": "city",
    "state": "state",
    "postal_code": "postal_code",
    "country": "country",
}
REQUIRED_FIELDS = ("name", "address", "capacity", "timezone")
REQUIRED_ADDRESS_FIELDS = ("line1", "city", "postal_code", "country")


def snapshot(venue: Venue) -> dict[str, Any]:
    return {
        "name": venue.name,
        "addressLine1": venue.address_line1,
        "addressLine2": venue.address_line2,
        "city": venue.city,
        "state": venue.state,
        "postalCode": venue.postal_code,
        "country": venue.country,
        "capacity": venue.capacity,
        "timezone": venue.timezone,
        "seatCount": seat_count(venue.seating_chart),
    }


# ------------------------------------------------------------------------------------ tenant scoping


def visible_venues(user: User) -> Select[Venue]:
    """Live venues ``user`` may see: those of their organizations (ADMIN: all)."""
    query = select(Venue).where(Venue.deleted_at.is_(None))
    scope = organizations.staff_scope(user, Venue.organization_id)
    return query if scope is None else query.where(scope)


async def get_visible(
    session: AsyncSession, user: User, venue_id: uuid.UUID, *, for_update: bool = False
) -> Venue:
    """The venue, if the caller is staff of its organization; 404 otherwise."""
    query = visible_venues(user).where(Venue.id == venue_id)
    if for_update:
        query = query.with_for_update(of=Venue)
    venue = await session.scalar(query)
    if venue is None:
        raise NotFound("Venue not found.")
    return venue


async def get_for_organization(
    session: AsyncSession, organization_id: uuid.UUID, venue_id: uuid.UUID
) -> Venue | None:
    """A live venue of ``organization_id`` (used by events; the caller already checked staff).

    The row is share-locked so a concurrent venue delete waits for this transaction to finish.
    """
    venue: Venue | None = await session.scalar(
        select(Venue)
        .where(Venue.id == venue_id, Venue.organization_id == organization_id, Venue.deleted_at.is_(None))
        .with_for_update(read=True)
    )
    return venue


def _check_seats(capacity: int, chart: dict[str, Any] | None) -> None:
    seats = seat_count(chart)
    if seats > capacity:
        raise ValidationFailed(
            "seatingChart", f"The seating chart has {seats} seats, more than the capacity of {capacity}."
        )


# ------------------------------------------------------------------------------------------ commands


async def create(session: AsyncSession, actor: User, data: VenueCreate) -> Venue:
    await organizations.require_staff(session, actor, data.organization_id, keep=True)  # see events.create
    chart = data.seating_chart.model_dump(by_alias=True) if data.seating_chart else None
    _check_seats(data.capacity, chart)
    venue = Venue(
        organization_id=data.organization_id,
        name=data.name,
        address_line1=data.address.line1,
        address_line2=data.address.line2,
        city=data.address.city,
        state=data.address.state,
        postal_code=data.address.postal_code,
        country=data.address.country,
        capacity=data.capacity,
        timezone=data.timezone,
        seating_chart=chart,
    )
    session.add(venue)
    await session.flush()
    await audit.record(
        session,
        action="venue.created",
        entity_type="venue",
        entity_id=venue.id,
        actor_id=actor.id,
        organization_id=venue.organization_id,
        after=snapshot(venue),
    )
    return venue


async def list_for(
    session: AsyncSession,
    actor: User,
    *,
    organization_id: uuid.UUID | None,
    city: str | None,
    search: str | None,
    offset: int,
    limit: int,
) -> tuple[list[Venue], int]:
    query = visible_venues(actor)
    if organization_id is not None:
        query = query.where(Venue.organization_id == organization_id)
    if city:
        query = query.where(func.lower(Venue.city) == city.strip().lower())
    if search:
        query = query.where(Venue.name.ilike(like_pattern(search), escape="\\"))
    return await fetch_page(session, query, Venue.name, Venue.id, offset=offset, limit=limit)


async def _check_mapped_seats_kept(session: AsyncSession, venue: Venue, chart: dict[str, Any] | None) -> None:
    """A new chart must keep every seat that an open event here sells (its ticket types map them)."""
    kept = {
        (section["name"], row["name"], label)
        for section in (chart or {}).get("sections", [])
        for row in section["rows"]
        for label in row.get("seats", [])
    }
    mapped = await session.execute(
        select(EventSeat.section, EventSeat.row, EventSeat.label)
        .join(Event, Event.id == EventSeat.event_id)
        .where(
            Event.venue_id == venue.id,
            Event.status.in_([EventStatus.DRAFT.value, EventStatus.PUBLISHED.value]),
        )
        .distinct()
        .order_by(EventSeat.section, EventSeat.row, EventSeat.label)
    )
    missing = [
        f"{section} / {row} / {label}"
        for section, row, label in mapped.all()
        if (section, row, label) not in kept
    ]
    if missing:
        raise Conflict(
            f"{len(missing)} seats that events here sell would leave the chart (e.g. {missing[0]}); "
            "unmap them from the ticket types first.",
            extra={"missingSeats": missing[:100]},
        )


async def update(session: AsyncSession, actor: User, venue_id: uuid.UUID, data: VenueUpdate) -> Venue:
    venue = await get_visible(session, actor, venue_id, for_update=True)
    changes = partial_changes(data, REQUIRED_FIELDS)
    address: dict[str, Any] = {}
    if data.address is not None:
        address = partial_changes(data.address, REQUIRED_ADDRESS_FIELDS, prefix="address.")
    changes.pop("address", None)
    capacity = changes.get("capacity", venue.capacity)
    chart = changes.get("seating_chart", venue.seating_chart)
    _check_seats(capacity, chart)
    if "seating_chart" in changes:
        await _check_mapped_seats_kept(session, venue, chart)

    before = {**snapshot(venue), "seatingChart": venue.seating_chart}
    for field, value in address.items():
        setattr(venue, ADDRESS_COLUMNS[field], value)
    for field, value in changes.items():
        setattr(venue, field, value)
    await session.flush()
    await audit.record_changes(
        session,
        action="venue.updated",
        entity_type="venue",
        entity_id=venue.id,
        actor_id=actor.id,
        organization_id=venue.organization_id,
        before=before,
        after={**snapshot(venue), "seatingChart": venue.seating_chart},
    )
    return venue


async def delete(session: AsyncSession, actor: User, venue_id: uuid.UUID) -> None:
    """Soft delete. Refused (409 CONFLICT) while a non-cancelled event still takes place there."""
    venue = await get_visible(session, actor, venue_id, for_update=True)
    in_use = await session.scalar(
        select(exists().where(Event.venue_id == venue.id, Event.status != EventStatus.CANCELLED.value))
    )
    if in_use:
        raise Conflict("The venue is used by events that are not cancelled; move or cancel them first.")
    venue.deleted_at = utcnow()
    await session.flush()
    await media.release(session, media.OwnerKind.VENUE, venue.id)  # its images; their files by a job
    await audit.record(
        session,
        action="venue.deleted",
        entity_type="venue",
        entity_id=venue.id,
        actor_id=actor.id,
        organization_id=venue.organization_id,
        before=snapshot(venue),
    )


# ------------------------------------------------------------------------------ owner of images


async def image_owner_for_staff(session: AsyncSession, actor: User, venue_id: uuid.UUID, lock: bool) -> Owner:
    """The venue as the owner of images its staff change (``lock``: its row ``FOR UPDATE``)."""
    venue = await get_visible(session, actor, venue_id, for_update=lock)
    return Owner(OwnerKind.VENUE, venue.id, venue.organization_id)


async def image_owner_visible(session: AsyncSession, viewer: User | None, venue_id: uuid.UUID) -> Owner:
    """The venue as the owner of images ``viewer`` may see: its organization's staff only."""
    if viewer is None:
        raise NotFound("Venue not found.")
    venue = await get_visible(session, viewer, venue_id)
    return Owner(OwnerKind.VENUE, venue.id, venue.organization_id)

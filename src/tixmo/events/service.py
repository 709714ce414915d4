"""Events: the catalogue, its search, and the one state machine every status change goes through.

States: DRAFT → PUBLISHED → COMPLETED, and DRAFT | PUBLISHED → CANCELLED. ``transition`` is the only
code that writes ``status``; it checks the source state and writes the audit entry.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import ColumnElement, Select, and_, cast, exists, func, literal_column, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from tixmo import locks, pricing, signals
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.db import utcnow
from tixmo.errors import Conflict, InvalidState, NotFound, ValidationFailed
from tixmo.events.models import Event, EventStatus
from tixmo.events.schemas import EventCreate, EventSort, EventUpdate
from tixmo.events.signals import EventCancelled
from tixmo.locks import EventLock
from tixmo.media import service as media
from tixmo.media.service import Owner, OwnerKind
from tixmo.orders.models import Order
from tixmo.organizations import service as organizations
from tixmo.schemas import partial_changes
from tixmo.seating.models import EventSeat
from tixmo.ticketing.models import TicketType
from tixmo.venues import service as venues
from tixmo.venues.models import Venue

DEFAULT_TIMEZONE = "UTC"
MAX_SEARCH_TERMS = 8
MAX_TERM_LENGTH = 64

# target state -> the states it may be reached from
ALLOWED_SOURCES: dict[EventStatus, frozenset[EventStatus]] = {
    EventStatus.PUBLISHED: frozenset({EventStatus.DRAFT}),
    EventStatus.CANCELLED: frozenset({EventStatus.DRAFT, EventStatus.PUBLISHED}),
    EventStatus.COMPLETED: frozenset({EventStatus.PUBLISHED}),
}
PUBLIC_STATUSES = frozenset({EventStatus.PUBLISHED, EventStatus.CANCELLED, EventStatus.COMPLETED})
EDITABLE_STATUSES = frozenset({EventStatus.DRAFT, EventStatus.PUBLISHED})
REQUIRED_FIELDS = (
    "name",
    "category",
    "tags",
    "starts_at",
    "ends_at",
    "timezone",
    "refund_policy",
    "refund_deadline_hours",
    "transfers_allowed",
    "suspend_tickets_on_dispute",
)
EDITABLE_FIELDS = (
    "venue_id",
    "series_id",
    "name",
    "description",
    "category",
    "tags",
    "starts_at",
    "ends_at",
    "timezone",
    "capacity",
    "max_per_buyer",
    "image_url",
    "refund_policy",
    "refund_deadline_hours",
    "transfers_allowed",
    "suspend_tickets_on_dispute",
)


@dataclass(frozen=True)
class PriceRange:
    min_minor: int
    max_minor: int
    currency: str


@dataclass
class EventView:
    """An event with what its read model derives from its ticket types."""

    event: Event
    sold_out: bool
    price_range: PriceRange | None = None


@dataclass(frozen=True)
class EventFilters:
    q: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    venue_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    starts_from: datetime | None = None
    starts_to: datetime | None = None
    status: str | None = None
    sort: EventSort | None = None


def snapshot(event: Event) -> dict[str, Any]:
    return {to_camel(name): getattr(event, name) for name in EDITABLE_FIELDS}


# ------------------------------------------------------------------------------------ tenant scoping


def _staff_scope(user: User) -> ColumnElement[bool] | None:
    """``None`` for ADMIN (everything), else the caller's organizations."""
    return organizations.staff_scope(user, Event.organization_id)


def staff_event(user: User, event_id: uuid.UUID) -> ColumnElement[bool]:
    """The condition of ``get_for_staff`` (this event, when the caller is staff of its organization or
    ADMIN), for a query that reads the event's figures in the same statement."""
    scope = _staff_scope(user)
    return Event.id == event_id if scope is None else and_(Event.id == event_id, scope)


def visibility(viewer: User | None, status: str | None = None) -> ColumnElement[bool] | None:
    """Which events a caller may list: PUBLISHED for everyone, plus all of their organizations' events.

    With a ``status`` filter the ``OR`` collapses (PUBLISHED: everyone's; another status: only the
    caller's organizations), which lets the planner use the organization index instead of the ``OR``.
    """
    published = Event.status == EventStatus.PUBLISHED.value
    if viewer is None:
        return published
    scope = _staff_scope(viewer)
    if scope is None or status == EventStatus.PUBLISHED.value:
        return None
    return scope if status is not None else or_(published, scope)


async def get_for_staff(
    session: AsyncSession, actor: User, event_id: uuid.UUID, *, lock: EventLock | None = None
) -> Event:
    """The event, when the caller is staff of its organization (or ADMIN); 404 otherwise. ``lock``: the
    row locked in that mode (``tixmo.locks``: STATUS for a change of status, EDIT for other edits)."""
    query = select(Event).where(Event.id == event_id)
    scope = _staff_scope(actor)
    if scope is not None:
        query = query.where(scope)
    if lock is not None:
        # The WHERE clause keeps strangers from locking; the clause re-reads a row this session had
        # already loaded before it waited for the lock.
        locks.note(session, locks.Kind.EVENT, [event_id])
        query = locks.clause(query, locks.Kind.EVENT, mode=lock)
    event = await session.scalar(query)
    if event is None:
        raise NotFound("Event not found.")
    return event


# ------------------------------------------------------------------------------------ derived fields


async def _views(session: AsyncSession, events: list[Event]) -> list[EventView]:
    """What each event's read model derives from its ticket types, from one query for the whole page.

    ``soldOut``: the event has ticket types and none has a ticket left (held ones count as gone).
    ``priceRange``: the lowest and highest *current* price (pricing tiers applied).
    Loaded per page rather than joined into the search statement: a per-row ``EXISTS`` there makes the
    planner hash the whole ``ticket_types`` table.
    """
    if not events:
        return []
    now = utcnow()
    by_event: dict[uuid.UUID, list[TicketType]] = {}
    rows = await session.scalars(select(TicketType).where(TicketType.event_id.in_([e.id for e in events])))
    for ticket_type in rows:
        by_event.setdefault(ticket_type.event_id, []).append(ticket_type)
    views = []
    for event in events:
        types = by_event.get(event.id, [])
        if not types:
            views.append(EventView(event, sold_out=False))
            continue
        prices = [pricing.current_price_minor(ticket_type, now) for ticket_type in types]
        views.append(
            EventView(
                event,
                sold_out=all(ticket_type.quantity_available == 0 for ticket_type in types),
                price_range=PriceRange(min(prices), max(prices), types[0].currency),
            )
        )
    return views


async def view(session: AsyncSession, event: Event) -> EventView:
    return (await _views(session, [event]))[0]


# --------------------------------------------------------------------------------------------- search


def search_terms(text: str) -> list[str]:
    """The words of a user's query: runs of letters and digits only, so no input can break a tsquery."""
    words = re.findall(r"[^\W_]+", text.lower())
    return [word[:MAX_TERM_LENGTH] for word in words[:MAX_SEARCH_TERMS]]


def tsquery_text(terms: list[str]) -> str:
    """``['jaz', 'fest']`` → ``'jaz:* & fest:*'`` (every word, each as a prefix)."""
    return " & ".join(f"{term}:*" for term in terms)


def _tsquery(terms: list[str]) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'::regconfig"), tsquery_text(terms))


def search_statements(
    viewer: User | None, filters: EventFilters, *, offset: int, limit: int
) -> tuple[Select[int], Select[Event]]:
    """The count and the page statements for a list request (also compiled by ``bench/search.py``)."""
    conditions: list[ColumnElement[bool]] = []
    scope = visibility(viewer, filters.status)
    if scope is not None:
        conditions.append(scope)
    rank: ColumnElement[Any] | None = None
    if filters.q is not None:
        terms = search_terms(filters.q)
        if not terms:
            conditions.append(literal_column("false"))
        else:
            query = _tsquery(terms)
            conditions.append(Event.search_vector.op("@@")(query))
            rank = func.ts_rank_cd(Event.search_vector, query)
    if filters.category is not None:
        conditions.append(Event.category == filters.category)
    if filters.tags:
        conditions.append(Event.tags.contains(cast(filters.tags, Event.tags.type)))
    if filters.venue_id is not None:
        conditions.append(Event.venue_id == filters.venue_id)
    if filters.organization_id is not None:
        conditions.append(Event.organization_id == filters.organization_id)
    if filters.starts_from is not None:
        conditions.append(Event.starts_at >= filters.starts_from)
    if filters.starts_to is not None:
        conditions.append(Event.starts_at < filters.starts_to)
    if filters.status is not None:
        conditions.append(Event.status == filters.status)

    count = select(func.count()).select_from(Event).where(*conditions)
    if filters.sort == "name":
        order: list[Any] = [Event.name, Event.starts_at]
    elif filters.sort == "-startsAt":
        order = [Event.starts_at.desc()]
    elif filters.sort is None and rank is not None:
        order = [rank.desc(), Event.starts_at]
    else:
        order = [Event.starts_at]
    page = (
        select(Event)
        .options(defer(Event.search_vector))  # large and never returned
        .where(*conditions)
        .order_by(*order, Event.id)
        .offset(offset)
        .limit(limit)
    )
    return count, page


async def list_events(
    session: AsyncSession, viewer: User | None, filters: EventFilters, *, offset: int, limit: int
) -> tuple[list[EventView], int]:
    count, page = search_statements(viewer, filters, offset=offset, limit=limit)
    # asyncpg prepares every statement, and after five runs PostgreSQL may switch to a generic plan that
    # ignores the values (a tsquery, a status) and picks a poor index: searches plan for their values.
    # Measured with bench/search.py (100k events): API text searches 19 -> 12.6 ms p50. Only here: for
    # the short statements of the order path custom plans cost more than they give (bench/flash_sale.py).
    await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    total = int(await session.scalar(count) or 0)
    if total <= offset:
        return [], total
    return await _views(session, list(await session.scalars(page))), total


async def get_visible(session: AsyncSession, viewer: User | None, event_id: uuid.UUID) -> EventView:
    """PUBLISHED, CANCELLED and COMPLETED events are public; a DRAFT only for its organization's staff."""
    event = await session.get(Event, event_id)
    if event is None:
        raise NotFound("Event not found.")
    if event.status not in PUBLIC_STATUSES:
        if viewer is None:
            raise NotFound("Event not found.")
        event = await get_for_staff(session, viewer, event_id)
    return await view(session, event)


# ------------------------------------------------------------------------------------------ validation


async def _check(session: AsyncSession, organization_id: uuid.UUID, values: dict[str, Any]) -> Venue | None:
    """The rules that span fields, checked on the merged values of a create or an update."""
    if values["ends_at"] <= values["starts_at"]:
        raise ValidationFailed("endsAt", "endsAt must be after startsAt.")
    venue: Venue | None = None
    if values["venue_id"] is not None:
        venue = await venues.get_for_organization(session, organization_id, values["venue_id"])
        if venue is None:
            # The same answer whether the venue is missing, deleted or another organization's: no leak.
            raise ValidationFailed("venueId", "No such venue in this event's organization.")
    if venue is not None and values["capacity"] is not None and values["capacity"] > venue.capacity:
        raise ValidationFailed(
            "capacity", f"The capacity cannot exceed the venue's capacity of {venue.capacity}."
        )
    return venue


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """Request values as stored: instants in UTC, URLs as text."""
    stored = dict(values)
    for name in ("starts_at", "ends_at"):
        if stored.get(name) is not None:
            stored[name] = stored[name].astimezone(UTC)
    if stored.get("image_url") is not None:
        stored["image_url"] = str(stored["image_url"])
    for name in ("category", "refund_policy"):
        if stored.get(name) is not None:
            stored[name] = str(stored[name])
    return stored


# -------------------------------------------------------------------------------------------- commands


async def create(session: AsyncSession, actor: User, data: EventCreate) -> Event:
    # The organization's row FOR KEY SHARE: a deletion in progress is waited for (then: 404), and none
    # can start before this event is committed (it then refuses, naming it).
    await organizations.require_staff(session, actor, data.organization_id, keep=True)
    values = _columns(data.model_dump(include=set(EDITABLE_FIELDS), by_alias=False))
    venue = await _check(session, data.organization_id, values)
    if values["timezone"] is None:
        values["timezone"] = venue.timezone if venue is not None else DEFAULT_TIMEZONE
    event = Event(organization_id=data.organization_id, status=EventStatus.DRAFT.value, **values)
    session.add(event)
    await session.flush()
    await audit.record(
        session,
        action="event.created",
        entity_type="event",
        entity_id=event.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        after={**snapshot(event), "status": event.status},
    )
    return event


async def update(session: AsyncSession, actor: User, event_id: uuid.UUID, data: EventUpdate) -> Event:
    event = await get_for_staff(session, actor, event_id, lock=EventLock.EDIT)
    if event.status not in EDITABLE_STATUSES:
        raise InvalidState(f"A {event.status} event cannot be edited.")
    changes = _columns(partial_changes(data, REQUIRED_FIELDS))
    before = snapshot(event)
    await _check(session, event.organization_id, {**before_columns(event), **changes})
    if (
        "venue_id" in changes
        and changes["venue_id"] != event.venue_id
        and await _has_seats(session, event.id)
    ):
        raise Conflict(
            "This event sells reserved seats of its venue's chart; unmap them "
            "(PUT /api/v1/ticket-types/{id}/seats) before moving the event to another venue."
        )
    for name, value in changes.items():
        setattr(event, name, value)
    await session.flush()
    # The event row is locked, and ticket-type writes lock it too: the totals cannot move meanwhile.
    capacity = await capacity_of(session, event)
    _, offered = await tickets_offered(session, event.id)
    if capacity is not None and offered > capacity:
        raise ValidationFailed(
            "capacity",
            f"The ticket types already offer {offered} tickets, more than a capacity of {capacity}.",
        )
    await audit.record_changes(
        session,
        action="event.updated",
        entity_type="event",
        entity_id=event.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before=before,
        after=snapshot(event),
    )
    return event


def before_columns(event: Event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in EDITABLE_FIELDS}


async def _has_seats(session: AsyncSession, event_id: uuid.UUID) -> bool:
    return bool(await session.scalar(select(exists().where(EventSeat.event_id == event_id))))


async def _has_orders(session: AsyncSession, event_id: uuid.UUID) -> bool:
    return bool(await session.scalar(select(exists().where(Order.event_id == event_id))))


async def delete(session: AsyncSession, actor: User, event_id: uuid.UUID) -> None:
    """Only a DRAFT event without orders can be deleted (hard delete; its ticket types go with it)."""
    event = await get_for_staff(session, actor, event_id, lock=EventLock.STATUS)
    if event.status != EventStatus.DRAFT.value or await _has_orders(session, event.id):
        raise InvalidState("Only a DRAFT event without orders can be deleted; cancel it instead.")
    before = {**snapshot(event), "status": event.status}
    await media.release(session, media.OwnerKind.EVENT, event.id)  # its images; their files by a job
    await session.delete(event)
    await session.flush()
    await audit.record(
        session,
        action="event.deleted",
        entity_type="event",
        entity_id=event_id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before=before,
    )


# ------------------------------------------------------------------------------------- state machine


async def transition(
    session: AsyncSession,
    event: Event,
    target: EventStatus,
    *,
    actor_id: uuid.UUID | None,
    actor_type: str = "user",
    now: datetime | None = None,
) -> None:
    """Move ``event`` to ``target``: refuses (409 INVALID_STATE) from any state not allowed, and audits."""
    source = event.status
    if source not in ALLOWED_SOURCES[target]:
        raise InvalidState(f"A {source} event cannot become {target.value}.")
    moment = now or utcnow()
    event.status = target.value
    if target == EventStatus.PUBLISHED:
        event.published_at = moment
    elif target == EventStatus.CANCELLED:
        event.cancelled_at = moment
    elif target == EventStatus.COMPLETED:
        event.completed_at = moment
    await session.flush()
    await audit.record(
        session,
        action=f"event.{target.value.lower()}",
        entity_type="event",
        entity_id=event.id,
        actor_id=actor_id,
        actor_type=actor_type,
        organization_id=event.organization_id,
        before={"status": source},
        after={"status": target.value},
    )


async def capacity_of(session: AsyncSession, event: Event) -> int | None:
    """The event's capacity, else its venue's; ``None`` when neither limits it."""
    if event.capacity is not None:
        return event.capacity
    if event.venue_id is None:
        return None
    venue_capacity: int | None = await session.scalar(
        select(Venue.capacity).where(Venue.id == event.venue_id)
    )
    return venue_capacity


async def tickets_offered(
    session: AsyncSession, event_id: uuid.UUID, *, excluding: uuid.UUID | None = None
) -> tuple[int, int]:
    """How many ticket types the event has and how many tickets they offer in all."""
    query = select(func.count(), func.coalesce(func.sum(TicketType.quantity_total), 0)).where(
        TicketType.event_id == event_id
    )
    if excluding is not None:
        query = query.where(TicketType.id != excluding)
    count, total = (await session.execute(query)).one()
    return int(count), int(total)


async def publish(session: AsyncSession, actor: User, event_id: uuid.UUID) -> Event:
    event = await get_for_staff(session, actor, event_id, lock=EventLock.STATUS)
    if event.status != EventStatus.DRAFT.value:
        raise InvalidState(f"Only a DRAFT event can be published; this one is {event.status}.")
    count, total_quantity = await tickets_offered(session, event.id)
    if not count:
        raise InvalidState("An event needs at least one ticket type to be published.")
    if event.starts_at <= utcnow():
        raise InvalidState("An event that has already started cannot be published.")
    capacity = await capacity_of(session, event)
    if capacity is not None and total_quantity > capacity:
        raise InvalidState(
            f"The ticket types offer {total_quantity} tickets, more than the capacity of {capacity}."
        )
    await transition(session, event, EventStatus.PUBLISHED, actor_id=actor.id)
    return event


async def cancel(session: AsyncSession, actor: User, event_id: uuid.UUID) -> Event:
    event = await get_for_staff(session, actor, event_id, lock=EventLock.STATUS)
    await transition(session, event, EventStatus.CANCELLED, actor_id=actor.id)
    # Its orders, waitlist entries and people follow in this transaction (tixmo.reactions).
    await signals.send(session, EventCancelled(event, actor))
    return event


async def complete_ended_events(
    session: AsyncSession, *, now: datetime | None = None, batch: int = 500
) -> int:
    """Mark PUBLISHED events whose end has passed COMPLETED (system actor). Returns how many."""
    moment = now or utcnow()
    query = (
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED.value, Event.ends_at <= moment)
        .order_by(Event.ends_at, Event.id)
        .limit(batch)
    )
    # SKIP LOCKED: never waits, so the order of these locks cannot deadlock.
    ended = list(await session.scalars(locks.clause(query, locks.Kind.EVENT, skip_locked=True)))
    locks.note(session, locks.Kind.EVENT, [event.id for event in ended], waits=False)
    completed = 0
    for event in ended:
        await transition(
            session, event, EventStatus.COMPLETED, actor_id=None, actor_type="system", now=moment
        )
        completed += 1
    return completed


# ------------------------------------------------------------------------------ owner of images


async def image_owner_for_staff(session: AsyncSession, actor: User, event_id: uuid.UUID, lock: bool) -> Owner:
    """The event as the owner of images its staff change (``lock``: its ``EDIT`` lock, media/owners.py)."""
    event = await get_for_staff(session, actor, event_id, lock=EventLock.EDIT if lock else None)
    return Owner(OwnerKind.EVENT, event.id, event.organization_id)


async def image_owner_visible(session: AsyncSession, viewer: User | None, event_id: uuid.UUID) -> Owner:
    """The event as the owner of images ``viewer`` may see: wherever the event is visible."""
    event = (await get_visible(session, viewer, event_id)).event
    return Owner(OwnerKind.EVENT, event.id, event.organization_id)

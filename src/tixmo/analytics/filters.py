"""What a report covers: the filters of the query string, checked, and the events the caller may see.

Tenant scoping happens here and only here (``resolve``): every report query is restricted to the
``Scope``'s events, so no report can read another organization's rows.

* A caller who is staff of no organization (a customer) is refused: 403.
* An ``organizationId`` or ``eventId`` the caller may not see — another organization's, or none at all —
  is 404, the same answer for both, so nobody learns what exists elsewhere. A platform ADMIN sees every
  organization, so for an ADMIN an id that does not exist is a bad filter: 422 naming the field.
* An ``eventId`` outside the given ``organizationId``, ``from`` not before ``to``, an unknown ``tz``, a
  range longer than ``MAX_RANGE``: 422 naming the field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import Role, User
from tixmo.db import utcnow
from tixmo.errors import FieldError, Forbidden, NotFound, ValidationFailed
from tixmo.events.models import Event
from tixmo.organizations import service as organizations
from tixmo.organizations.models import Organization

DEFAULT_RANGE = timedelta(days=30)
MAX_RANGE = timedelta(days=3 * 366)


@dataclass(frozen=True)
class ReportFilters:
    """The query string of a report: ``organizationId``, ``eventId``, ``from``, ``to`` (on the order's paid
    time; ``to`` exclusive), ``tz`` (cuts the days instead of each event's own time zone)."""

    organization_id: uuid.UUID | None = None
    event_id: uuid.UUID | None = None
    start: datetime | None = None
    end: datetime | None = None
    tz: str | None = None

    def window(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """``[from, to)``: ``to`` defaults to now, ``from`` to 30 days before ``to``."""
        end = self.end or now or utcnow()
        return self.start or end - DEFAULT_RANGE, end


def check_zone(name: str, field_name: str = "tz") -> str:
    """An IANA time zone name (``Europe/Berlin``), else 422 naming ``field_name``."""
    if name in _zones():
        return name
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(field_name, "Not an IANA time zone such as Europe/Berlin.") from None
    return name


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


@dataclass(frozen=True)
class ScopedEvent:
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    timezone: str
    currency: str
    status: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None


@dataclass(frozen=True)
class Scope:
    """The checked filters and the events they cover (``organization_ids`` is ``None`` for an ADMIN's
    view of every organization). Every report query reads only the rows of ``event_ids``."""

    filters: ReportFilters
    start: datetime
    end: datetime
    tz: str | None
    organization_ids: list[uuid.UUID] | None
    events: dict[uuid.UUID, ScopedEvent] = field(default_factory=dict)

    @property
    def event_ids(self) -> list[uuid.UUID]:
        return sorted(self.events)

    def zone_of(self, event_id: uuid.UUID) -> str:
        if self.tz is not None:
            return self.tz
        event = self.events.get(event_id)
        return event.timezone if event is not None else "UTC"


def check_window(filters: ReportFilters, now: datetime | None = None) -> tuple[datetime, datetime]:
    start, end = filters.window(now)
    if start >= end:
        field_name = "from" if filters.start is not None else "to"
        raise ValidationFailed(field_name, "`from` must be before `to`.")
    if end - start > MAX_RANGE:
        raise ValidationFailed("from", f"A report covers at most {MAX_RANGE.days} days.")
    return start, end


_EVENT_COLUMNS = (
    Event.id,
    Event.organization_id,
    Event.name,
    Event.timezone,
    Event.currency,
    Event.status,
    Event.starts_at,
    Event.ends_at,
    Event.capacity,
)


async def resolve(session: AsyncSession, user: User, filters: ReportFilters) -> Scope:
    """The caller's scope for ``filters`` (see the module's docstring for the answers)."""
    start, end = check_window(filters)
    tz = check_zone(filters.tz) if filters.tz is not None else None
    admin = user.role == Role.ADMIN
    if not await organizations.is_staff_anywhere(session, user):
        raise Forbidden("Reports are for organization staff.")
    organization_ids: list[uuid.UUID] | None
    if filters.organization_id is not None:
        await _visible_organization(session, user, filters.organization_id, admin=admin)
        organization_ids = [filters.organization_id]
    elif admin:
        organization_ids = None
    else:
        organization_ids = list(await session.scalars(organizations.member_organization_ids(user)))
    if filters.event_id is not None:
        event = (
            await session.execute(select(*_EVENT_COLUMNS).where(Event.id == filters.event_id))
        ).one_or_none()
        visible = event is not None and (
            admin or await organizations.is_staff(session, user, event.organization_id)
        )
        if not visible:
            _unknown("eventId", "Event", admin=admin)
        assert event is not None
        if filters.organization_id is not None and event.organization_id != filters.organization_id:
            raise ValidationFailed(
                "eventId", "The event does not belong to the organization `organizationId`."
            )
        rows = [event]
    else:
        query = select(*_EVENT_COLUMNS)
        if organization_ids is not None:
            query = query.where(Event.organization_id.in_(organization_ids))
        rows = list((await session.execute(query)).all())
    return Scope(filters, start, end, tz, organization_ids, {row.id: ScopedEvent(*row) for row in rows})


async def resolve_for_organization(session: AsyncSession, filters: ReportFilters) -> Scope:
    """The scope of a scheduled report: the organization's events (or its one event), no caller."""
    assert filters.organization_id is not None
    start, end = check_window(filters)
    query = select(*_EVENT_COLUMNS).where(Event.organization_id == filters.organization_id)
    if filters.event_id is not None:
        query = query.where(Event.id == filters.event_id)
    rows = (await session.execute(query)).all()
    return Scope(
        filters,
        start,
        end,
        filters.tz,
        [filters.organization_id],
        {row.id: ScopedEvent(*row) for row in rows},
    )


async def _visible_organization(session: AsyncSession, user: User, org_id: uuid.UUID, *, admin: bool) -> None:
    if admin:
        exists = await session.scalar(
            select(Organization.id).where(Organization.id == org_id, Organization.deleted_at.is_(None))
        )
        if exists is None:
            _unknown("organizationId", "Organization", admin=True)
        return
    if not await organizations.is_staff(session, user, org_id):
        _unknown("organizationId", "Organization", admin=False)


def _unknown(field_name: str, what: str, *, admin: bool) -> None:
    message = f"{what} not found."
    if admin:
        raise ValidationFailed(field_name, f"No such {what.lower()}.")
    raise NotFound(message, errors=[FieldError(field=field_name, message=message)])

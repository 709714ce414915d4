"""Plain keyword-argument factories. Each commits, so the API under test sees the rows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import Role, User
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.organizations.models import MemberRole, Membership, Organization
from tixmo.security import create_access_token
from tixmo.ticketing.models import TicketType
from tixmo.venues.models import Venue

DEFAULT_PASSWORD = "Passw0rd!"


async def create_user(
    session: AsyncSession,
    context: AppContext,
    *,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    role: Role = Role.CUSTOMER,
    first_name: str = "Test",
    last_name: str = "User",
) -> User:
    user = User(
        email=(email or f"user-{uuid.uuid4().hex[:10]}@example.com").lower(),
        password_hash=await context.passwords.hash(password),
        first_name=first_name,
        last_name=last_name,
        role=role.value,
    )
    session.add(user)
    await session.commit()
    return user


def token_for(context: AppContext, user: User, lifetime: timedelta | None = None) -> str:
    token, _ = create_access_token(
        context.secret_key, user.id, user.role, lifetime or context.access_token_lifetime
    )
    return token


def auth(context: AppContext, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(context, user)}"}


async def create_organization(
    session: AsyncSession,
    *,
    owner: User,
    name: str = "Acme Events",
    type_: str = "PROMOTER",
    members: dict[User, MemberRole] | None = None,
) -> Organization:
    org = Organization(name=name, type=type_)
    session.add(org)
    await session.flush()
    session.add(Membership(organization_id=org.id, user_id=owner.id, role=MemberRole.OWNER.value))
    for user, role in (members or {}).items():
        session.add(Membership(organization_id=org.id, user_id=user.id, role=role.value))
    await session.commit()
    return org


async def create_venue(
    session: AsyncSession,
    *,
    organization: Organization,
    name: str = "Blue Hall",
    city: str = "Berlin",
    country: str = "DE",
    capacity: int = 500,
    timezone: str = "Europe/Berlin",
    seating_chart: dict[str, Any] | None = None,
    **kw: Any,
) -> Venue:
    venue = Venue(
        organization_id=organization.id,
        name=name,
        address_line1=kw.pop("address_line1", "Main Street 1"),
        address_line2=kw.pop("address_line2", None),
        city=city,
        state=kw.pop("state", None),
        postal_code=kw.pop("postal_code", "10115"),
        country=country,
        capacity=capacity,
        timezone=timezone,
        seating_chart=seating_chart,
        **kw,
    )
    session.add(venue)
    await session.commit()
    return venue


async def create_event(
    session: AsyncSession,
    *,
    organization: Organization,
    venue: Venue | None = None,
    status: str = "DRAFT",
    name: str = "Jazz Night",
    category: str = "CONCERT",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    timezone: str | None = None,
    **kw: Any,
) -> Event:
    starts = starts_at or datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    event = Event(
        organization_id=organization.id,
        venue_id=venue.id if venue is not None else None,
        name=name,
        category=category,
        starts_at=starts,
        ends_at=ends_at or starts + timedelta(hours=3),
        timezone=timezone or (venue.timezone if venue is not None else "UTC"),
        status=status,
        published_at=kw.pop("published_at", datetime.now(UTC) if status != "DRAFT" else None),
        **kw,
    )
    session.add(event)
    await session.commit()
    return event


async def create_ticket_type(
    session: AsyncSession,
    *,
    event: Event,
    name: str = "General admission",
    price_minor: int = 2500,
    currency: str | None = None,
    quantity_total: int = 100,
    **kw: Any,
) -> TicketType:
    """A ticket type for ``event`` (currency defaults to the event's); ``kw`` sets any other column."""
    ticket_type = TicketType(
        event_id=event.id,
        name=name,
        price_minor=price_minor,
        currency=currency or event.currency or "USD",
        quantity_total=quantity_total,
        **kw,
    )
    session.add(ticket_type)
    await session.commit()
    return ticket_type

"""Demo data: an admin, a promoter with an organization, a customer, a venue, two published events."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import Role, User
from tixmo.audit import service as audit
from tixmo.db import Database, utcnow
from tixmo.events.models import Event, EventStatus
from tixmo.organizations.models import MemberRole, Membership, Organization
from tixmo.security import PasswordService
from tixmo.ticketing.models import TicketType
from tixmo.venues.models import Venue


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


DEMO_LOGINS = (
    DemoLogin("ADMIN", "admin@demo.tixmo.dev", "DemoAdmin1"),
    DemoLogin("PROMOTER", "promoter@demo.tixmo.dev", "DemoPromoter1"),
    DemoLogin("CUSTOMER", "customer@demo.tixmo.dev", "DemoCustomer1"),
)


@dataclass(frozen=True)
class DemoEvent:
    name: str
    description: str
    category: str
    tags: tuple[str, ...]
    days_ahead: int
    hours: int
    ticket_types: tuple[tuple[str, int, int], ...]  # (name, price in minor units, quantity)


_EVENTS = (
    DemoEvent(
        name="Jazz Night at the Demo Hall",
        description="An evening of live jazz with the TixMo house band.",
        category="CONCERT",
        tags=("jazz", "live-music"),
        days_ahead=30,
        hours=3,
        ticket_types=(("General Admission", 2500, 300), ("VIP", 7500, 50)),
    ),
    DemoEvent(
        name="Open Source Ticketing Conference",
        description="Two tracks of talks on building fair, fast ticketing systems.",
        category="CONFERENCE",
        tags=("tech", "open-source"),
        days_ahead=60,
        hours=8,
        ticket_types=(("Standard", 19900, 300), ("Student", 4900, 100)),
    ),
)

STEPS = len(DEMO_LOGINS) + 2 + len(_EVENTS)


async def is_seeded(session: AsyncSession) -> bool:
    found = await session.scalar(select(User.id).where(User.email == DEMO_LOGINS[0].email))
    return found is not None


async def seed_demo(
    database: Database, passwords: PasswordService, progress: Callable[[str], None] = lambda _: None
) -> bool:
    """Create the demo data once. Returns False when it was already there."""
    async with database.sessionmaker() as session, session.begin():
        if await is_seeded(session):
            return False
        users: dict[str, User] = {}
        for login in DEMO_LOGINS:
            user = User(
                email=login.email,
                password_hash=await passwords.hash(login.password),
                first_name="Demo",
                last_name=login.role.title(),
                role=Role(login.role).value,
            )
            session.add(user)
            users[login.role] = user
            progress(f"user {login.email}")
        await session.flush()

        promoter = users["PROMOTER"]
        org = Organization(name="Demo Promotions", type="PROMOTER", email="hello@demo.tixmo.dev")
        session.add(org)
        await session.flush()
        session.add(Membership(organization_id=org.id, user_id=promoter.id, role=MemberRole.OWNER.value))
        await audit.record(
            session,
            action="organization.created",
            entity_type="organization",
            entity_id=org.id,
            actor_id=promoter.id,
            organization_id=org.id,
            after={"name": org.name, "source": "demo seed"},
        )
        progress("organization Demo Promotions")

        venue = Venue(
            organization_id=org.id,
            name="The Demo Hall",
            address_line1="1 Example Street",
            city="New York",
            state="NY",
            postal_code="10001",
            country="US",
            capacity=500,
            timezone="America/New_York",
        )
        session.add(venue)
        await session.flush()
        progress("venue The Demo Hall")

        now = utcnow().replace(minute=0, second=0, microsecond=0)
        for spec in _EVENTS:
            starts_at = now + timedelta(days=spec.days_ahead)
            event = Event(
                organization_id=org.id,
                venue_id=venue.id,
                name=spec.name,
                description=spec.description,
                category=spec.category,
                tags=list(spec.tags),
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=spec.hours),
                timezone=venue.timezone,
                capacity=venue.capacity,
                currency="USD",
                status=EventStatus.PUBLISHED.value,
                published_at=utcnow(),
            )
            session.add(event)
            await session.flush()
            for position, (name, price_minor, quantity) in enumerate(spec.ticket_types):
                session.add(
                    TicketType(
                        id=uuid.uuid4(),
                        event_id=event.id,
                        name=name,
                        price_minor=price_minor,
                        currency="USD",
                        quantity_total=quantity,
                        max_per_order=10,
                        sort_order=position,
                    )
                )
            await audit.record(
                session,
                action="event.published",
                entity_type="event",
                entity_id=event.id,
                actor_id=promoter.id,
                organization_id=org.id,
                after={"status": event.status, "source": "demo seed"},
            )
            progress(f"event {event.name}")
        return True

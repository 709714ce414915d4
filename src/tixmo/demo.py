"""Demo data: an admin, a promoter with an organization, a customer, a venue, two published events,
a promo code, a paid order of the customer, and images (drawn here with Pillow) of the venue and events."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks, reactions
from tixmo.accounts.models import Role, User
from tixmo.db import Database, utcnow
from tixmo.events import service as events
from tixmo.events.models import Event
from tixmo.events.schemas import EventCreate
from tixmo.media import processing
from tixmo.media import service as media
from tixmo.media.models import ImageRole, content_type, original_key
from tixmo.media.storage import Storage
from tixmo.money import format_minor
from tixmo.orders import placement
from tixmo.orders import service as orders
from tixmo.orders.schemas import OrderCreate
from tixmo.organizations import service as organizations
from tixmo.organizations.models import Organization
from tixmo.organizations.schemas import OrganizationCreate
from tixmo.promos import service as promos
from tixmo.promos.schemas import PromoCodeCreate
from tixmo.security import PasswordService
from tixmo.ticketing import service as ticketing
from tixmo.ticketing.models import TicketType
from tixmo.ticketing.schemas import TicketTypeCreate
from tixmo.venues import service as venues
from tixmo.venues.models import Venue
from tixmo.venues.schemas import VenueCreate


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
    refund_policy: str = "NONE"  # FULL: ticket holders may cancel a ticket for its share


_EVENTS = (
    DemoEvent(
        name="Jazz Night at the Demo Hall",
        description="An evening of live jazz with the TixMo house band.",
        category="CONCERT",
        tags=("jazz", "live-music"),
        days_ahead=30,
        hours=3,
        ticket_types=(("General Admission", 2500, 300), ("VIP", 7500, 50)),
        refund_policy="FULL",
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

STEPS = len(DEMO_LOGINS) + 4 + len(_EVENTS)
DEMO_PROMO_CODE = "DEMO10"
# Demo images: (alt text, hue of the stage lights); the first is the cover.
_VENUE_IMAGES = (("The Demo Hall from the balcony", 210), ("The bar of the Demo Hall", 30))
_EVENT_IMAGES = (
    (("The house band on stage", 280), ("The crowd at Jazz Night", 330)),
    (("The conference's main stage", 150), ("A hallway conversation", 190)),
)


def demo_picture(hue: int, *, width: int = 1600, height: int = 900) -> bytes:
    """A stage under coloured lights, drawn with Pillow: a JPEG like an organizer's photo."""
    sky = Image.linear_gradient("L").resize((width, height))
    base = Image.merge("HSV", (Image.new("L", (width, height), hue * 255 // 360), sky, sky)).convert("RGB")
    draw = ImageDraw.Draw(base, "RGBA")
    for index in range(5):
        x = width * (index + 1) // 6
        draw.polygon([(x, 0), (x - width // 10, height), (x + width // 10, height)], fill=(255, 255, 220, 40))
        draw.ellipse((x - 24, 8, x + 24, 56), fill=(255, 255, 230, 220))
    draw.rectangle((0, height * 3 // 4, width, height), fill=(25, 20, 30, 255))
    buffer = io.BytesIO()
    base.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def _prepared_picture(hue: int, limits: processing.Limits) -> processing.Prepared:
    return processing.prepare(demo_picture(hue), limits)


async def _add_images(
    session: AsyncSession,
    storage: Storage,
    owner: media.Owner,
    actor: User,
    pictures: tuple[tuple[str, int], ...],
    written: list[str],
) -> None:
    """The images of one event or venue, through the upload's own steps (renditions by the job)."""
    limits = processing.Limits(max_bytes=20 * 1_048_576, max_pixels=50_000_000)
    for index, (alt, hue) in enumerate(pictures):
        prepared = await asyncio.to_thread(_prepared_picture, hue, limits)
        image_id = uuid.uuid4()
        key = original_key(image_id, prepared.digest, prepared.format)
        written.append(key)
        await storage.put(key, prepared.data, content_type(key))
        role = ImageRole.COVER if index == 0 else ImageRole.GALLERY
        await media.add(session, owner, actor.id, image_id, prepared, role=role, alt=alt)


async def is_seeded(session: AsyncSession) -> bool:
    found = await session.scalar(select(User.id).where(User.email == DEMO_LOGINS[0].email))
    return found is not None


async def seed_demo(
    database: Database,
    passwords: PasswordService,
    progress: Callable[[str], None] = lambda _: None,
    *,
    storage: Storage,
) -> bool:
    """Create the demo data once, its images in ``storage``. Returns False when it was already there."""
    reactions.install()
    written: list[str] = []
    try:
        return await _seed(database, passwords, progress, storage, written)
    except BaseException:
        await storage.delete(written)  # the images of a seed that was not committed
        raise


async def _seed(
    database: Database,
    passwords: PasswordService,
    progress: Callable[[str], None],
    storage: Storage,
    written: list[str],
) -> bool:
    async with database.sessionmaker() as session, session.begin():
        if await is_seeded(session):
            return False
        # All or nothing, in one transaction that creates events one after another and locks each as the
        # services do: every row it locks is one it created, invisible to any other transaction until the
        # commit, so no other transaction can hold or wait for them — the lock order cannot matter.
        locks.alone(session)
        users = await _users(session, passwords, progress)
        promoter = users["PROMOTER"]
        # Everything else goes through the services, so the demo obeys every rule and is audited.
        org, venue = await _organization_and_venue(session, promoter, progress)
        created = await _events(session, promoter, org, venue, progress)
        venue_owner = media.Owner(media.OwnerKind.VENUE, venue.id, org.id)
        await _add_images(session, storage, venue_owner, promoter, _VENUE_IMAGES, written)
        for event, pictures in zip(created, _EVENT_IMAGES, strict=True):
            event_owner = media.Owner(media.OwnerKind.EVENT, event.id, org.id)
            await _add_images(session, storage, event_owner, promoter, pictures, written)
        progress("images of the venue and the events")
        await _promo_and_order(session, promoter, users["CUSTOMER"], created[0])
        progress(f"promo code {DEMO_PROMO_CODE} and an order")
        return True


async def _users(
    session: AsyncSession, passwords: PasswordService, progress: Callable[[str], None]
) -> dict[str, User]:
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
    return users


async def _organization_and_venue(
    session: AsyncSession, promoter: User, progress: Callable[[str], None]
) -> tuple[Organization, Venue]:
    org = await organizations.create(
        session,
        promoter,
        OrganizationCreate.model_validate(
            {"name": "Demo Promotions", "type": "PROMOTER", "email": "hello@demo.tixmo.dev"}
        ),
    )
    progress(f"organization {org.name}")
    venue = await venues.create(
        session,
        promoter,
        VenueCreate.model_validate(
            {
                "organizationId": str(org.id),
                "name": "The Demo Hall",
                "address": {
                    "line1": "1 Example Street",
                    "city": "New York",
                    "state": "NY",
                    "postalCode": "10001",
                    "country": "US",
                },
                "capacity": 500,
                "timezone": "America/New_York",
            }
        ),
    )
    progress(f"venue {venue.name}")
    return org, venue


async def _events(
    session: AsyncSession, promoter: User, org: Organization, venue: Venue, progress: Callable[[str], None]
) -> list[Event]:
    """The demo events, each with its ticket types, published."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    created: list[Event] = []
    for spec in _EVENTS:
        starts_at = now + timedelta(days=spec.days_ahead)
        event = await events.create(
            session,
            promoter,
            EventCreate.model_validate(
                {
                    "organizationId": str(org.id),
                    "venueId": str(venue.id),
                    "name": spec.name,
                    "description": spec.description,
                    "category": spec.category,
                    "tags": list(spec.tags),
                    "startsAt": starts_at.isoformat(),
                    "endsAt": (starts_at + timedelta(hours=spec.hours)).isoformat(),
                    "capacity": venue.capacity,
                    "refundPolicy": spec.refund_policy,
                }
            ),
        )
        for name, price_minor, quantity in spec.ticket_types:
            await ticketing.create(
                session,
                promoter,
                event.id,
                TicketTypeCreate.model_validate(
                    {
                        "name": name,
                        "price": format_minor(price_minor),
                        "currency": "USD",
                        "quantityTotal": quantity,
                        "maxPerOrder": 10,
                    }
                ),
            )
        await events.publish(session, promoter, event.id)
        progress(f"event {event.name}")
        created.append(event)
    return created


async def _promo_and_order(session: AsyncSession, promoter: User, customer: User, first_event: Event) -> None:
    """The demo promo code on the first event, and the customer's paid order for it (2 tickets, with the
    code, paid with the manual provider: ``orders.confirm`` records its SUCCEEDED payment)."""
    await promos.create(
        session,
        promoter,
        PromoCodeCreate.model_validate(
            {
                "eventId": str(first_event.id),
                "code": DEMO_PROMO_CODE,
                "discountType": "PERCENTAGE",
                "discountValue": "10",
                "maxUses": 100,
            }
        ),
    )
    ticket_type_id = await session.scalar(
        select(TicketType.id).where(TicketType.event_id == first_event.id).order_by(TicketType.sort_order)
    )
    placed = await placement.create(
        session,
        customer,
        OrderCreate.model_validate(
            {
                "eventId": str(first_event.id),
                "items": [{"ticketTypeId": str(ticket_type_id), "quantity": 2}],
                "promoCode": DEMO_PROMO_CODE,
            }
        ),
        hold=timedelta(minutes=15),
        max_tickets=50,
    )
    await orders.confirm(session, customer, placed.order.id)

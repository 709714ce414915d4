"""Composing an email from its outbox row: Jinja2 templates (HTML + text on one base layout), the
event's date in its time zone, links under ``TIXMO_PUBLIC_URL``, and the ticket PDFs of an order
confirmation.

Rendered by the send job from fresh rows, so the mail shows the state at sending time; a ticket that
was transferred or cancelled before the confirmation went out is not attached.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage as MimeMessage
from email.utils import format_datetime, getaddresses
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.config import Settings
from tixmo.db import utcnow
from tixmo.errors import TixmoError
from tixmo.events.models import Event
from tixmo.money import format_minor
from tixmo.notifications import kinds
from tixmo.notifications.models import EmailMessage, Notification
from tixmo.orders.models import Order, OrderItem
from tixmo.ticketing.models import TicketType
from tixmo.tickets import pdf
from tixmo.tickets import service as tickets
from tixmo.tickets.models import Ticket, TicketStatus
from tixmo.venues.models import Venue


@dataclass
class Attachment:
    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "pdf"


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    attachments: list[Attachment] = field(default_factory=list)


def local_time(value: datetime | str | None, zone: str | None) -> str:
    """A moment as the emails and the PDF show it: in the event's time zone (UTC without one), e.g.
    "Saturday, 5 July 2031, 18:00 CEST". Takes a datetime or its ISO 8601 text (as notification data
    holds it); the template filter ``local_time``."""
    if value is None or value == "":
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        raise ValueError(f"a moment without a time zone: {value!r}")
    day, time = pdf.when(moment, zone or "UTC")
    return f"{day}, {time}"


@lru_cache
def _environments() -> tuple[Environment, Environment]:
    """(HTML with autoescaping, plain text without)."""
    loader = PackageLoader("tixmo.notifications", "templates")
    html = Environment(loader=loader, autoescape=select_autoescape(["html"]))
    text = Environment(loader=loader, autoescape=False)  # noqa: S701 (plain text)
    for env in (html, text):
        env.filters["local_time"] = local_time
    return html, text


def template_name(kind: str) -> str:
    return kind.replace(".", "_")


def render(kind: str, context: dict[str, Any]) -> tuple[str, str]:
    """The (plain text, HTML) bodies of ``kind`` for ``context``."""
    html_env, text_env = _environments()
    name = template_name(kind)
    text = text_env.get_template(f"{name}.txt").render(context)
    html = html_env.get_template(f"{name}.html").render(context)
    return text, html


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


async def _event_context(
    session: AsyncSession, settings: Settings, event_id: uuid.UUID
) -> dict[str, Any] | None:
    event = await session.get(Event, event_id)
    if event is None:
        return None
    day, time = pdf.when(event.starts_at, event.timezone)
    venue = await session.get(Venue, event.venue_id) if event.venue_id is not None else None
    address: list[str] = []
    if venue is not None:
        address = [line for line in (venue.address_line1, venue.address_line2) if line]
        address.append(f"{venue.postal_code} {venue.city}, {venue.country}")
    return {
        "id": str(event.id),
        "name": event.name,
        "date": day,
        "time": time,
        "timezone": event.timezone,
        "venue": venue.name if venue is not None else None,
        "address": address,
        "url": f"{settings.public_url}/api/v1/events/{event.id}",
    }


async def _order_context(
    session: AsyncSession, settings: Settings, order_id: uuid.UUID
) -> dict[str, Any] | None:
    order = await session.get(Order, order_id)
    if order is None:
        return None
    rows = await session.execute(
        select(OrderItem, TicketType.name)
        .join(TicketType, TicketType.id == OrderItem.ticket_type_id)
        .where(OrderItem.order_id == order.id)
        .order_by(TicketType.sort_order, TicketType.name)
    )
    items = [
        {"name": name, "quantity": item.quantity, "unit_price": format_minor(item.unit_price_minor)}
        for item, name in rows.all()
    ]
    return {
        "id": str(order.id),
        "status": order.status,
        "lines": items,
        "subtotal": format_minor(order.subtotal_minor),
        "discount": format_minor(order.discount_minor) if order.discount_minor else None,
        "total": format_minor(order.total_minor),
        "currency": order.currency,
        "url": f"{settings.public_url}/api/v1/orders/{order.id}",
    }


async def ticket_pdfs(
    session: AsyncSession, settings: Settings, secret: str, order_id: uuid.UUID
) -> list[Attachment]:
    """One PDF per VALID ticket of the order still held by its buyer (in ticket order)."""
    order = await session.get(Order, order_id)
    if order is None:
        return []
    buyer = await session.get(User, order.user_id)
    assert buyer is not None
    held = await session.scalars(
        select(Ticket.id)
        .where(
            Ticket.order_id == order.id,
            Ticket.owner_id == buyer.id,
            Ticket.status == TicketStatus.VALID.value,
        )
        .order_by(Ticket.created_at, Ticket.barcode)
    )
    attachments = []
    for ticket_id in list(held):
        try:
            printable = await tickets.printable(session, buyer, secret, ticket_id)
        except TixmoError:  # moved on meanwhile: nothing to attach for it
            continue
        content = await pdf.pdf_bytes(printable, settings.pdf_font)
        attachments.append(Attachment(f"ticket-{ticket_id}.pdf", content))
    return attachments


async def compose(session: AsyncSession, settings: Settings, secret: str, message: EmailMessage) -> Rendered:
    """Subject, bodies and attachments of the outbox row ``message``."""
    notification = (
        await session.get(Notification, message.notification_id) if message.notification_id else None
    )
    data: dict[str, Any] = dict(notification.data) if notification is not None else {}
    user = await session.get(User, message.user_id)
    base = settings.public_url
    context: dict[str, Any] = {
        "subject": message.subject,
        "kind": message.kind,
        "title": notification.title if notification is not None else message.subject,
        "body": notification.body if notification is not None else "",
        "first_name": user.first_name if user is not None else "",
        "data": data,
        "event": None,
        "order": None,
        "public_url": base,
        "links": {
            "notifications": f"{base}/api/v1/notifications",
            "preferences": f"{base}/api/v1/notifications/preferences",
            "tickets": f"{base}/api/v1/tickets",
        },
        "transactional": kinds.is_transactional(message.kind),
    }
    event_id = _uuid(data.get("eventId"))
    if event_id is not None:
        context["event"] = await _event_context(session, settings, event_id)
    order_id = _uuid(data.get("orderId"))
    if order_id is not None:
        context["order"] = await _order_context(session, settings, order_id)
    attachments: list[Attachment] = []
    if message.kind == kinds.ORDER_CONFIRMED and order_id is not None:
        attachments = await ticket_pdfs(session, settings, secret, order_id)
    context["attachment_count"] = len(attachments)
    text, html = render(message.kind, context)
    return Rendered(message.subject, text, html, attachments)


# Whitespace of any kind (line breaks, tabs, the Unicode separators) and the other control characters.
_NOT_HEADER_TEXT = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def header_text(text: str) -> str:
    """``text`` as one header line: each run of whitespace or control characters becomes one space.

    Names are refused at input when they hold line breaks or control characters, but a name stored before
    (or written by other means) must neither stop the email (the email package refuses a CR or LF in a
    header) nor inject a header of its own."""
    return _NOT_HEADER_TEXT.sub(" ", text).strip()


def mime(settings: Settings, message: EmailMessage, rendered: Rendered) -> MimeMessage:
    """The MIME message: text and HTML alternatives, then the attachments. The ``Message-ID`` derives
    from the outbox id, so every attempt at the same email carries the same one."""
    mail = MimeMessage()
    mail["Subject"] = header_text(rendered.subject)
    mail["From"] = settings.email_from
    mail["To"] = message.to
    mail["Date"] = format_datetime(utcnow())
    addresses = getaddresses([settings.email_from])
    domain = addresses[0][1].rpartition("@")[2] if addresses and "@" in addresses[0][1] else "tixmo.localhost"
    mail["Message-ID"] = f"<{message.id}@{domain}>"
    mail["X-TixMo-Kind"] = message.kind
    mail.set_content(rendered.text)
    mail.add_alternative(rendered.html, subtype="html")
    for attachment in rendered.attachments:
        mail.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    return mail


__all__ = ["Attachment", "Rendered", "compose", "header_text", "local_time", "mime", "render", "ticket_pdfs"]

"""Shared set-up for the ticket tests: a shop with a venue, buyers holding confirmed tickets."""

from __future__ import annotations

import base64
import io
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import zxingcpp
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import (
    auth,
    create_event,
    create_organization,
    create_ticket_type,
    create_user,
    create_venue,
)
from tests.orders.helpers import Buyer as Buyer
from tests.orders.helpers import make_buyer as make_buyer
from tests.orders.helpers import place_ok
from tests.problems import assert_problem as assert_problem
from tests.problems import error_fields as error_fields
from tixmo.accounts.models import Role, User
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.organizations.models import Organization
from tixmo.ticketing.models import TicketType
from tixmo.tickets.models import Ticket


@dataclass
class Shop:
    """An organization with one staff member, a venue, a PUBLISHED event and one ticket type."""

    staff: User
    staff_headers: dict[str, str]
    org: Organization
    event: Event
    ticket_type: TicketType


async def make_shop(
    session: AsyncSession, context: AppContext, *, name: str = "Jazz Night", **event: Any
) -> Shop:
    staff = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=staff, name=f"Org {uuid.uuid4().hex[:6]}")
    venue = await create_venue(session, organization=org)
    evt = await create_event(session, organization=org, venue=venue, status="PUBLISHED", name=name, **event)
    ticket_type = await create_ticket_type(session, event=evt, quantity_total=100, price_minor=2500)
    return Shop(staff, auth(context, staff), org, evt, ticket_type)


async def buy(client: httpx.AsyncClient, shop: Shop, buyer: Buyer, quantity: int = 1) -> list[dict[str, Any]]:
    """A confirmed order of ``quantity`` tickets; the tickets as the order shows them."""
    body = {
        "eventId": str(shop.event.id),
        "items": [{"ticketTypeId": str(shop.ticket_type.id), "quantity": quantity}],
    }
    order = await place_ok(client, buyer, body)
    confirmed = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    tickets: list[dict[str, Any]] = confirmed.json()["tickets"]
    assert len(tickets) == quantity
    return tickets


async def buy_one(client: httpx.AsyncClient, shop: Shop, buyer: Buyer) -> dict[str, Any]:
    return (await buy(client, shop, buyer))[0]


async def ticket_row(session: AsyncSession, ticket_id: str | uuid.UUID) -> Ticket:
    ticket = await session.get(Ticket, uuid.UUID(str(ticket_id)), populate_existing=True)
    assert ticket is not None
    await session.commit()  # end the read transaction: no locks held past the assertion
    return ticket


async def count(session: AsyncSession, model: Any, *conditions: Any) -> int:
    total = await session.scalar(select(func.count()).select_from(model).where(*conditions))
    await session.commit()
    return int(total or 0)


def decode_qr_png(data: bytes) -> str:
    """Read the one QR code in a PNG (zxing-cpp), as a scanner would; it must be a QR code with error
    correction H (a ticket still scans with up to 30% of it damaged or covered)."""
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    assert len(results) == 1, results
    [result] = results
    assert result.format == zxingcpp.BarcodeFormat.QRCode, result.format
    assert result.ec_level == "H", result.ec_level
    return str(result.text)


def png_of_data_url(url: str) -> bytes:
    prefix = "data:image/png;base64,"
    assert url.startswith(prefix)
    return base64.b64decode(url[len(prefix) :], validate=True)

"""Shared set-up for the order tests: a shop (staff, published event, ticket type), buyers, a ledger."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_organization, create_ticket_type, create_user
from tests.problems import assert_problem as assert_problem
from tests.problems import error_fields as error_fields
from tixmo.accounts.models import Role, User
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.orders.models import Order, OrderItem, OrderStatus
from tixmo.organizations.models import Organization
from tixmo.ticketing.models import TicketType
from tixmo.tickets.models import Ticket, TicketStatus


@dataclass
class Shop:
    """An organization with one staff member, a PUBLISHED event and one ticket type on sale."""

    staff: User
    staff_headers: dict[str, str]
    org: Organization
    event: Event
    ticket_type: TicketType


async def make_shop(
    session: AsyncSession, context: AppContext, *, quantity: int = 100, price_minor: int = 2500, **tt: Any
) -> Shop:
    staff = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=staff, name=f"Org {uuid.uuid4().hex[:6]}")
    event = await create_event(session, organization=org, status="PUBLISHED")
    ticket_type = await create_ticket_type(
        session, event=event, quantity_total=quantity, price_minor=price_minor, **tt
    )
    return Shop(staff, auth(context, staff), org, event, ticket_type)


@dataclass
class Buyer:
    user: User
    headers: dict[str, str]


async def make_buyer(session: AsyncSession, context: AppContext, role: Role = Role.CUSTOMER) -> Buyer:
    user = await create_user(session, context, role=role)
    return Buyer(user, auth(context, user))


def order_body(shop: Shop, quantity: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "eventId": str(shop.event.id),
        "items": [{"ticketTypeId": str(shop.ticket_type.id), "quantity": quantity}],
        **extra,
    }


async def place(
    client: httpx.AsyncClient, buyer: Buyer, body: dict[str, Any], **headers: str
) -> httpx.Response:
    return await client.post("/orders", json=body, headers={**buyer.headers, **headers})


async def place_ok(client: httpx.AsyncClient, buyer: Buyer, body: dict[str, Any]) -> dict[str, Any]:
    response = await place(client, buyer, body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def make_due(session: AsyncSession, order_id: Any) -> None:
    """Time travel: the order's hold ran out a second ago (nobody has expired it yet)."""
    await session.execute(
        update(Order)
        .where(Order.id == uuid.UUID(str(order_id)))
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()


@dataclass(frozen=True)
class Ledger:
    """A ticket type's counters next to what the orders and tickets say they should be."""

    total: int
    sold: int
    held: int
    pending_quantity: int  # sum of PENDING orders' items
    live_tickets: int  # VALID + USED tickets
    orders: int

    def assert_consistent(self) -> None:
        assert self.sold + self.held <= self.total, self
        assert self.held == self.pending_quantity, self
        assert self.sold == self.live_tickets, self


async def ledger(session: AsyncSession, ticket_type_id: uuid.UUID) -> Ledger:
    row = (
        await session.execute(
            select(TicketType.quantity_total, TicketType.quantity_sold, TicketType.quantity_held).where(
                TicketType.id == ticket_type_id
            )
        )
    ).one()
    pending = await session.scalar(
        select(func.coalesce(func.sum(OrderItem.quantity), 0))
        .join(Order, Order.id == OrderItem.order_id)
        .where(OrderItem.ticket_type_id == ticket_type_id, Order.status == OrderStatus.PENDING.value)
    )
    live = await session.scalar(
        select(func.count()).where(
            Ticket.ticket_type_id == ticket_type_id, Ticket.status != TicketStatus.CANCELLED.value
        )
    )
    orders = await session.scalar(
        select(func.count(func.distinct(OrderItem.order_id))).where(
            OrderItem.ticket_type_id == ticket_type_id
        )
    )
    await session.commit()  # end the read transaction: it must not hold locks past the assertion
    return Ledger(row[0], row[1], row[2], int(pending or 0), int(live or 0), int(orders or 0))


async def order_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Order)) or 0)

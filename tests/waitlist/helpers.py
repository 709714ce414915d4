"""Shared set-up for the waitlist tests: a sold-out shop, joins, the counters and their ledger."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import Buyer, Shop, make_buyer, make_shop, order_body, place_ok
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.jobs import run_worker
from tixmo.orders.models import Order, OrderItem, OrderStatus
from tixmo.ticketing.models import TicketType
from tixmo.waitlist.models import WaitlistEntry, WaitlistStatus


@dataclass
class SoldOut:
    shop: Shop
    holder: Buyer  # holds every ticket in PENDING orders, one per ``blocks`` item
    orders: list[dict[str, Any]]


async def sold_out_shop(
    session: AsyncSession,
    context: AppContext,
    client: httpx.AsyncClient,
    *,
    blocks: tuple[int, ...] = (2,),
    **tt: Any,
) -> SoldOut:
    """A shop whose ticket type (total = sum of ``blocks``) is held entirely by PENDING orders of one
    buyer, one order per block: cancelling one gives exactly that many tickets back."""
    tt.setdefault("max_per_order", 10)
    shop = await make_shop(session, context, quantity=sum(blocks), **tt)
    holder = await make_buyer(session, context)
    orders = [await place_ok(client, holder, order_body(shop, quantity)) for quantity in blocks]
    return SoldOut(shop, holder, orders)


async def join(
    client: httpx.AsyncClient,
    buyer: Buyer,
    shop: Shop,
    quantity: int = 1,
    *,
    any_type: bool = False,
    **body: Any,
) -> httpx.Response:
    payload: dict[str, Any] = {"quantity": quantity, **body}
    if not any_type and "ticketTypeId" not in body:
        payload["ticketTypeId"] = str(shop.ticket_type.id)
    return await client.post(f"/events/{shop.event.id}/waitlist", json=payload, headers=buyer.headers)


async def join_ok(
    client: httpx.AsyncClient, buyer: Buyer, shop: Shop, quantity: int = 1, **kw: Any
) -> dict[str, Any]:
    response = await join(client, buyer, shop, quantity, **kw)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def cancel_order(client: httpx.AsyncClient, buyer: Buyer, order: dict[str, Any]) -> None:
    response = await client.post(f"/orders/{order['id']}/cancel", headers=buyer.headers)
    assert response.status_code == 200, response.text


async def entry(session: AsyncSession, entry_id: Any) -> WaitlistEntry:
    found = await session.get(WaitlistEntry, uuid.UUID(str(entry_id)), populate_existing=True)
    await session.commit()
    assert found is not None
    return found


async def statuses(session: AsyncSession, event_id: uuid.UUID) -> list[tuple[int, str]]:
    """(quantity, status) of the event's entries in join order."""
    rows = await session.execute(
        select(WaitlistEntry.quantity, WaitlistEntry.status)
        .where(WaitlistEntry.event_id == event_id)
        .order_by(WaitlistEntry.seq)
    )
    result = [(int(q), str(s)) for q, s in rows.all()]
    await session.commit()
    return result


async def run_jobs(context: AppContext) -> None:
    """Run a worker until no job is due."""
    await run_worker(context.database, wait=False, install_signal_handlers=False)


async def make_offer_due(session: AsyncSession, entry_id: Any) -> None:
    """Time travel: the offer ran out a second ago (nobody has expired it yet)."""
    await session.execute(
        update(WaitlistEntry)
        .where(WaitlistEntry.id == uuid.UUID(str(entry_id)))
        .values(offer_expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()


@dataclass(frozen=True)
class Counters:
    total: int
    sold: int
    held: int
    pool: int
    pending: int  # tickets of PENDING orders
    offered: int  # tickets held for OFFERED entries

    @property
    def available(self) -> int:
        return self.total - self.sold - self.held

    def assert_consistent(self) -> None:
        assert self.sold + self.held <= self.total, self
        assert self.held == self.pending + self.pool + self.offered, self


async def counters(session: AsyncSession, ticket_type_id: uuid.UUID) -> Counters:
    row = (
        await session.execute(
            select(
                TicketType.quantity_total,
                TicketType.quantity_sold,
                TicketType.quantity_held,
                TicketType.waitlist_pool,
            ).where(TicketType.id == ticket_type_id)
        )
    ).one()
    pending = await session.scalar(
        select(func.coalesce(func.sum(OrderItem.quantity), 0))
        .join(Order, Order.id == OrderItem.order_id)
        .where(OrderItem.ticket_type_id == ticket_type_id, Order.status == OrderStatus.PENDING.value)
    )
    offered = await session.scalar(
        select(func.coalesce(func.sum(WaitlistEntry.quantity), 0)).where(
            WaitlistEntry.offer_ticket_type_id == ticket_type_id,
            WaitlistEntry.status == WaitlistStatus.OFFERED.value,
        )
    )
    await session.commit()
    return Counters(row[0], row[1], row[2], row[3], int(pending or 0), int(offered or 0))

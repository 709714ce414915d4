"""Placing an order: check, price, discount, cap, and reserve — in one transaction.

This is the flash-sale path: every statement here runs once per order placed, so it sends as few as it can
(the catalogue in one query, the order with its items and audit entry in one INSERT, the reservation last,
so the hot ticket-type row is locked only from its UPDATE to the commit). The status machine that follows
(confirm, cancel, expire) is ``orders.service``.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, func, insert, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.audit.models import AuditEntry
from tixmo.db import utcnow
from tixmo.errors import FieldError, InsufficientInventory, TixmoError, ValidationFailed
from tixmo.orders import inventory, rows
from tixmo.orders.models import Order, OrderItem, OrderStatus
from tixmo.orders.schemas import OrderCreate
from tixmo.orders.service import OrderDetails, confirm_locked, expire_due, load_details
from tixmo.promos import service as promos
from tixmo.seating import holds as seating
from tixmo.ticketing.lines import PricedItems, price_items
from tixmo.ticketing.schemas import OrderItemInput
from tixmo.tickets.models import Ticket, TicketStatus


async def _owned_by_buyer(
    session: AsyncSession, buyer_id: uuid.UUID, event_id: uuid.UUID, now: datetime
) -> dict[uuid.UUID, int]:
    """Tickets the buyer holds (live PENDING orders) or owns from their paid orders, per ticket type."""
    counts: dict[uuid.UUID, int] = defaultdict(int)
    held = await session.execute(
        select(OrderItem.ticket_type_id, func.sum(OrderItem.quantity))
        .join(Order, Order.id == OrderItem.order_id)
        .where(
            Order.user_id == buyer_id,
            Order.event_id == event_id,
            Order.status == OrderStatus.PENDING.value,
            Order.expires_at > now,
        )
        .group_by(OrderItem.ticket_type_id)
    )
    bought = await session.execute(
        select(Ticket.ticket_type_id, func.count())
        .join(Order, Order.id == Ticket.order_id)
        .where(
            Order.user_id == buyer_id,
            Ticket.event_id == event_id,
            Ticket.status != TicketStatus.CANCELLED.value,
        )
        .group_by(Ticket.ticket_type_id)
    )
    for ticket_type_id, count in [*held.all(), *bought.all()]:
        counts[ticket_type_id] += int(count)
    return counts


async def _enforce_buyer_caps(
    session: AsyncSession, buyer: User, priced: PricedItems, items: Sequence[OrderItemInput], now: datetime
) -> None:
    """``maxPerBuyer`` (ticket type and event): held + bought across all the buyer's orders.

    A transaction-scoped advisory lock per (buyer, event) serialises one buyer's concurrent orders for
    one event, so two of them cannot both pass the count; other buyers never wait on it.
    """
    event = priced.event
    type_caps = {tt.id: tt.max_per_buyer for tt in priced.ticket_types.values() if tt.max_per_buyer}
    if not type_caps and event.max_per_buyer is None:
        return
    await session.execute(
        select(func.pg_advisory_xact_lock(func.hashtextextended(f"buyer:{buyer.id}:{event.id}", 0)))
    )
    owned = await _owned_by_buyer(session, buyer.id, event.id, now)
    for index, item in enumerate(items):
        cap = type_caps.get(item.ticket_type_id)
        have = owned.get(item.ticket_type_id, 0)
        if cap is not None and have + item.quantity > cap:
            name = priced.ticket_types[item.ticket_type_id].name
            raise ValidationFailed(
                f"items.{index}.quantity",
                f"At most {cap} tickets of {name!r} per buyer; you already have {have}.",
            )
    if event.max_per_buyer is not None:
        have = sum(owned.values())
        if have + priced.ticket_count > event.max_per_buyer:
            raise ValidationFailed(
                "items",
                f"At most {event.max_per_buyer} tickets for this event per buyer; you already have {have}.",
            )


async def _insufficient(
    session: AsyncSession, priced: PricedItems, items: Sequence[OrderItemInput], ticket_type_id: uuid.UUID
) -> InsufficientInventory:
    index = next(i for i, item in enumerate(items) if item.ticket_type_id == ticket_type_id)
    left = await inventory.available(session, ticket_type_id)
    name = priced.ticket_types[ticket_type_id].name
    message = f"Only {left} tickets of {name!r} are left." if left else f"{name!r} is sold out."
    return InsufficientInventory(
        message,
        errors=[FieldError(field=f"items.{index}.quantity", message=message)],
        extra={"ticketTypeId": str(ticket_type_id), "available": left},
    )


def _insert_order_statement() -> Select[Any]:
    """``WITH o AS (INSERT …), i AS (INSERT … SELECT unnest(…), …), a AS (INSERT …) SELECT 1``: the same
    statement for every order (the items come as arrays), so SQLAlchemy compiles it once."""
    orders, items, entries = (cast(Table, model.__table__) for model in (Order, OrderItem, AuditEntry))
    return select(literal(1)).add_cte(
        insert(orders)
        .values({c.name: bindparam(f"order_{c.name}", type_=c.type) for c in orders.c})
        .cte("o"),
        insert(items)
        .from_select(
            [c.name for c in items.c],
            select(*(func.unnest(bindparam(f"items_{c.name}", type_=ARRAY(c.type))) for c in items.c)),
        )
        .cte("i"),
        insert(entries)
        .values({c.name: bindparam(f"audit_{c.name}", type_=c.type) for c in entries.c})
        .cte("a"),
    )


_INSERT_ORDER = _insert_order_statement()


async def _insert_order(
    session: AsyncSession, order: Order, items: Sequence[OrderItem], entry: dict[str, Any]
) -> None:
    """The new order, its items and its audit entry in one statement: one round trip, no unit of work
    (``order`` and ``items`` stay transient), as it runs for every order placed in a flash sale."""
    params: dict[str, Any] = {f"order_{c.name}": getattr(order, c.name) for c in Order.__table__.c}
    for column in OrderItem.__table__.c:
        params[f"items_{column.name}"] = [getattr(item, column.name) for item in items]
    params.update({f"audit_{name}": value for name, value in entry.items()})
    await session.execute(_INSERT_ORDER, params)


async def _reserve(
    session: AsyncSession,
    details: OrderDetails,
    priced: PricedItems,
    items: Sequence[OrderItemInput],
    discount: promos.Discount | None,
) -> None:
    """The order's claims, in the global lock order: its promo use, then each ticket type (in id order,
    one conditional UPDATE each), then its seats."""
    if discount is not None:
        await promos.claim_use(session, discount.promo)
    for line in sorted(priced.lines, key=lambda line: line.ticket_type_id):
        if await inventory.reserve(session, line.ticket_type_id, line.quantity) is None:
            raise await _insufficient(session, priced, items, line.ticket_type_id)
    for index, item in enumerate(items):
        if item.ticket_type_id not in priced.seated and item.seats is None:
            continue
        details.seats += await seating.hold_seats(
            session,
            order_id=details.order.id,
            ticket_type_id=item.ticket_type_id,
            quantity=item.quantity,
            requested=item.seats,
            field=f"items.{index}.seats",
        )


async def create(
    session: AsyncSession,
    buyer: User,
    data: OrderCreate,
    *,
    hold: timedelta,
    max_tickets: int,
    before_reserve: Callable[[OrderDetails], Awaitable[None]] | None = None,
) -> OrderDetails:
    """Check, price, discount and reserve in one transaction: PENDING until now + hold; free: CONFIRMED."""
    now = utcnow()
    # The event's row is locked first (EventLock.SHARE) and its status checked under the lock: an event
    # cancellation either commits before (this order is refused) or waits for this one (and cancels it).
    priced = await price_items(
        session, buyer, data.event_id, data.items, now, max_tickets=max_tickets, lock=True
    )
    event = priced.event
    discount = None
    if data.promo_code is not None:
        promo = await promos.find_for_event(session, event.id, data.promo_code)
        discount = promos.evaluate(promo, priced.lines, now)
    await _enforce_buyer_caps(session, buyer, priced, data.items, now)

    # Past-due holds of other buyers count as free: expire them before this order needs their tickets.
    # The sweep locks the promo codes it gives uses back to and this order's own, in id order, before any
    # ticket type (tixmo.locks): the claim below then holds its row already.
    short = [
        line.ticket_type_id
        for line in priced.lines
        if priced.ticket_types[line.ticket_type_id].quantity_available < line.quantity
    ]
    own_promo = [discount.promo.id] if discount is not None else []
    swept = await expire_due(session, now, ticket_type_ids=short, also_promos=own_promo) if short else 0
    seated = priced.seated

    order, items = rows.pending_order(buyer.id, event, priced.lines, now=now, hold=hold, discount=discount)
    names = {tt_id: tt.name for tt_id, tt in priced.ticket_types.items()}
    details = OrderDetails(order, [(item, names[item.ticket_type_id]) for item in items])
    # The answer to a PENDING general-admission order is known before the reservation: the caller may
    # prepare it (and store it for Idempotency-Key replays) then, so that the reservation is the last
    # statement before the commit and the hot ticket-type rows stay locked as briefly as possible.
    answer_known = order.total_minor > 0 and not any(
        item.ticket_type_id in seated or item.seats is not None for item in data.items
    )
    # When expired holds were just released, keep that even if this order fails: the reservation runs
    # in a savepoint and the error commits what came before it.
    scope = session.begin_nested() if swept else contextlib.nullcontext()
    try:
        async with scope:
            entry = audit.entry_values(
                action="order.created",
                entity_type="order",
                entity_id=order.id,
                actor_id=buyer.id,
                organization_id=event.organization_id,
                after={"status": order.status, "total": order.total_minor, "tickets": order.ticket_count},
            )
            await _insert_order(session, order, items, entry)
            await audit.emit_webhook(
                session, "order.created", "order", order.id, event.organization_id, entry["after"]
            )
            if before_reserve is not None and answer_known:
                await before_reserve(details)
            await _reserve(session, details, priced, data.items, discount)
    except TixmoError as exc:
        exc.commit_before_raise = exc.commit_before_raise or bool(swept)
        raise
    if order.total_minor == 0:
        await confirm_locked(session, details, buyer, now, organization_id=event.organization_id)
        return (await load_details(session, [order]))[0]
    return details

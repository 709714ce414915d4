"""The order state machine: the statuses an order moves through, the one function that moves it, the
one that writes the audit entry of a move, and the release of a PENDING order's hold.

    PENDING ──confirm──▶ CONFIRMED ──refund part──▶ PARTIALLY_REFUNDED
       │  ▲                  │  └──cancel / refund all──▶ REFUNDED (CANCELLED when nothing was paid)
       │  └─revive (a late payment: settlement)─ EXPIRED
       ├──cancel──▶ CANCELLED
       └──hold runs out──▶ EXPIRED

Every move is a conditional UPDATE (``… WHERE status IN (the statuses it may follow)``): whoever moves an
order first wins and everyone else sees the new status, so a hold is released, and a promo use given
back, exactly once. Placement, confirmation, cancellation, expiry (``orders.service``), payments and
refunds (``orders.settlement``) all move orders through here.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from tixmo import locks
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.notifications import triggers as notify
from tixmo.orders import inventory
from tixmo.orders.models import Order, OrderItem, OrderStatus
from tixmo.promos import service as promos
from tixmo.seating import holds as seating

S = OrderStatus
TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING: frozenset({S.CONFIRMED, S.CANCELLED, S.EXPIRED}),
    S.EXPIRED: frozenset({S.PENDING}),  # revived by a late payment, then confirmed at once
    S.CONFIRMED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED, S.CANCELLED}),
    S.PARTIALLY_REFUNDED: frozenset({S.REFUNDED, S.CANCELLED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}


def is_due(order: Order, now: datetime) -> bool:
    return (
        order.status == OrderStatus.PENDING.value and order.expires_at is not None and order.expires_at <= now
    )


def due(now: datetime, ticket_type_ids: Sequence[uuid.UUID] | None) -> ColumnElement[bool]:
    condition = (Order.status == OrderStatus.PENDING.value) & (Order.expires_at <= now)
    if ticket_type_ids is not None:
        condition = condition & exists().where(
            OrderItem.order_id == Order.id, OrderItem.ticket_type_id.in_(list(ticket_type_ids))
        )
    return condition


async def items_of(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> list[OrderItem]:
    rows = await session.scalars(
        select(OrderItem)
        .where(OrderItem.order_id.in_(list(order_ids)))
        .order_by(OrderItem.ticket_type_id, OrderItem.order_id)
    )
    return list(rows)


async def move(
    session: AsyncSession, order: Order, to: OrderStatus, now: datetime, *, from_: Sequence[str]
) -> bool:
    """Move ``order`` to ``to`` if it is still in one of ``from_`` (each a status ``to`` may follow, by
    ``TRANSITIONS``); False when someone else moved it first. The one UPDATE of an order's status."""
    wrong = [source for source in from_ if source != to.value and to not in TRANSITIONS[OrderStatus(source)]]
    assert not wrong, f"An order never moves from {wrong} to {to.value} (orders/status.py)"
    stamps = {
        OrderStatus.CONFIRMED: "confirmed_at",
        OrderStatus.CANCELLED: "cancelled_at",
        OrderStatus.REFUNDED: "cancelled_at",
        OrderStatus.EXPIRED: "expired_at",
    }
    values: dict[str, object] = {"status": to.value, "updated_at": now}
    if to in stamps:
        values[stamps[to]] = now
    moved = await session.scalar(
        update(Order)
        .where(Order.id == order.id, Order.status.in_(list(from_)))
        .values(**values)
        .returning(Order.id)
        .execution_options(synchronize_session=False)
    )
    if moved is None:
        return False
    mirror(order, values)
    return True


def mirror(order: Order, values: Mapping[str, object]) -> None:
    """The loaded ``order`` as its row now is after a Core UPDATE of it, *without* marking it changed.

    Marked changed (plain ``setattr``), it would be written again at the next flush: a second UPDATE of
    a row version this transaction wrote, which makes PostgreSQL re-check the order's foreign keys —
    the deferred ones (event, promo code) at COMMIT, with ``FOR KEY SHARE`` on the promo code's row
    after the ticket types the transaction changed meanwhile. A confirm, which never locks the promo
    code, then waited at its commit for a cancel that held the code's row and waited for the confirm's
    ticket type: a deadlock, out of the global lock order (``tixmo.locks``)."""
    for name, value in values.items():
        set_committed_value(order, name, value)


async def release_holds(
    session: AsyncSession,
    orders: Sequence[tuple[Order, uuid.UUID]],
    to: OrderStatus,
    now: datetime,
    *,
    actor: User | None,
    quiet: bool = False,
    also_promos: Sequence[uuid.UUID | None] = (),
) -> list[Order]:
    """PENDING → ``to`` (CANCELLED or EXPIRED) for each (order, organization id), the orders locked by
    the caller: the holds, the seats and the promo uses go back, once per order. The rows are moved in
    the global lock order whatever the orders: promo codes (with ``also_promos``, which the caller takes
    next), then ticket types, each in id order. Buyers are notified unless ``quiet`` (an event
    cancellation sends its own message). Returns the orders moved (those still PENDING)."""
    moved = [
        (order, organization_id)
        for order, organization_id in orders
        if await move(session, order, to, now, from_=[OrderStatus.PENDING.value])
    ]
    ids = [order.id for order, _ in moved]
    promo_uses = Counter(order.promo_code_id for order, _ in moved if order.promo_code_id is not None)
    await locks.take(session, locks.Kind.PROMO, [*promo_uses, *(p for p in also_promos if p is not None)])
    for promo_id in sorted(promo_uses):
        await promos.release_use(session, promo_id, promo_uses[promo_id])
    held: Counter[uuid.UUID] = Counter()
    for item in await items_of(session, ids) if ids else []:
        held[item.ticket_type_id] += item.quantity
    for ticket_type_id in sorted(held):
        await inventory.release(session, ticket_type_id, held[ticket_type_id])
    for order_id in ids:
        await seating.release_seats(session, order_id)
    for order, organization_id in moved:
        if not quiet:
            await notify.order_changed(session, order)
        await record(session, order, OrderStatus.PENDING.value, actor=actor, organization_id=organization_id)
    return [order for order, _ in moved]


async def record(
    session: AsyncSession,
    order: Order,
    before: str,
    *,
    actor: User | None,
    organization_id: uuid.UUID,
    action: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """The audit entry of ``order``'s move from ``before`` to its status now (``order.<status>`` unless
    ``action`` says otherwise; ``extra``: more of what changed). A move's side effects come first, so the
    log (and the webhooks it emits) follows them."""
    await audit.record(
        session,
        action=action or f"order.{order.status.lower()}",
        entity_type="order",
        entity_id=order.id,
        actor_id=actor.id if actor is not None else None,
        actor_type="user" if actor is not None else "system",
        organization_id=organization_id,
        before={"status": before},
        after={"status": order.status, **(extra or {})},
    )

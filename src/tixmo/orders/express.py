"""The express path: a flash-sale order placed in two statements, with no transaction held open.

The common shape of an order in a flash sale — one general-admission ticket type, no promo code, no
per-buyer cap, a price above zero — is placed here:

1. **read**: the buyer, the event and the ticket type, in one query, checked and priced by the same
   rules as ``lines.price_items`` (``lines.check_total``, ``lines.check_item``,
   ``pricing.current_price_minor``);
2. **write**: one statement that runs the reservation — the conditional UPDATE of DESIGN rule 6, the same
   as ``inventory.reserve`` — and, only when it reserved, inserts the order, its item and its audit entry
   (``INSERT … SELECT … FROM`` the UPDATE's ``RETURNING``). It is its own transaction.

With an ``Idempotency-Key`` the reservation also requires the key's advisory lock — the same
``pg_try_advisory_xact_lock`` the full path takes (``idempotency/service.py``), taken without waiting —
and no record for the key; the statement then stores the answer under the key along with the order. A key
already used (answered, stale) or in flight leaves the request to the full path, which replays it, replaces
it or answers 409 with ``Retry-After``, exactly as it would have. The lock means no other transaction can
be inserting that key meanwhile, so the insert never waits while the hot row is locked; a record committed
between the statement's snapshot and its lock trips the key's unique index, and the whole statement —
reservation included — rolls back and falls back too.

So the hot ticket-type row is locked only while PostgreSQL runs that statement and commits it, never
across a round trip to the API process: the lock is released by PostgreSQL itself, however busy the API's
event loop is. The order and its reservation commit together or not at all, as on the full path.

An order of that shape with a promo code, or of several general-admission ticket types, is read and
checked here too (every line's ticket type in the same query, each line checked with its index as
``lines.price_items`` checks it; the code looked up as ``promos.find_for_event`` does and judged by
``promos.evaluate``), but only the coalescer places it: its batch statement claims the code's use and
reserves every ticket type (``orders/coalescer.py``); the one-order statement below reserves one ticket
type and claims no use, so without the coalescer such an order takes the full path.

Anything else — another shape, a check that fails, not enough tickets left — returns ``None``, and the
caller runs the full path (``placement.create``), which answers every error and sweeps expired holds. The
express path never answers an error itself, so both paths answer the same request the same way.

What the read sees may change before the write (a price edited, the event cancelled): as on the full path,
where the catalogue read takes no lock either, the order is placed at the price quoted by the read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    any_,
    bindparam,
    exists,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from starlette.responses import Response

from tixmo import outbox, pricing, transient
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.audit.models import AuditEntry
from tixmo.db import Database, utcnow
from tixmo.errors import TixmoError
from tixmo.events.models import Event, EventStatus
from tixmo.idempotency.models import IdempotencyRecord
from tixmo.idempotency.service import Idempotency, fingerprint, lock_name
from tixmo.orders import rows
from tixmo.orders.coalescer import Coalescer, Pending
from tixmo.orders.models import Order, OrderItem
from tixmo.orders.schemas import OrderCreate
from tixmo.orders.service import OrderDetails
from tixmo.orders.soldout import Seen
from tixmo.promos import service as promos
from tixmo.promos.models import PromoCode
from tixmo.promos.service import Discount
from tixmo.rawsql import RawStatement, driver_connection
from tixmo.seating.models import EventSeat
from tixmo.ticketing import lines
from tixmo.ticketing.lines import Line
from tixmo.ticketing.models import TicketType
from tixmo.ticketing.schemas import OrderItemInput

_PROMO_FIELDS = (
    "id",
    "code",
    "discount_type",
    "discount_value",
    "max_uses",
    "used_count",
    "min_order_amount_minor",
    "valid_from",
    "valid_until",
    "ticket_type_ids",
    "status",
)
_EVENT_FIELDS = ("id", "organization_id", "status", "currency", "max_per_buyer")
_TICKET_TYPE_FIELDS = (
    "id",
    "event_id",
    "name",
    "price_minor",
    "quantity_total",
    "quantity_sold",
    "quantity_held",
    "sales_start",
    "sales_end",
    "min_per_order",
    "max_per_order",
    "max_per_buyer",
    "price_tiers",
)


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def _read_statement(*, promo: bool = False) -> RawStatement:
    """The buyer, the event, each of its ticket types among ``:ticket_type_ids`` (and whether it has
    seats), one row per ticket type found (one with the ticket type's columns ``NULL`` if none is); with
    ``promo``, also the event's promo code ``:promo_code`` (lower-cased, as ``promos.find_for_event``
    looks it up)."""
    users, events, types, codes = _table(User), _table(Event), _table(TicketType), _table(PromoCode)
    seated = exists().where(_table(EventSeat).c.ticket_type_id == types.c.id)
    query = (
        select(
            users.c.deleted_at.is_(None).label("buyer_active"),
            *(events.c[name].label(f"e_{name}") for name in _EVENT_FIELDS),
            *(types.c[name].label(f"t_{name}") for name in _TICKET_TYPE_FIELDS),
            seated.label("seated"),
            outbox.subscribed(events.c.organization_id, "order.created").label("webhooks"),
        )
        .select_from(users)
        .outerjoin(events, events.c.id == bindparam("event_id", type_=events.c.id.type))
        .outerjoin(
            types,
            (types.c.id == any_(bindparam("ticket_type_ids", type_=ARRAY(types.c.id.type))))
            & (types.c.event_id == events.c.id),
        )
        .where(users.c.id == bindparam("buyer_id", type_=users.c.id.type))
    )
    if promo:
        query = query.add_columns(*(codes.c[name].label(f"p_{name}") for name in _PROMO_FIELDS)).outerjoin(
            codes,
            (codes.c.event_id == events.c.id)
            & (func.lower(codes.c.code) == bindparam("promo_code", type_=codes.c.code.type)),
        )
    return RawStatement(query)


def _write_statement(*, guarded: bool = True, keyed: bool = False, event_first: bool = True) -> RawStatement:
    """``WITH r AS (UPDATE ticket_types … RETURNING id), o AS (INSERT INTO orders … SELECT … FROM r),
    i AS (INSERT INTO order_items … FROM o), a AS (INSERT INTO audit_log … FROM o)
    SELECT count(*) FROM o``.

    ``keyed``: ``r`` reserves only ``AND (SELECT pg_try_advisory_xact_lock(…)) AND NOT EXISTS (the key's
    record)``, and ``k AS (INSERT INTO idempotency_keys … FROM o)`` stores the answer.

    ``guarded=False`` leaves out the oversell guard (``left >= quantity``): only the negative-control test
    builds that, to show the concurrency test catches check-then-update. ``event_first=False`` leaves out
    the event's lock (the lock-order tests' negative control: the order then takes it at commit, after
    the ticket type, and deadlocks with a staff edit)."""
    types, orders, items, entries = (_table(m) for m in (TicketType, Order, OrderItem, AuditEntry))
    events = _table(Event)
    left = types.c.quantity_total - types.c.quantity_sold - types.c.quantity_held
    quantity = bindparam("quantity", type_=types.c.quantity_held.type)
    # The event's row first (tixmo.locks: EventLock.SHARE), its status checked under the lock: an
    # uncorrelated EXISTS, which PostgreSQL runs once, before it reads the ticket-type row (a one-time
    # filter), so the event is locked before the ticket type, as on every other path.
    published = exists(
        select(events.c.id)
        .where(
            events.c.id == bindparam("event_id", type_=events.c.id.type),
            events.c.status == EventStatus.PUBLISHED.value,
        )
        .with_for_update(read=True, key_share=True)
    )
    claimed: ColumnElement[bool] = published if event_first else true()
    records = _table(IdempotencyRecord)
    if keyed:
        lock = select(
            func.pg_try_advisory_xact_lock(func.hashtextextended(bindparam("key_lock", type_=String()), 0))
        )
        used = exists().where(
            records.c.user_id == bindparam("key_user_id", type_=records.c.user_id.type),
            records.c.key == bindparam("key_key", type_=records.c.key.type),
        )
        claimed = claimed & lock.scalar_subquery() & ~used
    reserved = (
        update(types)
        .where(types.c.id == bindparam("ticket_type_id", type_=types.c.id.type), claimed)
        .where(left >= quantity if guarded else true())
        .values(
            quantity_held=types.c.quantity_held + quantity,
            updated_at=bindparam("now", type_=types.c.updated_at.type),
        )
        .returning(types.c.id)
        .cte("r")
    )

    def values_from(table: Table, prefix: str, source: Any) -> Any:
        return select(*(bindparam(f"{prefix}_{c.name}", type_=c.type) for c in table.c)).select_from(source)

    order = (
        insert(orders)
        .from_select([c.name for c in orders.c], values_from(orders, "order", reserved))
        .returning(orders.c.id)
        .cte("o")
    )
    item = insert(items).from_select([c.name for c in items.c], values_from(items, "item", order)).cte("i")
    entry = (
        insert(entries)
        .from_select([c.name for c in entries.c], values_from(entries, "audit", order))
        .cte("a")
    )
    ctes = [item, entry]
    if keyed:
        ctes.append(
            insert(records)
            .from_select([c.name for c in records.c], values_from(records, "key", order))
            .cte("k")
        )
    return RawStatement(select(func.count()).select_from(order).add_cte(*ctes))


_READ = _read_statement()
_READ_PROMO = _read_statement(promo=True)
_WRITE = _write_statement()
_WRITE_KEYED = _write_statement(keyed=True)


def applies(data: OrderCreate) -> bool:
    """Whether the request has the express shape at all (the rest is known after the read): no seats
    named. An order with a promo code or of several ticket types has it too, but only the coalescer
    places it (its batch claims the code's use and reserves every ticket type; the one-order statement
    reserves one ticket type and claims no use)."""
    return all(item.seats is None for item in data.items)


def _single(data: OrderCreate) -> bool:
    """Whether the one-order statement can place it (one ticket type, no promo code)."""
    return len(data.items) == 1 and data.promo_code is None


def _build(row: Any, prefix: str, model: type[Any], fields: tuple[str, ...]) -> Any:
    return model(**{name: row[f"{prefix}_{name}"] for name in fields})


@dataclass(frozen=True)
class _Read:
    """The order the read allows, with what the write needs of the read."""

    order: Order
    details: OrderDetails
    event: Event
    now: datetime


def _details(
    found: Sequence[Any],
    buyer_id: uuid.UUID,
    data: OrderCreate,
    *,
    hold: timedelta,
    max_tickets: int,
    seen: Seen | None,
) -> _Read | None:
    """The PENDING order the read rows allow (every rule of the full path checked, line by line with its
    index, as ``lines.price_items``), or ``None`` when the full path must decide."""
    row = found[0] if found else None
    if row is None or not row["buyer_active"] or row["e_id"] is None or row["webhooks"]:
        return None
    event: Event = _build(row, "e", Event, _EVENT_FIELDS)
    catalogue = {
        r["t_id"]: (_build(r, "t", TicketType, _TICKET_TYPE_FIELDS), r["seated"])
        for r in found
        if r["t_id"] is not None
    }
    wanted = data.items
    if len({item.ticket_type_id for item in wanted}) < len(wanted):
        return None  # a ticket type listed twice: the full path's 422
    if any(item.ticket_type_id not in catalogue for item in wanted):
        return None  # unknown, or another event's: the full path's 422
    now = utcnow()
    priced: list[tuple[TicketType, Line]] = []
    for index, item in enumerate(wanted):
        ticket_type, seated = catalogue[item.ticket_type_id]
        if not _follows_rules(seated, event, ticket_type, wanted, index, now, max_tickets):
            return None
        price = pricing.current_price_minor(ticket_type, now)
        if price <= 0:
            return None
        priced.append((ticket_type, Line(ticket_type.id, item.quantity, price)))
    if seen is not None and len(priced) == 1:  # for the sold-out flag, should the full path find none left
        seen.event, seen.ticket_type = event, priced[0][0]
    if any(ticket_type.quantity_available < line.quantity for ticket_type, line in priced):
        return None
    discount = None
    if data.promo_code is not None:
        discount = _discount(row, [line for _, line in priced], now)
        if discount is None:
            return None
    details = _order_of(buyer_id, event, priced, now, hold, discount)
    order = details.order
    if order.total_minor <= 0:
        return None  # a free order is confirmed at once, with its tickets: the full path
    return _Read(order, details, event, now)


async def place(
    database: Database,
    buyer_id: uuid.UUID,
    data: OrderCreate,
    *,
    hold: timedelta,
    max_tickets: int,
    respond: Callable[[OrderDetails], Response],
    idempotency: Idempotency,
    coalescer: Coalescer | None = None,
    seen: Seen | None = None,
) -> Response | None:
    """The answer to the placed PENDING order, made by ``respond`` (and stored under the request's
    ``Idempotency-Key``, if any); ``None`` when the full path must decide (see the module doc)."""
    if not applies(data) or (coalescer is None and not _single(data)):
        return None  # a promo code's use and several ticket types: the coalescer's batch, or the full path
    pending: Pending | None = None
    params: dict[str, Any] = {
        "buyer_id": buyer_id,
        "event_id": data.event_id,
        "ticket_type_ids": [item.ticket_type_id for item in data.items],
    }
    if data.promo_code is not None:
        params["promo_code"] = data.promo_code.strip().lower()
    async with driver_connection(database) as connection:
        found = await (_READ if data.promo_code is None else _READ_PROMO).fetch(connection, params)
        read = _details(found, buyer_id, data, hold=hold, max_tickets=max_tickets, seen=seen)
        if read is None:
            return None
        order, details, event, now = read.order, read.details, read.event, read.now
        entry = audit.entry_values(
            action="order.created",
            entity_type="order",
            entity_id=order.id,
            actor_id=buyer_id,
            organization_id=event.organization_id,
            after={"status": order.status, "total": order.total_minor, "tickets": order.ticket_count},
        )
        answer = respond(details)
        if coalescer is not None:
            key = _key_params(idempotency, data, buyer_id, answer, now) if idempotency.key else None
            pending = Pending(
                tuple((item.ticket_type_id, item.quantity) for item, _ in details.items),
                _rows(details, entry, key),
                key["key_lock"] if key is not None else None,
                promo_id=order.promo_code_id,
            )
        else:
            params = _write_params(details, entry, now)
            statement = _WRITE
            if idempotency.key is not None:
                statement = _WRITE_KEYED
                params.update(_key_params(idempotency, data, buyer_id, answer, now))
            try:
                with transient.committing():  # one statement, its own transaction: commits as it returns
                    placed = await statement.fetchval(connection, params)
            except asyncpg.UniqueViolationError:
                return None  # the key was answered after the statement's snapshot: the full path replays
    if pending is not None:
        assert coalescer is not None
        # The connection is back in the pool while the batch is written (on the coalescer's own).
        reserved = await coalescer.reserve(data.event_id, pending)
        return answer if reserved else None
    return answer if placed == 1 else None


def _key_params(
    idempotency: Idempotency, data: OrderCreate, buyer_id: uuid.UUID, answer: Response, now: datetime
) -> dict[str, Any]:
    """The ``idempotency_keys`` row, as ``Idempotency.respond`` would store it, and the key's lock."""
    assert idempotency.key is not None
    return {
        "key_lock": lock_name(buyer_id, idempotency.key),
        "key_id": uuid.uuid4(),
        "key_user_id": buyer_id,
        "key_key": idempotency.key,
        "key_fingerprint": fingerprint(idempotency.method, idempotency.path, data),
        "key_response_status": answer.status_code,
        "key_response_body": bytes(answer.body),
        "key_created_at": now,
        "key_expires_at": now + idempotency.retention,
    }


def _rows(details: OrderDetails, entry: dict[str, Any], key: dict[str, Any] | None = None) -> dict[str, Any]:
    """The order's, its items', its audit entry's and its key record's columns (all ``None`` without a
    key), for the coalescer's batch."""
    order = details.order
    return {
        "order": {c.name: getattr(order, c.name) for c in _table(Order).c},
        "items": [{c.name: getattr(item, c.name) for c in _table(OrderItem).c} for item, _ in details.items],
        "audit": entry,
        "key": {
            c.name: key[f"key_{c.name}"] if key is not None else None for c in _table(IdempotencyRecord).c
        },
    }


def _write_params(details: OrderDetails, entry: dict[str, Any], now: datetime) -> dict[str, Any]:
    """``_WRITE``'s parameters: the reservation, then every column of the order, its item and the entry."""
    order, (item, _) = details.order, details.items[0]
    params: dict[str, Any] = {
        "event_id": order.event_id,
        "ticket_type_id": item.ticket_type_id,
        "quantity": item.quantity,
        "now": now,
    }
    params.update({f"order_{c.name}": getattr(order, c.name) for c in _table(Order).c})
    params.update({f"item_{c.name}": getattr(item, c.name) for c in _table(OrderItem).c})
    params.update({f"audit_{name}": value for name, value in entry.items()})
    return params


def _follows_rules(
    seated: bool,
    event: Event,
    ticket_type: TicketType,
    items: Sequence[OrderItemInput],
    index: int,
    now: datetime,
    max_tickets: int,
) -> bool:
    """Whether the full path would accept line ``index`` of ``items`` as it stands (``lines.check_total``
    and ``check_item``: on sale, inside the per-order limits), with no per-buyer cap to count and no seats
    to hold (whether enough tickets are left is the caller's check)."""
    try:
        lines.check_total(items, max_tickets)
        lines.check_item(ticket_type, event, items[index], index, now)
    except TixmoError:
        return False
    return not seated and event.max_per_buyer is None and ticket_type.max_per_buyer is None


def _discount(row: Any, priced: Sequence[Line], now: datetime) -> Discount | None:
    """The promo code's discount on the lines, as the full path evaluates it (``promos.evaluate``: active,
    in its dates, a use left as read, the minimum amount, an eligible line); ``None`` when there is no such
    code or it does not apply (the full path then answers ``PROMO_CODE_INVALID``)."""
    if row["p_id"] is None:
        return None
    promo: PromoCode = _build(row, "p", PromoCode, _PROMO_FIELDS)
    try:
        return promos.evaluate(promo, list(priced), now)
    except TixmoError:
        return None


def _order_of(
    buyer_id: uuid.UUID,
    event: Event,
    priced: Sequence[tuple[TicketType, Line]],
    now: datetime,
    hold: timedelta,
    discount: Discount | None = None,
) -> OrderDetails:
    """The PENDING order of the priced lines, in the request's order (as the full path builds it)."""
    lines_ = [line for _, line in priced]
    order, items = rows.pending_order(buyer_id, event, lines_, now=now, hold=hold, discount=discount)
    return OrderDetails(
        order, [(item, ticket_type.name) for item, (ticket_type, _) in zip(items, priced, strict=True)]
    )


def _order(
    buyer_id: uuid.UUID,
    event: Event,
    ticket_type: TicketType,
    quantity: int,
    price: int,
    now: datetime,
    hold: timedelta,
    discount: Discount | None = None,
) -> OrderDetails:
    """A one-line order (``_order_of``)."""
    return _order_of(
        buyer_id, event, [(ticket_type, Line(ticket_type.id, quantity, price))], now, hold, discount
    )

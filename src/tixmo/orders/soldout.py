"""Sold-out short-circuit: after a sell-out, the flood of losers is answered without the database.

Each API process keeps a flag per sold-out ticket type. It is set when the full path has just answered
an express-shaped order (one general-admission ticket type, no promo code, no per-buyer cap, no waiting
room) 409 ``INSUFFICIENT_INVENTORY`` with **0** left — after sweeping the expired holds. While it is set,
the same kind of order for that ticket type is answered the very same 409 (same message, same
``available: 0``) by the process itself. A request that would be refused for another reason first
(quantity outside ``minPerOrder``/``maxPerOrder`` or ``TIXMO_ORDER_MAX_TICKETS``, sales ended, another
event's ticket type) is not short-circuited, so it still gets that answer.

The flag is cleared in every process by ``LISTEN tixmo_inventory``: a trigger on ``ticket_types``
(migration 0020) notifies whenever the tickets left grow — a hold released by a cancel or an expiry,
tickets refunded or cancelled, capacity raised — in whatever code path, when that transaction commits.
Holds that expire with nobody releasing them yet are the one way tickets come back without an UPDATE:
a flag never outlives the earliest hold of the ticket type (nor ``MAX_AGE``), so the next order after
that reaches the full path, which sweeps them.

No flag is set unless the process was already listening when the refused request began (``epoch``),
and none is set if any notification arrived meanwhile (it might have been this ticket type's). If the
listening connection is lost, every flag is dropped and none is set until it is back.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg  # type: ignore[import-untyped]
import structlog

from tixmo import metrics
from tixmo.db import Database, async_url, utcnow
from tixmo.errors import FieldError, InsufficientInventory
from tixmo.events.models import Event
from tixmo.orders.schemas import OrderCreate
from tixmo.rawsql import driver_connection
from tixmo.ticketing.models import TicketType

log = structlog.get_logger(__name__)

CHANNEL = "tixmo_inventory"
MAX_AGE = timedelta(seconds=10)
_EARLIEST_HOLD = """
SELECT min(o.expires_at) FROM orders o JOIN order_items i ON i.order_id = o.id
WHERE i.ticket_type_id = $1 AND o.status = 'PENDING'
"""


def sold_out(ticket_type_id: uuid.UUID, name: str) -> InsufficientInventory:
    """The answer of the full path (``placement._insufficient``) when none are left."""
    message = f"{name!r} is sold out."
    return InsufficientInventory(
        message,
        errors=[FieldError(field="items.0.quantity", message=message)],
        extra={"ticketTypeId": str(ticket_type_id), "available": 0},
    )


@dataclass(frozen=True)
class Flag:
    event_id: uuid.UUID
    name: str
    min_per_order: int
    max_per_order: int | None
    sales_end: datetime | None
    until: datetime


@dataclass
class Seen:
    """What the express read saw of an order that met every rule but, maybe, the tickets left."""

    event: Event | None = None
    ticket_type: TicketType | None = None


class SoldOutBoard:
    """One per API process: the flags and the LISTEN connection that clears them."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._flags: dict[uuid.UUID, Flag] = {}
        self._connection: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()
        self._epoch = 0
        self.short_circuited = 0  # answers given without the database (tests, benchmark)

    @property
    def listening(self) -> bool:
        return self._connection is not None and not self._connection.is_closed()

    def epoch(self) -> int | None:
        """The notification count now, or ``None`` when not listening (then nothing may be marked)."""
        return self._epoch if self.listening else None

    def refusal(self, data: OrderCreate, max_tickets: int) -> InsufficientInventory | None:
        """The 409 for this order if its ticket type is flagged and nothing else would refuse it first."""
        if len(data.items) != 1 or data.promo_code is not None or data.items[0].seats is not None:
            return None
        [item] = data.items
        flag = self._flags.get(item.ticket_type_id)
        if flag is None or flag.event_id != data.event_id:
            return None
        now = utcnow()
        if now >= flag.until or (flag.sales_end is not None and now >= flag.sales_end):
            self._flags.pop(item.ticket_type_id, None)
            return None
        if item.quantity > max_tickets or item.quantity < flag.min_per_order:
            return None
        if flag.max_per_order is not None and item.quantity > flag.max_per_order:
            return None
        self.short_circuited += 1
        metrics.ORDERS_SOLD_OUT_SHORT_CIRCUIT.inc()
        return sold_out(item.ticket_type_id, flag.name)

    async def mark(self, seen: Seen, epoch: int | None) -> None:
        """Flag the ticket type the full path just found sold out (see the module doc)."""
        event, ticket_type = seen.event, seen.ticket_type
        if event is None or ticket_type is None:
            return
        if epoch is None:
            await self.start()  # the next sold-out answer may set the flag
            return
        async with driver_connection(self._database) as connection:
            earliest: datetime | None = await connection.fetchval(_EARLIEST_HOLD, ticket_type.id)
        if epoch != self._epoch or not self.listening:
            return  # inventory may have come back meanwhile
        until = utcnow() + MAX_AGE
        self._flags[ticket_type.id] = Flag(
            event_id=event.id,
            name=ticket_type.name,
            min_per_order=ticket_type.min_per_order,
            max_per_order=ticket_type.max_per_order,
            sales_end=ticket_type.sales_end,
            until=min(until, earliest) if earliest is not None else until,
        )

    async def start(self) -> None:
        async with self._lock:
            if self.listening:
                return
            dsn = async_url(self._database.url).set(drivername="postgresql")
            connection = await asyncpg.connect(dsn.render_as_string(hide_password=False))
            connection.add_termination_listener(self._on_lost)
            await connection.add_listener(CHANNEL, self._on_notify)
            self._connection = connection

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self._epoch += 1
        try:
            self._flags.pop(uuid.UUID(payload), None)
        except ValueError:
            log.warning("soldout.bad_notification")
            self._flags.clear()

    def _on_lost(self, _conn: object) -> None:
        log.warning("soldout.listener_lost")
        self._connection = None
        self._epoch += 1
        self._flags.clear()

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        self._flags.clear()
        if connection is not None and not connection.is_closed():
            await connection.close()

    def flagged(self, ticket_type_id: uuid.UUID) -> bool:
        return ticket_type_id in self._flags

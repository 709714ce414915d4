"""Inventory counters of ticket types, moved only by conditional UPDATEs (DESIGN rule 6).

``reserve`` is the guard against overselling: one statement that adds to ``quantity_held`` only while
``quantity_total - quantity_sold - quantity_held`` covers the request, evaluated under the row lock the
UPDATE takes, so concurrent buyers are serialised by PostgreSQL on the row and each sees the committed
counters of the one before. The CHECK constraint ``no_oversell`` backs it. Callers touching several ticket
types call these in ticket-type-id order, so two orders never wait on each other's rows in a cycle; each
records its row lock with ``tixmo.locks`` (the global order is checked).
"""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import Table, Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks
from tixmo.ticketing import waitlist_pool as waitlist
from tixmo.ticketing.models import TicketType


def _reserve_statement() -> Update:
    # Built once with bind parameters (a Core statement, not an ORM one): it runs for every order.
    table = cast(Table, TicketType.__table__)
    left = table.c.quantity_total - table.c.quantity_sold - table.c.quantity_held
    return (
        update(table)
        .where(table.c.id == bindparam("ticket_type_id"), left >= bindparam("quantity"))
        .values(quantity_held=table.c.quantity_held + bindparam("quantity"))
        .returning(left)
    )


_RESERVE = _reserve_statement()


async def reserve(session: AsyncSession, ticket_type_id: uuid.UUID, quantity: int) -> int | None:
    """Hold ``quantity`` tickets; the tickets left afterwards, or ``None`` when not enough were left."""
    locks.note(session, locks.Kind.TICKET_TYPE, [ticket_type_id])
    left: int | None = await session.scalar(
        _RESERVE, {"ticket_type_id": ticket_type_id, "quantity": quantity}
    )
    return left


async def release(session: AsyncSession, ticket_type_id: uuid.UUID, quantity: int) -> None:
    """Give back a hold (an order cancelled or expired while PENDING)."""
    locks.note(session, locks.Kind.TICKET_TYPE, [ticket_type_id])
    await session.execute(
        update(TicketType)
        .where(TicketType.id == ticket_type_id)
        .values(quantity_held=TicketType.quantity_held - quantity)
        .execution_options(synchronize_session=False)
    )
    await waitlist.keep_for_waitlist(session, [ticket_type_id])  # entries waiting get them first


async def sell(session: AsyncSession, ticket_type_id: uuid.UUID, quantity: int) -> None:
    """A hold becomes sold (an order confirmed)."""
    locks.note(session, locks.Kind.TICKET_TYPE, [ticket_type_id])
    await session.execute(
        update(TicketType)
        .where(TicketType.id == ticket_type_id)
        .values(
            quantity_held=TicketType.quantity_held - quantity,
            quantity_sold=TicketType.quantity_sold + quantity,
        )
        .execution_options(synchronize_session=False)
    )


async def unsell(session: AsyncSession, ticket_type_id: uuid.UUID, quantity: int) -> None:
    """Sold tickets go back on sale (tickets cancelled or refunded)."""
    locks.note(session, locks.Kind.TICKET_TYPE, [ticket_type_id])
    await session.execute(
        update(TicketType)
        .where(TicketType.id == ticket_type_id)
        .values(quantity_sold=TicketType.quantity_sold - quantity)
        .execution_options(synchronize_session=False)
    )
    await waitlist.keep_for_waitlist(session, [ticket_type_id])  # entries waiting get them first


async def available(session: AsyncSession, ticket_type_id: uuid.UUID) -> int:
    """The tickets left as committed now (for error messages)."""
    row = await session.get(TicketType, ticket_type_id, populate_existing=True)
    return row.quantity_available if row is not None else 0

"""Seats under concurrency: separate sessions committing at the same time never share a seat.

Every buyer runs in its own session (its own connection and transaction), as concurrent requests do.
No sleeps and no timing assertions: outcomes are counted, and a wait is detected in pg_stat_activity.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Sequence

import httpx
import psycopg
from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_ticket_type, create_user
from tests.seating.helpers import (
    Key,
    SeatedShop,
    assert_problem,
    create_order,
    error_fields,
    make_seated_shop,
    map_seats,
    refs,
    seat_rows,
)
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.errors import Conflict, InsufficientInventory, TixmoError
from tixmo.orders.models import Order
from tixmo.seating import holds as seating
from tixmo.seating.models import EventSeat

FIELD = "items.0.seats"
Outcome = list[EventSeat] | TixmoError


async def seated_shop(session: AsyncSession, context: AppContext, rows: int, per_row: int) -> SeatedShop:
    layout = {"A": {str(row): per_row for row in range(1, rows + 1)}}
    shop = await make_seated_shop(session, context, layout)
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["A"])
    return shop


async def orders_for(
    session: AsyncSession, context: AppContext, shop: SeatedShop, count: int
) -> list[uuid.UUID]:
    buyer = await create_user(session, context)
    return [(await create_order(session, user=buyer, event=shop.event)).id for _ in range(count)]


async def attempt(
    context: AppContext, shop: SeatedShop, order_id: uuid.UUID, quantity: int, requested: Sequence[Key] | None
) -> Outcome:
    """One buyer: its own session, hold, commit (or roll back on a refusal)."""
    async with context.database.sessionmaker() as session:
        try:
            seats = await seating.hold_seats(
                session,
                order_id=order_id,
                ticket_type_id=shop.ticket_type.id,
                quantity=quantity,
                requested=refs(*requested) if requested is not None else None,
                field=FIELD,
            )
        except TixmoError as exc:
            await session.rollback()
            return exc
        await session.commit()
        return seats


async def everyone(
    context: AppContext,
    shop: SeatedShop,
    order_ids: list[uuid.UUID],
    quantity: int,
    requested: Sequence[Key] | None,
) -> list[Outcome]:
    return await asyncio.gather(*(attempt(context, shop, oid, quantity, requested) for oid in order_ids))


async def seats_by_order(session: AsyncSession, shop: SeatedShop) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(EventSeat.order_id, func.count())
        .where(EventSeat.ticket_type_id == shop.ticket_type.id, EventSeat.order_id.is_not(None))
        .group_by(EventSeat.order_id)
    )
    return {order_id: count for order_id, count in rows.all() if order_id is not None}


async def test_fifty_buyers_of_the_same_seat_one_wins(session: AsyncSession, context: AppContext) -> None:
    shop = await seated_shop(session, context, rows=2, per_row=5)
    order_ids = await orders_for(session, context, shop, 50)

    outcomes = await everyone(context, shop, order_ids, 1, [("A", "1", "3")])

    winners = [(oid, out) for oid, out in zip(order_ids, outcomes, strict=True) if isinstance(out, list)]
    losers = [out for out in outcomes if not isinstance(out, list)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 49
    assert all(isinstance(out, Conflict) for out in losers), losers
    assert all(
        [(e.field, e.message) for e in out.errors] == [(f"{FIELD}.0", "This seat is taken.")]
        for out in losers
    )
    winner_id, seats = winners[0]
    assert [(seat.row, seat.label, seat.order_id) for seat in seats] == [("1", "3", winner_id)]
    assert await seats_by_order(session, shop) == {winner_id: 1}


async def test_hundred_buyers_best_available_on_thirty_seats(
    session: AsyncSession, context: AppContext
) -> None:
    shop = await seated_shop(session, context, rows=3, per_row=10)
    order_ids = await orders_for(session, context, shop, 100)

    outcomes = await everyone(context, shop, order_ids, 1, None)

    held = [out for out in outcomes if isinstance(out, list)]
    refused = [out for out in outcomes if not isinstance(out, list)]
    assert len(held) == 30
    assert len(refused) == 70
    assert all(isinstance(out, InsufficientInventory) for out in refused), refused
    taken = [seat.id for seats in held for seat in seats]
    assert all(len(seats) == 1 for seats in held)
    assert len(set(taken)) == 30
    # And as the database has it: every seat held once, by 30 different orders, one seat each.
    by_order = await seats_by_order(session, shop)
    assert len(by_order) == 30
    assert set(by_order.values()) == {1}
    assert Counter(seat.status for seat in await seat_rows(session, shop.ticket_type)) == {"HELD": 30}


async def test_buyers_of_pairs_share_no_seat(session: AsyncSession, context: AppContext) -> None:
    shop = await seated_shop(session, context, rows=3, per_row=10)
    order_ids = await orders_for(session, context, shop, 20)

    outcomes = await everyone(context, shop, order_ids, 2, None)

    held = [out for out in outcomes if isinstance(out, list)]
    assert len(held) == 15
    assert all(isinstance(out, InsufficientInventory) for out in outcomes if not isinstance(out, list))
    assert len({seat.id for seats in held for seat in seats}) == 30
    assert set((await seats_by_order(session, shop)).values()) == {2}


async def _wait_until_blocked(conn: psycopg.AsyncConnection[tuple[object, ...]]) -> None:
    """Until a connection waits on a row lock of event_seats (no sleeping)."""
    while True:
        cursor = await conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE '%FROM event_seats%FOR UPDATE%'"
        )
        row = await cursor.fetchone()
        if row is not None and row[0]:
            return


async def test_a_buyer_waits_for_one_in_flight_who_then_lets_go(
    session: AsyncSession, context: AppContext, database_url: str
) -> None:
    """The last seats are locked by a buyer in flight: passed over first, then waited for; when that
    buyer rolls back they are taken, not refused. The order loaded in the session stays usable."""
    shop = await seated_shop(session, context, rows=1, per_row=3)
    [order_id] = await orders_for(session, context, shop, 1)

    async def buy() -> tuple[Outcome, bool]:
        async with context.database.sessionmaker() as own:
            order = await own.get(Order, order_id)
            assert order is not None
            seats = await seating.hold_seats(
                own,
                order_id=order_id,
                ticket_type_id=shop.ticket_type.id,
                quantity=3,
                requested=None,
                field=FIELD,
            )
            loaded = "status" not in inspect(order).unloaded
            await own.commit()
            return seats, loaded

    async with (
        context.database.sessionmaker() as in_flight,
        await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as watcher,
    ):
        await in_flight.execute(
            select(EventSeat.id).where(EventSeat.ticket_type_id == shop.ticket_type.id).with_for_update()
        )
        task = asyncio.create_task(buy())
        async with asyncio.timeout(60):  # a guard against a hang, not a timing assertion
            await _wait_until_blocked(watcher)
        await in_flight.rollback()
        seats, loaded = await task

    assert isinstance(seats, list)
    assert [seat.label for seat in seats] == ["1", "2", "3"]
    assert loaded
    assert await seats_by_order(session, shop) == {order_id: 3}


async def test_two_ticket_types_cannot_map_the_same_seats_at_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_seated_shop(session, context, {"A": {"1": 5}, "B": {"1": 5}})
    balcony = await create_ticket_type(session, event=shop.event, name="Balcony", quantity_total=0)

    async def put(ticket_type_id: uuid.UUID, sections: list[str]) -> httpx.Response:
        return await client.put(
            f"/ticket-types/{ticket_type_id}/seats", json={"sections": sections}, headers=shop.staff.headers
        )

    first, second = await asyncio.gather(put(shop.ticket_type.id, ["A", "B"]), put(balcony.id, ["B"]))

    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [200, 409], (first.text, second.text)
    loser = first if first.status_code == 409 else second
    assert error_fields(assert_problem(loser, 409, "CONFLICT")) <= {"sections.0", "sections.1"}
    owners = Counter(
        (
            await session.execute(select(EventSeat.ticket_type_id).where(EventSeat.event_id == shop.event.id))
        ).scalars()
    )
    assert sum(owners.values()) == (10 if first.status_code == 200 else 5)
    assert len(owners) == 1

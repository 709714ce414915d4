"""The seat functions the orders service calls: hold (named / best available), sell, release, read back."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_ticket_type, create_user
from tests.seating.helpers import (
    Key,
    SeatedShop,
    create_order,
    keys_of,
    make_seated_shop,
    map_seats,
    refs,
    seat_rows,
)
from tixmo.accounts.models import User
from tixmo.deps import AppContext
from tixmo.errors import Conflict, InsufficientInventory, ValidationFailed
from tixmo.orders.models import Order
from tixmo.seating import holds as seating
from tixmo.seating.models import EventSeat

FIELD = "items.0.seats"
LAYOUT = {"A": {"1": 6, "2": 6}}


@pytest.fixture
async def shop(session: AsyncSession, context: AppContext) -> SeatedShop:
    shop = await make_seated_shop(session, context, LAYOUT)
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["A"])
    return shop


@pytest.fixture
async def buyer(session: AsyncSession, context: AppContext) -> User:
    return await create_user(session, context)


async def new_order(session: AsyncSession, shop: SeatedShop, buyer: User) -> Order:
    return await create_order(session, user=buyer, event=shop.event)


async def hold(
    session: AsyncSession,
    shop: SeatedShop,
    order: Order,
    quantity: int,
    requested: Sequence[Key] | None = None,
) -> list[EventSeat]:
    return await seating.hold_seats(
        session,
        order_id=order.id,
        ticket_type_id=shop.ticket_type.id,
        quantity=quantity,
        requested=refs(*requested) if requested is not None else None,
        field=FIELD,
    )


async def take(session: AsyncSession, shop: SeatedShop, buyer: User, *keys: Key) -> Order:
    """Another order holds ``keys`` (committed)."""
    order = await new_order(session, shop, buyer)
    await hold(session, shop, order, len(keys), keys)
    await session.commit()
    return order


def row1(*labels: int) -> list[Key]:
    return [("A", "1", str(label)) for label in labels]


def row2(*labels: int) -> list[Key]:
    return [("A", "2", str(label)) for label in labels]


async def held_by(session: AsyncSession, order: Order) -> list[Key]:
    rows = await session.scalars(
        select(EventSeat).where(EventSeat.order_id == order.id).order_by(EventSeat.position)
    )
    return keys_of(list(rows))


# ------------------------------------------------------------------------------------------- named


async def test_named_seats_are_held_for_the_order(
    session: AsyncSession, shop: SeatedShop, buyer: User
) -> None:
    order = await new_order(session, shop, buyer)

    seats = await hold(session, shop, order, 2, [("A", "2", "3"), ("A", "1", "5")])
    await session.commit()

    assert keys_of(seats) == [("A", "1", "5"), ("A", "2", "3")]  # chart order
    assert {(seat.status, seat.order_id) for seat in seats} == {("HELD", order.id)}
    assert await held_by(session, order) == [("A", "1", "5"), ("A", "2", "3")]


async def test_a_seat_named_twice_is_refused(session: AsyncSession, shop: SeatedShop, buyer: User) -> None:
    order = await new_order(session, shop, buyer)
    with pytest.raises(ValidationFailed) as caught:
        await hold(session, shop, order, 3, [*row1(1, 2), ("A", "1", "1")])
    assert [error.field for error in caught.value.errors] == [f"{FIELD}.2"]
    assert await held_by(session, order) == []


async def test_a_seat_not_of_this_ticket_type_is_refused(
    session: AsyncSession, context: AppContext, buyer: User
) -> None:
    shop = await make_seated_shop(session, context, LAYOUT)
    await map_seats(session, shop.staff.user, shop.ticket_type, seats=row1(1, 2))
    balcony = await create_ticket_type(session, event=shop.event, name="Balcony", quantity_total=0)
    await map_seats(session, shop.staff.user, balcony, seats=row1(3))
    order = await new_order(session, shop, buyer)

    with pytest.raises(ValidationFailed) as caught:
        await hold(session, shop, order, 4, [*row1(1, 3), ("A", "9", "1"), ("A", "1", "2")])

    assert [error.field for error in caught.value.errors] == [f"{FIELD}.1", f"{FIELD}.2"]
    assert await held_by(session, order) == []


async def test_seats_for_a_ticket_type_without_seats_are_refused(
    session: AsyncSession, context: AppContext, shop: SeatedShop, buyer: User
) -> None:
    standing = await create_ticket_type(session, event=shop.event, name="Standing", quantity_total=10)
    order = await new_order(session, shop, buyer)
    for requested in (refs(*row1(1)), []):
        with pytest.raises(ValidationFailed) as caught:
            await seating.hold_seats(
                session,
                order_id=order.id,
                ticket_type_id=standing.id,
                quantity=1,
                requested=requested,
                field=FIELD,
            )
        assert [error.field for error in caught.value.errors] == [FIELD]
        assert "no reserved seats" in caught.value.detail


async def test_the_number_of_named_seats_must_be_the_quantity(
    session: AsyncSession, shop: SeatedShop, buyer: User
) -> None:
    order = await new_order(session, shop, buyer)
    for quantity, requested in ((3, row1(1, 2)), (1, [])):
        with pytest.raises(ValidationFailed) as caught:
            await hold(session, shop, order, quantity, requested)
        assert [error.field for error in caught.value.errors] == [FIELD]
    assert await held_by(session, order) == []


async def test_a_taken_seat_is_a_conflict_and_nothing_is_held(
    session: AsyncSession, shop: SeatedShop, buyer: User
) -> None:
    await take(session, shop, buyer, *row1(2), *row2(6))
    order = await new_order(session, shop, buyer)

    with pytest.raises(Conflict) as caught:
        await hold(session, shop, order, 4, [*row1(1, 2, 3), *row2(6)])

    assert [(error.field, error.message) for error in caught.value.errors] == [
        (f"{FIELD}.1", "This seat is taken."),
        (f"{FIELD}.3", "This seat is taken."),
    ]
    assert await held_by(session, order) == []  # even before the transaction is rolled back
    order_id = order.id
    await session.rollback()
    assert list(await session.scalars(select(EventSeat.id).where(EventSeat.order_id == order_id))) == []


# ---------------------------------------------------------------------------------- best available


async def test_best_available_takes_the_lowest_adjacent_seats(
    session: AsyncSession, shop: SeatedShop, buyer: User
) -> None:
    await take(session, shop, buyer, *row1(2))
    order = await new_order(session, shop, buyer)

    seats = await hold(session, shop, order, 3)

    assert keys_of(seats) == row1(3, 4, 5)  # not 1, 3, 4: seat 1 has no neighbour left
    assert {seat.order_id for seat in seats} == {order.id}


async def test_adjacent_seats_in_a_later_row_beat_scattered_lower_ones(
    session: AsyncSession, shop: SeatedShop, buyer: User
) -> None:
    await take(session, shop, buyer, *row1(2, 4, 6))
    order = await new_order(session, shop, buyer)
    assert keys_of(await hold(session, shop, order, 2)) == row2(1, 2)


async def test_seats_in_different_rows_are_not_adjacent(
    session: AsyncSession, shop: SeatedShop, buyer: User
) -> None:
    # Free: 1-1, 1-6, 2-1. Seats 1-6 and 2-1 follow each other in the chart but not in a row.
    await take(session, shop, buyer, *row1(2, 3, 4, 5), *row2(2, 3, 4, 5, 6))
    order = await new_order(session, shop, buyer)
    assert keys_of(await hold(session, shop, order, 2)) == row1(1, 6)


async def test_a_seat_of_another_ticket_type_breaks_a_run(
    session: AsyncSession, context: AppContext, buyer: User
) -> None:
    shop = await make_seated_shop(session, context, LAYOUT)
    await map_seats(session, shop.staff.user, shop.ticket_type, seats=row1(1, 2, 3, 5, 6))
    balcony = await create_ticket_type(session, event=shop.event, name="Balcony", quantity_total=0)
    await map_seats(session, shop.staff.user, balcony, seats=row1(4))
    await take(session, shop, buyer, *row1(1, 2))
    order = await new_order(session, shop, buyer)

    assert keys_of(await hold(session, shop, order, 2)) == row1(5, 6)  # 3 and 5 are not side by side


async def test_without_adjacent_seats_the_lowest_are_taken(
    session: AsyncSession, shop: SeatedShop, buyer: User
) -> None:
    await take(session, shop, buyer, *row1(2, 4, 6), *row2(2, 4, 6))
    order = await new_order(session, shop, buyer)
    assert keys_of(await hold(session, shop, order, 3)) == row1(1, 3, 5)


async def test_one_seat_is_the_lowest_free_one(session: AsyncSession, shop: SeatedShop, buyer: User) -> None:
    await take(session, shop, buyer, *row1(1, 2))
    order = await new_order(session, shop, buyer)
    assert keys_of(await hold(session, shop, order, 1)) == row1(3)


async def test_too_few_seats_left_is_insufficient_inventory(
    session: AsyncSession, shop: SeatedShop, buyer: User
) -> None:
    await take(session, shop, buyer, *row1(1, 2, 3, 4, 5, 6), *row2(1, 2, 3))
    order = await new_order(session, shop, buyer)

    with pytest.raises(InsufficientInventory) as caught:
        await hold(session, shop, order, 4)

    assert caught.value.extra == {"ticketTypeId": str(shop.ticket_type.id), "available": 3}
    assert "Only 3 seats of 'Stalls'" in caught.value.detail
    assert [error.field for error in caught.value.errors] == [FIELD]
    assert await held_by(session, order) == []


async def test_sold_out(session: AsyncSession, shop: SeatedShop, buyer: User) -> None:
    await take(session, shop, buyer, *row1(1, 2, 3, 4, 5, 6), *row2(1, 2, 3, 4, 5, 6))
    order = await new_order(session, shop, buyer)
    with pytest.raises(InsufficientInventory) as caught:
        await hold(session, shop, order, 1)
    assert caught.value.extra["available"] == 0
    assert "sold out" in caught.value.detail


async def test_a_ticket_type_without_seats_holds_none(
    session: AsyncSession, shop: SeatedShop, buyer: User
) -> None:
    standing = await create_ticket_type(session, event=shop.event, name="Standing", quantity_total=10)
    order = await new_order(session, shop, buyer)
    seats = await seating.hold_seats(
        session, order_id=order.id, ticket_type_id=standing.id, quantity=5, requested=None, field=FIELD
    )
    assert seats == []
    assert await seating.has_seats(session, standing.id) is False
    assert await seating.has_seats(session, shop.ticket_type.id) is True


# ------------------------------------------------------------------------------ sell, release, read


async def test_sell_then_release(session: AsyncSession, shop: SeatedShop, buyer: User) -> None:
    order = await take(session, shop, buyer, *row1(1, 2))
    other = await take(session, shop, buyer, *row1(3))

    await seating.sell_seats(session, order.id)
    await session.commit()
    statuses = {
        (seat.label, seat.status) for seat in await seat_rows(session, shop.ticket_type) if seat.row == "1"
    }
    assert {("1", "SOLD"), ("2", "SOLD"), ("3", "HELD"), ("4", "AVAILABLE")} <= statuses

    assert await seating.release_seats(session, order.id) == 2
    assert await seating.release_seats(session, other.id) == 1
    assert await seating.release_seats(session, uuid.uuid4()) == 0
    await session.commit()
    seats = await seat_rows(session, shop.ticket_type)
    assert {(seat.status, seat.order_id) for seat in seats} == {("AVAILABLE", None)}
    # Released seats are on sale again.
    again = await new_order(session, shop, buyer)
    assert keys_of(await hold(session, shop, again, 3)) == row1(1, 2, 3)


async def test_seats_of_orders(session: AsyncSession, shop: SeatedShop, buyer: User) -> None:
    first = await take(session, shop, buyer, *row2(3), *row1(4))
    second = await take(session, shop, buyer, *row1(1))
    unknown = uuid.uuid4()

    result = await seating.seats_of_orders(session, [first.id, second.id, unknown])

    assert {key: keys_of(value) for key, value in result.items()} == {
        first.id: [("A", "1", "4"), ("A", "2", "3")],
        second.id: [("A", "1", "1")],
        unknown: [],
    }
    assert await seating.seats_of_orders(session, []) == {}


async def test_seat_counts_stay_consistent(session: AsyncSession, shop: SeatedShop, buyer: User) -> None:
    """The CHECK ties status to order_id: every HELD/SOLD seat has its order, every AVAILABLE seat none."""
    await take(session, shop, buyer, *row1(1, 2))
    order = await new_order(session, shop, buyer)
    await hold(session, shop, order, 4)
    await session.commit()
    counts = dict(
        (
            await session.execute(
                select(EventSeat.status, func.count())
                .where(EventSeat.ticket_type_id == shop.ticket_type.id)
                .group_by(EventSeat.status)
            )
        ).all()
    )
    assert counts == {"HELD": 6, "AVAILABLE": 6}

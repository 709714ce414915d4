"""Orders of several ticket types in the coalescer (``orders/coalescer.py``): one batch per event, a
grant state of one counter per ticket type.

An express-shaped order of several ticket types (no seats, no per-buyer cap, a price above zero) is read
and checked line by line as the full path checks it, then joins its event's batch; the batch grants it
only if every one of its lines fits in what the requests before it left of that ticket type, in arrival
order. Batches are made deterministic as in ``test_orders_coalescer.py``: requests queued in one step of
the event loop form one batch, and a batch is held in flight by a row lock taken from another connection
(polled in ``pg_stat_activity``, no sleeping).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_ticket_type
from tests.orders.batches import (
    batch_waits_on_a_lock,
    eventually,
    granted_requests,
    lockable,
    one_batch,
    order_id,
    order_ids,
)
from tests.orders.helpers import Shop, assert_problem, ledger, make_buyer, make_shop, place
from tests.orders.test_orders_concurrency import _without_check_constraint
from tests.orders.test_orders_express import _comparable
from tests.promos.helpers import create_promo
from tixmo.audit import service as audit
from tixmo.db import libpq_conninfo, utcnow
from tixmo.deps import AppContext
from tixmo.orders import coalescer as coalescer_module
from tixmo.orders import express
from tixmo.orders.coalescer import Coalescer, Pending
from tixmo.orders.models import Order, OrderItem
from tixmo.seating.models import EventSeat
from tixmo.ticketing.lines import Line
from tixmo.ticketing.models import TicketType

HOLD = timedelta(minutes=15)


@dataclass
class TwoTypes:
    shop: Shop  # its ticket type is "A"
    b: TicketType

    @property
    def a(self) -> TicketType:
        return self.shop.ticket_type

    def of(self, name: str) -> TicketType:
        return self.a if name == "A" else self.b

    def body(self, *lines: tuple[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "eventId": str(self.shop.event.id),
            "items": [
                {"ticketTypeId": str(self.of(name).id), "quantity": quantity} for name, quantity in lines
            ],
            **extra,
        }


async def two_types(session: AsyncSession, context: AppContext, a: int, b: int, **tt: Any) -> TwoTypes:
    shop = await make_shop(session, context, quantity=a, **tt)
    second = await create_ticket_type(
        session, event=shop.event, name="Balcony", quantity_total=b, price_minor=4000, **tt
    )
    return TwoTypes(shop, second)


async def _pending(
    session: AsyncSession, context: AppContext, sale: TwoTypes, lines: list[tuple[str, int]]
) -> Pending:
    """An express order of several ticket types that passed its checks, as ``express.place`` hands it to
    the coalescer."""
    buyer = await make_buyer(session, context)
    now = utcnow()
    priced = [
        (sale.of(name), Line(sale.of(name).id, quantity, sale.of(name).price_minor))
        for name, quantity in lines
    ]
    details = express._order_of(buyer.user.id, sale.shop.event, priced, now, HOLD)
    entry = audit.entry_values(
        action="order.created",
        entity_type="order",
        entity_id=details.order.id,
        actor_id=buyer.user.id,
        organization_id=sale.shop.event.organization_id,
        after={"status": details.order.status, "total": details.order.total_minor},
    )
    return Pending(
        tuple((line.ticket_type_id, line.quantity) for _, line in priced), express._rows(details, entry)
    )


# A has 3 left, B 2. In arrival order:
#   A2+B1: fits (A 1, B 1)        A1+B3: B does not fit (A keeps its ticket)
#   B1: fits (B 0)                A2: A does not fit (1 left)
REQUESTS = [[("A", 2), ("B", 1)], [("A", 1), ("B", 3)], [("B", 1)], [("A", 2)]]
FAIR = [True, False, True, False]


@pytest.mark.parametrize("every_type", [True, False], ids=["coalescer", "negative-control"])
async def test_a_batch_across_two_types_grants_what_fits_of_each_in_arrival_order(
    session: AsyncSession,
    context: AppContext,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    every_type: bool,
) -> None:
    sale = await two_types(session, context, a=3, b=2)
    coalescer = Coalescer(context.database, max_wait=0)
    batch = [await _pending(session, context, sale, lines) for lines in REQUESTS]

    if not every_type:
        # A statement that ignores B's counter (its grant, its "fits" and its guard), without the CHECK
        # constraint that would refuse it too: the same ledger check catches it.
        position = sorted([sale.a.id, sale.b.id]).index(sale.b.id) + 1
        unguarded = coalescer_module._batch_sql(unguarded_type=position)
        monkeypatch.setitem(coalescer_module.STATEMENTS, True, unguarded)
        async with _without_check_constraint(database_url):
            granted = await one_batch(coalescer, sale.shop, batch)
            state_b = await ledger(session, sale.b.id)
        assert granted == [True, True, True, False]  # A1+B3 granted on A's counter alone
        assert state_b.held > state_b.total, state_b
        return
    granted = await one_batch(coalescer, sale.shop, batch)

    assert coalescer.stats.sizes == {len(batch): 1}  # one statement for all four
    assert granted == FAIR
    placed = await order_ids(session)
    assert placed == {order_id(p) for p, ok in zip(batch, FAIR, strict=True) if ok}
    state_a, state_b = await ledger(session, sale.a.id), await ledger(session, sale.b.id)
    assert (state_a.held, state_a.orders) == (2, 1)
    assert (state_b.held, state_b.orders) == (2, 2)
    state_a.assert_consistent()
    state_b.assert_consistent()
    # Each order's items are its own lines (inserted by request number, not by position).
    first = batch[0].rows["order"]["id"]
    items = (await session.scalars(select(OrderItem).where(OrderItem.order_id == first))).all()
    await session.commit()
    assert sorted((i.ticket_type_id, i.quantity) for i in items) == sorted([(sale.a.id, 2), (sale.b.id, 1)])


async def test_an_event_no_longer_on_sale_grants_no_multi_type_order(
    session: AsyncSession, context: AppContext
) -> None:
    sale = await two_types(session, context, a=5, b=5)
    batch = [await _pending(session, context, sale, [("A", 1), ("B", 1)]) for _ in range(2)]
    sale.shop.event.status = "CANCELLED"
    session.add(sale.shop.event)
    await session.commit()

    assert await one_batch(Coalescer(context.database, max_wait=0), sale.shop, batch) == [False, False]

    assert await order_ids(session) == set()
    for ticket_type in (sale.a, sale.b):
        assert (await ledger(session, ticket_type.id)).held == 0


@pytest.mark.parametrize("ascending", [True, False], ids=["coalescer", "negative-control"])
async def test_the_batch_locks_its_ticket_types_in_id_order(
    session: AsyncSession,
    context: AppContext,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    ascending: bool,
) -> None:
    """The lower-id ticket type's row is held elsewhere (as a staff edit's UPDATE holds it): the batch
    waits for it holding the event's lock but NOT the higher-id ticket type's — the global lock order
    (tixmo/locks.py), so it cannot deadlock with a staff edit of either type, nor with another batch.
    The negative control locks the ticket types in descending id order: the same probe finds the
    higher-id row held while the batch waits for the lower one."""
    if not ascending:
        statement = coalescer_module._batch_sql()
        descending = statement.replace(
            "ORDER BY t.id\n    FOR NO KEY UPDATE", "ORDER BY t.id DESC\n    FOR NO KEY UPDATE"
        )
        assert descending != statement
        monkeypatch.setitem(coalescer_module.STATEMENTS, True, descending)
    sale = await two_types(session, context, a=10, b=10)
    low, high = sorted([sale.a.id, sale.b.id])
    pending = await _pending(session, context, sale, [("A", 1), ("B", 1)])
    coalescer = Coalescer(context.database, max_wait=0)

    holder = await psycopg.AsyncConnection.connect(libpq_conninfo(database_url))
    try:
        await holder.execute("UPDATE ticket_types SET updated_at = now() WHERE id = %s", [low])
        task = asyncio.create_task(coalescer.reserve(sale.shop.event.id, pending))
        await eventually(lambda: batch_waits_on_a_lock(database_url), "the batch to wait on the lower-id row")
        high_free = await lockable(
            database_url, "SELECT 1 FROM ticket_types WHERE id = %s FOR NO KEY UPDATE", high
        )
    finally:
        await holder.rollback()
        await holder.close()
    assert await task is True

    assert high_free is ascending
    for ticket_type in (sale.a, sale.b):
        state = await ledger(session, ticket_type.id)
        assert state.held == 1
        state.assert_consistent()


def _without_volatile(problem: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in problem.items() if key not in {"instance", "requestId", "traceId"}}


# Each invalid on its second line (items[1]) but one; the full path's answer names that line.
INVALID: dict[str, tuple[list[tuple[str, int]], int, str, str]] = {
    "above max per order": ([("A", 1), ("B", 5)], 422, "VALIDATION_ERROR", "items.1.quantity"),
    "below min per order": ([("A", 1), ("pairs", 1)], 422, "VALIDATION_ERROR", "items.1.quantity"),
    "listed twice": ([("A", 1), ("A", 2)], 422, "VALIDATION_ERROR", "items.1.ticketTypeId"),
    "unknown ticket type": ([("A", 1), ("unknown", 1)], 422, "VALIDATION_ERROR", "items.1.ticketTypeId"),
    "another event's": ([("A", 1), ("foreign", 1)], 422, "VALIDATION_ERROR", "items.1.ticketTypeId"),
    "more than 50 in all": ([("A", 30), ("open", 30)], 422, "VALIDATION_ERROR", "items"),
    "not enough left": ([("A", 1), ("B", 4)], 409, "INSUFFICIENT_INVENTORY", "items.1.quantity"),
    "sales not started": ([("A", 1), ("later", 1)], 409, "SALES_CLOSED", ""),
}


@pytest.mark.parametrize("case", sorted(INVALID))
async def test_an_invalid_multi_type_order_gets_the_full_paths_answer(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    lines, status, code, field = INVALID[case]
    sale = await two_types(session, context, a=100, b=3, max_per_order=4)
    other = await make_shop(session, context)
    event = sale.shop.event
    extra = {
        "A": sale.a,
        "B": sale.b,
        "open": await create_ticket_type(session, event=event, name="Open", quantity_total=100),
        "pairs": await create_ticket_type(session, event=event, name="Pairs", min_per_order=2),
        "later": await create_ticket_type(
            session, event=event, name="Later", sales_start=utcnow() + timedelta(days=1)
        ),
        "foreign": other.ticket_type,
    }
    ids = {name: str(ticket_type.id) for name, ticket_type in extra.items()} | {"unknown": str(uuid.uuid4())}
    body = {
        "eventId": str(event.id),
        "items": [{"ticketTypeId": ids[name], "quantity": quantity} for name, quantity in lines],
    }
    buyers = [await make_buyer(session, context) for _ in range(2)]
    assert context.coalescer is not None
    batches = sum(context.coalescer.stats.sizes.values())

    tried = await place(client, buyers[0], body)
    monkeypatch.setattr(express, "applies", lambda data: False)
    full = await place(client, buyers[1], body)

    problem = assert_problem(tried, status, code)
    assert _without_volatile(problem) == _without_volatile(full.json())
    if field:
        assert [error["field"] for error in problem["errors"]] == [field], problem
    assert sum(context.coalescer.stats.sizes.values()) == batches  # declined before any batch
    assert await session.scalar(select(func.count()).select_from(Order)) == 0
    await session.commit()


async def test_a_batched_multi_type_promo_order_answers_and_writes_as_the_full_path(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    sale = await two_types(session, context, a=10, b=10)
    await create_promo(session, event=sale.shop.event, code="BOTH15", discount_value=1500)
    alice, bob = await make_buyer(session, context), await make_buyer(session, context)
    assert context.coalescer is not None
    batches = sum(context.coalescer.stats.sizes.values())
    body = sale.body(("B", 1), ("A", 2), promoCode="both15")  # B listed first: items keep the request's order

    fast = await place(client, alice, body)
    assert sum(context.coalescer.stats.sizes.values()) == batches + 1  # it went through the coalescer
    monkeypatch.setattr(express, "applies", lambda data: False)
    full = await place(client, bob, body)

    assert fast.status_code == full.status_code == 201, (fast.text, full.text)
    assert _comparable(fast.json()) == _comparable(full.json())
    assert [item["ticketTypeId"] for item in fast.json()["items"]] == [str(sale.b.id), str(sale.a.id)]
    assert fast.json()["subtotal"] == "90.00" and fast.json()["discount"] == "13.50"  # 15 % of 40 + 2 x 25
    rows = {}
    for answer in (fast, full):
        placed_id = uuid.UUID(answer.json()["id"])
        order = await session.get(Order, placed_id)
        assert order is not None
        items = (await session.scalars(select(OrderItem).where(OrderItem.order_id == placed_id))).all()
        rows[answer] = (
            (
                order.promo_code,
                order.subtotal_minor,
                order.discount_minor,
                order.total_minor,
                order.ticket_count,
            ),
            sorted((i.ticket_type_id, i.quantity, i.unit_price_minor, i.discount_minor) for i in items),
        )
    await session.commit()
    assert rows[fast] == rows[full]
    for ticket_type in (sale.a, sale.b):
        (await ledger(session, ticket_type.id)).assert_consistent()


async def test_two_processes_selling_two_types_never_oversell_either(
    client: httpx.AsyncClient,
    second_process: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """200 buyers through two apps (two coalescers) for 40 of A and 20 of B: one in three orders both
    (A1+B1), one in three A alone (2), one in three B alone (1). Neither type oversells, every refusal is
    the full path's 409 naming the line that did not fit, and the counters equal the orders."""
    monkeypatch.setattr(context, "order_gate", asyncio.Semaphore(1000))
    sale = await two_types(session, context, a=40, b=20)
    buyers = [await make_buyer(session, context) for _ in range(200)]
    shapes = [[("A", 1), ("B", 1)], [("A", 2)], [("B", 1)]]
    batched = granted_requests(monkeypatch)

    responses = await asyncio.gather(
        *(
            place(client if index % 2 else second_process, buyer, sale.body(*shapes[index % 3]))
            for index, buyer in enumerate(buyers)
        )
    )

    created = [r for r in responses if r.status_code == 201]
    refused = [(index, r) for index, r in enumerate(responses) if r.status_code != 201]
    assert refused, "the buyers asked for more than there was"
    for index, response in refused:
        problem = assert_problem(response, 409, "INSUFFICIENT_INVENTORY")
        # The line named is the one whose ticket type did not have enough left.
        [error] = problem["errors"]
        line = sale.body(*shapes[index % 3])["items"][int(error["field"].split(".")[1])]
        assert error["field"].endswith(".quantity") and line["ticketTypeId"] == problem["ticketTypeId"]
    assert any(len(pending.lines) == 2 for pending in batched)  # two-type orders were placed by batches
    for ticket_type in (sale.a, sale.b):
        state = await ledger(session, ticket_type.id)
        wanted = sum(
            item["quantity"]
            for r in created
            for item in r.json()["items"]
            if item["ticketTypeId"] == str(ticket_type.id)
        )
        assert state.held == wanted <= state.total, state
        state.assert_consistent()
    # B-only orders of 1 were refused only once B was gone: then no order with B fits any more.
    if any(r.status_code != 201 for i, r in enumerate(responses) if i % 3 == 2):
        assert (await ledger(session, sale.b.id)).held == 20
    assert await session.scalar(select(func.count()).select_from(Order)) == len(created)
    await session.commit()


async def test_a_keyed_multi_type_order_is_batched_and_replayed(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sale = await two_types(session, context, a=5, b=5)
    buyer = await make_buyer(session, context)
    assert context.coalescer is not None
    batches = sum(context.coalescer.stats.sizes.values())
    body = sale.body(("A", 2), ("B", 1))

    first = await place(client, buyer, body, **{"Idempotency-Key": "two-types"})
    again = await place(client, buyer, body, **{"Idempotency-Key": "two-types"})

    assert first.status_code == again.status_code == 201, (first.text, again.text)
    # Both met a batch; the second's key had its record, so it was not granted: the full path replayed it.
    assert sum(context.coalescer.stats.sizes.values()) == batches + 2
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == first.json()
    assert (await ledger(session, sale.a.id)).held == 2 and (await ledger(session, sale.b.id)).held == 1
    assert await session.scalar(select(func.count()).select_from(Order)) == 1
    await session.commit()


@pytest.mark.parametrize("shape", ["seated line", "per-buyer cap on a line", "free line"])
async def test_a_multi_type_order_the_batch_cannot_take_is_placed_by_the_full_path(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, shape: str
) -> None:
    """Seats, a per-buyer cap or a free ticket type on any line keep the whole order on the full path:
    placed there (201), never in a batch."""
    options: dict[str, Any] = {
        "per-buyer cap on a line": {"max_per_buyer": 4},
        "free line": {"price_minor": 0},
    }.get(shape, {})
    sale = await two_types(session, context, a=5, b=5)
    extra = await create_ticket_type(
        session, event=sale.shop.event, name="Extra", quantity_total=5, **options
    )
    if shape == "seated line":
        session.add(
            EventSeat(
                event_id=sale.shop.event.id,
                ticket_type_id=extra.id,
                section="A",
                row="1",
                label="1",
                position=1,
            )
        )
        await session.commit()
    buyer = await make_buyer(session, context)
    assert context.coalescer is not None
    batches = sum(context.coalescer.stats.sizes.values())
    body = sale.body(("A", 1))
    body["items"].append({"ticketTypeId": str(extra.id), "quantity": 1})

    placed = await place(client, buyer, body)

    assert placed.status_code == 201, placed.text
    assert sum(context.coalescer.stats.sizes.values()) == batches
    assert len(placed.json()["items"]) == 2
    assert len(placed.json()["items"][1]["seats"]) == (1 if shape == "seated line" else 0)
    for ticket_type_id in (sale.a.id, extra.id):
        state = await ledger(session, ticket_type_id)
        assert state.held == 1
        state.assert_consistent()

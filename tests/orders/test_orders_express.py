"""The express path (``orders/express.py``): the same order as the full path, or no say at all.

The express path places only the flash-sale shape of order and otherwise returns ``None`` without writing
anything, so the full path answers. These tests hold it to that: same answer and same rows as the full
path; every other shape declined with nothing changed; the write statement all-or-nothing; and a broken
driver connection never returned to the pool.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import psycopg
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from tests.orders.helpers import Shop, ledger, make_buyer, make_shop, order_body, place
from tests.problems import assert_problem
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.audit.models import AuditEntry
from tixmo.db import libpq_conninfo, utcnow
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.idempotency.models import IdempotencyRecord
from tixmo.idempotency.service import Idempotency, fingerprint, json_response, lock_name
from tixmo.orders import express
from tixmo.orders.models import Order, OrderItem
from tixmo.orders.router import order_read
from tixmo.orders.schemas import OrderCreate
from tixmo.rawsql import driver_connection
from tixmo.ticketing.models import TicketType

HOLD = timedelta(minutes=15)
VOLATILE = {"id", "userId", "createdAt", "updatedAt", "expiresAt"}


def _comparable(order: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in order.items() if key not in VOLATILE}


async def _rows(session: AsyncSession, order_id: str) -> tuple[dict[str, Any], list[dict[str, Any]], Any]:
    order = await session.get(Order, uuid.UUID(order_id))
    assert order is not None
    items = (await session.scalars(select(OrderItem).where(OrderItem.order_id == order.id))).all()
    [entry] = (await session.scalars(select(AuditEntry).where(AuditEntry.entity_id == order.id))).all()
    skip = {"id", "user_id", "created_at", "updated_at", "expires_at"}
    return (
        {c.name: getattr(order, c.name) for c in Order.__table__.c if c.name not in skip},
        [
            {c: getattr(i, c) for c in ("ticket_type_id", "quantity", "unit_price_minor", "discount_minor")}
            for i in items
        ],
        (entry.action, entry.actor_type, entry.organization_id, entry.after, entry.request_id is not None),
    )


async def test_the_express_and_the_full_path_answer_and_write_alike(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop(session, context, quantity=10, price_minor=4200)
    alice, bob = await make_buyer(session, context), await make_buyer(session, context)
    placed: list[object] = []
    original = express.place

    async def spy(*args: Any, **kwargs: Any) -> Any:
        result = await original(*args, **kwargs)
        placed.append(result)
        return result

    monkeypatch.setattr(express, "place", spy)

    fast = await place(client, alice, order_body(shop, 3))
    monkeypatch.setattr(express, "applies", lambda data: False)
    full = await place(client, bob, order_body(shop, 3))
    assert fast.status_code == full.status_code == 201, (fast.text, full.text)
    assert len(placed) == 1 and placed[0] is not None  # with the express path off, it was not tried

    assert _comparable(fast.json()) == _comparable(full.json())
    assert fast.json()["status"] == "PENDING" and fast.json()["total"] == "126.00"  # 3 x 42.00
    assert fast.json()["userId"] == str(alice.user.id)
    fast_rows, full_rows = await _rows(session, fast.json()["id"]), await _rows(session, full.json()["id"])
    assert fast_rows == full_rows
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.orders) == (6, 2)
    state.assert_consistent()

    # The express order is a real order: its buyer reads it back and confirms it.
    got = await client.get(f"/orders/{fast.json()['id']}", headers=alice.headers)
    assert got.status_code == 200 and got.json()["items"] == fast.json()["items"]
    confirmed = await client.post(f"/orders/{fast.json()['id']}/confirm", headers=alice.headers)
    assert confirmed.status_code == 200 and len(confirmed.json()["tickets"]) == 3


async def _express(
    context: AppContext, buyer_id: uuid.UUID, body: OrderCreate, *, key: str | None = None
) -> Response | None:
    """``express.place`` as the endpoint calls it."""
    return await express.place(
        context.database,
        buyer_id,
        body,
        hold=HOLD,
        max_tickets=10,
        respond=lambda details: json_response(201, order_read(details)),
        idempotency=Idempotency(key=key, method="POST", path="/api/v1/orders", retention=timedelta(hours=24)),
    )


def _body(shop: Shop, quantity: int = 1, **extra: Any) -> OrderCreate:
    return OrderCreate.model_validate(order_body(shop, quantity, **extra))


async def _set(session: AsyncSession, model: type[Any], row_id: uuid.UUID, **values: Any) -> None:
    await session.execute(update(model).where(model.id == row_id).values(**values))
    await session.commit()


DECLINED: dict[str, Any] = {
    "promo code": lambda s: ({"promoCode": "SAVE10"}, None),
    "two ticket types": lambda s: ({"extraItem": True}, None),
    "named seats": lambda s: ({"seats": True}, None),
    "per-buyer cap on the ticket type": lambda s: ({}, (TicketType, s.ticket_type.id, {"max_per_buyer": 4})),
    "per-buyer cap on the event": lambda s: ({}, (Event, s.event.id, {"max_per_buyer": 4})),
    "free ticket type": lambda s: ({}, (TicketType, s.ticket_type.id, {"price_minor": 0})),
    "sales not started": lambda s: (
        {},
        (TicketType, s.ticket_type.id, {"sales_start": utcnow() + timedelta(days=1)}),
    ),
    "event not published": lambda s: ({}, (Event, s.event.id, {"status": "DRAFT"})),
    "below min per order": lambda s: ({}, (TicketType, s.ticket_type.id, {"min_per_order": 3})),
    "above max per order": lambda s: ({"quantity": 6}, (TicketType, s.ticket_type.id, {"max_per_order": 5})),
    "not enough left": lambda s: ({"quantity": 3}, (TicketType, s.ticket_type.id, {"quantity_sold": 8})),
    "buyer deactivated": lambda s: ({"deactivate": True}, None),
    "unknown event": lambda s: ({"eventId": str(uuid.uuid4())}, None),
    "unknown ticket type": lambda s: ({"ticketTypeId": str(uuid.uuid4())}, None),
}


@pytest.mark.parametrize("case", sorted(DECLINED))
async def test_every_other_shape_is_left_to_the_full_path_with_nothing_written(
    session: AsyncSession, context: AppContext, case: str
) -> None:
    shop = await make_shop(session, context, quantity=10)
    other = await make_shop(session, context, quantity=10)
    buyer = await make_buyer(session, context)
    options, change = DECLINED[case](shop)
    if change is not None:
        model, row_id, values = change
        await _set(session, model, row_id, **values)
    if options.get("deactivate"):
        await _set(session, User, buyer.user.id, deleted_at=utcnow())
    body = order_body(shop, options.get("quantity", 1))
    item = body["items"][0]
    if "promoCode" in options:
        body["promoCode"] = options["promoCode"]
    if options.get("extraItem"):
        extra = await make_shop(session, context)
        body["items"].append({"ticketTypeId": str(extra.ticket_type.id), "quantity": 1})
    if options.get("seats"):
        item["seats"] = [{"section": "A", "row": "1", "seat": "1"}]
    body["eventId"] = options.get("eventId", body["eventId"])
    item["ticketTypeId"] = options.get("ticketTypeId", item["ticketTypeId"])
    before = await session.scalar(select(func.count()).select_from(Order))

    result = await _express(context, buyer.user.id, OrderCreate.model_validate(body))

    assert result is None
    assert await session.scalar(select(func.count()).select_from(Order)) == before
    for ticket_type_id in (shop.ticket_type.id, other.ticket_type.id):
        assert (await ledger(session, ticket_type_id)).held == 0


async def test_a_ticket_type_of_another_event_is_declined(session: AsyncSession, context: AppContext) -> None:
    shop, other = await make_shop(session, context), await make_shop(session, context)
    buyer = await make_buyer(session, context)
    body = order_body(shop)
    body["items"][0]["ticketTypeId"] = str(other.ticket_type.id)
    result = await _express(context, buyer.user.id, OrderCreate.model_validate(body))
    assert result is None
    assert (await ledger(session, other.ticket_type.id)).held == 0


async def test_above_the_overall_cap_is_declined(session: AsyncSession, context: AppContext) -> None:
    shop = await make_shop(session, context, quantity=50)
    buyer = await make_buyer(session, context)
    result = await _express(context, buyer.user.id, _body(shop, 11))
    assert result is None
    assert (await ledger(session, shop.ticket_type.id)).held == 0


async def test_the_write_reserves_and_inserts_together_or_not_at_all(
    session: AsyncSession, context: AppContext
) -> None:
    """The read said there were enough; by the write there are not (another buyer was faster): the
    statement inserts no order, no item and no audit entry, and moves no counter."""
    shop = await make_shop(session, context, quantity=2)
    first, late = await make_buyer(session, context), await make_buyer(session, context)
    assert await _express(context, first.user.id, _body(shop, 2))
    audits = await session.scalar(select(func.count()).select_from(AuditEntry))

    # The late buyer's write, as if its read had happened before the first buyer's write.
    now = utcnow()
    details = express._order(late.user.id, shop.event, shop.ticket_type, 1, 2500, now, HOLD)
    entry = audit.entry_values(action="order.created", entity_type="order", entity_id=details.order.id)
    async with driver_connection(context.database) as connection:
        written = await express._WRITE.fetchval(connection, express._write_params(details, entry, now))

    assert written == 0
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.orders) == (2, 1)
    assert await session.get(Order, details.order.id) is None
    assert await session.scalar(select(func.count()).select_from(AuditEntry)) == audits


async def test_a_deactivated_buyer_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=5)
    buyer = await make_buyer(session, context)
    await _set(session, User, buyer.user.id, deleted_at=utcnow())
    response = await place(client, buyer, order_body(shop))
    assert_problem(response, 401, "UNAUTHORIZED")
    assert (await ledger(session, shop.ticket_type.id)).orders == 0


async def test_a_broken_driver_connection_is_never_handed_out_again(context: AppContext) -> None:
    with pytest.raises(asyncio.CancelledError):
        async with driver_connection(context.database) as connection:
            raise asyncio.CancelledError  # e.g. the request was cancelled mid-statement
    assert connection.is_closed()

    # PostgreSQL refusing a statement leaves the connection usable: it goes back to the pool as it is.
    with pytest.raises(asyncpg.PostgresError):
        async with driver_connection(context.database) as connection:
            await connection.fetchval("SELECT 1/0")
    assert not connection.is_closed()


async def _key_records(session: AsyncSession, user_id: uuid.UUID) -> list[IdempotencyRecord]:
    return list(
        (await session.scalars(select(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id))).all()
    )


async def test_a_keyed_express_order_stores_its_answer_in_the_same_statement(
    session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=5)
    buyer = await make_buyer(session, context)

    answer = await _express(context, buyer.user.id, _body(shop, 2), key="k-1")

    assert answer is not None and answer.status_code == 201
    [record] = await _key_records(session, buyer.user.id)
    assert (record.key, record.response_status, record.response_body) == ("k-1", 201, bytes(answer.body))
    assert record.fingerprint == fingerprint("POST", "/api/v1/orders", _body(shop, 2))
    # The key is used now: the express path leaves the next request with it to the full path (replay).
    assert await _express(context, buyer.user.id, _body(shop, 2), key="k-1") is None
    assert (await ledger(session, shop.ticket_type.id)).orders == 1


async def test_a_key_in_flight_elsewhere_is_left_to_the_full_path(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, database_url: str
) -> None:
    """Another transaction holds the key's advisory lock (a request with that key is running): the express
    statement reserves nothing and the full path answers 409 with Retry-After, as it always has."""
    shop = await make_shop(session, context, quantity=5)
    buyer = await make_buyer(session, context)
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(database_url)) as other:
        await other.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (lock_name(buyer.user.id, "busy"),)
        )
        assert await _express(context, buyer.user.id, _body(shop), key="busy") is None
        response = await place(client, buyer, order_body(shop), **{"Idempotency-Key": "busy"})
        assert_problem(response, 409, "CONFLICT")
        assert response.headers["Retry-After"] == "1"
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.orders) == (0, 0)
    assert await _key_records(session, buyer.user.id) == []


async def test_a_keyed_write_that_cannot_reserve_stores_no_answer(
    session: AsyncSession, context: AppContext
) -> None:
    """Sold out between the read and the write: no order and no stored answer, so a retry with the same key
    is tried again (and succeeds once tickets are back) instead of replaying an order that does not exist."""
    shop = await make_shop(session, context, quantity=1)
    first, late = await make_buyer(session, context), await make_buyer(session, context)
    assert await _express(context, first.user.id, _body(shop))

    now = utcnow()
    details = express._order(late.user.id, shop.event, shop.ticket_type, 1, 2500, now, HOLD)
    entry = audit.entry_values(action="order.created", entity_type="order", entity_id=details.order.id)
    params = express._write_params(details, entry, now)
    idempotency = Idempotency(key="late", method="POST", path="/api/v1/orders", retention=timedelta(hours=1))
    params.update(express._key_params(idempotency, _body(shop), late.user.id, json_response(201, {}), now))
    async with driver_connection(context.database) as connection:
        assert await express._WRITE_KEYED.fetchval(connection, params) == 0

    assert await _key_records(session, late.user.id) == []
    assert (await ledger(session, shop.ticket_type.id)).orders == 1

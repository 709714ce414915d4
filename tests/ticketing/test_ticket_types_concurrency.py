"""Ticket type writes under concurrency: the capacity check and the inventory floor cannot be raced."""

from __future__ import annotations

import asyncio

import httpx
import psycopg
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event, create_ticket_type
from tests.ticketing.helpers import Staff, assert_problem, make_staff, reload, ticket_type_body
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.ticketing.models import TicketType


async def test_concurrent_creates_never_exceed_the_capacity(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    staff = await make_staff(session, context)
    event = await create_event(session, organization=staff.org, capacity=100)

    async def create(index: int) -> httpx.Response:
        return await client.post(
            f"/events/{event.id}/ticket-types",
            json=ticket_type_body(name=f"Batch {index}", quantityTotal=30),
            headers=staff.headers,
        )

    responses = await asyncio.gather(*(create(index) for index in range(10)))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] * 3 + [422] * 7, [response.text for response in responses]
    for response in responses:
        if response.status_code == 422:
            assert_problem(response, 422, "VALIDATION_ERROR")
    total = await session.scalar(
        select(func.sum(TicketType.quantity_total)).where(TicketType.event_id == event.id)
    )
    count = await session.scalar(select(func.count()).where(TicketType.event_id == event.id))
    assert (total, count) == (90, 3)


async def _wait_until_blocked(conn: psycopg.AsyncConnection[tuple[object, ...]]) -> None:
    """Until an API connection waits on a row lock for its UPDATE of ticket_types (no sleeping)."""
    while True:
        cursor = await conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE 'UPDATE ticket_types%'"
        )
        row = await cursor.fetchone()
        if row is not None and row[0]:
            return


async def _set_total_during_a_hold(
    client: httpx.AsyncClient, staff: Staff, database_url: str, ticket_type_id: object, new_total: int
) -> httpx.Response:
    """An order's transaction holds 60 tickets and stays open while staff set ``quantityTotal``; the
    order commits once the API's UPDATE is seen waiting on its row lock. Returns the API's answer."""
    conninfo = libpq_conninfo(database_url)
    async with (
        await psycopg.AsyncConnection.connect(conninfo) as order_conn,
        await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as watcher,
    ):
        await order_conn.execute(
            "UPDATE ticket_types SET quantity_held = quantity_held + 60 WHERE id = %s", (ticket_type_id,)
        )
        change = asyncio.create_task(
            client.put(
                f"/ticket-types/{ticket_type_id}", json={"quantityTotal": new_total}, headers=staff.headers
            )
        )
        async with asyncio.timeout(60):  # a guard against a hang, not a timing assertion
            await _wait_until_blocked(watcher)
        await order_conn.commit()
        return await change


async def test_lowering_the_total_waits_for_a_concurrent_hold_and_then_refuses(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, database_url: str
) -> None:
    """The conditional UPDATE waits for the hold's row lock, re-checks sold + held against the committed
    row, and refuses with 409. A read-then-write check would have read held = 0, passed, and then hit
    the CHECK constraint (a 500) or, without it, oversold.
    """
    staff = await make_staff(session, context)
    event = await create_event(session, organization=staff.org)
    ticket_type = await create_ticket_type(session, event=event, quantity_total=100)

    response = await _set_total_during_a_hold(client, staff, database_url, ticket_type.id, 50)

    body = assert_problem(response, 409, "CONFLICT")
    assert body["quantityHeld"] == 60
    stored = await reload(session, ticket_type.id)
    assert stored is not None
    assert (stored.quantity_total, stored.quantity_held) == (100, 60)


async def test_lowering_to_exactly_sold_plus_held_after_a_concurrent_hold_succeeds(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, database_url: str
) -> None:
    staff = await make_staff(session, context)
    event = await create_event(session, organization=staff.org)
    ticket_type = await create_ticket_type(session, event=event, quantity_total=100)

    response = await _set_total_during_a_hold(client, staff, database_url, ticket_type.id, 60)

    assert response.status_code == 200, response.text
    assert (response.json()["quantityTotal"], response.json()["quantityHeld"]) == (60, 60)
    assert response.json()["quantityAvailable"] == 0

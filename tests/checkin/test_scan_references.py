"""The references of a scan to its event, device and ticket: a scan naming a missing event, device or
ticket is refused with ``foreign_key_violation``, deleting any of them deletes their scans, their ids
never change under a scan, and a delete racing an insert never leaves a scan behind. (Foreign keys keep
them today; the tests hold whatever keeps them — per-statement triggers were tried for the offline
batch and set aside, docs/checkin.md.)"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import make_shop, register, scan, tickets_for
from tests.factories import create_event
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext

pytestmark = pytest.mark.asyncio

_INSERT = (
    "INSERT INTO scans (event_id, scanner_id, ticket_id, direction, status, source, message, scanned_at) "
    "SELECT e, s, t, 'ENTRY', 'INVALID', 'OFFLINE', 'test', now() "
    "FROM unnest(%s::uuid[], %s::uuid[], %s::uuid[]) AS v(e, s, t)"
)


async def _connect(database_url: str, *, autocommit: bool = True) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=autocommit)


async def _count(conn: psycopg.AsyncConnection[Any], sql: str, *params: Any) -> int:
    row = await (await conn.execute(sql, params)).fetchone()
    assert row is not None
    return int(row[0])


async def _waits_on_a_lock(database_url: str, pid: int) -> bool:
    async with await _connect(database_url) as conn:
        return (
            await _count(
                conn, "SELECT count(*) FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'", pid
            )
            == 1
        )


async def _until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + 20
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


@pytest.fixture
async def gate(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> dict[str, Any]:
    shop = await make_shop(session, context)
    tickets = await tickets_for(client, session, context, shop, 3)
    device = await register(client, shop)
    assert (await scan(client, device, tickets[0]["barcode"]))["status"] == "VALID"
    spare = await create_event(session, organization=shop.org, status="PUBLISHED", name="Spare")
    await session.commit()
    return {
        "spare_event": spare.id,
        "event": shop.event.id,
        "scanner": uuid.UUID(device.id),
        "tickets": [uuid.UUID(t["id"]) for t in tickets],
    }


async def test_a_scan_naming_a_missing_event_device_or_ticket_is_refused(
    gate: dict[str, Any], database_url: str
) -> None:
    event, scanner, tickets = gate["event"], gate["scanner"], gate["tickets"]
    async with await _connect(database_url) as conn:
        before = await _count(conn, "SELECT count(*) FROM scans")
        # The control: the same statement with every reference there inserts (several rows, one ticket
        # named twice, a scan without ticket).
        await conn.execute(_INSERT, ([event] * 4, [scanner] * 4, [tickets[0], tickets[0], tickets[1], None]))
        assert await _count(conn, "SELECT count(*) FROM scans") == before + 4
        missing = uuid.uuid4()
        for events, scanners, ticket_ids in (
            ([event, missing], [scanner, scanner], [tickets[1], tickets[2]]),
            ([event, event], [scanner, missing], [tickets[1], tickets[2]]),
            # the distinct tickets are counted: a ticket named twice does not hide a missing one
            ([event] * 3, [scanner] * 3, [tickets[1], tickets[1], missing]),
        ):
            with pytest.raises(psycopg.errors.ForeignKeyViolation):
                await conn.execute(_INSERT, (events, scanners, ticket_ids))
        assert await _count(conn, "SELECT count(*) FROM scans") == before + 4
        # A scan moved to a missing ticket is refused too; to an existing one it is not.
        scan_id = await _count(conn, "SELECT max(id) FROM scans")
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            await conn.execute("UPDATE scans SET ticket_id = %s WHERE id = %s", (missing, scan_id))
        await conn.execute("UPDATE scans SET ticket_id = %s WHERE id = %s", (tickets[2], scan_id))
        # Ids of referenced rows never change.
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            await conn.execute("UPDATE tickets SET id = %s WHERE id = %s", (missing, tickets[2]))


async def test_deleting_a_ticket_device_or_event_deletes_its_scans(
    gate: dict[str, Any], database_url: str
) -> None:
    event, scanner, tickets = gate["event"], gate["scanner"], gate["tickets"]
    async with await _connect(database_url) as conn:
        await conn.execute(_INSERT, ([event] * 3, [scanner] * 3, [tickets[1], tickets[2], None]))
        by_ticket = "SELECT count(*) FROM scans WHERE ticket_id = %s"
        assert await _count(conn, by_ticket, tickets[1]) == 1
        await conn.execute("DELETE FROM tickets WHERE id = %s", (tickets[1],))
        assert await _count(conn, by_ticket, tickets[1]) == 0
        assert await _count(conn, by_ticket, tickets[2]) == 1  # another ticket's scan stays
        await conn.execute("DELETE FROM scanners WHERE id = %s", (scanner,))
        assert await _count(conn, "SELECT count(*) FROM scans WHERE scanner_id = %s", scanner) == 0
        # An event (one without orders: they keep an event from being deleted) and its ticketless scans.
        spare = gate["spare_event"]
        await conn.execute(_INSERT, ([spare, spare, event], [None, None, None], [None, None, None]))
        await conn.execute("DELETE FROM events WHERE id = %s", (spare,))
        assert await _count(conn, "SELECT count(*) FROM scans WHERE event_id = %s", spare) == 0
        assert await _count(conn, "SELECT count(*) FROM scans WHERE event_id = %s", event) == 1


async def test_a_delete_racing_an_insert_leaves_no_scan_behind(
    gate: dict[str, Any], database_url: str
) -> None:
    event, scanner, tickets = gate["event"], gate["scanner"], gate["tickets"]
    orphans = (
        "SELECT count(*) FROM scans s WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = s.ticket_id) "
        "AND s.ticket_id IS NOT NULL"
    )
    # The insert first: the delete waits for it, then deletes the scan it committed.
    inserting = await _connect(database_url, autocommit=False)
    deleting = await _connect(database_url, autocommit=False)
    try:
        await inserting.execute(_INSERT, ([event], [scanner], [tickets[1]]))
        pid = deleting.info.backend_pid
        delete = asyncio.create_task(deleting.execute("DELETE FROM tickets WHERE id = %s", (tickets[1],)))
        await _until(lambda: _waits_on_a_lock(database_url, pid), "the delete to wait for the insert")
        await inserting.commit()
        await delete
        await deleting.commit()
        # The delete first: the insert waits for it, then finds the ticket gone.
        await deleting.execute("DELETE FROM tickets WHERE id = %s", (tickets[2],))
        pid = inserting.info.backend_pid
        insert = asyncio.create_task(inserting.execute(_INSERT, ([event], [scanner], [tickets[2]])))
        await _until(lambda: _waits_on_a_lock(database_url, pid), "the insert to wait for the delete")
        await deleting.commit()
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            await insert
        await inserting.rollback()
    finally:
        await inserting.close()
        await deleting.close()
    async with await _connect(database_url) as conn:
        assert await _count(conn, orphans) == 0
        assert await _count(conn, "SELECT count(*) FROM scans WHERE ticket_id = ANY(%s)", tickets[1:]) == 0

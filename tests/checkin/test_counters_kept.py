"""The express scan keeps the attendance counters itself (``decide.COUNTING_*``, migration 0022): the
counters equal the history and the tickets after every verdict and under many simultaneous scans, the
triggers stand aside only for that statement, and the setting that tells them so never outlives it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import make_shop, register, scan, tickets_for
from tixmo.checkin import decide, express, stats
from tixmo.checkin.models import Direction
from tixmo.checkin.schemas import ScanRequest
from tixmo.deps import AppContext
from tixmo.rawsql import RawStatement, driver_connection

_COUNTING = RawStatement(decide.COUNTING_BY_BARCODE)
# A scan row written by hand after the statement (what any later statement of a transaction could do).
_LATER_SCAN = (
    "INSERT INTO scans (event_id, scanner_id, ticket_id, direction, status, source, message, scanned_at, "
    "received_at, conflict) VALUES ($1, $2, $3, 'EXIT', 'VALID', 'ONLINE', 'later', now(), now(), false)"
)


async def _in_step(session: AsyncSession, event_id: uuid.UUID) -> tuple[stats.Counts, dict[str, int]]:
    """The maintained counters and ticket counts, each checked against a recount."""
    counted = await stats._counts(session, event_id)
    aggregated = await stats.counts_from_history(session, event_id)
    kept = {status: n for status, n in (await stats.ticket_counts(session, event_id)).items() if n}
    recount = await stats.ticket_counts_from_tickets(session, event_id)
    await session.commit()
    assert counted == aggregated
    assert kept == recount
    return counted, kept


def _params(scanner_id: str, event_id: uuid.UUID, barcode: str) -> dict[str, Any]:
    params = decide.params(
        scanner_id=uuid.UUID(scanner_id),
        event_id=event_id,
        direction=Direction.ENTRY,
        client_scan_id=None,
        client_scanned_at=None,
        via="test",
    )
    return params | {"barcode": barcode}


async def test_every_verdict_of_the_express_path_is_counted_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    first, second, cancelled = await tickets_for(client, session, context, shop, 3)
    gate = await register(client, shop)
    refused = await client.post(f"/tickets/{cancelled['id']}/cancel", headers=shop.staff_headers)
    assert refused.status_code == 200, refused.text
    assert await _in_step(session, shop.event.id) == (
        stats.Counts(0, 0, 0, 0, None),
        {"VALID": 2, "CANCELLED": 1},
    )
    verdicts = [
        (first["barcode"], "ENTRY", "VALID"),
        (first["barcode"], "ENTRY", "DUPLICATE"),
        (second["barcode"], "EXIT", "NOT_INSIDE"),
        (cancelled["barcode"], "ENTRY", "CANCELLED"),
        (first["barcode"], "EXIT", "VALID"),
        (first["barcode"], "ENTRY", "VALID"),  # back in: already USED, no status change
    ]
    for barcode, direction, verdict in verdicts:
        assert (await scan(client, gate, barcode, direction))["status"] == verdict
    counted, kept = await _in_step(session, shop.event.id)
    assert (counted.total, counted.valid, counted.entries, counted.exits) == (6, 3, 2, 1)
    assert kept == {"VALID": 1, "USED": 1, "CANCELLED": 1}


async def test_simultaneous_express_scans_keep_the_counters_exact(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    tickets = await tickets_for(client, session, context, shop, 12)
    gates = [await register(client, shop, f"Gate {n}") for n in range(4)]
    # Every ticket by every gate at once: one VALID each, the rest DUPLICATE, on many pooled connections.
    answers = await asyncio.gather(*(scan(client, g, t["barcode"]) for t in tickets for g in gates))
    assert sorted(a["status"] for a in answers).count("VALID") == len(tickets)
    counted, kept = await _in_step(session, shop.event.id)
    assert (counted.total, counted.valid, counted.entries) == (48, 12, 12)
    assert kept == {"USED": 12}


async def test_the_triggers_count_whatever_follows_the_statement_on_its_connection(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gate = await register(client, shop)
    async with driver_connection(context.database) as connection:
        row = await _COUNTING.fetchrow(connection, _params(gate.id, shop.event.id, ticket["barcode"]))
        assert row is not None and row["status"] == "VALID"
        # The statement was its transaction: the setting is gone, and the next write is counted.
        assert await connection.fetchval("SELECT current_setting('tixmo.counters', true)") in ("", None)
        await connection.execute(_LATER_SCAN, shop.event.id, uuid.UUID(gate.id), uuid.UUID(ticket["id"]))
    counted, kept = await _in_step(session, shop.event.id)
    assert (counted.total, counted.entries, counted.exits) == (2, 1, 1)
    assert kept == {"USED": 1}


async def test_inside_a_transaction_the_setting_would_hide_later_writes_so_express_refuses(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The negative control: run inside a transaction, the statement's setting outlives it and the triggers
    miss a later scan, which is why the express path refuses to run in one."""
    shop = await make_shop(session, context)
    first, second = await tickets_for(client, session, context, shop, 2)
    gate = await register(client, shop)
    async with driver_connection(context.database) as connection, connection.transaction():
        row = await _COUNTING.fetchrow(connection, _params(gate.id, shop.event.id, first["barcode"]))
        assert row is not None and row["status"] == "VALID"
        await connection.execute(_LATER_SCAN, shop.event.id, uuid.UUID(gate.id), uuid.UUID(first["id"]))
    counted = await stats._counts(session, shop.event.id)
    history = await stats.counts_from_history(session, shop.event.id)
    await session.commit()
    assert (counted.total, history.total) == (1, 2)  # the later scan went uncounted

    body = ScanRequest.model_validate({"barcode": second["barcode"], "direction": "ENTRY"})
    async with driver_connection(context.database) as connection:

        @asynccontextmanager
        async def in_a_transaction(_: Any) -> AsyncIterator[Any]:
            yield connection

        monkeypatch.setattr(express, "driver_connection", in_a_transaction)
        async with connection.transaction():
            with pytest.raises(RuntimeError, match="outside any transaction"):
                await express.scan(context.database, uuid.UUID(gate.id), shop.event.id, body)
    monkeypatch.undo()
    assert (await scan(client, gate, second["barcode"]))["status"] == "VALID"  # nothing was written

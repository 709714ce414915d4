"""Online scans batched per event (``checkin/batch.py``, ``decide.BATCH``): a batch answers every kind of
scan exactly as one statement per scan does, never holds two scans of one ticket, locks its tickets in id
order, announces its scans once, keeps the counters exact, and falls back to one statement per scan when
PostgreSQL refuses it."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import make_shop, owner_headers, register, scan, tickets_for
from tests.orders.batches import eventually, lockable
from tixmo import metrics
from tixmo.audit.models import AuditEntry
from tixmo.checkin import batch, express, history, stats
from tixmo.checkin.batch import ScanBatcher
from tixmo.checkin.schemas import ScanRequest
from tixmo.db import async_url, libpq_conninfo
from tixmo.deps import AppContext

_TICKET_LOCK = "SELECT id FROM tickets WHERE id = %s FOR UPDATE"


def _batcher(context: AppContext, monkeypatch: pytest.MonkeyPatch) -> ScanBatcher:
    """The app's batcher (on by default), counting this test's batches only."""
    batcher = context.scan_batcher
    assert batcher is not None
    monkeypatch.setattr(batcher, "stats", metrics.BatchSizes(metrics.SCAN_BATCH_SIZE))
    monkeypatch.setattr(batcher, "max_batch", 64)  # room for every scan a test queues at once
    return batcher


class _Slot:
    """The event's batch slot, taken: scans sent meanwhile queue; ``release`` lets them go in batches
    together, in arrival order, once ``queued`` of them wait."""

    def __init__(self, batcher: ScanBatcher, event_id: uuid.UUID) -> None:
        self.batcher, self.event_id = batcher, event_id
        batcher._runners[event_id] = asyncio.get_running_loop().create_future()  # type: ignore[assignment]

    async def wait_for(self, queued: int) -> None:
        async def enough() -> bool:
            return len(self.batcher._queues.get(self.event_id, [])) >= queued

        await eventually(enough, f"{queued} scans queued")

    async def release(self, queued: int) -> None:
        await self.wait_for(queued)
        del self.batcher._runners[self.event_id]
        self.batcher._start(self.event_id)


async def _in_step(session: AsyncSession, event_id: uuid.UUID) -> stats.Counts:
    counted = await stats._counts(session, event_id)
    assert counted == await stats.counts_from_history(session, event_id)
    kept = {s: n for s, n in (await stats.ticket_counts(session, event_id)).items() if n}
    assert kept == await stats.ticket_counts_from_tickets(session, event_id)
    await session.commit()
    return counted


async def _post(client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> httpx.Response:
    return await client.post("/scanners/scan", json=body, headers=headers)


async def test_one_batch_answers_every_kind_of_scan_as_one_statement_each_would(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = await make_shop(session, context)
    a, b, c, d, e, f = await tickets_for(client, session, context, shop, 6)
    other = await make_shop(session, context)
    (g,) = await tickets_for(client, session, context, other, 1)
    gate = await register(client, shop, "Gate")
    handheld = await register(client, shop, "Handheld")
    disabled = await register(client, shop, "Off")
    entered = await scan(client, gate, b["barcode"])  # b is inside
    await scan(client, gate, f["barcode"], clientScanId="r-1")  # f's scan r-1 is known
    assert (await client.post(f"/tickets/{d['id']}/cancel", headers=shop.staff_headers)).status_code == 200
    off = await client.put(f"/scanners/{disabled.id}", json={"enabled": False}, headers=shop.staff_headers)
    assert off.status_code == 200, off.text
    qr = (await client.get(f"/tickets/{e['id']}/qr", headers=await owner_headers(session, context, e))).json()
    batcher = _batcher(context, monkeypatch)
    dsn = async_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    listener = await asyncpg.connect(dsn)
    announced: list[dict[str, Any]] = []
    await listener.add_listener(history.NOTIFY_CHANNEL, lambda *args: announced.append(json.loads(args[3])))
    sends: list[tuple[dict[str, str], dict[str, Any]]] = [
        (gate.headers, {"barcode": a["barcode"], "direction": "ENTRY"}),
        (handheld.headers, {"barcode": b["barcode"], "direction": "ENTRY"}),
        (gate.headers, {"barcode": c["barcode"], "direction": "EXIT"}),
        (handheld.headers, {"barcode": d["barcode"], "direction": "ENTRY"}),
        (handheld.headers, {"qrData": qr["qrData"], "direction": "ENTRY"}),
        (gate.headers, {"barcode": f["barcode"], "direction": "ENTRY", "clientScanId": "r-1"}),
        (gate.headers, {"barcode": "NO-SUCH-CODE", "direction": "ENTRY"}),
        (gate.headers, {"barcode": g["barcode"], "direction": "ENTRY"}),
        (disabled.headers, {"barcode": a["barcode"] + "x", "direction": "ENTRY"}),
    ]
    try:
        slot = _Slot(batcher, shop.event.id)
        answers = asyncio.gather(*(_post(client, h, body) for h, body in sends))
        await slot.release(queued=len(sends))
        responses = await answers
    finally:
        await listener.close()
    assert batcher.stats.sizes == {len(sends): 1}
    assert responses[-1].status_code == 401  # the disabled device: the full path refuses it
    got = [r.json() for r in responses[:-1]]
    assert [x["status"] for x in got] == [
        "VALID",
        "DUPLICATE",
        "NOT_INSIDE",
        "CANCELLED",
        "VALID",
        "VALID",
        "INVALID",
        "INVALID",
    ]
    assert got[1]["conflictsWith"]["scanId"] == entered["scanId"]
    assert got[5]["replayed"] is True
    assert got[4]["ticket"]["id"] == e["id"] and got[4]["ticket"]["status"] == "USED"
    batch_ids = sorted(x["scanId"] for x in got[:5])
    assert {"eventId": str(shop.event.id), "ids": batch_ids} in announced  # one notification for the batch
    audited = await session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.action == "ticket.checked_in",
            AuditEntry.entity_id.in_([uuid.UUID(a["id"]), uuid.UUID(e["id"])]),
        )
    )
    await session.commit()
    assert audited == 2
    counted = await _in_step(session, shop.event.id)
    assert (counted.total, counted.entries) == (9, 4)


async def test_a_batch_never_holds_two_scans_of_one_ticket(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop(session, context)
    tickets = await tickets_for(client, session, context, shop, 4)
    gates = [await register(client, shop, f"Gate {n}") for n in range(5)]
    batcher = _batcher(context, monkeypatch)
    slot = _Slot(batcher, shop.event.id)
    running = asyncio.gather(*(scan(client, g, t["barcode"]) for g in gates for t in tickets))
    await slot.release(queued=20)
    answers = await running
    assert batcher.stats.sizes == {4: 5}  # one scan of each ticket per batch
    for index, ticket in enumerate(tickets):
        mine = [answers[n * 4 + index] for n in range(5)]
        (valid,) = [x for x in mine if x["status"] == "VALID"]
        others = [x for x in mine if x is not valid]
        assert [x["status"] for x in others] == ["DUPLICATE"] * 4, ticket
        assert all(x["conflictsWith"]["scanId"] == valid["scanId"] for x in others)
        assert all(x["scanId"] > valid["scanId"] for x in others)
    counted = await _in_step(session, shop.event.id)
    assert (counted.total, counted.valid, counted.entries) == (20, 4, 4)


async def test_a_batch_locks_its_tickets_in_id_order(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = await make_shop(session, context)
    tickets = sorted(await tickets_for(client, session, context, shop, 3), key=lambda t: uuid.UUID(t["id"]))
    gate = await register(client, shop)
    batcher = _batcher(context, monkeypatch)
    # Another transaction holds the highest ticket; the batch (sent lowest last) must hold the two others.
    async with await psycopg_connect(database_url) as holder:
        await holder.execute(_TICKET_LOCK, [uuid.UUID(tickets[-1]["id"])])
        slot = _Slot(batcher, shop.event.id)
        running = asyncio.gather(*(scan(client, gate, t["barcode"]) for t in reversed(tickets)))
        await slot.release(queued=3)

        async def waiting() -> bool:
            return not await lockable(database_url, _TICKET_LOCK, uuid.UUID(tickets[0]["id"]))

        await eventually(waiting, "the batch to hold the lowest ticket")
        assert not await lockable(database_url, _TICKET_LOCK, uuid.UUID(tickets[1]["id"]))
        await holder.rollback()
    assert [x["status"] for x in await running] == ["VALID"] * 3


async def psycopg_connect(database_url: str) -> Any:
    import psycopg

    return await psycopg.AsyncConnection.connect(libpq_conninfo(database_url))


async def test_a_batch_postgresql_refuses_falls_back_to_one_statement_per_scan(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop(session, context)
    tickets = await tickets_for(client, session, context, shop, 3)
    gate = await register(client, shop)
    batcher = _batcher(context, monkeypatch)

    async def refused(*_: Any) -> Any:
        raise asyncpg.DeadlockDetectedError("deadlock detected")

    monkeypatch.setattr(batch._BATCH, "fetch", refused)
    slot = _Slot(batcher, shop.event.id)
    running = asyncio.gather(*(scan(client, gate, t["barcode"]) for t in [*tickets, tickets[0]]))
    await slot.release(queued=4)
    # Each alone: the two scans of the first ticket may be decided in either order.
    assert sorted(x["status"] for x in await running) == ["DUPLICATE", "VALID", "VALID", "VALID"]
    assert batcher.stats.sizes == {}  # no batch was written
    counted = await _in_step(session, shop.event.id)
    assert (counted.total, counted.entries) == (4, 3)


async def test_a_scan_whose_client_leaves_while_queued_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop(session, context)
    first, second, third = await tickets_for(client, session, context, shop, 3)
    gate = await register(client, shop)
    batcher = _batcher(context, monkeypatch)
    scanner_id = uuid.UUID(gate.id)

    def send(ticket: dict[str, Any]) -> Awaitable[Any]:
        body = ScanRequest.model_validate({"barcode": ticket["barcode"], "direction": "ENTRY"})
        return express.scan(context.database, scanner_id, shop.event.id, body, batcher)

    slot = _Slot(batcher, shop.event.id)
    left, *staying = (asyncio.ensure_future(send(t)) for t in (first, second, third))
    await slot.wait_for(3)
    left.cancel()
    with pytest.raises(asyncio.CancelledError):
        await left
    await slot.release(queued=2)
    assert [found.status for found in await asyncio.gather(*staying)] == ["VALID", "VALID"]
    written = await session.scalar(
        text("SELECT count(*) FROM scans WHERE ticket_id = :t"), {"t": uuid.UUID(first["id"])}
    )
    await session.commit()
    assert written == 0


async def test_a_batch_holds_at_most_the_configured_number_of_scans(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert context.settings.scan_batch_max == 8  # the default
    shop = await make_shop(session, context)
    tickets = await tickets_for(client, session, context, shop, 12)
    gate = await register(client, shop)
    batcher = _batcher(context, monkeypatch)
    monkeypatch.setattr(batcher, "max_batch", context.settings.scan_batch_max)
    slot = _Slot(batcher, shop.event.id)
    running = asyncio.gather(*(scan(client, gate, t["barcode"]) for t in tickets))
    await slot.release(queued=12)
    assert [x["status"] for x in await running] == ["VALID"] * 12
    assert batcher.stats.sizes == {8: 1, 4: 1}

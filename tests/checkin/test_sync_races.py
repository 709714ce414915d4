"""Concurrent uploads of one offline batch (an app re-uploading after a timeout while the first upload
is still running): every upload answers 200 with the same outcomes, and each scan is stored once.

No sleeps: the uploads are held at a known point by a row lock on the event, released once every one of
them is seen waiting in pg_stat_activity.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import Device, buy, iso, make_buyer, make_shop, register, sibling_of, tickets_for
from tixmo.checkin.models import Scan
from tixmo.db import libpq_conninfo, utcnow
from tixmo.deps import AppContext

UPLOADS = 6


async def _waiting(watcher: psycopg.AsyncConnection[tuple[Any, ...]], at_least: int) -> None:
    """Until ``at_least`` backends of this database wait on a lock (no sleeping)."""
    while True:
        cursor = await watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        row = await cursor.fetchone()
        if row is not None and row[0] >= at_least:
            return


async def _race(
    client: httpx.AsyncClient, device: Device, database_url: str, event_id: Any, scans: list[dict[str, Any]]
) -> list[httpx.Response]:
    """``UPLOADS`` identical uploads, all held on the event row until every one of them waits."""
    async with (
        await psycopg.AsyncConnection.connect(libpq_conninfo(database_url)) as holder,
        await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as watcher,
    ):
        await holder.execute("SELECT 1 FROM events WHERE id = %s FOR UPDATE", (event_id,))
        tasks = [
            asyncio.create_task(client.post("/scanners/sync", json={"scans": scans}, headers=device.headers))
            for _ in range(UPLOADS)
        ]
        async with asyncio.timeout(60):  # a guard against a hang, not a timing assertion
            await _waiting(watcher, UPLOADS)
        await holder.rollback()
        return list(await asyncio.gather(*tasks))


@pytest.mark.parametrize("with_entries", [False, True], ids=["rejected-only", "with-entries"])
async def test_concurrent_uploads_of_one_batch_store_it_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    database_url: str,
    with_entries: bool,
) -> None:
    shop = await make_shop(session, context)
    sibling = await sibling_of(session, shop)
    mine, cancelled = await tickets_for(client, session, context, shop, 2)
    (theirs,) = await buy(client, sibling, await make_buyer(session, context), 1)
    answer = await client.post(f"/tickets/{cancelled['id']}/cancel", headers=shop.staff_headers)
    assert answer.status_code == 200, answer.text
    gate = await register(client, shop)
    at = iso(utcnow())  # after the cancellation: the cancelled ticket scans CANCELLED
    # Only codes judged without the ticket's history: no ticket row is locked by such a batch.
    scans = [
        {"clientScanId": "u-1", "barcode": "NOSUCHCODE", "direction": "ENTRY", "scannedAt": at},
        {"clientScanId": "u-2", "barcode": theirs["barcode"], "direction": "ENTRY", "scannedAt": at},
        {"clientScanId": "u-3", "barcode": cancelled["barcode"], "direction": "ENTRY", "scannedAt": at},
    ]
    expected = {"u-1": "INVALID", "u-2": "WRONG_EVENT", "u-3": "CANCELLED"}
    if with_entries:
        scans.append(
            {"clientScanId": "u-4", "barcode": mine["barcode"], "direction": "ENTRY", "scannedAt": at}
        )
        expected["u-4"] = "VALID"

    answers = await _race(client, gate, database_url, shop.event.id, scans)

    assert [a.status_code for a in answers] == [200] * UPLOADS, [a.text for a in answers]
    bodies = [a.json() for a in answers]
    outcomes = [
        {r["clientScanId"]: (r["scanId"], r["status"], r["conflict"]) for r in body["results"]}
        for body in bodies
    ]
    assert all(outcome == outcomes[0] for outcome in outcomes)
    assert {cid: status for cid, (_, status, _) in outcomes[0].items()} == expected
    # One upload stored the batch; every other one replayed it.
    replayed = sorted(body["counts"]["replayed"] for body in bodies)
    assert replayed == [0] + [len(scans)] * (UPLOADS - 1)
    stored = (
        await session.execute(
            select(Scan.client_scan_id, func.count())
            .where(Scan.client_scan_id.is_not(None))
            .group_by(Scan.client_scan_id)
        )
    ).all()
    await session.commit()
    assert dict(stored) == {cid: 1 for cid in expected}

"""The offline merge against the reference rule: after every upload and online scan of a randomized
history (several devices, online and offline, entries and exits, duplicates, out-of-order arrival,
future clocks, replays and unknown codes), the stored verdicts of every ticket's history are exactly what
``history.judge`` gives when it replays that history from scratch (offline verdicts forgotten, online
answers kept), each upload answers what it stored, the tickets' door states follow the replay, and the
counters equal a recount."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import Device, iso, make_shop, register, scan, tickets_for, upload
from tixmo.checkin import history, stats
from tixmo.checkin.models import HISTORY_STATUSES, Scan, ScanSource, ScanStatus
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.tickets.models import Ticket

TICKETS = 4
ROUNDS = 20


async def _stored(session: AsyncSession, event_id: uuid.UUID) -> dict[int, Scan]:
    query = select(Scan).where(Scan.event_id == event_id).execution_options(populate_existing=True)
    scans = {s.id: s for s in await session.scalars(query)}
    await session.commit()
    return scans


def _reference(scans: dict[int, Scan]) -> tuple[dict[int, tuple[str, bool, int | None]], dict[Any, Any]]:
    """Every history scan's verdict and every ticket's door state by ``history.judge`` over the stored
    history, replayed from scratch: offline verdicts reset (the rule judges them again), online and manual
    answers kept as given (the rule flags a VALID one that no longer fits; it leaves the others)."""
    by_ticket: dict[uuid.UUID, list[history.HistoryScan]] = {}
    for s in sorted(scans.values(), key=lambda s: (s.scanned_at, s.id)):
        if s.ticket_id is None or s.status not in HISTORY_STATUSES:
            continue
        offline = s.source == ScanSource.OFFLINE.value
        by_ticket.setdefault(s.ticket_id, []).append(
            history.HistoryScan(
                s.id,
                s.scanner_id,
                s.direction,
                ScanStatus.VALID.value if offline else s.status,
                s.source,
                s.scanned_at,
                False if offline else s.conflict,
                None if offline else s.conflicts_with_scan_id,
            )
        )
    verdicts: dict[int, tuple[str, bool, int | None]] = {}
    doors: dict[uuid.UUID, tuple[bool, int | None, datetime | None]] = {}
    for ticket_id, replay in by_ticket.items():
        judged = history.judge(replay)
        doors[ticket_id] = (judged.inside, judged.entry_scan_id, judged.first_entry_at)
        for h in replay:
            verdicts[h.id] = (h.status, h.conflict, h.conflicts_with_scan_id)
    return verdicts, doors


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_merged_verdicts_equal_the_reference_replay(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, seed: int
) -> None:
    rng = random.Random(seed)
    shop = await make_shop(session, context)
    tickets = await tickets_for(client, session, context, shop, TICKETS)
    devices: list[Device] = [await register(client, shop, f"Gate {n}") for n in range(3)]
    start = utcnow() - timedelta(hours=3)
    sent: dict[str, list[dict[str, Any]]] = {d.id: [] for d in devices}  # per device, for replays
    numbers = iter(range(10_000))
    compared = 0

    for _ in range(ROUNDS):
        device = rng.choice(devices)
        if rng.random() < 0.35:
            ticket = rng.choice(tickets)
            answered = await scan(client, device, ticket["barcode"], rng.choice(["ENTRY", "EXIT"]))
            assert answered["status"] in {"VALID", "DUPLICATE", "NOT_INSIDE"}
        else:
            batch: list[dict[str, Any]] = []
            for _ in range(rng.randint(1, 12)):
                roll = rng.random()
                if roll < 0.1 and sent[device.id]:
                    batch.append(rng.choice(sent[device.id]))  # a replay of an earlier upload
                    continue
                item = {
                    "clientScanId": f"c{next(numbers)}",
                    "barcode": rng.choice(tickets)["barcode"] if roll < 0.95 else "no-such-code",
                    "direction": rng.choice(["ENTRY", "ENTRY", "EXIT"]),
                    # Anywhere in the past three hours (out of order), now and then in the future.
                    "scannedAt": iso(start + timedelta(seconds=rng.randrange(-600, 3 * 3600 + 600))),
                }
                batch.append(item)
                if rng.random() < 0.1:
                    batch.append(dict(item))  # the same clientScanId twice in one batch
            result = await upload(client, device, batch)
            sent[device.id].extend(batch)
            stored = await _stored(session, shop.event.id)
            # The answer is what is stored now, for every item (replays included).
            for item, answer in zip(batch, result["results"], strict=True):
                row = stored[answer["scanId"]]
                assert row.client_scan_id == item["clientScanId"]
                assert (answer["status"], answer["conflict"]) == (row.status, row.conflict)
                other = answer["conflictsWith"]
                assert (other["scanId"] if other else None) == row.conflicts_with_scan_id
                if other:
                    target = stored[other["scanId"]]
                    assert other["scannerId"] == (str(target.scanner_id) if target.scanner_id else None)
                if item["barcode"] == "no-such-code":
                    assert answer["status"] == "INVALID"
        stored = await _stored(session, shop.event.id)
        verdicts, doors = _reference(stored)
        for scan_id, verdict in verdicts.items():
            row = stored[scan_id]
            assert (row.status, row.conflict, row.conflicts_with_scan_id) == verdict, (seed, scan_id)
            compared += 1
        rows = (
            await session.execute(
                select(
                    Ticket.id, Ticket.inside, Ticket.entry_scan_id, Ticket.status, Ticket.checked_in_at
                ).where(Ticket.event_id == shop.event.id)
            )
        ).all()
        await session.commit()
        for ticket_id, inside, entry_scan_id, status, checked_in_at in rows:
            expected_inside, expected_entry, first_entry_at = doors.get(ticket_id, (False, None, None))
            assert (inside, entry_scan_id) == (expected_inside, expected_entry)
            # Checked in at the first entry of the merged history (moved back by an earlier one).
            assert (status, checked_in_at) == ("USED" if first_entry_at else "VALID", first_entry_at)
        counted = await stats._counts(session, shop.event.id)
        recount = await stats.counts_from_history(session, shop.event.id)
        await session.commit()
        assert counted == recount
    assert compared > ROUNDS  # the comparison ran over real histories

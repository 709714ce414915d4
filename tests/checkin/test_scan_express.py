"""The one-statement online scan (checkin/decide.py, express.py): the door state on the ticket row stays
the history's, simultaneous scans of one ticket admit once, and a device stops at once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Literal

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import Device, iso, make_shop, register, scan, tickets_for, upload
from tixmo.audit.models import AuditEntry
from tixmo.checkin import express, history, stats
from tixmo.checkin.models import Scan
from tixmo.checkin.schemas import SyncResult
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.tickets.models import Ticket


async def _door_state(session: AsyncSession, ticket_id: str) -> tuple[bool, int | None]:
    row = (
        await session.execute(
            select(Ticket.inside, Ticket.entry_scan_id).where(Ticket.id == uuid.UUID(ticket_id))
        )
    ).one()
    await session.commit()
    return bool(row[0]), row[1]


async def _history_state(session: AsyncSession, ticket_id: str) -> tuple[bool, int | None, list[Any]]:
    """What the scan history says (the authority): inside, the entry that let it in, and the changes a
    replay of the whole history would make (none: every stored verdict follows the rule)."""
    scans = (await history.histories(session, [uuid.UUID(ticket_id)]))[uuid.UUID(ticket_id)]
    await session.commit()
    judged = history.judge(scans)
    return judged.inside, judged.entry_scan_id, judged.changes


async def _assert_in_step(session: AsyncSession, ticket_id: str) -> tuple[bool, int | None]:
    inside, entry, changes = await _history_state(session, ticket_id)
    assert changes == []
    assert await _door_state(session, ticket_id) == (inside, entry)
    return inside, entry


async def test_the_door_state_follows_the_history_online_offline_and_manual(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    first, second = await tickets_for(client, session, context, shop, 2)
    gate, handheld = await register(client, shop, "Gate"), await register(client, shop, "Handheld")
    assert await _door_state(session, first["id"]) == (False, None)

    entry = await scan(client, gate, first["barcode"])
    assert await _assert_in_step(session, first["id"]) == (True, entry["scanId"])
    assert (await scan(client, gate, first["barcode"]))["conflictsWith"]["scanId"] == entry["scanId"]
    await scan(client, gate, first["barcode"], "EXIT")
    assert await _assert_in_step(session, first["id"]) == (False, None)

    # Offline: an entry and an exit of an hour ago, then an entry after the online exit: inside by it.
    now = utcnow()
    merged = await upload(
        client,
        handheld,
        [
            {
                "clientScanId": "h-1",
                "barcode": first["barcode"],
                "direction": "ENTRY",
                "scannedAt": iso(now - timedelta(hours=1)),
            },
            {
                "clientScanId": "h-2",
                "barcode": first["barcode"],
                "direction": "EXIT",
                "scannedAt": iso(now - timedelta(minutes=59)),
            },
            {
                "clientScanId": "h-3",
                "barcode": first["barcode"],
                "direction": "ENTRY",
                "scannedAt": iso(now),
            },
        ],
    )
    last_entry = merged["results"][2]
    assert last_entry["status"] == "VALID"
    assert await _assert_in_step(session, first["id"]) == (True, last_entry["scanId"])
    # The next online entry is decided by that state: DUPLICATE, naming the offline entry and its device.
    again = await scan(client, gate, first["barcode"])
    assert again["status"] == "DUPLICATE"
    assert again["conflictsWith"] == {
        "scanId": last_entry["scanId"],
        "scannerId": handheld.id,
        "scannedAt": last_entry["scannedAt"],
    }

    manual = await client.post(f"/tickets/{second['id']}/check-in", headers=shop.staff_headers)
    assert manual.status_code == 200, manual.text
    inside, entry_id = await _assert_in_step(session, second["id"])
    assert inside and entry_id is not None
    assert (await scan(client, gate, second["barcode"], "EXIT"))["status"] == "VALID"
    assert await _assert_in_step(session, second["id"]) == (False, None)


async def test_many_devices_scanning_the_same_tickets_at_once_admit_each_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    tickets = await tickets_for(client, session, context, shop, 5)
    gates = [await register(client, shop, f"Gate {n}") for n in range(5)]

    async def attempt(gate: Device, code: str) -> dict[str, Any]:
        answer = await client.post(
            "/scanners/scan", json={"barcode": code, "direction": "ENTRY"}, headers=gate.headers
        )
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    answers = await asyncio.gather(*(attempt(g, t["barcode"]) for t in tickets for g in gates))
    for index, ticket in enumerate(tickets):
        mine = answers[index * 5 : index * 5 + 5]
        valid = [a for a in mine if a["status"] == "VALID"]
        assert len(valid) == 1, [a["status"] for a in mine]
        winner = valid[0]
        assert winner["ticket"]["status"] == "USED" and winner["conflictsWith"] is None
        for lost in (a for a in mine if a is not winner):
            assert lost["status"] == "DUPLICATE"
            # Named with the winner's device and time, even when it committed after the loser's snapshot.
            assert lost["conflictsWith"]["scanId"] == winner["scanId"]
            assert lost["conflictsWith"]["scannedAt"] == winner["scannedAt"]
            assert lost["conflictsWith"]["scannerId"] is not None
        assert await _assert_in_step(session, ticket["id"]) == (True, winner["scanId"])
    checked_in = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "ticket.checked_in")
    )
    scans = await session.scalar(select(func.count()).select_from(Scan))
    await session.commit()
    assert (checked_in, scans) == (5, 25)


async def test_simultaneous_entries_and_exits_of_one_ticket_keep_the_rule(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gates = [await register(client, shop, f"Gate {n}") for n in range(4)]
    directions = ["ENTRY", "EXIT", "ENTRY", "EXIT"]
    answers: list[dict[str, Any]] = []
    for _ in range(5):
        answers += await asyncio.gather(
            *(
                scan(client, gate, ticket["barcode"], direction)
                for gate, direction in zip(gates, directions, strict=True)
            )
        )
    # In the order they were decided (scan ids follow the ticket lock), the answers alternate as the rule
    # says, and a replay of the stored history changes nothing.
    inside = False
    for answer in sorted(answers, key=lambda a: a["scanId"]):
        if answer["direction"] == "ENTRY":
            assert answer["status"] == ("DUPLICATE" if inside else "VALID"), answer
        else:
            assert answer["status"] == ("VALID" if inside else "NOT_INSIDE"), answer
        if answer["status"] == "VALID":
            inside = answer["direction"] == "ENTRY"
    assert (await _assert_in_step(session, ticket["id"]))[0] == inside


async def test_a_disabled_or_deleted_device_stops_at_once_on_a_known_ticket(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    first, second = await tickets_for(client, session, context, shop, 2)
    gate = await register(client, shop)
    assert (await scan(client, gate, first["barcode"]))["status"] == "VALID"
    disabled = await client.put(f"/scanners/{gate.id}", json={"enabled": False}, headers=shop.staff_headers)
    assert disabled.status_code == 200, disabled.text
    refused = await client.post(
        "/scanners/scan", json={"barcode": second["barcode"], "direction": "ENTRY"}, headers=gate.headers
    )
    assert refused.status_code == 401, refused.text
    other = await register(client, shop, "Gate B")
    deleted = await client.delete(f"/scanners/{other.id}", headers=shop.staff_headers)
    assert deleted.status_code == 204
    refused = await client.post(
        "/scanners/scan", json={"barcode": second["barcode"], "direction": "ENTRY"}, headers=other.headers
    )
    assert refused.status_code == 401, refused.text
    # Nothing of the refused scans was kept: the ticket is still outside and VALID.
    assert await _door_state(session, second["id"]) == (False, None)
    scans = await session.scalar(
        select(func.count()).select_from(Scan).where(Scan.ticket_id == uuid.UUID(second["id"]))
    )
    status = await session.scalar(select(Ticket.status).where(Ticket.id == uuid.UUID(second["id"])))
    await session.commit()
    assert (scans, status) == (0, "VALID")


async def test_racing_retries_of_one_client_scan_id_record_one_scan(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gate = await register(client, shop)
    answers = await asyncio.gather(
        *(scan(client, gate, ticket["barcode"], clientScanId="retry-1") for _ in range(6))
    )
    assert {a["scanId"] for a in answers} == {answers[0]["scanId"]}
    assert {a["status"] for a in answers} == {"VALID"}
    assert sorted(a["replayed"] for a in answers) == [False] + [True] * 5
    scans = await session.scalar(select(func.count()).select_from(Scan))
    await session.commit()
    assert scans == 1
    assert await _assert_in_step(session, ticket["id"]) == (True, answers[0]["scanId"])


async def test_bad_tokens_and_bodies_on_the_scan_path(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    body = {"barcode": ticket["barcode"], "direction": "ENTRY"}
    assert (await client.post("/scanners/scan", json=body)).status_code == 401
    forged = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.AAAA"}
    assert (await client.post("/scanners/scan", json=body, headers=forged)).status_code == 401
    # A user's access token is not a scanner token.
    assert (await client.post("/scanners/scan", json=body, headers=shop.staff_headers)).status_code == 401
    gate = await register(client, shop)
    for bad in (
        {"barcode": ticket["barcode"]},
        {"barcode": 7, "direction": "ENTRY"},
        {"direction": "SIDEWAYS", "barcode": "x"},
    ):
        answer = await client.post("/scanners/scan", json=bad, headers=gate.headers)
        assert answer.status_code == 422, answer.text
    assert await _door_state(session, ticket["id"]) == (False, None)


async def test_the_scan_counters_equal_the_history_after_every_kind_of_write(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    first, second, third = await tickets_for(client, session, context, shop, 3)
    gate, handheld = await register(client, shop, "Gate"), await register(client, shop, "Handheld")

    async def in_step() -> stats.Counts:
        counted = await stats._counts(session, shop.event.id)
        aggregated = await stats.counts_from_history(session, shop.event.id)
        await session.commit()
        assert counted == aggregated
        return counted

    assert await in_step() == stats.Counts(0, 0, 0, 0, None)
    await scan(client, gate, first["barcode"])  # VALID
    await scan(client, gate, first["barcode"])  # DUPLICATE
    await scan(client, gate, second["barcode"], "EXIT")  # NOT_INSIDE
    await scan(client, gate, "NO-SUCH-CODE")  # INVALID, no ticket
    counted = await in_step()
    assert (counted.total, counted.valid, counted.entries, counted.exits) == (4, 1, 1, 0)
    # Offline: an entry of an hour ago overtakes the online one (re-judged: flagged conflict), an exit.
    now = utcnow()
    await upload(
        client,
        handheld,
        [
            {
                "clientScanId": "o-1",
                "barcode": first["barcode"],
                "direction": "ENTRY",
                "scannedAt": iso(now - timedelta(hours=1)),
            },
            {"clientScanId": "o-2", "barcode": first["barcode"], "direction": "EXIT", "scannedAt": iso(now)},
        ],
    )
    counted = await in_step()
    assert (counted.total, counted.entries, counted.exits, counted.occupancy) == (6, 1, 1, 0)
    manual = await client.post(f"/tickets/{third['id']}/check-in", headers=shop.staff_headers)
    assert manual.status_code == 200, manual.text
    counted = await in_step()
    assert (counted.entries, counted.occupancy) == (2, 1)
    # Another event's scans are not counted here.
    other = await make_shop(session, context)
    (elsewhere,) = await tickets_for(client, session, context, other, 1)
    await scan(client, await register(client, other), elsewhere["barcode"])
    assert (await in_step()).total == 7


async def test_the_upload_answer_is_exactly_the_documented_sync_result(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    handheld = await register(client, shop)
    now = utcnow().replace(microsecond=0)  # an instant without a fraction is written without one
    scans = [
        {
            "clientScanId": "a",
            "barcode": ticket["barcode"],
            "direction": "ENTRY",
            "scannedAt": iso(now - timedelta(minutes=2)),
        },
        {
            "clientScanId": "b",
            "barcode": ticket["barcode"],
            "direction": "ENTRY",
            "scannedAt": iso(now - timedelta(minutes=1)),
        },
        {"clientScanId": "c", "barcode": "NO-SUCH-CODE", "direction": "EXIT", "scannedAt": iso(now)},
    ]
    body = await upload(client, handheld, scans)
    again = await upload(client, handheld, scans[:1])
    # The answer, read by the response model and written again by it, is unchanged: same fields, types
    # and formats as FastAPI would have written.
    for answer in (body, again):
        assert SyncResult.model_validate(answer).model_dump(mode="json", by_alias=True) == answer
    assert [r["status"] for r in body["results"]] == ["VALID", "DUPLICATE", "INVALID"]
    assert body["results"][1]["conflictsWith"]["scanId"] == body["results"][0]["scanId"]
    assert body["results"][0]["scannedAt"] == iso(now - timedelta(minutes=2))
    assert body["results"][2]["ticketId"] is None and body["results"][2]["conflictsWith"] is None
    assert body["counts"] == {"VALID": 1, "DUPLICATE": 1, "INVALID": 1, "replayed": 0}
    assert again["counts"] == {"VALID": 1, "replayed": 1} and again["results"][0]["replayed"] is True


class _CountingGate(asyncio.Semaphore):
    """A semaphore that says how many scans queue on it."""

    def __init__(self, value: int, queued_at: int) -> None:
        super().__init__(value)
        self.queued = 0
        self.all_queued = asyncio.Event()
        self._queued_at = queued_at

    async def acquire(self) -> Literal[True]:
        if self.locked():
            self.queued += 1
            if self.queued == self._queued_at:
                self.all_queued.set()
        return await super().acquire()


async def _held_scans(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    gate: asyncio.Semaphore | None,
    ready: Callable[[int], asyncio.Event | None],
) -> tuple[int, list[str]]:
    """Eight scans of eight tickets at once, each held inside the express statement until ``ready`` says
    the moment came; the most scans that were inside at once, and the answers."""
    shop = await make_shop(session, context)
    tickets = await tickets_for(client, session, context, shop, 8)
    gate_device = await register(client, shop)
    monkeypatch.setattr(context, "scan_gate", gate)
    monkeypatch.setattr(context, "scan_batcher", None)  # the gate is the unbatched path's
    inside, most = 0, 0
    release = asyncio.Event()
    original = express.scan

    async def held(*args: Any, **kwargs: Any) -> Any:
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        reached = ready(inside)
        if reached is not None:
            reached.set()
        await release.wait()
        try:
            return await original(*args, **kwargs)
        finally:
            inside -= 1

    monkeypatch.setattr(express, "scan", held)
    running = asyncio.gather(*(scan(client, gate_device, t["barcode"]) for t in tickets))
    answers = await _released(running, release, ready)
    return most, answers


async def _released(
    running: Awaitable[list[dict[str, Any]]],
    release: asyncio.Event,
    ready: Callable[[int], asyncio.Event | None],
) -> list[str]:
    moment = ready(-1)
    assert moment is not None
    await asyncio.wait_for(moment.wait(), timeout=30)
    release.set()
    return [answer["status"] for answer in await asyncio.wait_for(running, timeout=60)]


async def test_the_scan_gate_caps_the_scans_decided_at_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``TIXMO_SCAN_CONCURRENCY`` 2, two scans are inside at once and six wait in the process; then
    every one is answered as without the gate."""
    gate = _CountingGate(2, queued_at=6)

    def ready(count: int) -> asyncio.Event | None:
        return gate.all_queued if count == -1 else None

    most, answers = await _held_scans(client, session, context, monkeypatch, gate, ready)
    assert most == 2
    assert answers == ["VALID"] * 8


async def test_without_the_gate_every_scan_is_inside_at_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: with no gate the same eight scans are all inside together."""
    everyone = asyncio.Event()

    def ready(count: int) -> asyncio.Event | None:
        return everyone if count in (-1, 8) else None

    most, answers = await _held_scans(client, session, context, monkeypatch, None, ready)
    assert most == 8
    assert answers == ["VALID"] * 8

"""The scan history of a ticket, and the one rule that judges it.

A ticket is *inside* after a VALID ENTRY until a VALID EXIT. The ``scans`` table is the authority:
the state is never stored elsewhere, it is the last VALID scan without ``conflict`` in time order
(``scanned_at``, then ``id``). Both doors write here: ``scanning.py`` (online, answered at once, appended
at the end of the history) and ``sync.py`` (offline batches, merged into the history by ``replay``).

Every insert is announced with ``pg_notify`` in the same transaction, so the live stream (``live.py``)
only ever sees committed scans, from whichever API process wrote them; so is every scan whose verdict a
merge changed (``apply_changes``), as an update.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import orjson
from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    String,
    Table,
    Uuid,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from tixmo import metrics
from tixmo.checkin.models import HISTORY_STATUSES, Direction, Scan, ScanSource, ScanStatus
from tixmo.db import any_of, utcnow
from tixmo.tickets.models import Ticket

NOTIFY_CHANNEL = "tixmo_scans"
NOTIFY_IDS_PER_MESSAGE = 500  # a NOTIFY payload holds at most 8000 bytes
UPDATED = "updated"  # the payload's ``kind`` for scans re-judged by a merge (absent: new scans)


async def inside_of(
    session: AsyncSession, event_id: uuid.UUID, ticket_ids: Sequence[uuid.UUID] | None
) -> set[uuid.UUID]:
    """Which of the event's tickets (all when ``None``) are inside now."""
    latest = (
        select(Scan.ticket_id, Scan.direction)
        .where(
            Scan.event_id == event_id,
            Scan.status == ScanStatus.VALID.value,
            Scan.conflict.is_(False),
            Scan.ticket_id.is_not(None),
        )
        .order_by(Scan.ticket_id, Scan.scanned_at.desc(), Scan.id.desc())
        .ext(distinct_on(Scan.ticket_id))
    )
    if ticket_ids is not None:
        latest = latest.where(any_of(Scan.ticket_id, ticket_ids, Uuid()))
    rows = await session.execute(latest)
    return {
        ticket_id
        for ticket_id, direction in rows.all()
        if ticket_id is not None and direction == Direction.ENTRY.value
    }


_SCAN_COLUMNS: dict[str, TypeEngine[Any]] = {
    "id": BigInteger(),
    "event_id": Uuid(),
    "scanner_id": Uuid(),
    "ticket_id": Uuid(),
    "actor_id": Uuid(),
    "direction": String(),
    "status": String(),
    "source": String(),
    "message": String(),
    "scanned_at": DateTime(timezone=True),
    "received_at": DateTime(timezone=True),
    "client_scanned_at": DateTime(timezone=True),
    "client_scan_id": String(),
    "conflict": Boolean(),
    "conflicts_with_scan_id": BigInteger(),
}
# One row holding an array: 10,000 ids cost one value to decode, not 10,000 rows.
_NEXT_SCAN_IDS = text(
    "SELECT array_agg(nextval(pg_get_serial_sequence('scans', 'id'))) FROM generate_series(1, :n)"
)
# Parallel unnest() in one SELECT list: PostgreSQL steps them together, row i of every array.
_INSERT_SCANS = insert(cast(Table, Scan.__table__)).from_select(
    list(_SCAN_COLUMNS),
    select(*(func.unnest(bindparam(name, type_=ARRAY(kind))) for name, kind in _SCAN_COLUMNS.items())),
)


async def next_scan_ids(session: AsyncSession, n: int) -> list[int]:
    """``n`` new scan ids from the table's sequence, in increasing order."""
    if not n:
        return []
    ids: list[int] = await session.scalar(_NEXT_SCAN_IDS, {"n": n})
    return sorted(ids)


async def insert_scans(session: AsyncSession, rows: list[dict[str, Any]]) -> list[int]:
    """Insert scans and announce them; their ids, in order (a row's ``id`` when it has one, drawn with
    ``next_scan_ids``; else one drawn here). Set-based: one INSERT from arrays, one per column (not one
    row per statement)."""
    if not rows:
        return []
    if "id" in rows[0]:
        ids = [row["id"] for row in rows]
    else:
        ids = await next_scan_ids(session, len(rows))
    columns: dict[str, list[Any]] = {name: [] for name in _SCAN_COLUMNS}
    for scan_id, row in zip(ids, rows, strict=True):
        columns["id"].append(scan_id)
        for name in _SCAN_COLUMNS:
            if name != "id":
                columns[name].append(row[name])
    await session.execute(_INSERT_SCANS, columns)
    metrics.scans_recorded(session, (row["status"] for row in rows))
    await notify(session, rows[0]["event_id"], ids)
    return ids


async def notify(
    session: AsyncSession, event_id: uuid.UUID, scan_ids: Iterable[int], *, kind: str | None = None
) -> None:
    """``pg_notify`` in the caller's transaction: delivered only if (and when) it commits. ``kind``:
    ``None`` for new scans, ``UPDATED`` for scans whose verdict changed."""
    ids = list(scan_ids)
    for start in range(0, len(ids), NOTIFY_IDS_PER_MESSAGE):
        message: dict[str, Any] = {
            "eventId": str(event_id),
            "ids": ids[start : start + NOTIFY_IDS_PER_MESSAGE],
        }
        if kind is not None:
            message["kind"] = kind
        await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, orjson.dumps(message).decode())))


# ------------------------------------------------------------------------------------------ replay


@dataclass
class HistoryScan:
    id: int
    scanner_id: uuid.UUID | None
    direction: str
    status: str
    source: str
    scanned_at: datetime
    conflict: bool
    conflicts_with_scan_id: int | None


@dataclass
class Judged:
    """A ticket's history after the merge: the changed scans and the first VALID entry's time."""

    changes: list[dict[str, Any]]
    first_entry_at: datetime | None
    inside: bool
    entry_scan_id: int | None = None  # the entry that let the ticket in, when inside


def judge(history: Sequence[HistoryScan]) -> Judged:
    """Replay one ticket's history in time order (the offline merge rule of API.md).

    Offline scans are (re-)judged: the earliest ENTRY while outside is VALID, any other ENTRY while inside
    is DUPLICATE with ``conflict`` naming the entry that let the person in, an EXIT while inside is VALID
    and one while outside NOT_INSIDE. Online and manual scans keep the answer they were given; a VALID one
    that no longer fits (an earlier offline entry arrived later) is flagged as a conflict and changes no
    state, so entries and exits (VALID, not conflict) count each person once.
    """
    inside = False
    last: HistoryScan | None = None
    first_entry_at: datetime | None = None
    changes: list[dict[str, Any]] = []
    for scan in history:
        status, conflict, conflicts_with = scan.status, False, None
        expected = Direction.EXIT.value if inside else Direction.ENTRY.value
        if scan.source != ScanSource.OFFLINE.value and scan.status != ScanStatus.VALID.value:
            continue  # an online DUPLICATE / NOT_INSIDE answer: kept, changes nothing
        if scan.direction == expected:
            status = ScanStatus.VALID.value
        elif scan.source != ScanSource.OFFLINE.value:
            conflict, conflicts_with = True, last.id if last else None
        elif scan.direction == Direction.ENTRY.value:
            status, conflict, conflicts_with = ScanStatus.DUPLICATE.value, True, last.id if last else None
        else:
            status = ScanStatus.NOT_INSIDE.value
        if status == ScanStatus.VALID.value and not conflict:
            inside = not inside
            last = scan
            if inside and first_entry_at is None:
                first_entry_at = scan.scanned_at
        if (status, conflict, conflicts_with) != (scan.status, scan.conflict, scan.conflicts_with_scan_id):
            changes.append(
                {
                    "id": scan.id,
                    "status": status,
                    "conflict": conflict,
                    "conflicts_with_scan_id": conflicts_with,
                }
            )
            scan.status, scan.conflict, scan.conflicts_with_scan_id = status, conflict, conflicts_with
    return Judged(changes, first_entry_at, inside, last.id if inside and last is not None else None)


async def histories(
    session: AsyncSession, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[HistoryScan]]:
    """The history-judged scans of these tickets, each ticket's in time order."""
    by_ticket: dict[uuid.UUID, list[HistoryScan]] = {ticket_id: [] for ticket_id in ticket_ids}
    if not ticket_ids:
        return by_ticket
    rows = await session.execute(
        select(
            Scan.ticket_id,
            Scan.id,
            Scan.scanner_id,
            Scan.direction,
            Scan.status,
            Scan.source,
            Scan.scanned_at,
            Scan.conflict,
            Scan.conflicts_with_scan_id,
        )
        .where(any_of(Scan.ticket_id, ticket_ids, Uuid()), Scan.status.in_(HISTORY_STATUSES))
        .order_by(Scan.ticket_id, Scan.scanned_at, Scan.id)
    )
    for (
        ticket_id,
        scan_id,
        scanner_id,
        direction,
        status,
        source,
        scanned_at,
        conflict,
        other,
    ) in rows:
        assert ticket_id is not None
        by_ticket[ticket_id].append(
            HistoryScan(scan_id, scanner_id, direction, status, source, scanned_at, conflict, other)
        )
    return by_ticket


_APPLY = text(
    """
    UPDATE scans SET status = v.status, conflict = v.conflict, conflicts_with_scan_id = v.other,
                     message = v.message
    FROM unnest(:ids, :statuses, :conflicts, :others, :messages) AS v(id, status, conflict, other, message)
    WHERE scans.id = v.id
    """
).bindparams(
    bindparam("ids", type_=ARRAY(BigInteger())),
    bindparam("statuses", type_=ARRAY(String())),
    bindparam("conflicts", type_=ARRAY(Boolean())),
    bindparam("others", type_=ARRAY(BigInteger())),
    bindparam("messages", type_=ARRAY(String())),
)


async def apply_changes(
    session: AsyncSession,
    event_id: uuid.UUID,
    changes: list[dict[str, Any]],
    *,
    new_ids: Collection[int] = (),
) -> None:
    """Write re-judged verdicts (each change: id, status, conflict, conflicts_with_scan_id, message) with
    one UPDATE, and announce the scans whose
    verdict changed as updates. ``new_ids``: scans inserted by this transaction, whose announcement as new
    already carries the final verdict (the live stream reads them after the commit)."""
    if not changes:
        return
    # One UPDATE joined to the arrays of new verdicts (not one statement per scan).
    await session.execute(
        _APPLY,
        {
            "ids": [c["id"] for c in changes],
            "statuses": [c["status"] for c in changes],
            "conflicts": [c["conflict"] for c in changes],
            "others": [c["conflicts_with_scan_id"] for c in changes],
            "messages": [c["message"] for c in changes],
        },
    )
    await notify(session, event_id, [c["id"] for c in changes if c["id"] not in new_ids], kind=UPDATED)


def scan_row(
    *,
    event_id: uuid.UUID,
    scanner_id: uuid.UUID | None,
    ticket_id: uuid.UUID | None,
    direction: str,
    status: str,
    source: str,
    message: str,
    scanned_at: datetime,
    received_at: datetime | None = None,
    client_scanned_at: datetime | None = None,
    client_scan_id: str | None = None,
    actor_id: uuid.UUID | None = None,
    conflict: bool = False,
    conflicts_with_scan_id: int | None = None,
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "scanner_id": scanner_id,
        "ticket_id": ticket_id,
        "actor_id": actor_id,
        "direction": direction,
        "status": status,
        "source": source,
        "message": message[:200],
        "scanned_at": scanned_at,
        "received_at": received_at or utcnow(),
        "client_scanned_at": client_scanned_at,
        "client_scan_id": client_scan_id,
        "conflict": conflict,
        "conflicts_with_scan_id": conflicts_with_scan_id,
    }


async def record_manual_entry(
    session: AsyncSession, *, event_id: uuid.UUID, ticket_id: uuid.UUID, actor_id: uuid.UUID, at: datetime
) -> int:
    """``POST /tickets/{id}/check-in`` counts as an ENTRY: log it like a scan (source MANUAL), and the
    ticket is inside. (The caller holds the ticket's order and the ticket, locked in that order, so this
    second UPDATE of the ticket row, which re-checks its foreign keys, waits for nothing.)"""
    ids = await insert_scans(
        session,
        [
            scan_row(
                event_id=event_id,
                scanner_id=None,
                ticket_id=ticket_id,
                direction=Direction.ENTRY.value,
                status=ScanStatus.VALID.value,
                source=ScanSource.MANUAL.value,
                message="Checked in manually by staff.",
                scanned_at=at,
                received_at=at,
                actor_id=actor_id,
            )
        ],
    )
    await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id)
        .values(inside=True, entry_scan_id=ids[0])
        .execution_options(synchronize_session=False)
    )
    return ids[0]


@dataclass
class DoorState:
    """A ticket's door state after a merge, and its first VALID entry's time (``None``: none)."""

    ticket_id: uuid.UUID
    inside: bool
    entry_scan_id: int | None
    first_entry_at: datetime | None


_DOOR_STATES = text(
    """
    UPDATE tickets t SET
        inside = v.inside,
        entry_scan_id = v.entry_scan_id,
        status = CASE WHEN v.checks_in THEN 'USED' ELSE t.status END,
        checked_in_at = CASE WHEN v.checks_in OR v.moves_back THEN v.first_at ELSE t.checked_in_at END,
        updated_at = CASE WHEN v.checks_in OR v.moves_back THEN :now ELSE t.updated_at END
    FROM (
        SELECT s.*, o.status AS old_status,
               s.first_at IS NOT NULL AND o.status = 'VALID' AS checks_in,
               s.first_at IS NOT NULL AND o.status = 'USED'
                   AND (o.checked_in_at IS NULL OR o.checked_in_at > s.first_at) AS moves_back
        FROM unnest(:ids, :inside, :entry_ids, :firsts) AS s(id, inside, entry_scan_id, first_at)
        JOIN tickets o ON o.id = s.id
    ) AS v
    WHERE t.id = v.id
      AND (v.checks_in OR v.moves_back OR t.inside IS DISTINCT FROM v.inside
           OR t.entry_scan_id IS DISTINCT FROM v.entry_scan_id)
    RETURNING t.id, v.checks_in
    """
).bindparams(
    bindparam("ids", type_=ARRAY(Uuid())),
    bindparam("inside", type_=ARRAY(Boolean())),
    bindparam("entry_ids", type_=ARRAY(BigInteger())),
    bindparam("firsts", type_=ARRAY(DateTime(timezone=True))),
    bindparam("now", type_=DateTime(timezone=True)),
)


async def record_door_states(session: AsyncSession, states: Sequence[DoorState]) -> list[uuid.UUID]:
    """Write merged door states with one UPDATE of the (locked) tickets, which also checks a VALID ticket
    in at its first entry (USED, ``checked_in_at``) and moves a USED one's ``checked_in_at`` back to an
    earlier first entry — one UPDATE per ticket row and transaction, so its foreign keys are not
    re-checked (see ``tickets.service.mark_used``). The tickets it checked in (for their audit entries)."""
    if not states:
        return []
    rows = await session.execute(
        _DOOR_STATES,
        {
            "ids": [s.ticket_id for s in states],
            "inside": [s.inside for s in states],
            "entry_ids": [s.entry_scan_id for s in states],
            "firsts": [s.first_entry_at for s in states],
            "now": utcnow(),
        },
    )
    return [ticket_id for ticket_id, checks_in in rows.all() if checks_in]

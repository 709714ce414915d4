"""Offline scanning: the bundle a device downloads, and the merge of the scans it uploads.

``GET /scanners/sync``: the event's public keys, its tickets (barcode hash, status, type, inside) and
the barcodes revoked since ``since``. With ``since`` only what changed is sent: tickets updated or
scanned after ``since - SYNC_OVERLAP`` (a transaction that committed just after the device's previous
sync, stamped a moment before it, is sent again rather than missed; repeats are harmless).

``POST /scanners/sync``: up to 10,000 scans. A device's uploads run one at a time (a transaction-scoped
advisory lock on the device, taken first): an app re-uploading a batch after a timeout while the first
upload still runs waits for it, then finds the batch known. Each scan's code is resolved in bulk; scans
already known by ``(scanner, clientScanId)`` change nothing and answer what they have now. Under the
ticket rows' locks, taken in ticket-id order (no deadlock with another batch or an online scan), the
new scans get their ids, are merged into each ticket's stored history and the whole history is replayed
in ``scannedAt`` order (``history.judge``); then the new scans are inserted with their final verdicts
(one INSERT from arrays), the stored scans whose verdict changed are updated (one UPDATE), and the door
states written (one UPDATE). A batch's work is a handful of statements, whatever its size: tickets are
read as plain rows and sets of values are sent as one array parameter (``= ANY``), never as 10,000
values of an ``IN`` list. A ``scannedAt`` in the future is clamped to the time the batch arrived: a
device's fast clock must not push a scan after the online scans that really followed it.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    Select,
    String,
    Uuid,
    any_,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks, outbox
from tixmo.audit import service as audit
from tixmo.audit.models import AuditEntry
from tixmo.checkin import history
from tixmo.checkin.models import HISTORY_STATUSES, Direction, Scan, Scanner, ScanSource, ScanStatus
from tixmo.checkin.scanning import MESSAGES, event_scope
from tixmo.checkin.schemas import OfflineScan
from tixmo.checkin.service import touch
from tixmo.db import any_of, utcnow
from tixmo.events.models import EventStatus
from tixmo.tickets import codes, keys, validation
from tixmo.tickets import service as tickets
from tixmo.tickets.codes import InvalidCode, InvalidReason
from tixmo.tickets.models import SigningKey, SigningKeyStatus, Ticket, TicketRevocation, TicketStatus

SYNC_OVERLAP = timedelta(seconds=30)


# ------------------------------------------------------------------------------------------ bundle


@dataclass
class Bundle:
    event_id: uuid.UUID
    public_keys: list[keys.PublicKey]
    tickets: list[tuple[uuid.UUID, str, str, uuid.UUID, bool]]  # id, barcode hash, status, type, inside
    revoked: list[str]
    synced_at: datetime
    full: bool


async def bundle(session: AsyncSession, scanner: Scanner, secret: str, since: datetime | None) -> Bundle:
    synced_at = utcnow()
    await touch(session, scanner, synced_at)
    event_id = scanner.event_id
    after = since - SYNC_OVERLAP if since is not None else None
    # A ticket suspended for a disputed payment (payments.disputes) does not admit: CANCELLED offline.
    status = case(
        (
            (Ticket.status == TicketStatus.VALID.value) & Ticket.suspended_at.is_not(None),
            TicketStatus.CANCELLED.value,
        ),
        else_=Ticket.status,
    )
    query = select(Ticket.id, Ticket.barcode, status, Ticket.ticket_type_id).where(
        Ticket.event_id == event_id
    )
    if after is not None:
        scanned = select(Scan.ticket_id).where(
            Scan.event_id == event_id, Scan.received_at > after, Scan.ticket_id.is_not(None)
        )
        query = query.where(or_(Ticket.updated_at > after, Ticket.id.in_(scanned)))
    rows = (await session.execute(query.order_by(Ticket.id))).all()
    inside = await history.inside_of(session, event_id, None if after is None else [row[0] for row in rows])
    return Bundle(
        event_id=event_id,
        # Keys are made lazily: an event whose codes were never shown yet gets its key now, not later.
        public_keys=await keys.ensure_public_keys(session, secret, event_id),
        tickets=[
            (ticket_id, tickets.barcode_hash(barcode), status, type_id, ticket_id in inside)
            for ticket_id, barcode, status, type_id in rows
        ],
        revoked=await validation.revoked_since(session, event_id, after),
        synced_at=synced_at,
        full=since is None,
    )


# ---------------------------------------------------------------------------------------- resolve


class TicketRow(NamedTuple):
    """What the merge needs of a ticket, read as a plain row (10,000 ORM objects cost more than the
    whole merge)."""

    id: uuid.UUID
    barcode: str
    version: int
    event_id: uuid.UUID
    status: str
    cancelled_at: datetime | None
    suspended_at: datetime | None


_TICKET_ROW = (
    Ticket.id,
    Ticket.barcode,
    Ticket.version,
    Ticket.event_id,
    Ticket.status,
    Ticket.cancelled_at,
    Ticket.suspended_at,
)


@dataclass
class Resolved:
    """What an uploaded code names: the ticket (if one of the organization's) and, unless the ticket's
    history decides, the final verdict."""

    ticket: TicketRow | None
    status: ScanStatus | None
    message: str


REVOKED = validation.MESSAGES[InvalidReason.REVOKED]
NOT_FOUND = Resolved(None, ScanStatus.INVALID, validation.MESSAGES[InvalidReason.NOT_FOUND])


async def _verified_claims(
    session: AsyncSession, items: list[OfflineScan], scope: Select[uuid.UUID]
) -> dict[int, codes.TicketClaims | Resolved]:
    """Each QR item's signed claims (by index), or why its code is INVALID: malformed, signed with an
    unknown, retired or another event's key, or a bad signature. One query for the keys of the batch."""
    parsed: dict[int, codes.ParsedCode | InvalidCode] = {}
    for index, item in enumerate(items):
        if item.qr_data is not None:
            try:
                parsed[index] = (
                    codes.parse(item.qr_data)
                    if len(item.qr_data) <= 1024
                    else InvalidCode(InvalidReason.MALFORMED, "Not a TixMo ticket code.")
                )
            except InvalidCode as exc:
                parsed[index] = exc
    key_ids = {p.key_id for p in parsed.values() if isinstance(p, codes.ParsedCode)}
    signing_keys = (
        {
            key.key_id: key
            for key in await session.scalars(
                select(SigningKey).where(SigningKey.key_id.in_(key_ids), SigningKey.event_id.in_(scope))
            )
        }
        if key_ids
        else {}
    )
    claims: dict[int, codes.TicketClaims | Resolved] = {}
    for index, code in parsed.items():
        if isinstance(code, InvalidCode):
            claims[index] = Resolved(None, ScanStatus.INVALID, str(code))
            continue
        key = signing_keys.get(code.key_id)
        if key is None:
            claims[index] = Resolved(None, ScanStatus.INVALID, "The code is signed with an unknown key.")
        elif key.status == SigningKeyStatus.RETIRED.value:
            claims[index] = Resolved(None, ScanStatus.INVALID, "The code is signed with a retired key.")
        else:
            try:
                verified = codes.check_signature(code, bytes(key.public_key))
            except InvalidCode as exc:
                claims[index] = Resolved(None, ScanStatus.INVALID, str(exc))
                continue
            if verified.event_id != key.event_id:
                claims[index] = Resolved(
                    None, ScanStatus.INVALID, "The code is signed with another event's key."
                )
            else:
                claims[index] = verified
    return claims


async def _resolve(session: AsyncSession, scanner: Scanner, items: list[OfflineScan]) -> list[Resolved]:
    """Every item's code → ticket, with a handful of queries for the whole batch."""
    scope = event_scope(scanner)
    claims = await _verified_claims(session, items, scope)
    barcodes = {item.barcode for item in items if item.barcode is not None}
    ticket_ids = {c.ticket_id for c in claims.values() if isinstance(c, codes.TicketClaims)}
    by_barcode: dict[str, TicketRow] = {}
    by_id: dict[uuid.UUID, TicketRow] = {}
    if barcodes or ticket_ids:
        found = await (await session.connection()).execute(
            select(*_TICKET_ROW).where(
                or_(any_of(Ticket.barcode, barcodes, String()), any_of(Ticket.id, ticket_ids, Uuid())),
                Ticket.event_id.in_(scope),
            )
        )
        for row in found:
            ticket = TicketRow(*row)
            by_barcode[ticket.barcode] = by_id[ticket.id] = ticket
    missing = {tickets.barcode_hash(b): b for b in barcodes if b not in by_barcode}
    revoked: dict[str, TicketRow] = {}
    if missing:
        rows = await session.execute(
            select(TicketRevocation.barcode_hash, *_TICKET_ROW)
            .join(Ticket, Ticket.id == TicketRevocation.ticket_id)
            .where(any_of(TicketRevocation.barcode_hash, missing, String()), Ticket.event_id.in_(scope))
        )
        revoked = {missing[row[0]]: TicketRow(*row[1:]) for row in rows}
    results: list[Resolved] = []
    for index, item in enumerate(items):
        if item.barcode is not None:
            if item.barcode in by_barcode:
                results.append(Resolved(by_barcode[item.barcode], None, ""))
            elif item.barcode in revoked:
                results.append(Resolved(revoked[item.barcode], ScanStatus.INVALID, REVOKED))
            else:
                results.append(NOT_FOUND)
            continue
        claim = claims[index]
        if isinstance(claim, Resolved):
            results.append(claim)
        else:
            named = by_id.get(claim.ticket_id)
            if named is None:
                results.append(NOT_FOUND)
            elif (named.barcode, named.version) != (claim.barcode, claim.version):
                results.append(Resolved(named, ScanStatus.INVALID, REVOKED))
            else:
                results.append(Resolved(named, None, ""))
    return results


_CANCELLED, _VALID_TICKET = TicketStatus.CANCELLED.value, TicketStatus.VALID.value
_PUBLISHED = EventStatus.PUBLISHED.value


def _judge_code(
    resolved: Resolved, event_id: uuid.UUID, event_status: str | None, scanned_at: datetime
) -> Resolved:
    """The verdicts that do not depend on the history (wrong event, cancelled before the scan, closed);
    ``event_id``: the device's event. (Run twice per scan of a batch: plain values, no enum lookups.)"""
    ticket = resolved.ticket
    if resolved.status is not None or ticket is None:
        return resolved
    if ticket.event_id != event_id:
        return Resolved(ticket, ScanStatus.WRONG_EVENT, validation.MESSAGES[InvalidReason.WRONG_EVENT])
    status = ticket.status
    if status == _CANCELLED and (ticket.cancelled_at is None or ticket.cancelled_at <= scanned_at):
        return Resolved(ticket, ScanStatus.CANCELLED, validation.MESSAGES[InvalidReason.CANCELLED])
    if status == _VALID_TICKET and ticket.suspended_at is not None:
        return Resolved(ticket, ScanStatus.INVALID, validation.MESSAGES[InvalidReason.SUSPENDED])
    if event_status != _PUBLISHED:
        return Resolved(ticket, ScanStatus.INVALID, f"The event is {event_status}: not open for entry.")
    return resolved


# ------------------------------------------------------------------------------------------ upload


@dataclass
class Stored:
    """A stored scan as an upload answers it (read with one Core query, not as ORM objects)."""

    id: int
    client_scan_id: str | None
    status: str
    message: str
    ticket_id: uuid.UUID | None
    scanner_id: uuid.UUID | None
    direction: str
    scanned_at: datetime
    client_scanned_at: datetime | None
    conflict: bool
    conflicts_with_scan_id: int | None


_STORED = (
    Scan.id,
    Scan.client_scan_id,
    Scan.status,
    Scan.message,
    Scan.ticket_id,
    Scan.scanner_id,
    Scan.direction,
    Scan.scanned_at,
    Scan.client_scanned_at,
    Scan.conflict,
    Scan.conflicts_with_scan_id,
)


@dataclass
class Outcome:
    client_scan_id: str
    scan: Stored
    conflicts_with: Stored | None
    replayed: bool


async def _new_items(
    session: AsyncSession, scanner: Scanner, items: list[OfflineScan], client_ids: list[str]
) -> list[OfflineScan]:
    """The batch's scans this device has not uploaded (or scanned online) before, each once."""
    known = set(
        await session.scalars(
            select(Scan.client_scan_id).where(
                Scan.scanner_id == scanner.id, any_of(Scan.client_scan_id, client_ids, String())
            )
        )
    )
    seen: set[str] = set()
    new_items: list[OfflineScan] = []
    for item in items:
        if item.client_scan_id not in known and item.client_scan_id not in seen:
            seen.add(item.client_scan_id)
            new_items.append(item)
    return new_items


async def _lock_tickets(
    session: AsyncSession,
    scanner: Scanner,
    judged_tickets: list[uuid.UUID],
    resolved: list[Resolved],
    new_items: list[OfflineScan],
) -> tuple[list[Resolved], list[OfflineScan]]:
    """The tickets whose history changes locked in id order and read again under the lock; the scans an
    online scan of this device recorded meanwhile (same clientScanId) dropped."""
    # Locked in id order and read under the lock in the same statement: the lock waited for any
    # concurrent change (a ticket may have been cancelled meanwhile).
    locks.note(session, locks.Kind.TICKET, judged_tickets)
    locked = select(*_TICKET_ROW).where(any_of(Ticket.id, judged_tickets, Uuid()))
    fresh = {
        row[0]: TicketRow(*row)
        for row in await (await session.connection()).execute(
            locks.clause(locked.order_by(Ticket.id), locks.Kind.TICKET)
        )
    }
    resolved = [
        Resolved(fresh.get(r.ticket.id, r.ticket), r.status, r.message) if r.ticket is not None else r
        for r in resolved
    ]
    # An online scan of this device with one of these clientScanIds may have committed meanwhile.
    late = set(
        await session.scalars(
            select(Scan.client_scan_id).where(
                Scan.scanner_id == scanner.id,
                any_of(Scan.client_scan_id, [i.client_scan_id for i in new_items], String()),
            )
        )
    )
    if late:
        keep = [(r, i) for r, i in zip(resolved, new_items, strict=True) if i.client_scan_id not in late]
        resolved, new_items = [r for r, _ in keep], [i for _, i in keep]
    return resolved, new_items


async def _answers(
    session: AsyncSession,
    scanner: Scanner,
    items: list[OfflineScan],
    rows: list[dict[str, Any]],
    client_ids: list[str],
) -> list[Outcome]:
    """The answer to each scan of the batch: this batch's scans as inserted; the known ones (replays) and
    the scans they conflict with as stored."""
    by_client = {row["client_scan_id"]: _stored(row) for row in rows}
    fresh_ids = set(by_client)
    replays = [cid for cid in client_ids if cid not in by_client]
    if replays:
        for known_row in await session.execute(
            select(*_STORED).where(
                Scan.scanner_id == scanner.id, any_of(Scan.client_scan_id, replays, String())
            )
        ):
            by_client[known_row[1]] = Stored(*known_row)
    by_id = {row["id"]: by_client[row["client_scan_id"]] for row in rows}
    others_ids = {
        s.conflicts_with_scan_id
        for s in by_client.values()
        if s.conflicts_with_scan_id and s.conflicts_with_scan_id not in by_id
    }
    if others_ids:
        found = await session.execute(select(*_STORED).where(any_of(Scan.id, others_ids, BigInteger())))
        for other_row in found:
            by_id[other_row[0]] = Stored(*other_row)
    outcomes = []
    for item in items:
        scan = by_client[item.client_scan_id]
        other = by_id.get(scan.conflicts_with_scan_id) if scan.conflicts_with_scan_id else None
        outcomes.append(Outcome(item.client_scan_id, scan, other, item.client_scan_id not in fresh_ids))
    return outcomes


class _CollectorPause:
    """Python's cyclic garbage collector held off while batches are merged in this process.

    A batch of 10,000 scans allocates a few hundred thousand objects (rows, tuples, instants) that live
    until its answer is written, and the collector, counting allocations, ran its generations over them
    again and again: a third to a half of the merge's API CPU (measured in-process, 10,000 EXITs: about
    470 ms with the collector, gc.freeze()d as the server does, against 310 ms without). Reference counting
    still frees them; what the collector would find (cycles) waits until the last batch of the process
    ends. Overlapping batches share the pause: the collector is enabled again when the last one ends, and
    only if it was enabled when the first began."""

    def __init__(self) -> None:
        self.batches = 0
        self.was_enabled = True

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if self.batches == 0:
            self.was_enabled = gc.isenabled()
            gc.disable()
        self.batches += 1
        try:
            yield
        finally:
            self.batches -= 1
            if self.batches == 0 and self.was_enabled:
                gc.enable()


collector_paused = _CollectorPause()


async def upload(
    session: AsyncSession, scanner: Scanner, items: list[OfflineScan]
) -> tuple[datetime, list[Outcome]]:
    """Merge an upload (see the module's docstring), the garbage collector held off meanwhile."""
    with collector_paused():
        return await _upload(session, scanner, items)


async def _upload(
    session: AsyncSession, scanner: Scanner, items: list[OfflineScan]
) -> tuple[datetime, list[Outcome]]:
    received_at = utcnow()
    # Before reading which clientScanIds are known: a concurrent upload of the same batch commits first.
    # (Only the ticket locks below serialised uploads, so a batch of codes judged without a history,
    # INVALID / WRONG_EVENT / CANCELLED only, raced into the unique index: a 500 for the re-upload.)
    await session.execute(
        select(func.pg_advisory_xact_lock(func.hashtextextended(f"scanner-upload:{scanner.id}", 0)))
    )
    await touch(session, scanner, received_at)
    client_ids = list(dict.fromkeys(item.client_scan_id for item in items))
    new_items = await _new_items(session, scanner, items, client_ids)
    event_status = await locks.event_status(session, scanner.event_id, locks.EventLock.SHARE)
    resolved = await _resolve(session, scanner, new_items)
    # Lock the tickets whose history changes, in id order, then insert and replay.
    event_id = scanner.event_id
    judged_tickets = sorted(
        {
            r.ticket.id
            for r, item in zip(resolved, new_items, strict=True)
            if r.ticket is not None
            and _judge_code(r, event_id, event_status, min(item.scanned_at, received_at)).status is None
        }
    )
    if judged_tickets:
        resolved, new_items = await _lock_tickets(session, scanner, judged_tickets, resolved, new_items)
    rows: list[dict[str, Any]] = []
    pending: list[bool] = []  # judged by the history replay
    scanner_id = scanner.id
    for r, item in zip(resolved, new_items, strict=True):
        scanned_at = min(item.scanned_at, received_at)
        verdict = _judge_code(r, event_id, event_status, scanned_at)
        rows.append(
            history.scan_row(
                event_id=event_id,
                scanner_id=scanner_id,
                ticket_id=verdict.ticket.id if verdict.ticket is not None else None,
                direction=item.direction.value,
                # Provisional for history-judged scans: the replay below sets the verdict before the insert.
                status=_VALID if verdict.status is None else verdict.status.value,
                source=_OFFLINE,
                message=verdict.message,
                scanned_at=scanned_at,
                received_at=received_at,
                client_scanned_at=item.scanned_at,
                client_scan_id=item.client_scan_id,
            )
        )
        pending.append(verdict.status is None)
    # Ids first (the history orders ties by id, and a verdict may name a scan of this batch), then each
    # ticket's history replayed with the new scans merged in, then the scans inserted with their final
    # verdicts: one INSERT, and an UPDATE only for the stored scans whose verdict changed.
    for scan_id, row in zip(await history.next_scan_ids(session, len(rows)), rows, strict=True):
        row["id"] = scan_id
    changes, states = await _replay(session, [row for row, wait in zip(rows, pending, strict=True) if wait])
    await history.insert_scans(session, rows)
    await history.apply_changes(session, scanner.event_id, changes)
    await _record_door_states(session, scanner, states)
    return received_at, await _answers(session, scanner, items, rows, client_ids)


def _stored(row: dict[str, Any]) -> Stored:
    """A scan of this batch as the database holds it (instants in UTC, like the driver reads them)."""
    client_scanned_at = row["client_scanned_at"]
    return Stored(
        id=row["id"],
        client_scan_id=row["client_scan_id"],
        status=row["status"],
        message=row["message"],
        ticket_id=row["ticket_id"],
        scanner_id=row["scanner_id"],
        direction=row["direction"],
        scanned_at=row["scanned_at"].astimezone(UTC),
        client_scanned_at=client_scanned_at.astimezone(UTC) if client_scanned_at is not None else None,
        conflict=row["conflict"],
        conflicts_with_scan_id=row["conflicts_with_scan_id"],
    )


async def _replay(
    session: AsyncSession, new_rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[history.DoorState]]:
    """Merge the new scans (rows not inserted yet, with their ids) into their (locked) tickets' histories
    and replay each by the merge rule: the new rows get their verdicts in place; the stored scans whose
    verdict changed, and each ticket's door state, are returned.

    The rule is ``history.judge``'s (the reference; tests compare the two over randomized histories),
    in a tight loop over plain tuples: among the scans it judges (offline ones, and online or manual
    VALID ones), a scan changes the state exactly when its direction differs from the previous such
    scan's (a virtual EXIT before the first), because whatever a scan's verdict, the door expects the
    opposite of its direction after it."""
    if not new_rows:
        return [], []
    ticket_ids = sorted({row["ticket_id"] for row in new_rows})
    merged: dict[uuid.UUID, list[tuple[Any, ...]]] = {ticket_id: [] for ticket_id in ticket_ids}
    for owner, *stored in await (await session.connection()).execute(_HISTORIES, {"ids": ticket_ids}):
        merged[owner].append((*stored, None))  # type: ignore[index]  # never NULL: selected by ticket
    for row in new_rows:
        merged[row["ticket_id"]].append(
            (row["scanned_at"], row["id"], row["direction"], _OFFLINE, _VALID, False, None, row)
        )
    changes: list[dict[str, Any]] = []
    states: list[history.DoorState] = []
    for ticket_id, scans in merged.items():
        scans.sort(key=_history_order)
        previous = _EXIT  # the direction of the previous judged scan
        last_id: int | None = None  # the scan that last changed the state
        first_entry_at: datetime | None = None
        for at, scan_id, direction, source, status, conflict, other, row in scans:
            offline = source == _OFFLINE
            if not offline and status != _VALID:
                continue  # an online DUPLICATE / NOT_INSIDE answer: kept, changes nothing
            if direction != previous:
                verdict: tuple[str, bool, int | None] = (_VALID, False, None)
                last_id = scan_id
                if first_entry_at is None and direction == _ENTRY:
                    first_entry_at = at
            elif not offline:
                verdict = (_VALID, True, last_id)
            elif direction == _ENTRY:
                verdict = (_DUPLICATE, True, last_id)
            else:
                verdict = (_NOT_INSIDE, False, None)
            previous = direction
            if row is not None:
                row["status"], row["conflict"], row["conflicts_with_scan_id"] = verdict
                row["message"] = _MESSAGES[verdict[0], direction]
            elif verdict != (status, conflict, other):
                changes.append(
                    {
                        "id": scan_id,
                        "status": verdict[0],
                        "conflict": verdict[1],
                        "conflicts_with_scan_id": verdict[2],
                        "message": _MESSAGES[verdict[0], direction],
                    }
                )
        inside = previous == _ENTRY
        states.append(history.DoorState(ticket_id, inside, last_id if inside else None, first_entry_at))
    return changes, states


# The judged scans of some tickets, each ticket's in time order (``history.histories`` as plain rows).
_HISTORIES = (
    select(
        Scan.ticket_id,
        Scan.scanned_at,
        Scan.id,
        Scan.direction,
        Scan.source,
        Scan.status,
        Scan.conflict,
        Scan.conflicts_with_scan_id,
    )
    .where(
        Scan.ticket_id == any_(bindparam("ids", type_=ARRAY(Uuid()))),
        Scan.status.in_(HISTORY_STATUSES),
    )
    .order_by(Scan.ticket_id, Scan.scanned_at, Scan.id)
)
_VALID, _DUPLICATE, _NOT_INSIDE = HISTORY_STATUSES
_ENTRY, _EXIT = Direction.ENTRY.value, Direction.EXIT.value
_OFFLINE = ScanSource.OFFLINE.value


def _history_order(scan: tuple[Any, ...]) -> tuple[datetime, int]:
    return scan[0], scan[1]


async def _record_door_states(
    session: AsyncSession, scanner: Scanner, states: list[history.DoorState]
) -> None:
    """Write the merged door states; the first VALID entry checks a VALID ticket in (audit, webhook)."""
    checked_in = await history.record_door_states(session, states)
    if checked_in:
        await session.execute(
            insert(AuditEntry),
            [
                audit.entry_values(
                    action="ticket.checked_in",
                    entity_type="ticket",
                    entity_id=ticket_id,
                    actor_id=None,  # audit actors are users; `via` names the device
                    actor_type="scanner",
                    organization_id=scanner.organization_id,
                    before={"status": TicketStatus.VALID.value},
                    after={"status": TicketStatus.USED.value, "via": f"scanner:{scanner.id}:offline"},
                )
                for ticket_id in checked_in
            ],
        )
        # The organization's webhooks (docs/webhooks.md), in this transaction, when one listens.
        hooked = select(outbox.subscribed(literal(scanner.organization_id, Uuid()), "ticket.checked_in"))
        if await session.scalar(hooked):
            for ticket_id in checked_in:
                await audit.emit_webhook(
                    session,
                    "ticket.checked_in",
                    "ticket",
                    ticket_id,
                    scanner.organization_id,
                    {"status": TicketStatus.USED.value, "via": f"scanner:{scanner.id}:offline"},
                )


def _message(status: str, direction: str) -> str:
    message = MESSAGES.get((ScanStatus(status), Direction(direction)))
    if message is not None:
        return message
    return "Already inside: another scan let this ticket in first."


_MESSAGES = {(s, d): _message(s, d) for s in HISTORY_STATUSES for d in (_ENTRY, _EXIT)}

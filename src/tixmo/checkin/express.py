"""The express path of ``POST /scanners/scan``: one statement, straight through the driver.

The scanner token's signature and expiry are checked in the process (``deps.scanner_claims``); the device
itself is checked inside the statement (``decide.py``), so a disabled or deleted device stops at once,
without a read of its own. A ``qrData`` is parsed and its Ed25519 signature verified in the process, with
the public key cached by its key id (a key id is the hash of its public key: the pair never changes); the
statement checks that the key still verifies (not RETIRED) and is the device's event's, and that the
ticket still has the code's barcode and version.

The statement is its own transaction, committed as it returns: the ticket's row lock is held only while
PostgreSQL runs it. Like the orders' express path, it never answers a refusal itself: whatever it does
not decide — an unknown, revoked or forged code, another event's ticket, an event not open, a replayed
``clientScanId``, a device no longer usable — returns ``None`` and the full path (``scanning.py``) answers
it, exactly as it always has.
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from tixmo import metrics, transient
from tixmo.checkin import decide
from tixmo.checkin.batch import ScanBatcher
from tixmo.checkin.models import ScanStatus
from tixmo.checkin.schemas import ConflictWith, ScanRequest, ScanResult
from tixmo.db import Database
from tixmo.rawsql import RawStatement, driver_connection
from tixmo.tickets import codes
from tixmo.tickets.models import TicketStatus
from tixmo.tickets.schemas import SeatRead, TicketRead

_BY_BARCODE = RawStatement(decide.COUNTING_BY_BARCODE)
_BY_QR = RawStatement(decide.COUNTING_BY_QR)
_CONFLICT_SQL = "SELECT scanner_id, scanned_at FROM scans WHERE id = $1"
_KEY_SQL = "SELECT event_id, public_key FROM ticket_signing_keys WHERE key_id = $1"

# key id → (event id, public key). Bounded: a flood of made-up key ids is never cached (not found).
_keys: dict[str, tuple[uuid.UUID, bytes]] = {}
_MAX_KEYS = 10_000


async def _public_key(database: Database, key_id: str) -> tuple[uuid.UUID, bytes] | None:
    found = _keys.get(key_id)
    if found is None:
        async with driver_connection(database) as connection:
            row = await connection.fetchrow(_KEY_SQL, key_id)
        if row is None:
            return None
        found = (row["event_id"], bytes(row["public_key"]))
        if len(_keys) >= _MAX_KEYS:
            _keys.clear()
        _keys[key_id] = found
    return found


async def scan(
    database: Database,
    scanner_id: uuid.UUID,
    event_id: uuid.UUID,
    body: ScanRequest,
    batcher: ScanBatcher | None = None,
) -> ScanResult | None:
    """The answer to an online scan decided by one statement — its own, or its batch's (``batcher``) — or
    ``None`` (the full path answers)."""
    if body.code_error() is not None:
        return None
    params = decide.params(
        scanner_id=scanner_id,
        event_id=event_id,
        direction=body.direction,
        client_scan_id=body.client_scan_id,
        client_scanned_at=body.scanned_at,
        via=f"scanner:{scanner_id}",
    )
    params["hand_over_hooked"] = True  # a check-in its organization's webhooks hear: the full path emits it
    statement = _BY_BARCODE
    if body.qr_data is not None:
        claims = await _verified(database, body.qr_data, event_id)
        if claims is None:
            return None
        statement = _BY_QR
        params.update(
            ticket_id=claims[0].ticket_id,
            barcode=claims[0].barcode,
            version=claims[0].version,
            key_id=claims[1],
        )
    else:
        params["barcode"] = body.barcode

    async def alone() -> Any:
        async with driver_connection(database) as connection:
            if connection.is_in_transaction():  # the statement keeps the counters as its own transaction only
                raise RuntimeError("the express scan must run outside any transaction")
            try:
                with transient.committing():  # one statement, its own transaction: it commits as it returns
                    return await statement.fetchrow(connection, params)
            except (asyncpg.UniqueViolationError, asyncpg.ForeignKeyViolationError):
                # A retry of the same clientScanId committed first (the full path replays it), or the door
                # state names a scan that is gone (the full path judges the history).
                return None

    row = await (batcher.decide(event_id, params, alone) if batcher is not None else alone())
    if row is None:
        return None
    found = decide.Decided.of(row)
    metrics.SCANS.labels(status=found.status).inc()  # committed: the statement was its transaction
    conflict = None
    if found.conflicts_with_scan_id is not None:
        when, by = found.conflict_scanned_at, found.conflict_scanner_id
        if when is None:  # committed after the statement's snapshot: read it now
            async with driver_connection(database) as connection:
                other = await connection.fetchrow(_CONFLICT_SQL, found.conflicts_with_scan_id)
            if other is not None:
                when, by = other["scanned_at"], other["scanner_id"]
        if when is not None:
            conflict = ConflictWith(scan_id=found.conflicts_with_scan_id, scanner_id=by, scanned_at=when)
    return result(found, body, conflict)


async def _verified(
    database: Database, qr_data: str, event_id: uuid.UUID
) -> tuple[codes.TicketClaims, str] | None:
    """The claims of an authentic code signed by a key of the device's event (and the key id)."""
    if len(qr_data) > 1024:
        return None
    try:
        parsed = codes.parse(qr_data)
        key = await _public_key(database, parsed.key_id)
        if key is None or key[0] != event_id:
            return None
        claims = codes.check_signature(parsed, key[1])
    except codes.InvalidCode:
        return None
    if claims.event_id != event_id:
        return None
    return claims, parsed.key_id


def result(found: decide.Decided, body: ScanRequest, conflict: ConflictWith | None) -> ScanResult:
    seat = None
    if found.section is not None and found.row is not None and found.label is not None:
        seat = SeatRead(section=found.section, row=found.row, seat=found.label)
    ticket = TicketRead(
        id=found.ticket_id,
        order_id=found.order_id,
        event_id=found.event_id,
        ticket_type_id=found.ticket_type_id,
        owner_id=found.owner_id,
        barcode=found.barcode,
        status=TicketStatus(found.ticket_status),
        checked_in_at=found.checked_in_at,
        seat=seat,
    )
    return ScanResult(
        status=ScanStatus(found.status),
        message=found.message,
        ticket=ticket,
        scan_id=found.scan_id,
        direction=body.direction,
        scanned_at=found.scanned_at,
        client_scanned_at=found.client_scanned_at,
        conflict=False,
        conflicts_with=conflict,
        replayed=False,
    )

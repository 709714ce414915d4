"""``POST /scanners/scan``, the full path: every scan the express path (``express.py``) leaves to it —
unknown, malformed, forged or replaced codes, other events' tickets, an event not open, replays of a
``clientScanId`` — judged now and answered at once, in the request's transaction.

Order of work (and locks): the scanner's event ``FOR KEY SHARE`` (before the ticket, like the orders
domain's event → … → ticket order; concurrent scans do not block each other on it, an event being
cancelled does), then the ticket ``FOR UPDATE``. A code whose ticket's history decides is handed to the
same one statement as the express path (``decide.py``): it locks the ticket and decides by its door
state under the lock, so of two gates scanning one ticket at once exactly one gets the VALID entry.

Every recognised attempt is logged and answered 200 with its status; only a bad credential (401) or a
malformed body (422) is not.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks, metrics
from tixmo.audit import service as audit
from tixmo.checkin import decide, history
from tixmo.checkin.models import Direction, Scan, Scanner, ScanSource, ScanStatus
from tixmo.db import utcnow
from tixmo.errors import Unauthorized, ValidationFailed
from tixmo.events.models import Event, EventStatus
from tixmo.tickets import validation
from tixmo.tickets.codes import InvalidReason
from tixmo.tickets.models import Ticket

MESSAGES = decide.MESSAGES


def event_scope(scanner: Scanner) -> Select[uuid.UUID]:
    """The codes a device recognises: its organization's events (others answer like unknown codes)."""
    return select(Event.id).where(Event.organization_id == scanner.organization_id)


@dataclass
class Outcome:
    scan: Scan
    ticket: Ticket | None
    conflicts_with: Scan | None = None
    replayed: bool = False


async def _replay(session: AsyncSession, scanner: Scanner, client_scan_id: str | None) -> Outcome | None:
    if client_scan_id is None:
        return None
    scan = await session.scalar(
        select(Scan).where(Scan.scanner_id == scanner.id, Scan.client_scan_id == client_scan_id)
    )
    if scan is None:
        return None
    ticket = await session.get(Ticket, scan.ticket_id) if scan.ticket_id is not None else None
    other = await session.get(Scan, scan.conflicts_with_scan_id) if scan.conflicts_with_scan_id else None
    return Outcome(scan, ticket, other, replayed=True)


def _verdict(found: validation.Identified) -> ScanStatus | None:
    """The answer a code earns before the ticket's history matters (``None``: judge the history)."""
    if found.reason in (None, InvalidReason.ALREADY_USED):
        return None  # a USED ticket may leave and come back in: the history decides
    if found.reason == InvalidReason.WRONG_EVENT:
        return ScanStatus.WRONG_EVENT
    if found.reason == InvalidReason.CANCELLED:
        return ScanStatus.CANCELLED
    return ScanStatus.INVALID


async def scan(
    session: AsyncSession,
    scanner: Scanner,
    *,
    barcode: str | None,
    qr_data: str | None,
    direction: Direction,
    client_scan_id: str | None,
    client_scanned_at: datetime | None = None,
) -> Outcome:
    if barcode is not None and qr_data is not None:
        raise ValidationFailed("qrData", "Give either barcode or qrData, not both.")
    if barcode is None and qr_data is None:
        raise ValidationFailed("barcode", "Give barcode or qrData.")
    replay = await _replay(session, scanner, client_scan_id)
    if replay is not None:
        return replay
    found = await validation.identify(
        session,
        barcode=barcode,
        qr_data=qr_data,
        event_ids=event_scope(scanner),
        for_event_id=scanner.event_id,
    )
    event_status = await locks.event_status(session, scanner.event_id, locks.EventLock.SHARE)
    status, message, ticket = _verdict(found), found.message, found.ticket
    if status is None and event_status != EventStatus.PUBLISHED.value:
        status, message = ScanStatus.INVALID, f"The event is {event_status}: not open for entry."
    now = utcnow()
    if status is None:
        assert ticket is not None
        return await _decide(session, scanner, ticket, direction, client_scan_id, client_scanned_at)
    assert status is not None
    return await _refuse(
        session,
        scanner,
        ticket,
        status,
        message,
        direction,
        client_scan_id,
        client_scanned_at,
        now,
    )


async def _decide(
    session: AsyncSession,
    scanner: Scanner,
    ticket: Ticket,
    direction: Direction,
    client_scan_id: str | None,
    client_scanned_at: datetime | None,
) -> Outcome:
    """A ticket that may pass: locked, judged by its door state and recorded by one statement (decide.py)."""
    locks.note(session, locks.Kind.TICKET, [ticket.id])
    # Locks the ticket, decides by its door state, records the scan: one statement (decide.py).
    decided = (
        await session.execute(
            decide.BY_TICKET_ID,
            {
                **decide.params(
                    scanner_id=scanner.id,
                    event_id=scanner.event_id,
                    direction=direction,
                    client_scan_id=client_scan_id,
                    client_scanned_at=client_scanned_at,
                    via=f"scanner:{scanner.id}",
                ),
                "ticket_id": ticket.id,
            },
        )
    ).first()
    if decided is None:
        # A retry of the same clientScanId that committed first (the statement inserted nothing).
        replay = await _replay(session, scanner, client_scan_id)
        if replay is not None:
            return replay
        raise Unauthorized("This scanner is disabled or no longer exists.")
    done = decide.Decided.of(decided)
    metrics.scans_recorded(session, [done.status])
    if done.status == ScanStatus.VALID.value and done.checked_in_at == done.scanned_at:
        # The statement marked the ticket USED and wrote its audit entry: its webhook event, here.
        await audit.emit_webhook(
            session,
            "ticket.checked_in",
            "ticket",
            done.ticket_id,
            scanner.organization_id,
            {"status": "USED", "via": f"scanner:{scanner.id}"},
        )
    fresh = await session.scalar(
        select(Ticket).where(Ticket.id == ticket.id).execution_options(populate_existing=True)
    )
    scan_obj = await session.get(Scan, done.scan_id)
    assert scan_obj is not None
    other = (
        await session.get(Scan, done.conflicts_with_scan_id)
        if done.conflicts_with_scan_id is not None
        else None
    )
    return Outcome(scan_obj, fresh, other)


async def _refuse(
    session: AsyncSession,
    scanner: Scanner,
    ticket: Ticket | None,
    status: ScanStatus,
    message: str,
    direction: Direction,
    client_scan_id: str | None,
    client_scanned_at: datetime | None,
    now: datetime,
) -> Outcome:
    """A scan decided without the ticket's door state (unknown, revoked, another event's, the event not
    open): recorded as it is."""
    row = history.scan_row(
        event_id=scanner.event_id,
        scanner_id=scanner.id,
        ticket_id=ticket.id if ticket is not None else None,
        direction=direction.value,
        status=status.value,
        source=ScanSource.ONLINE.value,
        message=message,
        scanned_at=now,
        received_at=now,
        client_scanned_at=client_scanned_at,
        client_scan_id=client_scan_id,
        conflicts_with_scan_id=None,
    )
    if ticket is None and client_scan_id is not None:
        # No ticket lock serialises retries of an unknown code: let the unique index decide.
        scan_id = await session.scalar(
            pg_insert(Scan).values(**row).on_conflict_do_nothing().returning(Scan.id)
        )
        if scan_id is None:
            replay = await _replay(session, scanner, client_scan_id)
            assert replay is not None
            return replay
        metrics.scans_recorded(session, [status.value])
        await history.notify(session, scanner.event_id, [scan_id])
    else:
        (scan_id,) = await history.insert_scans(session, [row])
    # No write to the scanner row here: concurrent scans of one device would queue on its lock. Its scans'
    # received_at tell when it was last seen (stats.scanner_stats).
    scan_obj = await session.get(Scan, scan_id)
    assert scan_obj is not None
    return Outcome(scan_obj, ticket, None)

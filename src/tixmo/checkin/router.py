"""``/scanners``: devices, scans, offline sync, logs. The events' attendance endpoints (stats, the live
stream) are ``attendance_router.py``."""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, status
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from tixmo.checkin import express, scanning, service, sync
from tixmo.checkin.models import Scan, Scanner, ScanStatus
from tixmo.checkin.schemas import (
    ConflictWith,
    ScanLogRead,
    ScannerAuthRequest,
    ScannerCreate,
    ScannerIdPath,
    ScannerRead,
    ScannerRegistered,
    ScannerToken,
    ScannerUpdate,
    ScanRequest,
    ScanResult,
    SyncBundle,
    SyncResult,
    SyncUpload,
)
from tixmo.deps import (
    Context,
    CurrentScanner,
    CurrentUser,
    DbSession,
    ScannerClaims,
    transaction,
)
from tixmo.errors import problems
from tixmo.schemas import CursorInstant, Page, Pagination
from tixmo.security import create_scanner_token
from tixmo.tickets import service as tickets
from tixmo.tickets.router import ticket_read

router = APIRouter(prefix="/scanners", tags=["scanners"])


def scanner_read(scanner: Scanner) -> ScannerRead:
    return ScannerRead(
        id=scanner.id,
        organization_id=scanner.organization_id,
        event_id=scanner.event_id,
        name=scanner.name,
        enabled=scanner.is_enabled,
        api_key_prefix=scanner.api_key_prefix,
        last_seen_at=scanner.last_seen_at,
        created_at=scanner.created_at,
        updated_at=scanner.updated_at,
    )


def conflict_read(other: Scan | sync.Stored | None) -> ConflictWith | None:
    if other is None:
        return None
    return ConflictWith(scan_id=other.id, scanner_id=other.scanner_id, scanned_at=other.scanned_at)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=ScannerRegistered,
    responses=problems(401, 404),
    summary="Register a scanner device for an event (org staff); the API key is shown only here",
)
async def register(body: ScannerCreate, actor: CurrentUser, session: DbSession) -> ScannerRegistered:
    scanner, api_key = await service.register(session, actor, body.event_id, body.name)
    return ScannerRegistered(scanner=scanner_read(scanner), api_key=api_key)


@router.post(
    "/auth",
    response_model=ScannerToken,
    responses=problems(401),
    summary="Exchange a device's API key for a short-lived scanner token",
    description="The token works only on the scanner endpoints and only for the device's event; a user "
    "access token does not work there. Disabling or deleting the device ends its tokens at once.",
)
async def authenticate(body: ScannerAuthRequest, session: DbSession, context: Context) -> ScannerToken:
    scanner = await service.authenticate(session, body.api_key)
    token, expires_at = create_scanner_token(
        context.secret_key,
        scanner.id,
        scanner.event_id,
        timedelta(minutes=context.settings.scanner_token_minutes),
    )
    return ScannerToken(token=token, expires_at=expires_at, scanner_id=scanner.id, event_id=scanner.event_id)


@router.get(
    "",
    response_model=Page[ScannerRead],
    responses=problems(401),
    summary="List scanner devices (org staff), optionally of one event",
)
async def list_scanners(
    actor: CurrentUser,
    session: DbSession,
    paging: Pagination,
    event_id: Annotated[uuid.UUID | None, Query(alias="eventId")] = None,
) -> Page[ScannerRead]:
    items, total = await service.list_scanners(
        session, actor, event_id=event_id, offset=paging.offset, limit=paging.limit
    )
    return paging.build([scanner_read(item) for item in items], total)


@router.post(
    "/scan",
    response_model=ScanResult,
    responses=problems(401),
    summary="Scan a code at the door (scanner token): ENTRY or EXIT",
    description="Every recognised attempt answers 200 with `status`: VALID, DUPLICATE (already inside), "
    "NOT_INSIDE (exit without entry), INVALID (unknown, forged or replaced code; event not open), "
    "WRONG_EVENT or CANCELLED. `ticket` is given when the ticket is known. The first entry marks the "
    "ticket USED; it may leave and come back. `clientScanId` makes a retry idempotent.",
)
async def scan(body: ScanRequest, claims: ScannerClaims, context: Context) -> Response:
    # The express path decides, records and answers the scan in one statement (batched with the scans of
    # the event waiting with it: checkin/batch.py, not gated, one batch in flight per event); the full path
    # answers everything it leaves (unknown and revoked codes, other events, replays, a device no longer
    # usable).
    batcher = context.scan_batcher
    answer = None
    if batcher is not None:
        answer = await express.scan(context.database, claims.scanner_id, claims.event_id, body, batcher)
    async with context.scan_gate or contextlib.nullcontext():
        if batcher is None:
            answer = await express.scan(context.database, claims.scanner_id, claims.event_id, body)
        if answer is None:
            async with transaction(context.database) as session:
                scanner = await service.active_scanner(session, claims.scanner_id, claims.event_id)
                answer = await _full_scan(session, scanner, body)
    return Response(answer.model_dump_json(by_alias=True), media_type="application/json")


async def _full_scan(session: AsyncSession, scanner: Scanner, body: ScanRequest) -> ScanResult:
    outcome = await scanning.scan(
        session,
        scanner,
        barcode=body.barcode,
        qr_data=body.qr_data,
        direction=body.direction,
        client_scan_id=body.client_scan_id,
        client_scanned_at=body.scanned_at,
    )
    record = outcome.scan
    ticket = None
    if outcome.ticket is not None:
        ticket = ticket_read((await tickets.views(session, [outcome.ticket]))[0])
    return ScanResult(
        status=ScanStatus(record.status),
        message=record.message,
        ticket=ticket,
        scan_id=record.id,
        direction=record.direction,
        scanned_at=record.scanned_at,
        client_scanned_at=record.client_scanned_at,
        conflict=record.conflict,
        conflicts_with=conflict_read(outcome.conflicts_with),
        replayed=outcome.replayed,
    )


@router.get(
    "/logs",
    response_model=Page[ScanLogRead],
    responses=problems(401),
    summary="The scan log of your organizations' events, newest first (org staff)",
)
async def logs(
    actor: CurrentUser,
    session: DbSession,
    paging: Pagination,
    event_id: Annotated[uuid.UUID | None, Query(alias="eventId")] = None,
    scanner_id: Annotated[uuid.UUID | None, Query(alias="scannerId")] = None,
    scan_status: Annotated[ScanStatus | None, Query(alias="status")] = None,
) -> Page[ScanLogRead]:
    rows, total = await service.list_logs(
        session,
        actor,
        event_id=event_id,
        scanner_id=scanner_id,
        status=scan_status.value if scan_status else None,
        offset=paging.offset,
        limit=paging.limit,
    )
    return paging.build(
        [
            ScanLogRead.model_validate(
                {
                    **{c: getattr(s, c) for c in ScanLogRead.model_fields if c != "conflicts_with"},
                    "conflicts_with": conflict_read(other),
                }
            )
            for s, other in rows
        ],
        total,
    )


@router.get(
    "/sync",
    response_model=SyncBundle,
    responses=problems(401),
    summary="The offline bundle of the device's event: public keys, tickets, revocations",
    description="Without `since`: every ticket. With `since` (a previous `syncedAt`): the tickets changed "
    "or scanned since then, and the barcodes revoked since then. See docs/offline-scanning.md.",
)
async def get_bundle(
    scanner: CurrentScanner,
    session: DbSession,
    context: Context,
    since: Annotated[CursorInstant | None, Query()] = None,
) -> SyncBundle:
    found = await sync.bundle(session, scanner, context.secret_key, since)
    return SyncBundle.model_validate(
        {
            "event_id": found.event_id,
            "public_keys": [key.bundle() for key in found.public_keys],
            "tickets": [
                {"ticket_id": t, "barcode_hash": h, "status": s, "ticket_type_id": tt, "inside": i}
                for t, h, s, tt, i in found.tickets
            ],
            "revoked": found.revoked,
            "synced_at": found.synced_at,
            "full": found.full,
        }
    )


@router.post(
    "/sync",
    response_model=SyncResult,
    responses=problems(401, 413),
    summary="Upload offline scans (up to 10,000): merged by scannedAt, each scan's outcome answered",
    description="The first entry wins; a later entry while inside is DUPLICATE with `conflict` and "
    "`conflictsWith`. A `clientScanId` already uploaded changes nothing (`replayed: true`). More than "
    "10,000 scans is 422 (`scans`); only a body over the size limit (8 MiB) is 413.",
)
async def upload(body: SyncUpload, scanner: CurrentScanner, session: DbSession) -> Response:
    received_at, outcomes = await sync.upload(session, scanner, body.scans)
    # ``SyncResult`` as plain JSON, written by orjson: building and serialising 10,000 models took most of
    # the upload's time. Same fields and formats (UTC instants with ``Z``; test_sync checks the shape).
    results = [
        {
            "clientScanId": o.client_scan_id,
            "scanId": o.scan.id,
            "status": o.scan.status,
            "message": o.scan.message,
            "ticketId": o.scan.ticket_id,
            "direction": o.scan.direction,
            "scannedAt": o.scan.scanned_at,
            "clientScannedAt": o.scan.client_scanned_at,
            "conflict": o.scan.conflict,
            "conflictsWith": (
                {
                    "scanId": o.conflicts_with.id,
                    "scannerId": o.conflicts_with.scanner_id,
                    "scannedAt": o.conflicts_with.scanned_at,
                }
                if o.conflicts_with is not None
                else None
            ),
            "replayed": o.replayed,
        }
        for o in outcomes
    ]
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.scan.status] = counts.get(o.scan.status, 0) + 1
    counts["replayed"] = sum(1 for o in outcomes if o.replayed)
    answer = {"eventId": scanner.event_id, "receivedAt": received_at, "results": results, "counts": counts}
    # default=str: the driver's own UUID type (its text is the standard form pydantic writes).
    return Response(orjson.dumps(answer, option=orjson.OPT_UTC_Z, default=str), media_type="application/json")


@router.get(
    "/{scannerId}",
    response_model=ScannerRead,
    responses=problems(401, 404),
    summary="Get a scanner device (org staff)",
)
async def get_scanner(scanner_id: ScannerIdPath, actor: CurrentUser, session: DbSession) -> ScannerRead:
    return scanner_read(await service.get(session, actor, scanner_id))


@router.put(
    "/{scannerId}",
    response_model=ScannerRead,
    responses=problems(401, 404),
    summary="Rename, enable or disable a scanner device (org staff); disabling ends its tokens at once",
)
async def update_scanner(
    scanner_id: ScannerIdPath, body: ScannerUpdate, actor: CurrentUser, session: DbSession
) -> ScannerRead:
    await body.check_read_only(lambda: get_scanner(scanner_id, actor, session))
    return scanner_read(
        await service.update_scanner(session, actor, scanner_id, name=body.name, enabled=body.enabled)
    )


@router.delete(
    "/{scannerId}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problems(401, 404),
    summary="Delete a scanner device (org staff): its key and tokens stop working; its scans stay",
)
async def delete_scanner(scanner_id: ScannerIdPath, actor: CurrentUser, session: DbSession) -> Response:
    await service.delete(session, actor, scanner_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

"""Scanner devices: registration (the API key is shown once), authentication, staff management.

The API key is 256 random bits (``tmsk_…``), stored as its SHA-256 hex digest. A slow password hash
(argon2) protects guessable secrets; a key this long cannot be guessed, so a fast hash gives the same
protection against a stolen database and lets ``/scanners/auth`` find the device by an indexed lookup.

Every scanner request re-reads the device row with its organization's (``deps.current_scanner``):
disabling or deleting a device, or deleting its organization, stops its key and every token it holds at
once, without a token blacklist.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.checkin.models import Scan, Scanner
from tixmo.db import fetch_page, utcnow
from tixmo.errors import NotFound, Unauthorized
from tixmo.events import service as events
from tixmo.events.models import Event
from tixmo.organizations import service as organizations
from tixmo.organizations.models import Organization
from tixmo.security import hash_token, new_opaque_token

API_KEY_PREFIX = "tmsk"
SCANNER_NOT_FOUND = "Scanner not found."


def _scope(user: User) -> ColumnElement[bool] | None:
    """Scanners of the caller's organizations; ``None`` for ADMIN (all)."""
    return organizations.staff_scope(user, Scanner.organization_id)


async def register(session: AsyncSession, actor: User, event_id: uuid.UUID, name: str) -> tuple[Scanner, str]:
    """A new device for one of the caller's events, and its API key (only its hash is kept)."""
    event = await events.get_for_staff(session, actor, event_id)
    api_key = new_opaque_token(API_KEY_PREFIX)
    scanner = Scanner(
        organization_id=event.organization_id,
        event_id=event.id,
        name=name,
        api_key_hash=hash_token(api_key),
        api_key_prefix=api_key[:12],
        created_by=actor.id,
    )
    session.add(scanner)
    await session.flush()
    await audit.record(
        session,
        action="scanner.registered",
        entity_type="scanner",
        entity_id=scanner.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        after={"eventId": event.id, "name": name},
    )
    return scanner, api_key


async def get(session: AsyncSession, actor: User, scanner_id: uuid.UUID, *, lock: bool = False) -> Scanner:
    query = select(Scanner).where(Scanner.id == scanner_id, Scanner.deleted_at.is_(None))
    scope = _scope(actor)
    if scope is not None:
        query = query.where(scope)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    scanner = await session.scalar(query)
    if scanner is None:
        raise NotFound(SCANNER_NOT_FOUND)
    return scanner


async def list_scanners(
    session: AsyncSession, actor: User, *, event_id: uuid.UUID | None, offset: int, limit: int
) -> tuple[list[Scanner], int]:
    query = select(Scanner).where(Scanner.deleted_at.is_(None))
    scope = _scope(actor)
    if scope is not None:
        query = query.where(scope)
    if event_id is not None:
        query = query.where(Scanner.event_id == event_id)
    return await fetch_page(session, query, Scanner.created_at, Scanner.id, offset=offset, limit=limit)


async def update_scanner(
    session: AsyncSession, actor: User, scanner_id: uuid.UUID, *, name: str | None, enabled: bool | None
) -> Scanner:
    scanner = await get(session, actor, scanner_id, lock=True)
    before = {"name": scanner.name, "enabled": scanner.is_enabled}
    if name is not None:
        scanner.name = name
    if enabled is not None:
        scanner.is_enabled = enabled
    scanner.updated_at = utcnow()
    await session.flush()
    await audit.record_changes(
        session,
        action="scanner.updated",
        entity_type="scanner",
        entity_id=scanner.id,
        actor_id=actor.id,
        organization_id=scanner.organization_id,
        before=before,
        after={"name": scanner.name, "enabled": scanner.is_enabled},
    )
    return scanner


async def delete(session: AsyncSession, actor: User, scanner_id: uuid.UUID) -> None:
    """Soft delete: the key and tokens stop working; the device's scans stay in the history."""
    scanner = await get(session, actor, scanner_id, lock=True)
    scanner.deleted_at = scanner.updated_at = utcnow()
    scanner.is_enabled = False
    await session.flush()
    await audit.record(
        session,
        action="scanner.deleted",
        entity_type="scanner",
        entity_id=scanner.id,
        actor_id=actor.id,
        organization_id=scanner.organization_id,
        before={"name": scanner.name},
    )


# ------------------------------------------------------------------------------------ device auth

BAD_KEY = "The API key is unknown, disabled or deleted."


def _usable_scanners() -> Select[Scanner]:
    """Devices that may act: enabled, not deleted, of an organization that is not deleted."""
    return (
        select(Scanner)
        .join(Organization, Organization.id == Scanner.organization_id)
        .where(Scanner.is_enabled, Scanner.deleted_at.is_(None), Organization.deleted_at.is_(None))
    )


async def authenticate(session: AsyncSession, api_key: str) -> Scanner:
    """The usable device with this key; 401 otherwise (one answer for every reason)."""
    scanner = await session.scalar(_usable_scanners().where(Scanner.api_key_hash == hash_token(api_key)))
    if scanner is None:
        raise Unauthorized(BAD_KEY)
    await touch(session, scanner)
    return scanner


async def active_scanner(session: AsyncSession, scanner_id: uuid.UUID, event_id: uuid.UUID) -> Scanner:
    """The device a scanner token names, if it is still usable (enabled, not deleted, its organization
    not deleted) and of that event."""
    scanner = await session.scalar(
        _usable_scanners().where(Scanner.id == scanner_id, Scanner.event_id == event_id)
    )
    if scanner is None:
        raise Unauthorized("This scanner is disabled or no longer exists.")
    return scanner


async def touch(session: AsyncSession, scanner: Scanner, at: datetime | None = None) -> None:
    """Record that the device was seen (auth, sync); scans count as seen through their rows."""
    now = at or utcnow()
    last = scanner.last_seen_at
    if last is not None and now - last < timedelta(seconds=5):
        return  # no write per request for a chatty device
    await session.execute(update(Scanner).where(Scanner.id == scanner.id).values(last_seen_at=now))
    scanner.last_seen_at = now


async def event_of(session: AsyncSession, scanner: Scanner) -> Event:
    event = await session.get(Event, scanner.event_id)
    assert event is not None
    return event


# -------------------------------------------------------------------------------------------- logs


async def list_logs(
    session: AsyncSession,
    actor: User,
    *,
    event_id: uuid.UUID | None,
    scanner_id: uuid.UUID | None,
    status: str | None,
    offset: int,
    limit: int,
) -> tuple[list[tuple[Scan, Scan | None]], int]:
    """The scan log of the caller's organizations' events, newest first, with each conflict's other scan."""
    other = aliased(Scan)
    query = select(Scan, other).outerjoin(other, other.id == Scan.conflicts_with_scan_id)
    scope = organizations.staff_events_scope(actor, Scan.event_id)
    if scope is not None:
        query = query.where(scope)
    if event_id is not None:
        query = query.where(Scan.event_id == event_id)
    if scanner_id is not None:
        query = query.where(Scan.scanner_id == scanner_id)
    if status is not None:
        query = query.where(Scan.status == status)
    return await fetch_page(session, query, Scan.id.desc(), offset=offset, limit=limit)

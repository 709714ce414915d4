"""The one helper every state change calls: ``await audit.record(...)``."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import structlog
from sqlalchemy import String, case, cast, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import outbox
from tixmo.audit.models import AuditEntry
from tixmo.db import fetch_page, utcnow


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _current_request_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get("request_id")
    return str(value) if value else None


def entry_values(
    *,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    actor_id: uuid.UUID | None = None,
    actor_type: str = "user",
    organization_id: uuid.UUID | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The columns of one audit entry, for callers that insert it inside a larger statement."""
    return {
        "id": uuid.uuid4(),
        "actor_id": actor_id,
        "actor_type": actor_type if actor_id is not None or actor_type != "user" else "system",
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "organization_id": organization_id,
        "before": _jsonable(before) if before is not None else None,
        "after": _jsonable(after) if after is not None else None,
        "request_id": _current_request_id(),
        "created_at": utcnow(),
    }


async def record(
    session: AsyncSession,
    *,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    actor_id: uuid.UUID | None = None,
    actor_type: str = "user",
    organization_id: uuid.UUID | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry in the caller's transaction. ``before``/``after`` hold only changed fields."""
    entry = AuditEntry(
        **entry_values(
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            actor_id=actor_id,
            actor_type=actor_type,
            organization_id=organization_id,
            before=before,
            after=after,
        )
    )
    session.add(entry)
    await session.flush()
    await emit_webhook(session, action, entity_type, entity_id, organization_id, entry.after)
    return entry


async def emit_webhook(
    session: AsyncSession,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    organization_id: uuid.UUID | None,
    after: Mapping[str, Any] | None,
) -> None:
    """The webhook event of an audited change (docs/webhooks.md), when its action is one: ``record``
    calls it; so does a path that inserts its entry inside a larger statement (``entry_values``)."""
    if organization_id is not None and action in outbox.EVENT_TYPES:
        await outbox.emit(session, organization_id, action, webhook_data(entity_type, entity_id, after))


def webhook_data(
    entity_type: str, entity_id: uuid.UUID | None, after: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A webhook's ``data``: the entity's id (``orderId``, ``ticketId``, ``eventId``) and what changed."""
    return {f"{entity_type}Id": str(entity_id) if entity_id else None, **(after or {})}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that changed, as (before, after) dictionaries."""
    changed = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


async def record_changes(
    session: AsyncSession,
    *,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    organization_id: uuid.UUID | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> bool:
    """Record an update with only the fields that changed; nothing when nothing changed."""
    old, new = diff(before, after)
    if not new:
        return False
    await record(
        session,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        actor_id=actor_id,
        organization_id=organization_id,
        before=old,
        after=new,
    )
    return True


async def list_for_organization(
    session: AsyncSession, organization_id: uuid.UUID, *, offset: int, limit: int
) -> tuple[list[AuditEntry], int]:
    query = select(AuditEntry).where(AuditEntry.organization_id == organization_id)
    return await fetch_page(
        session, query, AuditEntry.created_at.desc(), AuditEntry.id, offset=offset, limit=limit
    )


async def redact(
    session: AsyncSession, *, entity_type: str, entity_id: uuid.UUID, keys: tuple[str, ...]
) -> None:
    """Remove ``keys`` from the before/after of every entry about one entity (e.g. personal data of a
    deleted user), keeping the rest of the trail."""
    names = cast(array(keys), ARRAY(String))

    def without(column: Any) -> Any:
        # ``jsonb - text[]`` only applies to objects; a JSON ``null`` stays as it is.
        return case((func.jsonb_typeof(column) == "object", column.op("-")(names)), else_=column)

    await session.execute(
        update(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .values(before=without(AuditEntry.before), after=without(AuditEntry.after))
    )

"""Notifications: record them (and queue their email) in the caller's transaction; read and mark them.

``notify`` writes the in-app notification and, when the kind has an email and the user's preferences
allow it (``kinds``), an ``email_messages`` row plus the ``notifications.send_email`` job carrying its id
— all in the caller's transaction. So a rolled-back change notifies and emails nobody, and a committed
one is emailed even if the process dies right after the commit (the job is in the commit).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import jobs
from tixmo.accounts.models import User
from tixmo.db import fetch_page, utcnow
from tixmo.errors import NotFound
from tixmo.notifications import kinds
from tixmo.notifications.models import EmailMessage, Notification, NotificationPreference

SEND_EMAIL = "notifications.send_email"
NOTIFICATION_NOT_FOUND = "Notification not found."


async def notify(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    kind: str,
    title: str,
    body: str,
    data: Mapping[str, Any] | None = None,
    email: bool = True,
) -> Notification:
    """Record a notification for ``user_id``; queue its email when ``email`` and the policy allow."""
    # JSON as the API would show it: datetimes in ISO 8601, UUIDs (asyncpg's too) and the rest as text.
    payload = orjson.loads(orjson.dumps(dict(data or {}), default=str))
    notification = Notification(user_id=user_id, kind=kind, title=title[:200], body=body, data=payload)
    session.add(notification)
    await session.flush()
    if email:
        await queue_email(session, notification)
    return notification


async def preferences(session: AsyncSession, user_id: uuid.UUID) -> NotificationPreference:
    """The user's switches (the defaults, unsaved, when they never changed any: as of the account's
    creation, so that every read answers the same ``updatedAt``)."""
    found = await session.get(NotificationPreference, user_id)
    if found is not None:
        return found
    user = await session.get(User, user_id)
    return NotificationPreference(
        user_id=user_id,
        email_enabled=True,
        order_updates=True,
        ticket_transfers=True,
        event_reminders=True,
        marketing=False,
        updated_at=user.created_at if user is not None else utcnow(),
    )


def wants_email(prefs: NotificationPreference, kind: str) -> bool:
    """The policy of ``kinds``: transactional kinds always; others need ``emailEnabled`` and their switch."""
    if kind not in kinds.EMAIL_SWITCH:
        return False  # no email template for this kind
    switch = kinds.EMAIL_SWITCH[kind]
    if switch is None:
        return True
    return prefs.email_enabled and bool(getattr(prefs, switch.value))


async def queue_email(session: AsyncSession, notification: Notification) -> EmailMessage | None:
    """The outbox row and its send job, in the caller's transaction; None when no email is due."""
    user = await session.get(User, notification.user_id)
    if user is None or user.deleted_at is not None:
        return None
    if not wants_email(await preferences(session, user.id), notification.kind):
        return None
    message = EmailMessage(
        user_id=user.id,
        notification_id=notification.id,
        kind=notification.kind,
        to=user.email,
        subject=notification.title[:300],
    )
    session.add(message)
    await session.flush()
    await jobs.enqueue(session, SEND_EMAIL, message_id=str(message.id))
    return message


# ----------------------------------------------------------------------------------------- the API


async def list_notifications(
    session: AsyncSession, user: User, *, unread: bool, offset: int, limit: int
) -> tuple[list[Notification], int]:
    """The caller's own notifications, newest first (``unread``: only those not read yet)."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return await fetch_page(
        session, query, Notification.created_at.desc(), Notification.id.desc(), offset=offset, limit=limit
    )


async def mark_read(session: AsyncSession, user: User, notification_id: uuid.UUID) -> Notification:
    """Mark one of the caller's notifications read (again: keeps the first ``readAt``).
    Another user's notification is 404."""
    notification = await session.scalar(
        select(Notification).where(Notification.id == notification_id, Notification.user_id == user.id)
    )
    if notification is None:
        raise NotFound(NOTIFICATION_NOT_FOUND)
    if notification.read_at is None:
        notification.read_at = utcnow()
        await session.flush()
    return notification


async def mark_all_read(session: AsyncSession, user: User) -> int:
    """Every unread notification of the caller becomes read; returns how many."""
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    return len(result.all())


async def unread_count(session: AsyncSession, user: User) -> int:
    count = await session.scalar(
        select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    return int(count or 0)


async def update_preferences(
    session: AsyncSession, user: User, changes: Mapping[str, bool]
) -> NotificationPreference:
    """Partial update of the caller's switches (snake_case field names)."""
    # The row is created with the defaults if missing (a concurrent first update finds it), then locked.
    await session.execute(pg_insert(NotificationPreference).values(user_id=user.id).on_conflict_do_nothing())
    prefs = await session.scalar(
        select(NotificationPreference)
        .where(NotificationPreference.user_id == user.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert prefs is not None
    for name, value in changes.items():
        setattr(prefs, name, value)
    prefs.updated_at = utcnow()
    await session.flush()
    return prefs

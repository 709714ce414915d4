"""``/notifications``: the caller's own in-app notifications and email preferences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tixmo.deps import CurrentUser, DbSession
from tixmo.errors import problems
from tixmo.notifications import service
from tixmo.notifications.models import Notification, NotificationPreference
from tixmo.notifications.schemas import (
    NotificationIdPath,
    NotificationRead,
    PreferencesRead,
    PreferencesUpdate,
    ReadAllResult,
)
from tixmo.schemas import Page, Pagination, partial_changes

router = APIRouter(prefix="/notifications", tags=["notifications"])

PREFERENCE_FIELDS = ("email_enabled", "order_updates", "ticket_transfers", "event_reminders", "marketing")


def notification_read(notification: Notification) -> NotificationRead:
    return NotificationRead(
        id=notification.id,
        kind=notification.kind,
        title=notification.title,
        body=notification.body,
        data=notification.data,
        read=notification.read_at is not None,
        read_at=notification.read_at,
        created_at=notification.created_at,
    )


def preferences_read(prefs: NotificationPreference) -> PreferencesRead:
    return PreferencesRead.model_validate(prefs)


@router.get(
    "",
    response_model=Page[NotificationRead],
    responses=problems(401),
    summary="Your notifications, newest first (unread=true: only unread ones)",
)
async def list_notifications(
    viewer: CurrentUser,
    session: DbSession,
    paging: Pagination,
    unread: Annotated[bool, Query(description="Only notifications not read yet.")] = False,
) -> Page[NotificationRead]:
    items, total = await service.list_notifications(
        session, viewer, unread=unread, offset=paging.offset, limit=paging.limit
    )
    return paging.build([notification_read(item) for item in items], total)


@router.put(
    "/read-all",
    response_model=ReadAllResult,
    responses=problems(401),
    summary="Mark all your notifications read",
)
async def read_all(viewer: CurrentUser, session: DbSession) -> ReadAllResult:
    return ReadAllResult(updated=await service.mark_all_read(session, viewer))


@router.get(
    "/preferences",
    response_model=PreferencesRead,
    responses=problems(401),
    summary="Your email preferences",
)
async def get_preferences(viewer: CurrentUser, session: DbSession) -> PreferencesRead:
    return preferences_read(await service.preferences(session, viewer.id))


@router.put(
    "/preferences",
    response_model=PreferencesRead,
    responses=problems(401, 422),
    summary="Change your email preferences (partial)",
    description="Transactional email (order confirmation with the tickets, refunds, a ticket received, "
    "event cancelled, waitlist offers) cannot be switched off; `emailEnabled: false` stops all other "
    "email. In-app notifications are always recorded.",
)
async def update_preferences(
    body: PreferencesUpdate, viewer: CurrentUser, session: DbSession
) -> PreferencesRead:
    await body.check_read_only(lambda: get_preferences(viewer, session))
    changes = partial_changes(body, PREFERENCE_FIELDS)
    return preferences_read(await service.update_preferences(session, viewer, changes))


@router.put(
    "/{notificationId}/read",
    response_model=NotificationRead,
    responses=problems(401, 404),
    summary="Mark one of your notifications read",
    description="Marking it again keeps the first `readAt`. Another user's notification is 404.",
)
async def mark_read(
    notification_id: NotificationIdPath, viewer: CurrentUser, session: DbSession
) -> NotificationRead:
    return notification_read(await service.mark_read(session, viewer, notification_id))

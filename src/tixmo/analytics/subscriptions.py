"""Report subscriptions: org staff choose a report, its filters, ``DAILY`` or ``WEEKLY``, and members of the
organization to mail it to (``analytics.delivery`` sends it). Staff of the organization (or an ADMIN) see and
change its subscriptions; anyone else gets 404, as for every resource of another organization."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.analytics.filters import check_zone
from tixmo.analytics.models import DeliveryStatus, Frequency, Report, ReportDelivery, ReportSubscription
from tixmo.analytics.schemas import SubscriptionCreate, SubscriptionRead, SubscriptionUpdate
from tixmo.audit import service as audit
from tixmo.db import fetch_page
from tixmo.errors import NotFound, ValidationFailed
from tixmo.events.models import Event
from tixmo.organizations import service as organizations
from tixmo.organizations.models import Membership
from tixmo.schemas import partial_changes

NOT_FOUND = "Subscription not found."
_FIELDS = ("report", "frequency", "event_id", "timezone", "recipient_ids", "is_active")


def _snapshot(subscription: ReportSubscription) -> dict[str, Any]:
    return {name: getattr(subscription, name) for name in _FIELDS}


async def _check(session: AsyncSession, org_id: uuid.UUID, values: dict[str, Any]) -> None:
    """422 naming the field: an event of another organization, an unknown zone, a recipient who is not
    a member of the organization (or no longer has an account)."""
    if values.get("event_id") is not None:
        owner = await session.scalar(select(Event.organization_id).where(Event.id == values["event_id"]))
        if owner != org_id:
            raise ValidationFailed("eventId", "Not an event of this organization.")
    if values.get("timezone") is not None:
        check_zone(values["timezone"], "timezone")
    recipients: list[uuid.UUID] | None = values.get("recipient_ids")
    if recipients is not None:
        members = set(
            await session.scalars(
                select(Membership.user_id)
                .join(User, User.id == Membership.user_id)
                .where(
                    Membership.organization_id == org_id,
                    Membership.user_id.in_(recipients),
                    User.deleted_at.is_(None),
                )
            )
        )
        for index, user_id in enumerate(recipients):
            if user_id not in members:
                raise ValidationFailed(f"recipients.{index}", "Not a member of the organization.")


def read(subscription: ReportSubscription, last_period_sent: Any = None) -> SubscriptionRead:
    return SubscriptionRead(
        id=subscription.id,
        organization_id=subscription.organization_id,
        report=Report(subscription.report),
        frequency=Frequency(subscription.frequency),
        event_id=subscription.event_id,
        timezone=subscription.timezone,
        recipients=list(subscription.recipient_ids),
        is_active=subscription.is_active,
        created_by=subscription.created_by,
        created_at=subscription.created_at,
        updated_at=subscription.updated_at,
        last_period_sent=last_period_sent,
    )


async def _last_sent(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    if not ids:
        return {}
    rows = await session.execute(
        select(ReportDelivery.subscription_id, func.max(ReportDelivery.period_start))
        .where(ReportDelivery.subscription_id.in_(ids), ReportDelivery.status == DeliveryStatus.SENT.value)
        .group_by(ReportDelivery.subscription_id)
    )
    return {row[0]: row[1] for row in rows.all()}


async def view(session: AsyncSession, subscription: ReportSubscription) -> SubscriptionRead:
    return read(subscription, (await _last_sent(session, [subscription.id])).get(subscription.id))


async def create(session: AsyncSession, actor: User, body: SubscriptionCreate) -> ReportSubscription:
    await organizations.require_staff(session, actor, body.organization_id, keep=True)
    values = body.model_dump(by_alias=False)
    values["recipient_ids"] = list(dict.fromkeys(values.pop("recipients")))
    await _check(session, body.organization_id, values)
    subscription = ReportSubscription(**values, created_by=actor.id)
    session.add(subscription)
    await session.flush()
    await audit.record(
        session,
        action="analytics.subscription.created",
        entity_type="analytics_subscription",
        entity_id=subscription.id,
        actor_id=actor.id,
        organization_id=subscription.organization_id,
        after=_snapshot(subscription),
    )
    return subscription


def _visible(actor: User) -> Select[ReportSubscription]:
    query = select(ReportSubscription)
    scope = organizations.staff_scope(actor, ReportSubscription.organization_id)
    return query if scope is None else query.where(scope)


async def get(
    session: AsyncSession, actor: User, subscription_id: uuid.UUID, *, lock: bool = False
) -> ReportSubscription:
    query = _visible(actor).where(ReportSubscription.id == subscription_id)
    if lock:
        query = query.with_for_update()
    subscription = await session.scalar(query)
    if subscription is None:
        raise NotFound(NOT_FOUND)
    return subscription


async def list_subscriptions(
    session: AsyncSession, actor: User, organization_id: uuid.UUID | None, *, offset: int, limit: int
) -> tuple[list[SubscriptionRead], int]:
    query = _visible(actor)
    if organization_id is not None:
        await organizations.require_staff(session, actor, organization_id)
        query = query.where(ReportSubscription.organization_id == organization_id)
    rows, total = await fetch_page(
        session,
        query,
        ReportSubscription.created_at.desc(),
        ReportSubscription.id,
        offset=offset,
        limit=limit,
    )
    sent = await _last_sent(session, [row.id for row in rows])
    return [read(row, sent.get(row.id)) for row in rows], total


async def update(
    session: AsyncSession, actor: User, subscription_id: uuid.UUID, body: SubscriptionUpdate
) -> ReportSubscription:
    subscription = await get(session, actor, subscription_id, lock=True)
    changes = partial_changes(body, ("report", "frequency", "recipients", "is_active"))
    if "recipients" in changes:
        changes["recipient_ids"] = list(dict.fromkeys(changes.pop("recipients")))
    await _check(session, subscription.organization_id, changes)
    before = _snapshot(subscription)
    for name, value in changes.items():
        setattr(subscription, name, value.value if hasattr(value, "value") else value)
    await session.flush()
    old, new = audit.diff(before, _snapshot(subscription))
    if new:
        await audit.record(
            session,
            action="analytics.subscription.updated",
            entity_type="analytics_subscription",
            entity_id=subscription.id,
            actor_id=actor.id,
            organization_id=subscription.organization_id,
            before=old,
            after=new,
        )
    return subscription


async def delete(session: AsyncSession, actor: User, subscription_id: uuid.UUID) -> None:
    subscription = await get(session, actor, subscription_id, lock=True)
    await audit.record(
        session,
        action="analytics.subscription.deleted",
        entity_type="analytics_subscription",
        entity_id=subscription.id,
        actor_id=actor.id,
        organization_id=subscription.organization_id,
        before=_snapshot(subscription),
    )
    await session.delete(subscription)
    await session.flush()

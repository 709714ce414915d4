"""Organizations, members, and the one place that says who is staff of which organization."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts import service as accounts_service
from tixmo.accounts.models import Role, User
from tixmo.audit import service as audit
from tixmo.db import fetch_page, utcnow
from tixmo.errors import Conflict, Forbidden, NotFound
from tixmo.events.models import Event, EventStatus
from tixmo.organizations.models import MemberRole, Membership, Organization
from tixmo.organizations.schemas import MemberAdd, OrganizationCreate, OrganizationUpdate
from tixmo.schemas import partial_changes

MANAGERS = frozenset({MemberRole.OWNER.value, MemberRole.ADMIN.value})
# Events that still take place (or may): they keep their organization from being deleted.
LIVE_EVENT_STATUSES = (EventStatus.DRAFT.value, EventStatus.PUBLISHED.value)
LIVE_EVENTS_LISTED = 100  # at most this many are named in the 409 answer


def snapshot(org: Organization) -> dict[str, Any]:
    return {
        "name": org.name,
        "type": org.type,
        "description": org.description,
        "email": org.email,
        "website": org.website,
    }


# ------------------------------------------------------------------------------------ tenant scoping


def member_organization_ids(user: User) -> Select[uuid.UUID]:
    """The ids of the live organizations ``user`` belongs to (for ``WHERE org_id IN (...)`` scoping)."""
    return member_organizations_of(user.id)


def member_organizations_of(user_id: uuid.UUID | ColumnElement[uuid.UUID]) -> Select[uuid.UUID]:
    """``member_organization_ids`` of a user id, or of a bound parameter (a statement compiled once that
    checks the caller itself: ``checkin.stats``)."""
    return (
        select(Membership.organization_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == user_id, Organization.deleted_at.is_(None))
    )


def staff_scope(user: User, organization_id: SQLColumnExpression[uuid.UUID]) -> ColumnElement[bool] | None:
    """The one tenant filter of staff reads: ``organization_id`` is one of ``user``'s live organizations;
    ``None`` for a platform ADMIN, who sees every organization's."""
    if user.role == Role.ADMIN:
        return None
    return organization_id.in_(member_organization_ids(user))


def staff_event_ids(user: User) -> Select[uuid.UUID]:
    """The events of ``user``'s live organizations (for ``WHERE event_id IN (...)``; ADMIN not special)."""
    return select(Event.id).where(Event.organization_id.in_(member_organization_ids(user)))


def staff_events_scope(user: User, event_id: SQLColumnExpression[uuid.UUID]) -> ColumnElement[bool] | None:
    """``event_id`` is an event of ``user``'s organizations; ``None`` for a platform ADMIN."""
    if user.role == Role.ADMIN:
        return None
    return event_id.in_(staff_event_ids(user))


async def membership(session: AsyncSession, user: User, org_id: uuid.UUID) -> Membership | None:
    result: Membership | None = await session.scalar(
        select(Membership).where(Membership.organization_id == org_id, Membership.user_id == user.id)
    )
    return result


async def get_visible(
    session: AsyncSession, user: User, org_id: uuid.UUID, *, for_update: bool = False, keep: bool = False
) -> tuple[Organization, Membership | None]:
    """The organization and the caller's membership. Not a member and not ADMIN ⇒ 404. ``keep``: its row
    locked ``FOR KEY SHARE``, so it cannot be deleted before this transaction commits (a deletion in
    progress is waited for, and then the organization is gone: 404)."""
    query = select(Organization).where(Organization.id == org_id, Organization.deleted_at.is_(None))
    if for_update:
        query = query.with_for_update()
    elif keep:
        query = query.with_for_update(read=True, key_share=True).execution_options(populate_existing=True)
    org = await session.scalar(query)
    if org is None:
        raise NotFound("Organization not found.")
    member = await membership(session, user, org_id)
    if member is None and user.role != Role.ADMIN:
        raise NotFound("Organization not found.")
    return org, member


async def is_staff(session: AsyncSession, user: User | None, org_id: uuid.UUID) -> bool:
    """Whether ``user`` is org staff (a member, or a platform ADMIN) of a live organization."""
    if user is None:
        return False
    try:
        await get_visible(session, user, org_id)
    except NotFound:
        return False
    return True


async def is_staff_anywhere(session: AsyncSession, user: User) -> bool:
    """Whether ``user`` is staff of at least one live organization (a platform ADMIN always is)."""
    if user.role == Role.ADMIN:
        return True
    return bool(await session.scalar(select(member_organization_ids(user).exists())))


async def is_event_staff(session: AsyncSession, user: User, event_id: uuid.UUID) -> bool:
    """Whether ``user`` is staff of the organization that owns the event (``False`` for no such event)."""
    owner = await session.scalar(select(Event.organization_id).where(Event.id == event_id))
    return owner is not None and await is_staff(session, user, owner)


async def require_staff(
    session: AsyncSession, user: User, org_id: uuid.UUID, *, keep: bool = False
) -> Organization:
    """Org staff = any member of the organization, or a platform ADMIN. Others get 404. ``keep``: for
    something about to be created in it (``get_visible``)."""
    org, _ = await get_visible(session, user, org_id, keep=keep)
    return org


async def require_manager(
    session: AsyncSession,
    user: User,
    org_id: uuid.UUID,
    *,
    owner_only: bool = False,
    for_update: bool = False,
) -> tuple[Organization, Membership | None]:
    org, member = await get_visible(session, user, org_id, for_update=for_update)
    if user.role == Role.ADMIN:
        return org, member
    allowed = {MemberRole.OWNER.value} if owner_only else MANAGERS
    assert member is not None
    if member.role not in allowed:
        needed = "an OWNER" if owner_only else "an OWNER or ADMIN"
        raise Forbidden(f"This needs {needed} of the organization.")
    return org, member


# --------------------------------------------------------------------------------------- organizations


async def create(session: AsyncSession, actor: User, data: OrganizationCreate) -> Organization:
    if actor.role not in {Role.PROMOTER, Role.ADMIN}:
        raise Forbidden("Only promoters and administrators can create organizations.")
    org = Organization(
        name=data.name,
        type=data.type.value,
        description=data.description,
        email=str(data.email).lower() if data.email else None,
        website=str(data.website) if data.website else None,
    )
    session.add(org)
    await session.flush()
    session.add(Membership(organization_id=org.id, user_id=actor.id, role=MemberRole.OWNER.value))
    await session.flush()
    await audit.record(
        session,
        action="organization.created",
        entity_type="organization",
        entity_id=org.id,
        actor_id=actor.id,
        organization_id=org.id,
        after=snapshot(org),
    )
    return org


async def list_for(
    session: AsyncSession, actor: User, *, type_: str | None, offset: int, limit: int
) -> tuple[list[tuple[Organization, str | None]], int]:
    role = (
        select(Membership.role)
        .where(Membership.organization_id == Organization.id, Membership.user_id == actor.id)
        .scalar_subquery()
    )
    query = select(Organization, role).where(Organization.deleted_at.is_(None))
    if actor.role != Role.ADMIN:
        query = query.where(Organization.id.in_(member_organization_ids(actor)))
    if type_ is not None:
        query = query.where(Organization.type == type_)
    return await fetch_page(session, query, Organization.name, Organization.id, offset=offset, limit=limit)


async def update(
    session: AsyncSession, actor: User, org_id: uuid.UUID, data: OrganizationUpdate
) -> tuple[Organization, Membership | None]:
    org, member = await require_manager(session, actor, org_id)
    changes = partial_changes(data, ("name", "type"))
    before = snapshot(org)
    for field, value in changes.items():
        if field == "type":
            value = value.value
        elif field == "email" and value is not None:
            value = str(value).lower()
        elif field == "website" and value is not None:
            value = str(value)
        setattr(org, field, value)
    await session.flush()
    await audit.record_changes(
        session,
        action="organization.updated",
        entity_type="organization",
        entity_id=org.id,
        actor_id=actor.id,
        organization_id=org.id,
        before=before,
        after=snapshot(org),
    )
    return org, member


async def delete(session: AsyncSession, actor: User, org_id: uuid.UUID) -> None:
    """Soft delete (an OWNER, or a platform ADMIN). Refused (409 CONFLICT, naming them) while the
    organization has events that are not cancelled or completed.

    The organization row is locked FOR UPDATE before its events are read. That lock conflicts with
    the KEY SHARE lock an event insert takes on the row through its foreign key, so an event created
    at the same moment either committed before the read (and is seen) or waits for this transaction.
    Deleting also ends its scanner devices at once: ``checkin.service`` refuses the keys and tokens
    of a deleted organization's devices.
    """
    org, _ = await require_manager(session, actor, org_id, owner_only=True, for_update=True)
    await _check_no_live_events(session, org)
    org.deleted_at = utcnow()
    await session.flush()
    await audit.record(
        session,
        action="organization.deleted",
        entity_type="organization",
        entity_id=org.id,
        actor_id=actor.id,
        organization_id=org.id,
        before=snapshot(org),
    )


async def _check_no_live_events(session: AsyncSession, org: Organization) -> None:
    rows = (
        await session.execute(
            select(Event.id, Event.name, Event.status, func.count().over())
            .where(Event.organization_id == org.id, Event.status.in_(LIVE_EVENT_STATUSES))
            .order_by(Event.starts_at, Event.id)
            .limit(LIVE_EVENTS_LISTED)
        )
    ).all()
    if not rows:
        return
    total = rows[0][3]
    named = ", ".join(f"{name!r} ({event_id}, {status})" for event_id, name, status, _ in rows[:5])
    more = f" and {total - 5} more" if total > 5 else ""
    raise Conflict(
        f"The organization has {total} events that are not cancelled or completed: {named}{more}. "
        "Cancel them (or let them complete) first.",
        extra={"events": [{"id": str(i), "name": n, "status": st} for i, n, st, _ in rows]},
    )


# --------------------------------------------------------------------------------------------- members


async def list_members(
    session: AsyncSession, actor: User, org_id: uuid.UUID, *, offset: int, limit: int
) -> tuple[list[tuple[Membership, User]], int]:
    await get_visible(session, actor, org_id)
    query = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organization_id == org_id, User.deleted_at.is_(None))
    )
    return await fetch_page(session, query, Membership.created_at, User.id, offset=offset, limit=limit)


async def add_member(
    session: AsyncSession, actor: User, org_id: uuid.UUID, data: MemberAdd
) -> tuple[Membership, User]:
    org, _ = await require_manager(session, actor, org_id, owner_only=data.role == MemberRole.OWNER)
    if data.user_id is not None:
        user = await session.get(User, data.user_id)
    else:
        user = await accounts_service.get_by_email(session, str(data.email))
    if user is None or not user.is_active:
        raise NotFound("No user with that id or email.")
    if await membership(session, user, org.id) is not None:
        raise Conflict("That user is already a member of this organization.")
    member = Membership(organization_id=org.id, user_id=user.id, role=data.role.value)
    session.add(member)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent add of the same user
        raise Conflict("That user is already a member of this organization.") from exc
    await audit.record(
        session,
        action="organization.member_added",
        entity_type="membership",
        entity_id=member.id,
        actor_id=actor.id,
        organization_id=org.id,
        after={"userId": user.id, "role": member.role},
    )
    return member, user


async def remove_member(session: AsyncSession, actor: User, org_id: uuid.UUID, user_id: uuid.UUID) -> None:
    # The organization row is locked so two concurrent removals cannot both pass the last-owner check.
    org, _ = await require_manager(session, actor, org_id, for_update=True)
    target = await session.scalar(
        select(Membership).where(Membership.organization_id == org.id, Membership.user_id == user_id)
    )
    if target is None:
        raise NotFound("That user is not a member of this organization.")
    if target.role == MemberRole.OWNER:
        _, actor_membership = await get_visible(session, actor, org.id)
        if actor.role != Role.ADMIN and (
            actor_membership is None or actor_membership.role != MemberRole.OWNER
        ):
            raise Forbidden("Only an OWNER can remove an OWNER.")
        # Owners whose accounts were deleted cannot act for the organization: they do not count.
        other_owners = await session.scalar(
            select(func.count())
            .select_from(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.organization_id == org.id,
                Membership.role == MemberRole.OWNER.value,
                Membership.user_id != target.user_id,
                User.deleted_at.is_(None),
            )
        )
        if not other_owners:
            raise Conflict("The last OWNER of an organization cannot be removed.")
    await session.delete(target)
    await session.flush()
    await audit.record(
        session,
        action="organization.member_removed",
        entity_type="membership",
        entity_id=target.id,
        actor_id=actor.id,
        organization_id=org.id,
        before={"userId": user_id, "role": target.role},
    )

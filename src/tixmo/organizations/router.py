"""``/organizations`` endpoints: organizations, members, audit log."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.deps import CurrentUser, DbSession
from tixmo.errors import problems
from tixmo.organizations import service
from tixmo.organizations.models import MemberRole, Membership, Organization, OrganizationType
from tixmo.organizations.schemas import (
    AuditEntryRead,
    MemberAdd,
    MemberRead,
    OrganizationCreate,
    OrganizationRead,
    OrganizationUpdate,
)
from tixmo.schemas import OrganizationIdPath, Page, Pagination, UserIdPath

router = APIRouter(prefix="/organizations", tags=["organizations"])


def _read(org: Organization, role: str | None) -> OrganizationRead:
    return OrganizationRead.model_validate(org).model_copy(
        update={"my_role": MemberRole(role) if role is not None else None}
    )


def _member(member: Membership, user: User) -> MemberRead:
    return MemberRead(
        user_id=user.id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        role=MemberRole(member.role),
        joined_at=member.created_at,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=OrganizationRead,
    responses=problems(401, 403),
    summary="Create an organization (PROMOTER, ADMIN); the creator becomes OWNER",
)
async def create_organization(
    body: OrganizationCreate, actor: CurrentUser, session: DbSession
) -> OrganizationRead:
    org = await service.create(session, actor, body)
    return _read(org, "OWNER")


@router.get(
    "",
    response_model=Page[OrganizationRead],
    responses=problems(401),
    summary="Organizations the caller belongs to (ADMIN: all)",
)
async def list_organizations(
    actor: CurrentUser, session: DbSession, paging: Pagination, type: OrganizationType | None = None
) -> Page[OrganizationRead]:
    rows, total = await service.list_for(
        session, actor, type_=type.value if type else None, offset=paging.offset, limit=paging.limit
    )
    return paging.build([_read(org, role) for org, role in rows], total)


@router.get(
    "/{organizationId}",
    response_model=OrganizationRead,
    responses=problems(401, 404),
    summary="Get an organization (members, ADMIN)",
)
async def get_organization(
    organization_id: OrganizationIdPath, actor: CurrentUser, session: DbSession
) -> OrganizationRead:
    org, member = await service.get_visible(session, actor, organization_id)
    return _read(org, member.role if member else None)


@router.put(
    "/{organizationId}",
    response_model=OrganizationRead,
    responses=problems(401, 403, 404),
    summary="Update an organization (OWNER, ADMIN; partial)",
)
async def update_organization(
    organization_id: OrganizationIdPath, body: OrganizationUpdate, actor: CurrentUser, session: DbSession
) -> OrganizationRead:
    await body.check_read_only(lambda: get_organization(organization_id, actor, session))
    org, member = await service.update(session, actor, organization_id, body)
    return _read(org, member.role if member else None)


@router.delete(
    "/{organizationId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 403, 404, 409),
    summary="Delete an organization (OWNER)",
    description="Refused with 409 `CONFLICT` while the organization has events that are not cancelled "
    "or completed; `events` lists them (`id`, `name`, `status`). Its scanner devices stop working at once.",
)
async def delete_organization(
    organization_id: OrganizationIdPath, actor: CurrentUser, session: DbSession
) -> Response:
    await service.delete(session, actor, organization_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{organizationId}/members",
    response_model=Page[MemberRead],
    responses=problems(401, 404),
    summary="List members (members, ADMIN)",
)
async def list_members(
    organization_id: OrganizationIdPath, actor: CurrentUser, session: DbSession, paging: Pagination
) -> Page[MemberRead]:
    rows, total = await service.list_members(
        session, actor, organization_id, offset=paging.offset, limit=paging.limit
    )
    return paging.build([_member(member, user) for member, user in rows], total)


@router.post(
    "/{organizationId}/members",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberRead,
    responses=problems(401, 403, 404, 409),
    summary="Add a member by userId or email (OWNER, ADMIN; only an OWNER adds an OWNER)",
)
async def add_member(
    organization_id: OrganizationIdPath, body: MemberAdd, actor: CurrentUser, session: DbSession
) -> MemberRead:
    member, user = await service.add_member(session, actor, organization_id, body)
    return _member(member, user)


@router.delete(
    "/{organizationId}/members/{userId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 403, 404, 409),
    summary="Remove a member (OWNER, ADMIN); the last OWNER cannot be removed",
)
async def remove_member(
    organization_id: OrganizationIdPath, user_id: UserIdPath, actor: CurrentUser, session: DbSession
) -> Response:
    await service.remove_member(session, actor, organization_id, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{organizationId}/audit-log",
    response_model=Page[AuditEntryRead],
    responses=problems(401, 404),
    summary="The organization's audit log, newest first (org staff)",
)
async def audit_log(
    organization_id: OrganizationIdPath, actor: CurrentUser, session: DbSession, paging: Pagination
) -> Page[AuditEntryRead]:
    await service.require_staff(session, actor, organization_id)
    entries, total = await audit.list_for_organization(
        session, organization_id, offset=paging.offset, limit=paging.limit
    )
    return paging.build([AuditEntryRead.model_validate(entry) for entry in entries], total)

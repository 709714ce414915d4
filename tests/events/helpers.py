"""Helpers shared by the venue and event tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_organization, create_user
from tests.problems import assert_problem as assert_problem
from tests.problems import error_fields as error_fields
from tixmo.accounts.models import Role, User
from tixmo.deps import AppContext
from tixmo.organizations.models import Organization


@dataclass
class Tenant:
    """An organization and one of its staff (with a ready ``Authorization`` header)."""

    user: User
    org: Organization
    headers: dict[str, str]


async def make_tenant(session: AsyncSession, context: AppContext, name: str = "Acme Events") -> Tenant:
    user = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=user, name=name)
    return Tenant(user=user, org=org, headers=auth(context, user))

"""Plain keyword-argument factories. Each commits, so the API under test sees the rows."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import Role, User
from tixmo.deps import AppContext
from tixmo.organizations.models import MemberRole, Membership, Organization
from tixmo.security import create_access_token

DEFAULT_PASSWORD = "Passw0rd!"


async def create_user(
    session: AsyncSession,
    context: AppContext,
    *,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    role: Role = Role.CUSTOMER,
    first_name: str = "Test",
    last_name: str = "User",
) -> User:
    user = User(
        email=(email or f"user-{uuid.uuid4().hex[:10]}@example.com").lower(),
        password_hash=await context.passwords.hash(password),
        first_name=first_name,
        last_name=last_name,
        role=role.value,
    )
    session.add(user)
    await session.commit()
    return user


def token_for(context: AppContext, user: User, lifetime: timedelta | None = None) -> str:
    token, _ = create_access_token(
        context.secret_key, user.id, user.role, lifetime or context.access_token_lifetime
    )
    return token


def auth(context: AppContext, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(context, user)}"}


async def create_organization(
    session: AsyncSession,
    *,
    owner: User,
    name: str = "Acme Events",
    type_: str = "PROMOTER",
    members: dict[User, MemberRole] | None = None,
) -> Organization:
    org = Organization(name=name, type=type_)
    session.add(org)
    await session.flush()
    session.add(Membership(organization_id=org.id, user_id=owner.id, role=MemberRole.OWNER.value))
    for user, role in (members or {}).items():
        session.add(Membership(organization_id=org.id, user_id=user.id, role=role.value))
    await session.commit()
    return org

"""Helpers shared by the ticket type tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_organization, create_user
from tests.problems import assert_problem as assert_problem
from tests.problems import error_fields as error_fields
from tixmo.accounts.models import Role, User
from tixmo.deps import AppContext
from tixmo.organizations.models import Organization
from tixmo.ticketing.models import TicketType


@dataclass
class Staff:
    """An organization and one of its staff (with a ready ``Authorization`` header)."""

    user: User
    org: Organization
    headers: dict[str, str]


async def make_staff(session: AsyncSession, context: AppContext, name: str = "Acme Events") -> Staff:
    user = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=user, name=name)
    return Staff(user=user, org=org, headers=auth(context, user))


def ticket_type_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "General admission", "price": "25.00", "quantityTotal": 100}
    body.update(overrides)
    return body


async def set_counters(
    session: AsyncSession, ticket_type: TicketType, *, sold: int = 0, held: int = 0
) -> None:
    """What orders would do: move sold/held directly in the database."""
    await session.execute(
        update(TicketType)
        .where(TicketType.id == ticket_type.id)
        .values(quantity_sold=sold, quantity_held=held)
    )
    await session.commit()


async def reload(session: AsyncSession, ticket_type_id: Any) -> TicketType | None:
    """The row as committed now (not the session's cached copy); ``None`` when it is gone."""
    result: TicketType | None = await session.scalar(
        select(TicketType).where(TicketType.id == ticket_type_id).execution_options(populate_existing=True)
    )
    return result

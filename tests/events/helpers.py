"""Helpers shared by the venue and event tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_organization, create_user
from tixmo.accounts.models import Role, User
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.organizations.models import Organization
from tixmo.ticketing.models import TicketType


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    return body


def error_fields(body: dict[str, Any]) -> set[str]:
    return {error["field"] for error in body["errors"]}


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


async def add_ticket_type(
    session: AsyncSession,
    event: Event,
    *,
    quantity_total: int = 100,
    quantity_sold: int = 0,
    quantity_held: int = 0,
    price_minor: int = 2500,
    currency: str = "USD",
    name: str = "General admission",
) -> TicketType:
    ticket_type = TicketType(
        event_id=event.id,
        name=name,
        price_minor=price_minor,
        currency=currency,
        quantity_total=quantity_total,
        quantity_sold=quantity_sold,
        quantity_held=quantity_held,
    )
    session.add(ticket_type)
    await session.commit()
    return ticket_type

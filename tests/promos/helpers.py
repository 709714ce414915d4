"""Helpers shared by the promo code tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_organization, create_user
from tests.problems import assert_problem as assert_problem
from tests.problems import error_fields as error_fields
from tixmo.accounts.models import Role, User
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.organizations.models import Organization
from tixmo.promos.models import PromoCode


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


def promo_body(event: Event, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "eventId": str(event.id),
        "code": "SAVE10",
        "discountType": "PERCENTAGE",
        "discountValue": "10",
    }
    body.update(overrides)
    return body


async def create_promo(
    session: AsyncSession,
    *,
    event: Event,
    code: str = "SAVE10",
    discount_type: str = "PERCENTAGE",
    discount_value: int = 1000,
    used_count: int = 0,
    max_uses: int | None = None,
    min_order_amount_minor: int | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    ticket_type_ids: list[uuid.UUID] | None = None,
    status: str = "ACTIVE",
) -> PromoCode:
    """A promo code straight in the database (committed); ``discount_value`` in hundredths."""
    promo = PromoCode(
        event_id=event.id,
        code=code,
        discount_type=discount_type,
        discount_value=discount_value,
        used_count=used_count,
        max_uses=max_uses,
        min_order_amount_minor=min_order_amount_minor,
        valid_from=valid_from,
        valid_until=valid_until,
        ticket_type_ids=ticket_type_ids,
        status=status,
    )
    session.add(promo)
    await session.commit()
    return promo


async def reload(session: AsyncSession, promo_id: Any) -> PromoCode | None:
    """The row as committed now (not the session's cached copy); ``None`` when it is gone."""
    result: PromoCode | None = await session.scalar(
        select(PromoCode).where(PromoCode.id == promo_id).execution_options(populate_existing=True)
    )
    return result


async def audit_entries(session: AsyncSession, entity_id: Any) -> list[AuditEntry]:
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.created_at)
        .execution_options(populate_existing=True)
    )
    return list(rows)

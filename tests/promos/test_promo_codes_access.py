"""Who manages promo codes: org staff and ADMIN; other tenants and customers get 404 and change nothing."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_user
from tests.promos.helpers import Staff, assert_problem, create_promo, make_staff, promo_body, reload
from tixmo.accounts.models import Role
from tixmo.deps import AppContext
from tixmo.organizations.models import MemberRole, Membership
from tixmo.promos.models import PromoCode


@pytest.fixture
async def owner(session: AsyncSession, context: AppContext) -> Staff:
    return await make_staff(session, context, name="Owner Org")


@pytest.fixture
async def stranger(session: AsyncSession, context: AppContext) -> Staff:
    """Staff of another organization."""
    return await make_staff(session, context, name="Other Org")


@pytest.mark.parametrize("status", ["DRAFT", "PUBLISHED"])
async def test_other_tenants_get_404_and_change_nothing(
    client: httpx.AsyncClient, session: AsyncSession, owner: Staff, stranger: Staff, status: str
) -> None:
    event = await create_event(session, organization=owner.org, status=status)
    promo = await create_promo(session, event=event)
    url = f"/promo-codes/{promo.id}"

    assert_problem(await client.get(url, headers=stranger.headers), 404, "NOT_FOUND")
    assert_problem(
        await client.put(url, json={"status": "DISABLED", "maxUses": 1}, headers=stranger.headers),
        404,
        "NOT_FOUND",
    )
    assert_problem(await client.delete(url, headers=stranger.headers), 404, "NOT_FOUND")
    created = await client.post("/promo-codes", json=promo_body(event, code="MINE"), headers=stranger.headers)
    body = assert_problem(created, 404, "NOT_FOUND")
    assert [error["field"] for error in body["errors"]] == ["eventId"]
    listed = await client.get("/promo-codes", headers=stranger.headers)
    assert listed.json()["data"] == []
    assert_problem(
        await client.get("/promo-codes", params={"eventId": str(event.id)}, headers=stranger.headers),
        404,
        "NOT_FOUND",
    )

    stored = await reload(session, promo.id)
    assert stored is not None and (stored.status, stored.max_uses) == ("ACTIVE", None)
    assert await session.scalar(select(func.count()).select_from(PromoCode)) == 1


async def test_customers_see_no_codes(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, owner: Staff
) -> None:
    event = await create_event(session, organization=owner.org, status="PUBLISHED")
    promo = await create_promo(session, event=event)
    customer = auth(context, await create_user(session, context))

    listed = await client.get("/promo-codes", headers=customer)
    assert listed.status_code == 200, listed.text
    assert listed.json() == {"data": [], "meta": {"page": 1, "limit": 20, "total": 0, "totalPages": 0}}
    assert_problem(
        await client.get("/promo-codes", params={"eventId": str(event.id)}, headers=customer),
        404,
        "NOT_FOUND",
    )
    assert_problem(await client.get(f"/promo-codes/{promo.id}", headers=customer), 404, "NOT_FOUND")
    assert_problem(
        await client.post("/promo-codes", json=promo_body(event, code="FREE"), headers=customer),
        404,
        "NOT_FOUND",
    )


async def test_management_needs_a_token(
    client: httpx.AsyncClient, session: AsyncSession, owner: Staff
) -> None:
    event = await create_event(session, organization=owner.org)
    promo = await create_promo(session, event=event)
    url = f"/promo-codes/{promo.id}"
    assert_problem(await client.get("/promo-codes"), 401, "UNAUTHORIZED")
    assert_problem(await client.post("/promo-codes", json=promo_body(event)), 401, "UNAUTHORIZED")
    assert_problem(await client.get(url), 401, "UNAUTHORIZED")
    assert_problem(await client.put(url, json={"status": "DISABLED"}), 401, "UNAUTHORIZED")
    assert_problem(await client.delete(url), 401, "UNAUTHORIZED")


async def test_any_member_of_the_organization_is_staff(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, owner: Staff
) -> None:
    member = await create_user(session, context)
    session.add(Membership(organization_id=owner.org.id, user_id=member.id, role=MemberRole.MEMBER.value))
    await session.commit()
    event = await create_event(session, organization=owner.org)
    headers = auth(context, member)

    created = await client.post("/promo-codes", json=promo_body(event), headers=headers)
    assert created.status_code == 201, created.text
    promo_id = created.json()["id"]
    updated = await client.put(f"/promo-codes/{promo_id}", json={"maxUses": 3}, headers=headers)
    assert updated.status_code == 200, updated.text
    assert (await client.delete(f"/promo-codes/{promo_id}", headers=headers)).status_code == 204


async def test_admin_manages_any_organizations_codes(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, owner: Staff
) -> None:
    event = await create_event(session, organization=owner.org)
    headers = auth(context, await create_user(session, context, role=Role.ADMIN))

    created = await client.post("/promo-codes", json=promo_body(event), headers=headers)
    assert created.status_code == 201, created.text
    promo_id = created.json()["id"]
    assert (await client.get(f"/promo-codes/{promo_id}", headers=headers)).status_code == 200
    listed = await client.get("/promo-codes", params={"eventId": str(event.id)}, headers=headers)
    assert [item["id"] for item in listed.json()["data"]] == [promo_id]
    assert (
        await client.put(f"/promo-codes/{promo_id}", json={"maxUses": 3}, headers=headers)
    ).status_code == 200
    assert (await client.delete(f"/promo-codes/{promo_id}", headers=headers)).status_code == 204


async def test_a_deleted_organizations_codes_are_gone_for_its_members(
    client: httpx.AsyncClient, session: AsyncSession, owner: Staff
) -> None:
    event = await create_event(session, organization=owner.org)
    promo = await create_promo(session, event=event)
    owner.org.deleted_at = func.now()
    await session.commit()
    assert_problem(await client.get(f"/promo-codes/{promo.id}", headers=owner.headers), 404, "NOT_FOUND")

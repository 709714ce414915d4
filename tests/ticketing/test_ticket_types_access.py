"""Who sees and changes ticket types: the public (PUBLISHED only), org staff, ADMIN, and tenant isolation."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_ticket_type, create_user
from tests.ticketing.helpers import Staff, assert_problem, make_staff, reload, ticket_type_body
from tixmo.accounts.models import Role
from tixmo.deps import AppContext
from tixmo.organizations.models import MemberRole, Membership


@pytest.fixture
async def owner(session: AsyncSession, context: AppContext) -> Staff:
    return await make_staff(session, context, name="Owner Org")


@pytest.fixture
async def stranger(session: AsyncSession, context: AppContext) -> Staff:
    """Staff of another organization."""
    return await make_staff(session, context, name="Other Org")


def read_urls(event_id: object, ticket_type_id: object) -> list[str]:
    return [
        f"/events/{event_id}/ticket-types",
        f"/ticket-types/{ticket_type_id}",
        f"/ticket-types/{ticket_type_id}/availability",
    ]


@pytest.mark.parametrize("status", ["DRAFT", "CANCELLED", "COMPLETED"])
async def test_unpublished_ticket_types_are_404_for_the_public_and_other_tenants(
    client: httpx.AsyncClient, session: AsyncSession, owner: Staff, stranger: Staff, status: str
) -> None:
    event = await create_event(session, organization=owner.org, status=status)
    ticket_type = await create_ticket_type(session, event=event)
    for url in read_urls(event.id, ticket_type.id):
        assert_problem(await client.get(url), 404, "NOT_FOUND")
        assert_problem(await client.get(url, headers=stranger.headers), 404, "NOT_FOUND")
        assert (await client.get(url, headers=owner.headers)).status_code == 200


async def test_published_ticket_types_are_public(
    client: httpx.AsyncClient, session: AsyncSession, owner: Staff, stranger: Staff, context: AppContext
) -> None:
    event = await create_event(session, organization=owner.org, status="PUBLISHED")
    ticket_type = await create_ticket_type(session, event=event)
    customer = await create_user(session, context)
    for headers in ({}, stranger.headers, auth(context, customer)):
        listed = await client.get(f"/events/{event.id}/ticket-types", headers=headers)
        assert [item["id"] for item in listed.json()["data"]] == [str(ticket_type.id)]
        one = await client.get(f"/ticket-types/{ticket_type.id}", headers=headers)
        assert one.json()["id"] == str(ticket_type.id)
        availability = await client.get(f"/ticket-types/{ticket_type.id}/availability", headers=headers)
        assert availability.json()["onSale"] is True


async def test_a_bad_token_is_401_even_on_public_reads(
    client: httpx.AsyncClient, session: AsyncSession, owner: Staff
) -> None:
    event = await create_event(session, organization=owner.org, status="PUBLISHED")
    response = await client.get(f"/events/{event.id}/ticket-types", headers={"Authorization": "Bearer nope"})
    assert_problem(response, 401, "UNAUTHORIZED")


@pytest.mark.parametrize("status", ["DRAFT", "PUBLISHED"])
async def test_other_tenants_cannot_change_ticket_types(
    client: httpx.AsyncClient, session: AsyncSession, owner: Staff, stranger: Staff, status: str
) -> None:
    event = await create_event(session, organization=owner.org, status=status)
    ticket_type = await create_ticket_type(session, event=event)
    url = f"/ticket-types/{ticket_type.id}"
    created = await client.post(
        f"/events/{event.id}/ticket-types", json=ticket_type_body(), headers=stranger.headers
    )
    assert_problem(created, 404, "NOT_FOUND")
    assert_problem(await client.put(url, json={"name": "Mine"}, headers=stranger.headers), 404, "NOT_FOUND")
    assert_problem(await client.delete(url, headers=stranger.headers), 404, "NOT_FOUND")
    stored = await reload(session, ticket_type.id)
    assert stored is not None and stored.name == "General admission"
    listed = await client.get(f"/events/{event.id}/ticket-types", headers=owner.headers)
    assert listed.json()["meta"]["total"] == 1


async def test_writes_need_a_token(client: httpx.AsyncClient, session: AsyncSession, owner: Staff) -> None:
    event = await create_event(session, organization=owner.org, status="PUBLISHED")
    ticket_type = await create_ticket_type(session, event=event)
    url = f"/ticket-types/{ticket_type.id}"
    assert_problem(
        await client.post(f"/events/{event.id}/ticket-types", json=ticket_type_body()), 401, "UNAUTHORIZED"
    )
    assert_problem(await client.put(url, json={"name": "x"}), 401, "UNAUTHORIZED")
    assert_problem(await client.delete(url), 401, "UNAUTHORIZED")
    assert await reload(session, ticket_type.id) is not None


async def test_a_customer_cannot_create_under_a_published_event(
    client: httpx.AsyncClient, session: AsyncSession, owner: Staff, context: AppContext
) -> None:
    event = await create_event(session, organization=owner.org, status="PUBLISHED")
    customer = await create_user(session, context)
    response = await client.post(
        f"/events/{event.id}/ticket-types", json=ticket_type_body(), headers=auth(context, customer)
    )
    assert_problem(response, 404, "NOT_FOUND")


async def test_any_member_and_a_platform_admin_are_staff(
    client: httpx.AsyncClient, session: AsyncSession, owner: Staff, context: AppContext
) -> None:
    event = await create_event(session, organization=owner.org)
    member = await create_user(session, context)
    session.add(Membership(organization_id=owner.org.id, user_id=member.id, role=MemberRole.MEMBER.value))
    await session.commit()
    admin = await create_user(session, context, role=Role.ADMIN)
    for user in (member, admin):
        created = await client.post(
            f"/events/{event.id}/ticket-types",
            json=ticket_type_body(name=user.email),
            headers=auth(context, user),
        )
        assert created.status_code == 201, created.text
        updated = await client.put(
            f"/ticket-types/{created.json()['id']}", json={"price": "1.00"}, headers=auth(context, user)
        )
        assert updated.json()["price"] == "1.00"
        availability = await client.get(
            f"/ticket-types/{created.json()['id']}/availability", headers=auth(context, user)
        )
        assert availability.status_code == 200


async def test_staff_of_a_deleted_organization_lose_access(
    client: httpx.AsyncClient, session: AsyncSession, owner: Staff
) -> None:
    event = await create_event(session, organization=owner.org)
    ticket_type = await create_ticket_type(session, event=event)
    owner.org.deleted_at = owner.org.created_at
    await session.commit()
    assert_problem(
        await client.get(f"/ticket-types/{ticket_type.id}", headers=owner.headers), 404, "NOT_FOUND"
    )

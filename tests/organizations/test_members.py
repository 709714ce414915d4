"""``/organizations/{id}/members``: list, add, remove, roles, the last OWNER, and concurrency."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_organization, create_user
from tests.problems import assert_problem
from tixmo.accounts.models import Role, User
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.organizations import service
from tixmo.organizations.models import MemberRole, Membership, Organization


async def roles_of(session: AsyncSession, org: Organization) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        select(Membership.user_id, Membership.role).where(Membership.organization_id == org.id)
    )
    return {row.user_id: row.role for row in rows}


async def setup_org(session: AsyncSession, context: AppContext) -> tuple[Organization, dict[str, User]]:
    users = {
        "owner": await create_user(session, context, role=Role.PROMOTER),
        "admin": await create_user(session, context),
        "member": await create_user(session, context),
        "stranger": await create_user(session, context, role=Role.PROMOTER),
        "platform": await create_user(session, context, role=Role.ADMIN),
        "candidate": await create_user(session, context, email="candidate@example.com", first_name="Cara"),
    }
    org = await create_organization(
        session,
        owner=users["owner"],
        members={users["admin"]: MemberRole.ADMIN, users["member"]: MemberRole.MEMBER},
    )
    return org, users


# --------------------------------------------------------------------------------------------- list


async def test_members_list_paginated_for_every_member(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    expected = {
        str(users["owner"].id): "OWNER",
        str(users["admin"].id): "ADMIN",
        str(users["member"].id): "MEMBER",
    }
    for who in ("owner", "admin", "member", "platform"):
        response = await client.get(f"/organizations/{org.id}/members", headers=auth(context, users[who]))
        assert response.status_code == 200, response.text
        body = response.json()
        assert {m["userId"]: m["role"] for m in body["data"]} == expected
        assert body["meta"] == {"page": 1, "limit": 20, "total": 3, "totalPages": 1}
        first = body["data"][0]
        assert set(first) == {"userId", "email", "firstName", "lastName", "role", "joinedAt"}

    page = await client.get(
        f"/organizations/{org.id}/members",
        params={"limit": 2, "page": 2},
        headers=auth(context, users["owner"]),
    )
    assert page.json()["meta"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2}
    assert len(page.json()["data"]) == 1


async def test_members_list_hidden_from_non_members(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    response = await client.get(f"/organizations/{org.id}/members", headers=auth(context, users["stranger"]))
    assert_problem(response, 404, "NOT_FOUND")
    missing = await client.get(
        f"/organizations/{uuid.uuid4()}/members", headers=auth(context, users["owner"])
    )
    assert_problem(missing, 404, "NOT_FOUND")
    assert_problem(await client.get(f"/organizations/{org.id}/members"), 401, "UNAUTHORIZED")


# ---------------------------------------------------------------------------------------------- add


@pytest.mark.parametrize("who", ["owner", "admin", "platform"])
async def test_add_member_by_user_id(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, who: str
) -> None:
    org, users = await setup_org(session, context)
    candidate = users["candidate"]
    response = await client.post(
        f"/organizations/{org.id}/members",
        json={"userId": str(candidate.id), "role": "ADMIN"},
        headers=auth(context, users[who]),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["userId"] == str(candidate.id)
    assert body["email"] == "candidate@example.com"
    assert body["firstName"] == "Cara"
    assert body["role"] == "ADMIN"
    assert body["joinedAt"]
    assert (await roles_of(session, org))[candidate.id] == "ADMIN"

    # The new member now sees the organization.
    seen = await client.get(f"/organizations/{org.id}", headers=auth(context, candidate))
    assert seen.status_code == 200
    assert seen.json()["myRole"] == "ADMIN"


async def test_add_member_by_email_is_case_insensitive_and_defaults_to_member(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    response = await client.post(
        f"/organizations/{org.id}/members",
        json={"email": "  CANDIDATE@Example.COM "},
        headers=auth(context, users["owner"]),
    )
    assert response.status_code == 201, response.text
    assert response.json()["userId"] == str(users["candidate"].id)
    assert response.json()["role"] == "MEMBER"


@pytest.mark.parametrize(
    ("body_for", "field"),
    [
        ("both", None),
        ("neither", None),
        ("bad_email", "email"),
        ("bad_role", "role"),
        ("bad_user_id", "userId"),
        ("extra", "nickname"),
    ],
)
async def test_add_member_validation(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    body_for: str,
    field: str | None,
) -> None:
    org, users = await setup_org(session, context)
    candidate = users["candidate"]
    bodies: dict[str, dict[str, Any]] = {
        "both": {"userId": str(candidate.id), "email": candidate.email},
        "neither": {"role": "MEMBER"},
        "bad_email": {"email": "not-an-email"},
        "bad_role": {"userId": str(candidate.id), "role": "SUPERUSER"},
        "bad_user_id": {"userId": "nope"},
        "extra": {"userId": str(candidate.id), "nickname": "cc"},
    }
    response = await client.post(
        f"/organizations/{org.id}/members", json=bodies[body_for], headers=auth(context, users["owner"])
    )
    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert problem["errors"]
    if field is not None:
        assert field in {error["field"] for error in problem["errors"]}
    assert candidate.id not in await roles_of(session, org)


async def test_add_unknown_or_deleted_user_is_404(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    headers = auth(context, users["owner"])
    by_id = await client.post(
        f"/organizations/{org.id}/members", json={"userId": str(uuid.uuid4())}, headers=headers
    )
    assert_problem(by_id, 404, "NOT_FOUND")
    by_email = await client.post(
        f"/organizations/{org.id}/members", json={"email": "nobody@example.com"}, headers=headers
    )
    assert_problem(by_email, 404, "NOT_FOUND")

    gone = users["candidate"]
    gone.deleted_at = utcnow()
    await session.commit()
    deleted = await client.post(
        f"/organizations/{org.id}/members", json={"userId": str(gone.id)}, headers=headers
    )
    assert_problem(deleted, 404, "NOT_FOUND")
    assert len(await roles_of(session, org)) == 3


async def test_add_existing_member_is_409(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    response = await client.post(
        f"/organizations/{org.id}/members",
        json={"email": users["member"].email.upper(), "role": "ADMIN"},
        headers=auth(context, users["owner"]),
    )
    assert_problem(response, 409, "CONFLICT")
    assert (await roles_of(session, org))[users["member"].id] == "MEMBER"


async def test_member_cannot_add(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    response = await client.post(
        f"/organizations/{org.id}/members",
        json={"userId": str(users["candidate"].id)},
        headers=auth(context, users["member"]),
    )
    assert_problem(response, 403, "FORBIDDEN")
    assert users["candidate"].id not in await roles_of(session, org)


async def test_only_owner_adds_an_owner(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    candidate = users["candidate"]
    body = {"userId": str(candidate.id), "role": "OWNER"}
    refused = await client.post(
        f"/organizations/{org.id}/members", json=body, headers=auth(context, users["admin"])
    )
    assert_problem(refused, 403, "FORBIDDEN")
    assert candidate.id not in await roles_of(session, org)

    accepted = await client.post(
        f"/organizations/{org.id}/members", json=body, headers=auth(context, users["owner"])
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["role"] == "OWNER"
    assert (await roles_of(session, org))[candidate.id] == "OWNER"


# ------------------------------------------------------------------------------------------- remove


@pytest.mark.parametrize("who", ["owner", "admin", "platform"])
async def test_managers_remove_a_member(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, who: str
) -> None:
    org, users = await setup_org(session, context)
    gone = users["member"]
    response = await client.delete(
        f"/organizations/{org.id}/members/{gone.id}", headers=auth(context, users[who])
    )
    assert response.status_code == 204, response.text
    assert gone.id not in await roles_of(session, org)
    hidden = await client.get(f"/organizations/{org.id}", headers=auth(context, gone))
    assert_problem(hidden, 404, "NOT_FOUND")
    listed = await client.get(f"/organizations/{org.id}/members", headers=auth(context, users["owner"]))
    assert str(gone.id) not in [m["userId"] for m in listed.json()["data"]]


async def test_member_cannot_remove(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    response = await client.delete(
        f"/organizations/{org.id}/members/{users['admin'].id}", headers=auth(context, users["member"])
    )
    assert_problem(response, 403, "FORBIDDEN")
    assert users["admin"].id in await roles_of(session, org)


async def test_member_admin_cannot_remove_an_owner(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    second_owner = await create_user(session, context)
    session.add(Membership(organization_id=org.id, user_id=second_owner.id, role="OWNER"))
    await session.commit()
    response = await client.delete(
        f"/organizations/{org.id}/members/{second_owner.id}", headers=auth(context, users["admin"])
    )
    assert_problem(response, 403, "FORBIDDEN")
    assert (await roles_of(session, org))[second_owner.id] == "OWNER"


async def test_remove_non_member_is_404(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    headers = auth(context, users["owner"])
    for user_id in (users["candidate"].id, uuid.uuid4()):
        response = await client.delete(f"/organizations/{org.id}/members/{user_id}", headers=headers)
        assert_problem(response, 404, "NOT_FOUND")
    malformed = await client.delete(f"/organizations/{org.id}/members/xyz", headers=headers)
    assert_problem(malformed, 422, "VALIDATION_ERROR")


@pytest.mark.parametrize("who", ["owner", "platform"])
async def test_last_owner_cannot_be_removed(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, who: str
) -> None:
    org, users = await setup_org(session, context)
    owner = users["owner"]
    response = await client.delete(
        f"/organizations/{org.id}/members/{owner.id}", headers=auth(context, users[who])
    )
    assert_problem(response, 409, "CONFLICT")
    assert (await roles_of(session, org))[owner.id] == "OWNER"


async def test_one_of_two_owners_can_be_removed(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    first = users["owner"]
    second = await create_user(session, context)
    session.add(Membership(organization_id=org.id, user_id=second.id, role="OWNER"))
    await session.commit()

    # An owner may step down while another owner remains.
    response = await client.delete(
        f"/organizations/{org.id}/members/{first.id}", headers=auth(context, first)
    )
    assert response.status_code == 204, response.text
    roles = await roles_of(session, org)
    assert first.id not in roles
    assert [user for user, role in roles.items() if role == "OWNER"] == [second.id]

    # Now the remaining one is the last owner.
    last = await client.delete(f"/organizations/{org.id}/members/{second.id}", headers=auth(context, second))
    assert_problem(last, 409, "CONFLICT")


async def test_an_owner_with_a_deleted_account_does_not_count(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    owner = users["owner"]
    ghost = await create_user(session, context)
    session.add(Membership(organization_id=org.id, user_id=ghost.id, role="OWNER"))
    ghost.deleted_at = utcnow()
    await session.commit()
    headers = auth(context, owner)

    last = await client.delete(f"/organizations/{org.id}/members/{owner.id}", headers=headers)
    assert_problem(last, 409, "CONFLICT")
    assert (await roles_of(session, org))[owner.id] == "OWNER"

    # The deleted account's membership itself can be cleaned up while a live owner remains.
    cleanup = await client.delete(f"/organizations/{org.id}/members/{ghost.id}", headers=headers)
    assert cleanup.status_code == 204, cleanup.text
    assert ghost.id not in await roles_of(session, org)


# -------------------------------------------------------------------------------------- concurrency


async def test_two_owners_removing_each_other_leaves_exactly_one(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    for _ in range(5):  # several rounds: the race must never leave an organization without an OWNER
        a = await create_user(session, context, role=Role.PROMOTER)
        b = await create_user(session, context, role=Role.PROMOTER)
        org = await create_organization(session, owner=a, members={b: MemberRole.OWNER})

        responses = await asyncio.gather(
            client.delete(f"/organizations/{org.id}/members/{b.id}", headers=auth(context, a)),
            client.delete(f"/organizations/{org.id}/members/{a.id}", headers=auth(context, b)),
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses[0] == 204, [r.text for r in responses]
        assert statuses[1] in {404, 409}, [r.text for r in responses]

        roles = await roles_of(session, org)
        assert list(roles.values()) == ["OWNER"]
        winner = a if responses[0].status_code == 204 else b
        assert list(roles) == [winner.id]


async def test_concurrent_adds_of_the_same_user_create_one_membership(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await setup_org(session, context)
    candidate = users["candidate"]
    headers = auth(context, users["owner"])
    responses = await asyncio.gather(
        *(
            client.post(
                f"/organizations/{org.id}/members", json={"userId": str(candidate.id)}, headers=headers
            )
            for _ in range(10)
        )
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 9, [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            assert response.json()["code"] == "CONFLICT"
    count = await session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.organization_id == org.id, Membership.user_id == candidate.id)
    )
    assert count == 1


GetVisible = Callable[..., Awaitable[tuple[Organization, Membership | None]]]


def _with_barrier(barrier: asyncio.Barrier, *, drop_lock: bool) -> GetVisible:
    """``service.get_visible`` that lines concurrent requests up at their first (locking) read.

    With ``drop_lock`` the read is done unlocked *before* the barrier, so both removals hold a stale view
    of the owners before either deletes: the race happens every time.
    """
    original: GetVisible = service.get_visible
    seen: set[AsyncSession] = set()  # one session per request: its first call is the locking read

    async def get_visible(
        session: AsyncSession, user: User, org_id: uuid.UUID, *, for_update: bool = False
    ) -> tuple[Organization, Membership | None]:
        if session in seen:
            return await original(session, user, org_id, for_update=for_update)
        seen.add(session)
        if drop_lock:
            found = await original(session, user, org_id)
            async with asyncio.timeout(10):
                await barrier.wait()
            return found
        async with asyncio.timeout(10):
            await barrier.wait()
        return await original(session, user, org_id, for_update=for_update)

    return get_visible


async def _owners_remove_each_other(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> tuple[list[int], dict[uuid.UUID, str]]:
    a = await create_user(session, context, role=Role.PROMOTER)
    b = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=a, members={b: MemberRole.OWNER})
    responses = await asyncio.gather(
        client.delete(f"/organizations/{org.id}/members/{b.id}", headers=auth(context, a)),
        client.delete(f"/organizations/{org.id}/members/{a.id}", headers=auth(context, b)),
    )
    return sorted(r.status_code for r in responses), await roles_of(session, org)


async def test_removals_that_overlap_exactly_still_leave_one_owner(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "get_visible", _with_barrier(asyncio.Barrier(2), drop_lock=False))
    statuses, roles = await _owners_remove_each_other(client, session, context)
    assert statuses[0] == 204
    assert statuses[1] in {404, 409}
    assert list(roles.values()) == ["OWNER"]


async def test_negative_control_without_the_row_lock_the_race_removes_both_owners(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Shows the test above can fail: with the lock dropped, both removals pass the last-owner check."""
    monkeypatch.setattr(service, "get_visible", _with_barrier(asyncio.Barrier(2), drop_lock=True))
    statuses, roles = await _owners_remove_each_other(client, session, context)
    assert statuses == [204, 204]
    assert roles == {}

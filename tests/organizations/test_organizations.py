"""``/organizations``: create, list, read, update, delete, and tenant isolation."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_organization, create_user
from tests.problems import assert_problem, error_fields
from tixmo.accounts.models import Role, User
from tixmo.deps import AppContext
from tixmo.organizations.models import MemberRole, Membership, Organization

# ------------------------------------------------------------------------------------------- create


@pytest.mark.parametrize("role", [Role.PROMOTER, Role.ADMIN])
async def test_promoter_and_admin_create_and_become_owner(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, role: Role
) -> None:
    creator = await create_user(session, context, role=role)
    response = await client.post(
        "/organizations",
        json={
            "name": "  Night Owls  ",
            "type": "VENUE",
            "description": "Late shows",
            "email": "Booking@Night-Owls.example.com",
            "website": "https://night-owls.example.com/about",
        },
        headers=auth(context, creator),
    )
    assert response.status_code == 201, response.text
    org = response.json()
    uuid.UUID(org["id"])
    assert org["name"] == "Night Owls"
    assert org["type"] == "VENUE"
    assert org["description"] == "Late shows"
    assert org["email"] == "booking@night-owls.example.com"
    assert org["website"] == "https://night-owls.example.com/about"
    assert org["myRole"] == "OWNER"
    assert org["createdAt"] and org["updatedAt"]

    fetched = await client.get(f"/organizations/{org['id']}", headers=auth(context, creator))
    assert fetched.status_code == 200
    assert fetched.json()["myRole"] == "OWNER"

    members = await client.get(f"/organizations/{org['id']}/members", headers=auth(context, creator))
    assert members.status_code == 200
    assert [(m["userId"], m["role"]) for m in members.json()["data"]] == [(str(creator.id), "OWNER")]


async def test_minimal_body_defaults_optional_fields_to_null(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    promoter = await create_user(session, context, role=Role.PROMOTER)
    response = await client.post(
        "/organizations", json={"name": "Bare", "type": "OTHER"}, headers=auth(context, promoter)
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["description"], body["email"], body["website"]) == (None, None, None)


async def test_customer_cannot_create(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    customer = await create_user(session, context, role=Role.CUSTOMER)
    response = await client.post(
        "/organizations", json={"name": "Nope", "type": "PROMOTER"}, headers=auth(context, customer)
    )
    assert_problem(response, 403, "FORBIDDEN")
    assert await session.scalar(select(func.count()).select_from(Organization)) == 0


async def test_create_without_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/organizations", json={"name": "Anon", "type": "PROMOTER"})
    assert_problem(response, 401, "UNAUTHORIZED")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "PROMOTER"}, "name"),
        ({"name": "", "type": "PROMOTER"}, "name"),
        ({"name": "   ", "type": "PROMOTER"}, "name"),
        ({"name": "x" * 201, "type": "PROMOTER"}, "name"),
        ({"name": "Org"}, "type"),
        ({"name": "Org", "type": "CIRCUS"}, "type"),
        ({"name": "Org", "type": "PROMOTER", "email": "not-an-email"}, "email"),
        ({"name": "Org", "type": "PROMOTER", "website": "not a url"}, "website"),
        ({"name": "Org", "type": "PROMOTER", "website": "ftp://files.example.com"}, "website"),
        ({"name": "Org", "type": "PROMOTER", "ownerId": str(uuid.uuid4())}, "ownerId"),
    ],
)
async def test_create_validation(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    body: dict[str, Any],
    field: str,
) -> None:
    promoter = await create_user(session, context, role=Role.PROMOTER)
    response = await client.post("/organizations", json=body, headers=auth(context, promoter))
    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field in error_fields(problem)
    assert await session.scalar(select(func.count()).select_from(Organization)) == 0


async def test_create_rejects_non_json_body(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    promoter = await create_user(session, context, role=Role.PROMOTER)
    response = await client.post(
        "/organizations",
        content=b"{not json",
        headers={**auth(context, promoter), "Content-Type": "application/json"},
    )
    assert_problem(response, 422, "VALIDATION_ERROR")


# --------------------------------------------------------------------------------------------- list


async def test_list_shows_only_own_memberships(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    alice = await create_user(session, context, role=Role.PROMOTER)
    bob = await create_user(session, context, role=Role.PROMOTER)
    mine = await create_organization(session, owner=alice, name="Alpha")
    joined = await create_organization(session, owner=bob, name="Beta", members={alice: MemberRole.MEMBER})
    await create_organization(session, owner=bob, name="Gamma")

    response = await client.get("/organizations", headers=auth(context, alice))
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(o["id"], o["myRole"]) for o in body["data"]] == [
        (str(mine.id), "OWNER"),
        (str(joined.id), "MEMBER"),
    ]
    assert body["meta"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}


async def test_customer_without_memberships_sees_empty_list(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    await create_organization(session, owner=owner)
    customer = await create_user(session, context)
    response = await client.get("/organizations", headers=auth(context, customer))
    assert response.status_code == 200
    assert response.json() == {"data": [], "meta": {"page": 1, "limit": 20, "total": 0, "totalPages": 0}}


async def test_admin_sees_all_organizations(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    p1 = await create_user(session, context, role=Role.PROMOTER)
    p2 = await create_user(session, context, role=Role.PROMOTER)
    a = await create_organization(session, owner=p1, name="A org")
    b = await create_organization(session, owner=p2, name="B org")
    response = await client.get("/organizations", headers=auth(context, admin))
    assert response.status_code == 200
    body = response.json()
    assert [o["id"] for o in body["data"]] == [str(a.id), str(b.id)]
    assert [o["myRole"] for o in body["data"]] == [None, None]
    assert body["meta"]["total"] == 2


async def test_list_filters_by_type(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    venue = await create_organization(session, owner=owner, name="Hall", type_="VENUE")
    await create_organization(session, owner=owner, name="Promo", type_="PROMOTER")
    response = await client.get("/organizations", params={"type": "VENUE"}, headers=auth(context, owner))
    assert response.status_code == 200
    body = response.json()
    assert [o["id"] for o in body["data"]] == [str(venue.id)]
    assert body["meta"]["total"] == 1

    bad = await client.get("/organizations", params={"type": "CIRCUS"}, headers=auth(context, owner))
    assert "type" in error_fields(assert_problem(bad, 422, "VALIDATION_ERROR"))


async def test_list_pagination(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    ids = [(await create_organization(session, owner=owner, name=f"Org {i}")).id for i in range(5)]
    headers = auth(context, owner)

    seen: list[str] = []
    for page, expected_len in [(1, 2), (2, 2), (3, 1)]:
        response = await client.get("/organizations", params={"page": page, "limit": 2}, headers=headers)
        assert response.status_code == 200
        body = response.json()
        assert body["meta"] == {"page": page, "limit": 2, "total": 5, "totalPages": 3}
        assert len(body["data"]) == expected_len
        seen += [o["id"] for o in body["data"]]
    assert seen == [str(i) for i in ids]  # names sort in creation order here

    beyond = await client.get("/organizations", params={"page": 4, "limit": 2}, headers=headers)
    assert beyond.json()["data"] == []
    assert beyond.json()["meta"]["total"] == 5

    for params in ({"limit": 0}, {"limit": 101}, {"page": 0}):
        bad = await client.get("/organizations", params=params, headers=headers)
        assert_problem(bad, 422, "VALIDATION_ERROR")


async def test_list_requires_token(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/organizations"), 401, "UNAUTHORIZED")


# ---------------------------------------------------------------------------------------------- get


async def test_members_of_any_role_can_read(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    admin_member = await create_user(session, context)
    member = await create_user(session, context)
    org = await create_organization(
        session, owner=owner, members={admin_member: MemberRole.ADMIN, member: MemberRole.MEMBER}
    )
    for user, role in [(owner, "OWNER"), (admin_member, "ADMIN"), (member, "MEMBER")]:
        response = await client.get(f"/organizations/{org.id}", headers=auth(context, user))
        assert response.status_code == 200, response.text
        assert response.json()["id"] == str(org.id)
        assert response.json()["myRole"] == role


async def test_platform_admin_reads_any_organization(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    admin = await create_user(session, context, role=Role.ADMIN)
    org = await create_organization(session, owner=owner)
    response = await client.get(f"/organizations/{org.id}", headers=auth(context, admin))
    assert response.status_code == 200
    assert response.json()["myRole"] is None


@pytest.mark.parametrize("role", [Role.PROMOTER, Role.CUSTOMER])
async def test_non_member_gets_404_not_403(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, role: Role
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    stranger = await create_user(session, context, role=role)
    org = await create_organization(session, owner=owner)
    response = await client.get(f"/organizations/{org.id}", headers=auth(context, stranger))
    assert_problem(response, 404, "NOT_FOUND")


async def test_unknown_and_malformed_ids(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    missing = await client.get(f"/organizations/{uuid.uuid4()}", headers=auth(context, admin))
    assert_problem(missing, 404, "NOT_FOUND")
    malformed = await client.get("/organizations/not-a-uuid", headers=auth(context, admin))
    assert_problem(malformed, 422, "VALIDATION_ERROR")


# ------------------------------------------------------------------------------------------- update


async def _org_with_staff(session: AsyncSession, context: AppContext) -> tuple[Organization, dict[str, User]]:
    users = {
        "owner": await create_user(session, context, role=Role.PROMOTER),
        "admin": await create_user(session, context),
        "member": await create_user(session, context),
        "stranger": await create_user(session, context, role=Role.PROMOTER),
        "platform": await create_user(session, context, role=Role.ADMIN),
    }
    org = await create_organization(
        session,
        owner=users["owner"],
        name="Original",
        members={users["admin"]: MemberRole.ADMIN, users["member"]: MemberRole.MEMBER},
    )
    return org, users


@pytest.mark.parametrize(("who", "my_role"), [("owner", "OWNER"), ("admin", "ADMIN"), ("platform", None)])
async def test_owner_admin_and_platform_admin_update(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, who: str, my_role: str | None
) -> None:
    org, users = await _org_with_staff(session, context)
    response = await client.put(
        f"/organizations/{org.id}",
        json={"name": "Renamed", "website": "https://renamed.example.com/"},
        headers=auth(context, users[who]),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Renamed"
    assert body["website"] == "https://renamed.example.com/"
    assert body["type"] == "PROMOTER"
    assert body["myRole"] == my_role
    fetched = await client.get(f"/organizations/{org.id}", headers=auth(context, users["owner"]))
    assert fetched.json()["name"] == "Renamed"


async def test_member_cannot_update_and_stranger_gets_404(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await _org_with_staff(session, context)
    forbidden = await client.put(
        f"/organizations/{org.id}", json={"name": "Hijack"}, headers=auth(context, users["member"])
    )
    assert_problem(forbidden, 403, "FORBIDDEN")
    hidden = await client.put(
        f"/organizations/{org.id}", json={"name": "Hijack"}, headers=auth(context, users["stranger"])
    )
    assert_problem(hidden, 404, "NOT_FOUND")
    fetched = await client.get(f"/organizations/{org.id}", headers=auth(context, users["owner"]))
    assert fetched.json()["name"] == "Original"


async def test_partial_update_keeps_other_fields(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    headers = auth(context, owner)
    created = await client.post(
        "/organizations",
        json={
            "name": "Keep",
            "type": "VENUE",
            "description": "Stays",
            "email": "keep@example.com",
            "website": "https://keep.example.com/",
        },
        headers=headers,
    )
    org_id = created.json()["id"]
    response = await client.put(
        f"/organizations/{org_id}",
        json={"description": "Changed", "email": "NEW@Example.com"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Keep"
    assert body["type"] == "VENUE"
    assert body["description"] == "Changed"
    assert body["email"] == "new@example.com"
    assert body["website"] == "https://keep.example.com/"

    # Optional fields may be cleared with an explicit null.
    cleared = await client.put(f"/organizations/{org_id}", json={"website": None}, headers=headers)
    assert cleared.status_code == 200
    assert cleared.json()["website"] is None
    assert cleared.json()["description"] == "Changed"

    # An empty body changes nothing.
    same = await client.put(f"/organizations/{org_id}", json={}, headers=headers)
    assert same.status_code == 200
    assert {k: same.json()[k] for k in ("name", "type", "description", "email")} == {
        "name": "Keep",
        "type": "VENUE",
        "description": "Changed",
        "email": "new@example.com",
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"type": None}, "type"),
        ({"name": ""}, "name"),
        ({"type": "CIRCUS"}, "type"),
        ({"email": "nope"}, "email"),
        ({"website": "nope"}, "website"),
        ({"slug": "x"}, "slug"),
    ],
)
async def test_update_validation(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    body: dict[str, Any],
    field: str,
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner, name="Stable")
    response = await client.put(f"/organizations/{org.id}", json=body, headers=auth(context, owner))
    assert field in error_fields(assert_problem(response, 422, "VALIDATION_ERROR"))
    fetched = await client.get(f"/organizations/{org.id}", headers=auth(context, owner))
    assert fetched.json()["name"] == "Stable"
    assert fetched.json()["type"] == "PROMOTER"


# ------------------------------------------------------------------------------------------- delete


async def test_owner_deletes_then_it_is_gone(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await _org_with_staff(session, context)
    other = await create_organization(session, owner=users["owner"], name="Survivor")
    response = await client.delete(f"/organizations/{org.id}", headers=auth(context, users["owner"]))
    assert response.status_code == 204, response.text
    assert response.content == b""

    for who in ("owner", "member", "platform"):
        gone = await client.get(f"/organizations/{org.id}", headers=auth(context, users[who]))
        assert_problem(gone, 404, "NOT_FOUND")
        listed = await client.get("/organizations", headers=auth(context, users[who]))
        assert str(org.id) not in [o["id"] for o in listed.json()["data"]]
    owner_list = await client.get("/organizations", headers=auth(context, users["owner"]))
    assert [o["id"] for o in owner_list.json()["data"]] == [str(other.id)]
    assert owner_list.json()["meta"]["total"] == 1

    again = await client.delete(f"/organizations/{org.id}", headers=auth(context, users["owner"]))
    assert_problem(again, 404, "NOT_FOUND")
    members = await client.get(f"/organizations/{org.id}/members", headers=auth(context, users["owner"]))
    assert_problem(members, 404, "NOT_FOUND")
    update = await client.put(
        f"/organizations/{org.id}", json={"name": "Zombie"}, headers=auth(context, users["owner"])
    )
    assert_problem(update, 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("who", "status", "code"), [("admin", 403, "FORBIDDEN"), ("member", 403, "FORBIDDEN")]
)
async def test_only_owner_may_delete(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, who: str, status: int, code: str
) -> None:
    org, users = await _org_with_staff(session, context)
    response = await client.delete(f"/organizations/{org.id}", headers=auth(context, users[who]))
    assert_problem(response, status, code)
    still = await client.get(f"/organizations/{org.id}", headers=auth(context, users["owner"]))
    assert still.status_code == 200


async def test_non_member_delete_is_404(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    org, users = await _org_with_staff(session, context)
    response = await client.delete(f"/organizations/{org.id}", headers=auth(context, users["stranger"]))
    assert_problem(response, 404, "NOT_FOUND")
    assert_problem(
        await client.delete(f"/organizations/{uuid.uuid4()}", headers=auth(context, users["owner"])),
        404,
        "NOT_FOUND",
    )
    still = await client.get(f"/organizations/{org.id}", headers=auth(context, users["owner"]))
    assert still.status_code == 200


# ---------------------------------------------------------------------------------- tenant isolation


async def test_staff_of_one_org_cannot_touch_another(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner_a = await create_user(session, context, role=Role.PROMOTER)
    owner_b = await create_user(session, context, role=Role.PROMOTER)
    outsider = await create_user(session, context)
    await create_organization(session, owner=owner_a, name="A")
    org_b = await create_organization(session, owner=owner_b, name="B")
    headers = auth(context, owner_a)
    base = f"/organizations/{org_b.id}"

    attempts = [
        await client.get(base, headers=headers),
        await client.put(base, json={"name": "Taken over"}, headers=headers),
        await client.delete(base, headers=headers),
        await client.get(f"{base}/members", headers=headers),
        await client.post(f"{base}/members", json={"userId": str(outsider.id)}, headers=headers),
        await client.post(
            f"{base}/members", json={"userId": str(owner_a.id), "role": "OWNER"}, headers=headers
        ),
        await client.delete(f"{base}/members/{owner_b.id}", headers=headers),
        await client.get(f"{base}/audit-log", headers=headers),
    ]
    for response in attempts:
        assert_problem(response, 404, "NOT_FOUND")

    listed = await client.get("/organizations", headers=headers)
    assert str(org_b.id) not in [o["id"] for o in listed.json()["data"]]

    # Org B is untouched.
    fetched = await client.get(base, headers=auth(context, owner_b))
    assert fetched.json()["name"] == "B"
    roles = (
        await session.execute(
            select(Membership.user_id, Membership.role).where(Membership.organization_id == org_b.id)
        )
    ).all()
    assert [(r.user_id, r.role) for r in roles] == [(owner_b.id, "OWNER")]

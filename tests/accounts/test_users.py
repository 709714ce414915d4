"""``/users``: admin listing with filters and pagination, self-or-admin read/update, admin delete."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.accounts.helpers import PASSWORD, assert_problem, bearer, email, error_fields, register
from tests.factories import DEFAULT_PASSWORD, auth, create_user
from tixmo.accounts.models import RefreshToken, Role, User
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext

# ---------------------------------------------------------------------------------------------- list


async def test_list_users_is_admin_only(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    for role in (Role.CUSTOMER, Role.PROMOTER):
        user = await create_user(session, context, role=role)
        assert_problem(await client.get("/users", headers=auth(context, user)), 403, "FORBIDDEN")
    assert_problem(await client.get("/users"), 401, "UNAUTHORIZED")


async def test_list_users_paginated(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    for _ in range(4):
        await create_user(session, context)
    headers = auth(context, admin)

    first = await client.get("/users", params={"limit": 2}, headers=headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["meta"] == {"page": 1, "limit": 2, "total": 5, "totalPages": 3}
    assert len(body["data"]) == 2
    assert all("passwordHash" not in user and "password" not in user for user in body["data"])

    pages = [body["data"]]
    for page in (2, 3):
        response = await client.get("/users", params={"limit": 2, "page": page}, headers=headers)
        assert response.json()["meta"]["page"] == page
        pages.append(response.json()["data"])
    assert [len(data) for data in pages] == [2, 2, 1]
    ids = [user["id"] for data in pages for user in data]
    assert len(set(ids)) == 5

    beyond = (await client.get("/users", params={"limit": 2, "page": 4}, headers=headers)).json()
    assert beyond["data"] == []
    assert beyond["meta"]["total"] == 5

    default = (await client.get("/users", headers=headers)).json()
    assert default["meta"] == {"page": 1, "limit": 20, "total": 5, "totalPages": 1}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"role": "OWNER"}, "role"),
    ],
)
async def test_list_users_bad_query(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, params: dict[str, Any], field: str
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    response = await client.get("/users", params=params, headers=auth(context, admin))
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {field}


async def test_list_users_filters(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN, first_name="Root", last_name="Admin")
    promoter = await create_user(
        session, context, role=Role.PROMOTER, first_name="Paula", last_name="Promo", email=email("paula")
    )
    grace = await create_user(
        session, context, first_name="Grace", last_name="Hopper", email="gh@navy.example"
    )
    percent = await create_user(session, context, first_name="Per%cent", last_name="Sign")
    headers = auth(context, admin)

    async def ids(**params: str) -> set[str]:
        response = await client.get("/users", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return {user["id"] for user in response.json()["data"]}

    assert await ids(role="PROMOTER") == {str(promoter.id)}
    assert await ids(role="ADMIN") == {str(admin.id)}
    assert await ids(role="CUSTOMER") == {str(grace.id), str(percent.id)}
    assert await ids(search="hopp") == {str(grace.id)}
    assert await ids(search="GRACE HOPPER") == {str(grace.id)}
    assert await ids(search="navy.example") == {str(grace.id)}
    assert await ids(search="paula") == {str(promoter.id)}
    assert await ids(search="paula", role="CUSTOMER") == set()
    # LIKE wildcards in the search are literal characters.
    assert await ids(search="%") == {str(percent.id)}
    assert await ids(search="_") == set()
    assert await ids(search="nobody-matches") == set()


async def test_list_users_hides_deleted(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    victim = await create_user(session, context)
    headers = auth(context, admin)
    assert (await client.delete(f"/users/{victim.id}", headers=headers)).status_code == 204
    body = (await client.get("/users", headers=headers)).json()
    assert [user["id"] for user in body["data"]] == [str(admin.id)]
    assert body["meta"]["total"] == 1


# ----------------------------------------------------------------------------------------- get / put


async def test_get_self_and_admin_reads_anyone(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    user = await create_user(session, context, first_name="Self")
    own = await client.get(f"/users/{user.id}", headers=auth(context, user))
    assert own.status_code == 200
    assert own.json()["firstName"] == "Self"
    by_admin = await client.get(f"/users/{user.id}", headers=auth(context, admin))
    assert by_admin.status_code == 200
    assert by_admin.json() == own.json()


async def test_another_customer_is_not_found(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context)
    other = await create_user(session, context)
    headers = auth(context, user)
    existing = assert_problem(await client.get(f"/users/{other.id}", headers=headers), 404, "NOT_FOUND")
    missing = assert_problem(await client.get(f"/users/{uuid.uuid4()}", headers=headers), 404, "NOT_FOUND")
    assert existing == missing  # no existence leak
    put = await client.put(f"/users/{other.id}", json={"firstName": "Hacked"}, headers=headers)
    assert_problem(put, 404, "NOT_FOUND")
    await session.refresh(other)
    assert other.first_name == "Test"


async def test_admin_gets_unknown_user_404(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    assert_problem(await client.get(f"/users/{uuid.uuid4()}", headers=auth(context, admin)), 404, "NOT_FOUND")


async def test_user_routes_require_a_token(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context)
    assert_problem(await client.get(f"/users/{user.id}"), 401, "UNAUTHORIZED")
    assert_problem(await client.put(f"/users/{user.id}", json={"firstName": "X"}), 401, "UNAUTHORIZED")
    assert_problem(await client.delete(f"/users/{user.id}"), 401, "UNAUTHORIZED")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_non_uuid_id_is_422(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, method: str
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    response = await client.request(method, "/users/not-a-uuid", json={}, headers=auth(context, admin))
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"userId"}  # path ids are camelCase on the wire too


async def test_put_is_a_partial_update(client: httpx.AsyncClient, session: AsyncSession) -> None:
    registered = await register(client, firstName="Ada", lastName="Lovelace", phone="+1 555 0100")
    user_id = registered["user"]["id"]
    headers = bearer(registered["accessToken"])

    response = await client.put(f"/users/{user_id}", json={"firstName": "Augusta"}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["firstName"] == "Augusta"
    assert body["lastName"] == "Lovelace"
    assert body["phone"] == "+1 555 0100"
    assert body["email"] == registered["user"]["email"]
    assert body["role"] == "CUSTOMER"

    row = await session.get(User, uuid.UUID(user_id))
    assert row is not None
    assert (row.first_name, row.last_name, row.phone) == ("Augusta", "Lovelace", "+1 555 0100")

    again = await client.put(f"/users/{user_id}", json={"lastName": "King", "phone": None}, headers=headers)
    assert again.status_code == 200, again.text
    assert (again.json()["firstName"], again.json()["lastName"], again.json()["phone"]) == (
        "Augusta",
        "King",
        None,
    )
    me = (await client.get("/auth/me", headers=headers)).json()
    assert (me["firstName"], me["lastName"], me["phone"]) == ("Augusta", "King", None)

    unchanged = await client.put(f"/users/{user_id}", json={}, headers=headers)
    assert unchanged.status_code == 200
    assert unchanged.json() == me


async def test_admin_updates_another_user_and_role(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    user = await create_user(session, context)
    response = await client.put(
        f"/users/{user.id}", json={"role": "PROMOTER", "lastName": "Promoted"}, headers=auth(context, admin)
    )
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "PROMOTER"
    assert response.json()["lastName"] == "Promoted"
    await session.refresh(user)
    assert (user.role, user.last_name) == ("PROMOTER", "Promoted")


@pytest.mark.parametrize("role", ["ADMIN", "PROMOTER"])  # their own CUSTOMER may come back: test_round_trips
async def test_customer_cannot_set_own_role(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, role: str
) -> None:
    user = await create_user(session, context)
    response = await client.put(
        f"/users/{user.id}", json={"role": role, "firstName": "Sneaky"}, headers=auth(context, user)
    )
    assert_problem(response, 403, "FORBIDDEN")
    await session.refresh(user)
    assert (user.role, user.first_name) == ("CUSTOMER", "Test")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"firstName": None}, "firstName"),
        ({"lastName": None}, "lastName"),
        ({"firstName": ""}, "firstName"),
        ({"firstName": 7}, "firstName"),
        ({"phone": "nope"}, "phone"),
        ({"email": "new@example.com"}, "email"),
        ({"role": "GOD"}, "role"),
    ],
)
async def test_put_invalid_fields(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, payload: dict[str, Any], field: str
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    user = await create_user(session, context)
    response = await client.put(f"/users/{user.id}", json=payload, headers=auth(context, admin))
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {field}
    await session.refresh(user)
    assert (user.first_name, user.last_name, user.role) == ("Test", "User", "CUSTOMER")


async def test_admin_cannot_null_the_role(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    user = await create_user(session, context)
    response = await client.put(f"/users/{user.id}", json={"role": None}, headers=auth(context, admin))
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"role"}


# -------------------------------------------------------------------------------------------- delete


async def test_delete_is_admin_only(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context)
    other = await create_user(session, context)
    assert_problem(await client.delete(f"/users/{user.id}", headers=auth(context, user)), 403, "FORBIDDEN")
    assert_problem(await client.delete(f"/users/{other.id}", headers=auth(context, user)), 403, "FORBIDDEN")
    await session.refresh(user)
    await session.refresh(other)
    assert user.deleted_at is None
    assert other.deleted_at is None


async def test_delete_anonymises_and_signs_out(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    address = email("doomed")
    registered = await register(
        client, email=address, firstName="Doomed", lastName="Person", phone="+1 555 0199"
    )
    user_id = uuid.UUID(registered["user"]["id"])
    other_login = (await client.post("/auth/login", json={"email": address, "password": PASSWORD})).json()

    response = await client.delete(f"/users/{user_id}", headers=auth(context, admin))
    assert response.status_code == 204
    assert response.content == b""

    row = await session.scalar(select(User).where(User.id == user_id))
    assert row is not None  # soft delete: the row stays for accounting
    assert row.deleted_at is not None
    assert address not in row.email
    assert row.email != address
    assert "Doomed" not in (row.first_name, row.last_name)
    assert "Person" not in (row.first_name, row.last_name)
    assert row.phone is None
    assert row.password_hash is None
    tokens = (await session.scalars(select(RefreshToken).where(RefreshToken.user_id == user_id))).all()
    assert tokens
    assert all(token.revoked_at is not None for token in tokens)

    login = await client.post("/auth/login", json={"email": address, "password": PASSWORD})
    assert_problem(login, 401, "UNAUTHORIZED")
    for token in (registered["refreshToken"], other_login["refreshToken"]):
        refreshed = await client.post("/auth/refresh", json={"refreshToken": token})
        assert_problem(refreshed, 401, "UNAUTHORIZED")
    assert_problem(
        await client.get("/auth/me", headers=bearer(registered["accessToken"])), 401, "UNAUTHORIZED"
    )

    # Gone for everyone; deleting again is 404, and the email is free for a new account.
    assert_problem(await client.get(f"/users/{user_id}", headers=auth(context, admin)), 404, "NOT_FOUND")
    assert_problem(await client.delete(f"/users/{user_id}", headers=auth(context, admin)), 404, "NOT_FOUND")
    again = await register(client, email=address)
    assert again["user"]["id"] != str(user_id)


async def test_delete_unknown_user_404(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    assert_problem(
        await client.delete(f"/users/{uuid.uuid4()}", headers=auth(context, admin)), 404, "NOT_FOUND"
    )


async def test_admin_cannot_delete_themselves(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    assert_problem(await client.delete(f"/users/{admin.id}", headers=auth(context, admin)), 409, "CONFLICT")
    await session.refresh(admin)
    assert admin.deleted_at is None
    assert (
        await client.post("/auth/login", json={"email": admin.email, "password": DEFAULT_PASSWORD})
    ).status_code == 200


async def test_delete_scrubs_personal_data_from_the_users_audit_trail(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    address = email("audited")
    registered = await register(
        client, email=address, firstName="Audrey", lastName="Trail", phone="+1 555 0123"
    )
    user_id = uuid.UUID(registered["user"]["id"])
    headers = bearer(registered["accessToken"])
    renamed = await client.put(f"/users/{user_id}", json={"firstName": "Audra"}, headers=headers)
    assert renamed.status_code == 200
    promoted = await client.put(f"/users/{user_id}", json={"role": "PROMOTER"}, headers=auth(context, admin))
    assert promoted.status_code == 200

    def trail_text(entries: list[AuditEntry]) -> str:
        return " ".join(f"{entry.before} {entry.after}" for entry in entries)

    query = select(AuditEntry).where(AuditEntry.entity_type == "user", AuditEntry.entity_id == user_id)
    before_delete = list((await session.scalars(query)).all())
    assert {entry.action for entry in before_delete} >= {
        "user.registered",
        "user.updated",
        "user.role_changed",
    }
    assert "Audrey" in trail_text(before_delete)  # the trail did hold personal data

    assert (await client.delete(f"/users/{user_id}", headers=auth(context, admin))).status_code == 204
    session.expunge_all()
    after_delete = list((await session.scalars(query)).all())
    text = trail_text(after_delete)
    for personal in (address, "Audrey", "Audra", "Trail", "555 0123"):
        assert personal not in text
    # What is not personal stays for accountability.
    actions = {entry.action for entry in after_delete}
    assert {"user.registered", "user.role_changed", "user.deleted"} <= actions
    role_change = next(entry for entry in after_delete if entry.action == "user.role_changed")
    assert role_change.after == {"role": "PROMOTER"}


async def test_demoted_admin_loses_admin_rights_at_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    root = await create_user(session, context, role=Role.ADMIN)
    deputy = await create_user(session, context, role=Role.ADMIN)
    deputy_headers = auth(context, deputy)  # a token minted while ADMIN
    assert (await client.get("/users", headers=deputy_headers)).status_code == 200
    demoted = await client.put(f"/users/{deputy.id}", json={"role": "CUSTOMER"}, headers=auth(context, root))
    assert demoted.status_code == 200
    assert_problem(await client.get("/users", headers=deputy_headers), 403, "FORBIDDEN")


# ------------------------------------------------------------------------------------ the last ADMIN


async def active_admins(session: AsyncSession) -> list[User]:
    session.expunge_all()
    query = select(User).where(User.role == Role.ADMIN.value, User.deleted_at.is_(None))
    return list((await session.scalars(query)).all())


def assert_last_admin_refused(response: httpx.Response) -> None:
    body = assert_problem(response, 409, "CONFLICT")
    assert error_fields(body) == {"role"}


@pytest.mark.parametrize("role", ["PROMOTER", "CUSTOMER"])
async def test_the_last_admin_cannot_demote_themselves(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, role: str
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    headers = auth(context, admin)
    refused = await client.put(
        f"/users/{admin.id}", json={"role": role, "firstName": "Kept"}, headers=headers
    )
    assert_last_admin_refused(refused)
    assert [(a.id, a.first_name) for a in await active_admins(session)] == [
        (admin.id, "Test")
    ]  # nothing written
    # What leaves an ADMIN in place is still allowed: other fields, and "demoting" to ADMIN.
    for body in ({"firstName": "Still"}, {"role": "ADMIN"}):
        assert (await client.put(f"/users/{admin.id}", json=body, headers=headers)).status_code == 200


async def test_an_admin_may_step_down_while_another_remains(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    other = await create_user(session, context, role=Role.ADMIN)
    response = await client.put(f"/users/{admin.id}", json={"role": "PROMOTER"}, headers=auth(context, admin))
    assert response.status_code == 200, response.text
    assert [a.id for a in await active_admins(session)] == [other.id]
    # Now the other is the last one.
    assert_last_admin_refused(
        await client.put(f"/users/{other.id}", json={"role": "CUSTOMER"}, headers=auth(context, other))
    )


async def test_deleted_admins_do_not_count(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    gone = await create_user(session, context, role=Role.ADMIN)
    assert (await client.delete(f"/users/{gone.id}", headers=auth(context, admin))).status_code == 204
    assert_last_admin_refused(
        await client.put(f"/users/{admin.id}", json={"role": "PROMOTER"}, headers=auth(context, admin))
    )


ROUNDS = 5


async def test_two_admins_demoting_each_other_at_once_leave_one(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    for _ in range(ROUNDS):
        session.expunge_all()
        await session.execute(update(User).values(role=Role.CUSTOMER.value))
        await session.commit()
        first = await create_user(session, context, role=Role.ADMIN)
        second = await create_user(session, context, role=Role.ADMIN)
        responses = await asyncio.gather(
            client.put(f"/users/{second.id}", json={"role": "PROMOTER"}, headers=auth(context, first)),
            client.put(f"/users/{first.id}", json={"role": "PROMOTER"}, headers=auth(context, second)),
        )
        assert_one_won(responses, 200)
        assert len(await active_admins(session)) == 1


async def test_two_admins_deleting_each_other_at_once_leave_one(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    for _ in range(ROUNDS):
        session.expunge_all()
        await session.execute(update(User).values(role=Role.CUSTOMER.value))
        await session.commit()
        first = await create_user(session, context, role=Role.ADMIN)
        second = await create_user(session, context, role=Role.ADMIN)
        responses = await asyncio.gather(
            client.delete(f"/users/{second.id}", headers=auth(context, first)),
            client.delete(f"/users/{first.id}", headers=auth(context, second)),
        )
        assert_one_won(responses, 204)
        assert len(await active_admins(session)) == 1


async def test_an_admin_deleting_another_who_steps_down_at_once_leaves_one(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    for _ in range(ROUNDS):
        session.expunge_all()
        await session.execute(update(User).values(role=Role.CUSTOMER.value))
        await session.commit()
        first = await create_user(session, context, role=Role.ADMIN)
        second = await create_user(session, context, role=Role.ADMIN)
        responses = await asyncio.gather(
            client.delete(f"/users/{second.id}", headers=auth(context, first)),
            client.put(f"/users/{first.id}", json={"role": "CUSTOMER"}, headers=auth(context, first)),
        )
        statuses = [r.status_code for r in responses]
        # Deleted, then the last ADMIN's step down refused; or stepped down, then the delete of the last
        # ADMIN refused (409), or refused a caller no longer ADMIN when it started after the step down (403).
        assert sorted(statuses) in ([204, 409], [200, 409], [200, 403]), statuses
        assert len(await active_admins(session)) == 1


def assert_one_won(responses: list[httpx.Response], success: int) -> None:
    """One change went through; the other was refused — as the last ADMIN's (409 naming ``role``), or,
    when it started after the first was committed, because its caller is no longer an ADMIN."""
    statuses = sorted(response.status_code for response in responses)
    assert statuses[0] == success and statuses[1] in {401, 403, 404, 409}, [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            assert_last_admin_refused(response)

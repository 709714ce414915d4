"""``/auth``: register, login, refresh rotation and reuse detection, me, logout."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.accounts.helpers import (
    PASSWORD,
    assert_problem,
    bearer,
    email,
    error_fields,
    login,
    register,
    registration,
)
from tests.factories import DEFAULT_PASSWORD, auth, create_user, token_for
from tixmo.accounts.models import RefreshToken, Role, User
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.security import create_access_token

USER_KEYS = {"id", "email", "firstName", "lastName", "phone", "role", "createdAt"}

# ------------------------------------------------------------------------------------------ register


async def test_register_answers_user_and_tokens(client: httpx.AsyncClient, session: AsyncSession) -> None:
    address = email("Mixed.Case").replace("example.com", "Example.COM")
    response = await client.post(
        "/auth/register", json=registration(email=address, phone="+44 20 7946 0958", firstName=" Ada ")
    )
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert {"user", "accessToken", "refreshToken"} <= set(body)
    user = body["user"]
    assert set(user) == USER_KEYS
    assert user["email"] == address.lower()
    assert user["firstName"] == "Ada"
    assert user["lastName"] == "Lovelace"
    assert user["phone"] == "+44 20 7946 0958"
    assert user["role"] == "CUSTOMER"
    uuid.UUID(user["id"])
    assert user["createdAt"].endswith(("Z", "+00:00"))
    assert body["accessToken"] != body["refreshToken"]

    row = await session.get(User, uuid.UUID(user["id"]))
    assert row is not None
    assert row.email == address.lower()
    assert row.password_hash is not None
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash

    me = await client.get("/auth/me", headers=bearer(body["accessToken"]))
    assert me.status_code == 200
    assert me.json() == user


async def test_register_promoter_role_allowed(client: httpx.AsyncClient) -> None:
    body = await register(client, role="PROMOTER")
    assert body["user"]["role"] == "PROMOTER"


async def test_register_admin_role_rejected(client: httpx.AsyncClient, session: AsyncSession) -> None:
    address = email()
    response = await client.post("/auth/register", json=registration(email=address, role="ADMIN"))
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"role"}
    assert await session.scalar(select(func.count()).select_from(User)) == 0


async def test_register_duplicate_email_conflicts_whatever_the_case(client: httpx.AsyncClient) -> None:
    address = email()
    await register(client, email=address)
    for variant in (address, address.upper(), f"  {address.title()}  "):
        response = await client.post("/auth/register", json=registration(email=variant))
        assert_problem(response, 409, "CONFLICT")


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("Sh0rt", id="too-short"),
        pytest.param("alllower123", id="no-upper"),
        pytest.param("ALLUPPER123", id="no-lower"),
        pytest.param("NoDigitsHere", id="no-digit"),
        pytest.param("", id="empty"),
    ],
)
async def test_register_weak_password_rejected(
    client: httpx.AsyncClient, session: AsyncSession, password: str
) -> None:
    response = await client.post("/auth/register", json=registration(password=password))
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"password"}
    assert all(error["message"] for error in body["errors"])
    assert await session.scalar(select(func.count()).select_from(User)) == 0


async def test_register_strong_password_of_minimum_length_accepted(client: httpx.AsyncClient) -> None:
    body = await register(client, password="Abcdef12")
    assert body["user"]["role"] == "CUSTOMER"


@pytest.mark.parametrize("missing", ["email", "password", "firstName", "lastName"])
async def test_register_missing_field_named(client: httpx.AsyncClient, missing: str) -> None:
    payload = registration()
    del payload[missing]
    body = assert_problem(await client.post("/auth/register", json=payload), 422, "VALIDATION_ERROR")
    assert error_fields(body) == {missing}
    assert missing in body["detail"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("firstName", 123),
        ("lastName", None),
        ("email", "not-an-email"),
        ("email", 42),
        ("firstName", "   "),
        ("phone", "call me maybe"),
        ("role", "SUPERUSER"),
        ("password", ["Secret123"]),
    ],
)
async def test_register_wrong_type_or_value_named(client: httpx.AsyncClient, field: str, value: Any) -> None:
    body = assert_problem(
        await client.post("/auth/register", json=registration(**{field: value})), 422, "VALIDATION_ERROR"
    )
    assert error_fields(body) == {field}


async def test_register_unknown_field_rejected(client: httpx.AsyncClient) -> None:
    payload = registration(isAdmin=True)
    body = assert_problem(await client.post("/auth/register", json=payload), 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"isAdmin"}


async def test_register_snake_case_field_names_rejected(client: httpx.AsyncClient) -> None:
    payload = registration()
    payload["first_name"] = payload.pop("firstName")
    body = assert_problem(await client.post("/auth/register", json=payload), 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"firstName", "first_name"}


async def test_register_invalid_json(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/auth/register", content=b'{"email": "a@example.com",', headers={"Content-Type": "application/json"}
    )
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"body"}
    assert body["type"].startswith("https://")
    assert body["title"]


async def test_register_without_body(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.post("/auth/register"), 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"body"}


async def test_register_body_not_an_object(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.post("/auth/register", json=["x"]), 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"body"}


async def test_concurrent_registrations_with_one_email_create_one_user(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    address = email("race")
    payloads = [registration(email=address if i % 2 else address.upper()) for i in range(20)]
    responses = await asyncio.gather(*(client.post("/auth/register", json=p) for p in payloads))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 19, [r.text for r in responses if r.status_code not in (201, 409)]
    for response in responses:
        if response.status_code == 409:
            assert_problem(response, 409, "CONFLICT")
    count = await session.scalar(select(func.count()).select_from(User).where(User.email == address))
    assert count == 1
    assert await session.scalar(select(func.count()).select_from(RefreshToken)) == 1


# --------------------------------------------------------------------------------------------- login


async def test_login_answers_user_and_tokens(client: httpx.AsyncClient) -> None:
    address = email()
    registered = await register(client, email=address)
    body = await login(client, address.upper())
    assert {"user", "accessToken", "refreshToken"} <= set(body)
    assert body["user"] == registered["user"]
    assert body["refreshToken"] != registered["refreshToken"]
    me = await client.get("/auth/me", headers=bearer(body["accessToken"]))
    assert me.status_code == 200
    assert me.json()["id"] == registered["user"]["id"]


async def test_login_wrong_password_and_unknown_email_answer_alike(client: httpx.AsyncClient) -> None:
    address = email()
    await register(client, email=address)
    wrong_password = await client.post("/auth/login", json={"email": address, "password": "Wrong1234"})
    unknown_email = await client.post("/auth/login", json={"email": email(), "password": PASSWORD})
    first = assert_problem(wrong_password, 401, "UNAUTHORIZED")
    second = assert_problem(unknown_email, 401, "UNAUTHORIZED")
    assert first == second
    assert wrong_password.headers.get("www-authenticate") == unknown_email.headers.get("www-authenticate")


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"email": "a@example.com"}, id="no-password"),
        pytest.param({"password": "Secret123"}, id="no-email"),
        pytest.param({"email": "a@example.com", "password": ""}, id="empty-password"),
        pytest.param({"email": "a@example.com", "password": "Secret123", "remember": True}, id="extra"),
    ],
)
async def test_login_malformed_body(client: httpx.AsyncClient, payload: dict[str, Any]) -> None:
    body = assert_problem(await client.post("/auth/login", json=payload), 422, "VALIDATION_ERROR")
    assert body["errors"]


async def test_deleted_user_cannot_log_in(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    address = email()
    registered = await register(client, email=address)
    deleted = await client.delete(f"/users/{registered['user']['id']}", headers=auth(context, admin))
    assert deleted.status_code == 204
    response = await client.post("/auth/login", json={"email": address, "password": PASSWORD})
    assert_problem(response, 401, "UNAUTHORIZED")


# ------------------------------------------------------------------------------------------- refresh


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/auth/refresh", json={"refreshToken": token})


async def test_refresh_rotates_the_token(client: httpx.AsyncClient) -> None:
    registered = await register(client)
    first = await refresh(client, registered["refreshToken"])
    assert first.status_code == 200, first.text
    pair = first.json()
    assert {"accessToken", "refreshToken"} <= set(pair)
    assert pair["refreshToken"] != registered["refreshToken"]

    me = await client.get("/auth/me", headers=bearer(pair["accessToken"]))
    assert me.status_code == 200
    assert me.json()["id"] == registered["user"]["id"]

    second = await refresh(client, pair["refreshToken"])
    assert second.status_code == 200, second.text


async def test_rotated_token_reuse_revokes_the_family(client: httpx.AsyncClient) -> None:
    registered = await register(client)
    original = registered["refreshToken"]
    newer = (await refresh(client, original)).json()["refreshToken"]
    newest = (await refresh(client, newer)).json()["refreshToken"]

    reused = await refresh(client, original)
    assert_problem(reused, 401, "UNAUTHORIZED")
    assert reused.headers["www-authenticate"].lower().startswith("bearer")

    # The whole family is gone, the newest token included, and it stays gone.
    assert_problem(await refresh(client, newest), 401, "UNAUTHORIZED")
    assert_problem(await refresh(client, newer), 401, "UNAUTHORIZED")


async def test_reuse_revokes_only_that_login(client: httpx.AsyncClient) -> None:
    address = email()
    registered = await register(client, email=address)
    other_login = await login(client, address)
    await refresh(client, registered["refreshToken"])
    assert_problem(await refresh(client, registered["refreshToken"]), 401, "UNAUTHORIZED")
    assert (await refresh(client, other_login["refreshToken"])).status_code == 200


async def test_expired_refresh_token_rejected(client: httpx.AsyncClient, session: AsyncSession) -> None:
    registered = await register(client)
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == uuid.UUID(registered["user"]["id"]))
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()
    assert_problem(await refresh(client, registered["refreshToken"]), 401, "UNAUTHORIZED")


@pytest.mark.parametrize("token", ["garbage", "rt_" + "A" * 43, "x" * 512])
async def test_garbage_refresh_token_rejected(client: httpx.AsyncClient, token: str) -> None:
    assert_problem(await refresh(client, token), 401, "UNAUTHORIZED")


async def test_refresh_token_body_validated(client: httpx.AsyncClient) -> None:
    for payload in ({}, {"refreshToken": ""}, {"refreshToken": 5}):
        body = assert_problem(await client.post("/auth/refresh", json=payload), 422, "VALIDATION_ERROR")
        assert error_fields(body) == {"refreshToken"}


async def test_access_token_cannot_refresh(client: httpx.AsyncClient) -> None:
    registered = await register(client)
    assert_problem(await refresh(client, registered["accessToken"]), 401, "UNAUTHORIZED")


# ------------------------------------------------------------------------------------------------ me


def assert_unauthorized(response: httpx.Response) -> None:
    assert_problem(response, 401, "UNAUTHORIZED")
    assert response.headers["www-authenticate"].lower().startswith("bearer")


async def test_me_without_token(client: httpx.AsyncClient) -> None:
    assert_unauthorized(await client.get("/auth/me"))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "bearer not.a.jwt", "Bearer a b c"],
)
async def test_me_malformed_header(client: httpx.AsyncClient, header: str) -> None:
    assert_unauthorized(await client.get("/auth/me", headers={"Authorization": header}))


async def test_me_forged_token(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> None:
    user = await create_user(session, context)
    forged, _ = create_access_token("another-secret-" + "x" * 32, user.id, "ADMIN", timedelta(minutes=5))
    assert_unauthorized(await client.get("/auth/me", headers=bearer(forged)))


async def test_me_unsigned_token(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context)
    claims = {"sub": str(user.id), "typ": "access", "iss": "tixmo", "iat": 0, "exp": 9999999999}
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    assert_unauthorized(await client.get("/auth/me", headers=bearer(unsigned)))


async def test_me_expired_access_token(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context)
    expired = token_for(context, user, lifetime=timedelta(seconds=-30))
    response = await client.get("/auth/me", headers=bearer(expired))
    assert_unauthorized(response)
    assert "expired" in response.json()["detail"].lower()
    # The same user with a valid token is fine: the rejection is about the token only.
    assert (await client.get("/auth/me", headers=auth(context, user))).status_code == 200


async def test_me_refresh_token_as_bearer(client: httpx.AsyncClient) -> None:
    registered = await register(client)
    assert_unauthorized(await client.get("/auth/me", headers=bearer(registered["refreshToken"])))


async def test_me_token_of_unknown_user(client: httpx.AsyncClient, context: AppContext) -> None:
    token, _ = create_access_token(context.secret_key, uuid.uuid4(), "CUSTOMER", timedelta(minutes=5))
    assert_unauthorized(await client.get("/auth/me", headers=bearer(token)))


async def test_me_token_of_wrong_type(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context)
    claims = {"sub": str(user.id), "typ": "scanner", "iss": "tixmo", "iat": 0, "exp": 9999999999}
    token = jwt.encode(claims, context.secret_key, algorithm="HS256")
    assert_unauthorized(await client.get("/auth/me", headers=bearer(token)))


async def test_me_answers_the_user(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context, first_name="Grace", last_name="Hopper")
    response = await client.get("/auth/me", headers=auth(context, user))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == USER_KEYS
    assert body["id"] == str(user.id)
    assert (body["firstName"], body["lastName"], body["role"]) == ("Grace", "Hopper", "CUSTOMER")


# -------------------------------------------------------------------------------------------- logout


async def test_logout_with_refresh_token_revokes_that_login(client: httpx.AsyncClient) -> None:
    address = email()
    first = await register(client, email=address)
    second = await login(client, address)
    rotated = (await refresh(client, first["refreshToken"])).json()

    response = await client.post(
        "/auth/logout", json={"refreshToken": first["refreshToken"]}, headers=bearer(first["accessToken"])
    )
    assert response.status_code == 204
    assert response.content == b""
    # The family of that login is revoked, its rotated successor included; the other login survives.
    assert_problem(await refresh(client, rotated["refreshToken"]), 401, "UNAUTHORIZED")
    assert (await refresh(client, second["refreshToken"])).status_code == 200


async def test_logout_without_body_revokes_every_login(client: httpx.AsyncClient) -> None:
    address = email()
    first = await register(client, email=address)
    second = await login(client, address)
    response = await client.post("/auth/logout", headers=bearer(second["accessToken"]))
    assert response.status_code == 204
    assert_problem(await refresh(client, first["refreshToken"]), 401, "UNAUTHORIZED")
    assert_problem(await refresh(client, second["refreshToken"]), 401, "UNAUTHORIZED")


async def test_logout_cannot_revoke_another_users_token(client: httpx.AsyncClient) -> None:
    victim = await register(client)
    attacker = await register(client)
    response = await client.post(
        "/auth/logout", json={"refreshToken": victim["refreshToken"]}, headers=bearer(attacker["accessToken"])
    )
    assert response.status_code == 204
    assert (await refresh(client, victim["refreshToken"])).status_code == 200
    assert (await refresh(client, attacker["refreshToken"])).status_code == 200


async def test_logout_requires_a_token(client: httpx.AsyncClient) -> None:
    assert_unauthorized(await client.post("/auth/logout"))


async def test_logout_revokes_in_the_database(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context)
    tokens = [await login(client, user.email, DEFAULT_PASSWORD) for _ in range(3)]
    assert (await client.post("/auth/logout", headers=bearer(tokens[0]["accessToken"]))).status_code == 204
    active = await session.scalar(
        select(func.count())
        .select_from(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
    )
    assert active == 0


async def test_token_lifetimes_follow_the_settings(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    registered = await register(client)
    claims = jwt.decode(registered["accessToken"], context.secret_key, algorithms=["HS256"], issuer="tixmo")
    assert claims["exp"] - claims["iat"] == int(context.access_token_lifetime.total_seconds()) == 15 * 60
    assert claims["sub"] == registered["user"]["id"]
    assert registered["expiresIn"] == 15 * 60
    stored = await session.scalar(
        select(RefreshToken).where(RefreshToken.user_id == uuid.UUID(registered["user"]["id"]))
    )
    assert stored is not None
    assert registered["refreshToken"] not in stored.token_hash  # stored hashed
    lifetime = stored.expires_at - stored.created_at
    assert timedelta(days=7) - timedelta(minutes=1) < lifetime <= timedelta(days=7) + timedelta(minutes=1)


async def test_concurrent_refreshes_with_one_token_rotate_once(client: httpx.AsyncClient) -> None:
    registered = await register(client)
    responses = await asyncio.gather(*(refresh(client, registered["refreshToken"]) for _ in range(8)))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [401] * 7

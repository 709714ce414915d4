"""Sign-in and sign-out of the dashboard: the session cookie, CSRF, redirects, rate limits."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.dashboard.helpers import csrf_of, sign_in, signed_in
from tests.factories import auth as bearer
from tests.factories import create_user
from tixmo.accounts.models import Role
from tixmo.dashboard import auth
from tixmo.deps import AppContext


def _set_cookie(response: httpx.Response, name: str) -> str:
    headers = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(headers) == 1, response.headers.get_list("set-cookie")
    return headers[0]


async def test_the_form_has_the_contract_inputs_a_csrf_token_and_a_strict_csp(web: httpx.AsyncClient) -> None:
    form = await web.get("/dashboard/login")
    assert form.status_code == 200
    assert form.headers["content-type"].startswith("text/html")
    assert 'name="email"' in form.text and 'name="password"' in form.text
    assert '<label for="email">' in form.text and '<label for="password">' in form.text
    csrf_of(form.text)
    cookie = _set_cookie(form, auth.CSRF_COOKIE).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/dashboard" in cookie
    assert "secure" not in cookie  # plain http
    csp = form.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert form.headers["cache-control"] == "no-store"


async def test_signing_in_sets_an_httponly_lax_session_cookie_and_redirects(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context, role=Role.PROMOTER)
    answer = await sign_in(web, user.email.upper())  # emails are case-insensitive
    assert answer.status_code == 303
    assert answer.headers["location"] == "/dashboard"
    cookie = _set_cookie(answer, auth.SESSION_COOKIE).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/dashboard" in cookie
    assert "secure" not in cookie
    value = web.cookies[auth.SESSION_COOKIE]
    assert value.startswith("rt_") or len(value) > 20
    page = await web.get("/dashboard")
    assert page.status_code == 200 and user.email in page.text


async def test_over_https_the_cookies_are_secure(
    app: FastAPI, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context, role=Role.PROMOTER)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as web:
        form = await web.get("/dashboard/login")
        assert "secure" in _set_cookie(form, auth.CSRF_COOKIE).lower()
        answer = await sign_in(web, user.email)
        assert answer.status_code == 303
        assert "; secure" in _set_cookie(answer, auth.SESSION_COOKIE).lower()


@pytest.mark.parametrize(
    ("email", "password", "status"),
    [
        ("known", "Wrong-Passw0rd", 401),
        ("nobody-here@example.com", "Passw0rd!", 401),
        ("", "Passw0rd!", 422),
        ("known", "", 422),
        ("x" * 400 + "@example.com", "Passw0rd!", 422),  # past the form's max length
        ("nul\x00@example.com", "Passw0rd!", 422),  # a NUL, which PostgreSQL cannot take
        ("known", "Passw0rd!\x00", 422),
    ],
)
async def test_wrong_or_missing_credentials_show_the_form_again_without_a_session(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext, email: str, password: str, status: int
) -> None:
    user = await create_user(session, context, role=Role.PROMOTER)
    answer = await sign_in(web, user.email if email == "known" else email, password)
    assert answer.status_code == status
    assert auth.SESSION_COOKIE not in web.cookies
    if status == 401:
        assert "Invalid email or password." in answer.text
        assert 'role="alert"' in answer.text
        csrf_of(answer.text)  # the form again, ready for the next try


async def test_a_post_without_the_csrf_token_or_cookie_is_refused(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context, role=Role.PROMOTER)
    form = await web.get("/dashboard/login")
    token = csrf_of(form.text)
    body = {"email": user.email, "password": "Passw0rd!"}
    missing = await web.post("/dashboard/login", data=body)
    assert missing.status_code == 403
    forged = await web.post("/dashboard/login", data={**body, "csrf": "0" * 64})
    assert forged.status_code == 403
    # A cross-site page can post the token it saw elsewhere, but it cannot send the victim's cookie.
    web.cookies.delete(auth.CSRF_COOKIE)
    without_cookie = await web.post("/dashboard/login", data={**body, "csrf": token})
    assert without_cookie.status_code == 403
    assert auth.SESSION_COOKIE not in web.cookies


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/dashboard/events/123", "/dashboard/events/123"),
        ("https://evil.example.com/dashboard", "/dashboard"),
        ("//evil.example.com/dashboard", "/dashboard"),
        ("/dashboard\\..\\x", "/dashboard"),
        ("/api/v1/users", "/dashboard"),
        ("", "/dashboard"),
    ],
)
async def test_the_redirect_after_sign_in_stays_on_the_dashboard(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext, target: str, expected: str
) -> None:
    user = await create_user(session, context, role=Role.PROMOTER)
    answer = await sign_in(web, user.email, next=target)
    assert answer.status_code == 303
    assert answer.headers["location"] == expected


async def test_signed_out_pages_redirect_to_the_form_and_json_answers_401(web: httpx.AsyncClient) -> None:
    page = await web.get("/dashboard/events/00000000-0000-0000-0000-000000000001")
    assert page.status_code == 303
    assert page.headers["location"] == (
        "/dashboard/login?next=%2Fdashboard%2Fevents%2F00000000-0000-0000-0000-000000000001"
    )
    assert (await web.get("/dashboard")).status_code == 303
    data = await web.get("/dashboard/events/00000000-0000-0000-0000-000000000001/live.json")
    assert data.status_code == 401
    assert data.headers["content-type"] == "application/problem+json"
    web.cookies.set(auth.SESSION_COOKIE, "rt_made-up", path="/dashboard")
    assert (await web.get("/dashboard")).status_code == 303


async def test_signing_out_revokes_the_session_for_good(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context, role=Role.PROMOTER)
    token = await signed_in(web, user.email)
    stolen = web.cookies[auth.SESSION_COOKIE]
    refused = await web.post("/dashboard/logout", data={})
    assert refused.status_code == 403
    assert (await web.get("/dashboard")).status_code == 200  # still signed in
    out = await web.post("/dashboard/logout", data={"csrf": token})
    assert out.status_code == 303 and out.headers["location"] == "/dashboard/login"
    assert auth.SESSION_COOKIE not in web.cookies
    # A copy of the cookie kept from before is dead too: the login was revoked, not only forgotten.
    web.cookies.set(auth.SESSION_COOKIE, stolen, path="/dashboard")
    assert (await web.get("/dashboard")).status_code == 303


async def test_a_deleted_account_is_signed_out(
    web: httpx.AsyncClient, client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context, role=Role.PROMOTER)
    await signed_in(web, user.email)
    admin = await create_user(session, context, role=Role.ADMIN)
    deleted = await client.delete(f"/users/{user.id}", headers=bearer(context, admin))
    assert deleted.status_code == 204, deleted.text
    assert (await web.get("/dashboard")).status_code == 303


async def test_failed_sign_ins_are_rate_limited_like_the_api(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    user = await create_user(session, context, role=Role.PROMOTER)
    limit = int(context.settings.rate_limit_login.split("/")[0])
    for _ in range(limit):
        assert (await sign_in(web, user.email, "Wrong-Passw0rd")).status_code == 401
    blocked = await sign_in(web, user.email)  # even the right password, until the window passes
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0
    assert auth.SESSION_COOKIE not in web.cookies

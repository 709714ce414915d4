"""Shared set-up of the dashboard tests: signing in through the form, reading its CSRF token."""

from __future__ import annotations

import re

import httpx

from tests.factories import DEFAULT_PASSWORD

CSRF_INPUT = re.compile(r'<input type="hidden" name="csrf" value="([0-9a-f]{64})">')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([0-9a-f]{64})">')


def csrf_of(html: str) -> str:
    found = CSRF_INPUT.search(html) or CSRF_META.search(html)
    assert found is not None, html[:500]
    return found.group(1)


async def sign_in(
    web: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD, next: str = "/dashboard"
) -> httpx.Response:
    """Open the sign-in form (it sets the CSRF cookie), post it; the answer (303 on success)."""
    form = await web.get("/dashboard/login")
    assert form.status_code == 200, form.text
    return await web.post(
        "/dashboard/login",
        data={"email": email, "password": password, "csrf": csrf_of(form.text), "next": next},
    )


async def signed_in(web: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD) -> str:
    """Sign in (which must work); the CSRF token of the pages from now on."""
    answer = await sign_in(web, email, password)
    assert answer.status_code == 303, answer.text
    page = await web.get("/dashboard")
    assert page.status_code == 200, page.text
    return csrf_of(page.text)

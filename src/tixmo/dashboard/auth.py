"""Sign-in of the dashboard pages: a session cookie and CSRF tokens.

The session cookie holds the refresh token of a login (``accounts.service.login``): opaque, stored
hashed, revocable. It is checked against ``refresh_tokens`` on every request, so signing out (which
revokes that login), deleting the account or revoking all of a user's sessions ends it at once. It is
``HttpOnly``, ``SameSite=Lax``, ``Secure`` when the page is served over https, and scoped to
``/dashboard``. It is never rotated: the dashboard does not use the access token of the login.

CSRF: every form and every ``POST`` of the pages' scripts carries a token, the HMAC of a random value kept
in a second cookie (the signed double-submit pattern). A cross-site page can neither read that cookie nor
forge its HMAC; ``SameSite`` keeps the session cookie out of cross-site ``POST``\\ s as well.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from fastapi import Request, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import RefreshToken, User
from tixmo.db import utcnow
from tixmo.security import hash_token

SESSION_COOKIE = "tixmo_dashboard"
CSRF_COOKIE = "tixmo_dashboard_csrf"
CSRF_HEADER = "X-CSRF-Token"
COOKIE_PATH = "/dashboard"
TOKEN_MAX_LENGTH = 512


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH, secure=is_https(request), httponly=True, samesite="lax")


async def signed_in_user(session: AsyncSession, request: Request) -> tuple[User, str] | None:
    """The user of the request's session cookie and the cookie's token, or None (no cookie, or a login
    that was signed out, rotated, expired, or an account deactivated)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    user_id: uuid.UUID | None = await session.scalar(
        select(RefreshToken.user_id).where(
            RefreshToken.token_hash == hash_token(token),
            RefreshToken.revoked_at.is_(None),
            RefreshToken.rotated_at.is_(None),
            RefreshToken.expires_at > utcnow(),
        )
    )
    if user_id is None:
        return None
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return user, token


class Csrf:
    """The CSRF value of a request: taken from its cookie, or a new one (then set on the response)."""

    def __init__(self, secret_key: str, request: Request) -> None:
        self._key = hashlib.sha256(b"tixmo-dashboard-csrf:" + secret_key.encode()).digest()
        incoming = request.cookies.get(CSRF_COOKIE, "")
        self.is_new = not (16 <= len(incoming) <= 128)
        self.value = secrets.token_urlsafe(32) if self.is_new else incoming

    def token(self) -> str:
        """What a form or script sends back: the HMAC of the cookie's value."""
        return hmac.new(self._key, self.value.encode(), hashlib.sha256).hexdigest()

    def check(self, sent: str | None) -> bool:
        """Whether ``sent`` is this request's token (a request with no cookie never passes)."""
        return not self.is_new and sent is not None and hmac.compare_digest(sent, self.token())

    def keep(self, request: Request, response: Response) -> None:
        if self.is_new:
            set_cookie(request, response, CSRF_COOKIE, self.value, max_age=None)

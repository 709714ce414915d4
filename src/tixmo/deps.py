"""FastAPI dependencies: the request's session, the caller, roles, shared services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import transient
from tixmo.accounts.models import Role, User
from tixmo.checkin import service as scanners
from tixmo.checkin.models import Scanner
from tixmo.context import AppContext as AppContext  # re-exported: routes annotate with it
from tixmo.db import Database
from tixmo.errors import Forbidden, TixmoError, Unauthorized
from tixmo.integrations.apikeys import KEY_PREFIX as API_KEY_PREFIX
from tixmo.integrations.ratelimits import api_key_claims
from tixmo.security import (
    AccessClaims,
    TokenError,
    decode_access_token,
    decode_scanner_token,
)
from tixmo.security import (
    ScannerClaims as ScannerTokenClaims,
)


async def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


Context = Annotated[AppContext, Depends(get_context)]


@asynccontextmanager
async def transaction(database: Database) -> AsyncIterator[AsyncSession]:
    """One transaction: committed when the block ends; rolled back on an error, except a ``TixmoError``
    whose ``commit_before_raise`` asks to keep what was done before it (e.g. expired holds released)."""
    async with database.sessionmaker() as session:
        try:
            yield session
        except TixmoError as exc:
            if exc.commit_before_raise:
                with transient.committing():
                    await session.commit()
            else:
                await session.rollback()
            raise
        except BaseException:
            await session.rollback()
            raise
        else:
            with transient.committing():
                await session.commit()


async def _session(context: Context) -> AsyncIterator[AsyncSession]:
    """The request's one transaction: committed when the handler returns, before the response is sent."""
    async with transaction(context.database) as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(_session, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <accessToken>`")


async def _access_claims(
    request: Request,
    context: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AccessClaims:
    """The claims of a valid bearer access token (checked without the database), or of an organization
    API key ``tixmo_…`` (checked in a short transaction of its own: scopes, revocation, rate-limit tier)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("A bearer access token is required.")
    if credentials.credentials.startswith(API_KEY_PREFIX):
        async with transaction(context.database) as session:
            return await api_key_claims(
                request,
                session,
                credentials.credentials,
                rate_limiter=context.rate_limiter,
                default_per_minute=context.settings.api_key_rate_limit_per_minute,
            )
    try:
        return decode_access_token(context.secret_key, credentials.credentials)
    except TokenError as exc:
        raise Unauthorized(str(exc)) from exc


AccessToken = Annotated[AccessClaims, Depends(_access_claims)]


async def user_of(session: AsyncSession, claims: AccessClaims) -> User:
    """The account of an access token; 401 when it no longer exists or was deactivated."""
    user = await session.get(User, claims.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("The account no longer exists.")
    return user


async def _current_user(claims: AccessToken, session: DbSession) -> User:
    return await user_of(session, claims)


async def _optional_user(
    request: Request,
    context: Context,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    if credentials is None:
        return None
    return await user_of(session, await _access_claims(request, context, credentials))


CurrentUser = Annotated[User, Depends(_current_user)]
OptionalUser = Annotated[User | None, Depends(_optional_user)]


_scanner_bearer = HTTPBearer(
    auto_error=False, scheme_name="ScannerToken", description="`Authorization: Bearer <scannerToken>`"
)


async def _scanner_claims(
    context: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_scanner_bearer)],
) -> ScannerTokenClaims:
    """A scanner token's claims, its signature and expiry checked in the process. It says nothing about
    whether the device is still usable: ``CurrentScanner`` reads the device, and the online scan's
    express path checks it inside its statement (``checkin/express.py``)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("A bearer scanner token is required.")
    try:
        return decode_scanner_token(context.secret_key, credentials.credentials)
    except TokenError as exc:
        raise Unauthorized(str(exc)) from exc


ScannerClaims = Annotated[ScannerTokenClaims, Depends(_scanner_claims)]


async def _current_scanner(session: DbSession, claims: ScannerClaims) -> Scanner:
    """The scanner device of a scanner token; its row is read on every request, so a device disabled
    or deleted a moment ago is refused (401) even with an unexpired token."""
    return await scanners.active_scanner(session, claims.scanner_id, claims.event_id)


CurrentScanner = Annotated[Scanner, Depends(_current_scanner)]


def is_admin(user: User | None) -> bool:
    return user is not None and user.role == Role.ADMIN


def require_roles(*roles: Role) -> Any:
    """A dependency that lets only users with one of ``roles`` (or ADMIN) through (403 otherwise)."""
    allowed = {role.value for role in roles} | {Role.ADMIN.value}

    async def dependency(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden(f"This requires one of the roles: {', '.join(sorted(allowed))}.")
        return user

    return Depends(dependency)


async def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientIP = Annotated[str, Depends(client_ip)]

"""``/auth`` and ``/users`` endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from tixmo.accounts import service
from tixmo.accounts.models import Role
from tixmo.accounts.schemas import (
    AuthResponse,
    LoginRequest,
    LogoutRequest,
    RefreshRequest,
    RegisterRequest,
    TokenPair,
    UserRead,
    UserUpdate,
)
from tixmo.deps import ClientIP, Context, CurrentUser, DbSession, require_roles, transaction
from tixmo.errors import Unauthorized, problems
from tixmo.schemas import Page, Pagination, UserIdPath

auth_router = APIRouter(prefix="/auth", tags=["auth"])
users_router = APIRouter(prefix="/users", tags=["users"])


def _auth_response(user: object, tokens: service.IssuedTokens) -> AuthResponse:
    return AuthResponse(
        user=UserRead.model_validate(user),
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
    )


@auth_router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=AuthResponse,
    responses=problems(409, 413, 429),
    summary="Create an account (CUSTOMER or PROMOTER)",
)
async def register(body: RegisterRequest, session: DbSession, context: Context, ip: ClientIP) -> AuthResponse:
    await context.rate_limiter.hit(context.settings.rate_limit_register, "register", ip)
    user, tokens = await service.register(session, context, body)
    return _auth_response(user, tokens)


@auth_router.post(
    "/login",
    response_model=AuthResponse,
    responses=problems(401, 429),
    summary="Sign in with email and password",
)
async def login(body: LoginRequest, context: Context, ip: ClientIP) -> AuthResponse:
    limit, limiter = context.settings.rate_limit_login, context.rate_limiter
    keys = (("login-ip", ip), ("login-account", body.email))
    for key in keys:
        await limiter.check(limit, *key)  # cheap refusal before waiting for a turn
    # Check, verify and count one attempt at a time per IP and per account (in every process), or a
    # burst of concurrent guesses all passes the check before the first failure is counted. Waiting for
    # the turn holds no database connection; the turn lasts until the tokens are committed, so one login
    # per account holds at most one connection per process (docs/architecture.md#authentication).
    async with limiter.one_at_a_time(*(":".join(key) for key in keys)):
        for key in keys:
            await limiter.check(limit, *key)
        async with transaction(context.database) as session:
            result = await service.login(session, context, body.email, body.password)
        if result is None:
            for key in keys:
                await limiter.count(limit, *key)
            raise Unauthorized(service.INVALID_CREDENTIALS)
    return _auth_response(*result)


@auth_router.post(
    "/refresh",
    response_model=TokenPair,
    responses=problems(401, 429),
    summary="Exchange a refresh token for a new token pair (rotation)",
)
async def refresh(body: RefreshRequest, session: DbSession, context: Context, ip: ClientIP) -> TokenPair:
    await context.rate_limiter.hit(context.settings.rate_limit_refresh, "refresh", ip)
    tokens = await service.refresh(session, context, body.refresh_token)
    return TokenPair(
        access_token=tokens.access_token, refresh_token=tokens.refresh_token, expires_in=tokens.expires_in
    )


@auth_router.get("/me", response_model=UserRead, responses=problems(401), summary="The signed-in user")
async def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)


@auth_router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401),
    summary="Revoke one refresh token's login, or all of the user's",
)
async def logout(user: CurrentUser, session: DbSession, body: LogoutRequest | None = None) -> Response:
    await service.logout(session, user, body.refresh_token if body else None)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@users_router.get(
    "",
    response_model=Page[UserRead],
    responses=problems(401, 403),
    dependencies=[require_roles()],
    summary="List users (ADMIN)",
)
async def list_users(
    session: DbSession,
    paging: Pagination,
    role: Role | None = None,
    search: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[UserRead]:
    users, total = await service.list_users(
        session, role=role, search=search, offset=paging.offset, limit=paging.limit
    )
    return paging.build([UserRead.model_validate(user) for user in users], total)


@users_router.get(
    "/{userId}", response_model=UserRead, responses=problems(401, 404), summary="Get a user (self or ADMIN)"
)
async def get_user(user_id: UserIdPath, actor: CurrentUser, session: DbSession) -> UserRead:
    return UserRead.model_validate(await service.get_user_for(session, actor, user_id))


@users_router.put(
    "/{userId}",
    response_model=UserRead,
    responses=problems(401, 403, 404, 409),
    summary="Update a user (partial; only ADMIN may set role; the last ADMIN stays one)",
)
async def update_user(
    user_id: UserIdPath, body: UserUpdate, actor: CurrentUser, session: DbSession
) -> UserRead:
    await body.check_read_only(lambda: get_user(user_id, actor, session))
    return UserRead.model_validate(await service.update_user(session, actor, user_id, body))


@users_router.delete(
    "/{userId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 403, 404, 409),
    dependencies=[require_roles()],
    summary="Delete a user: soft delete and anonymization (ADMIN)",
)
async def delete_user(user_id: UserIdPath, actor: CurrentUser, session: DbSession) -> Response:
    await service.delete_user(session, actor, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

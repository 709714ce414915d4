"""Organization API keys: creation (the key shown once), listing, revocation, and authentication.

A key is ``tixmo_live_<random>`` (``tixmo_test_`` outside production). It acts through its own service
account (a ``users`` row that cannot sign in, a member of the organization), so every existing tenant
check applies to it unchanged; ``scope_for_route`` then limits it to the parts of the API its scopes
name. Revocation and expiry are checked on every request (a row read by its unique hash), so a revoked
key fails at once; ``last_used_at`` is written at most once a minute per key, not on every request.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import Role, User
from tixmo.db import utcnow
from tixmo.errors import Forbidden, NotFound, Unauthorized, ValidationFailed
from tixmo.integrations.models import ApiKey, Scope
from tixmo.organizations import service as organizations
from tixmo.organizations.models import MemberRole, Membership

KEY_PREFIX = "tixmo_"
VISIBLE_PREFIX_CHARS = 8  # random characters shown after ``tixmo_live_`` in lists
LAST_USED_RESOLUTION_SECONDS = 60

# Which scope a route needs, by its OpenAPI tag: (read scope, write scope). A route whose tag is not
# here is closed to API keys (accounts, organizations, keys and webhooks themselves, notifications).
_TAG_SCOPES: dict[str, tuple[Scope, Scope]] = {
    "events": (Scope.EVENTS_READ, Scope.EVENTS_WRITE),
    "venues": (Scope.EVENTS_READ, Scope.EVENTS_WRITE),
    "ticket-types": (Scope.EVENTS_READ, Scope.EVENTS_WRITE),
    "seating": (Scope.EVENTS_READ, Scope.EVENTS_WRITE),
    "promo-codes": (Scope.EVENTS_READ, Scope.EVENTS_WRITE),
    "images": (Scope.EVENTS_READ, Scope.EVENTS_WRITE),
    "waitlist": (Scope.EVENTS_READ, Scope.EVENTS_WRITE),
    "orders": (Scope.ORDERS_READ, Scope.ORDERS_WRITE),
    "payments": (Scope.ORDERS_READ, Scope.ORDERS_WRITE),
    "tickets": (Scope.ORDERS_READ, Scope.ORDERS_WRITE),
    "scanners": (Scope.CHECKIN, Scope.CHECKIN),
    "attendance": (Scope.CHECKIN, Scope.CHECKIN),
    "signing-keys": (Scope.CHECKIN, Scope.CHECKIN),
    "analytics": (Scope.ANALYTICS_READ, Scope.ANALYTICS_READ),
}
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def scope_for_route(method: str, tags: list[str]) -> Scope | None:
    """The scope a request needs; None: API keys may not use this route at all."""
    for tag in tags:
        if tag in _TAG_SCOPES:
            read, write = _TAG_SCOPES[tag]
            return read if method.upper() in _READS else write
    return None


def require_scope(key: ApiKey, method: str, tags: list[str]) -> None:
    needed = scope_for_route(method, tags)
    if needed is None:
        raise Forbidden("API keys cannot use this endpoint; sign in as a user.")
    if needed.value not in key.scopes:
        raise Forbidden(f"This API key lacks the scope {needed.value}.", extra={"missingScope": needed.value})


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def managed_organization(session: AsyncSession, actor: User, org_id: uuid.UUID) -> None:
    """Owners and admins of the organization, and platform ADMINs; other members 403, others 404."""
    _, member = await organizations.get_visible(session, actor, org_id)
    if actor.role != Role.ADMIN and (member is None or member.role not in organizations.MANAGERS):
        raise Forbidden("Only the organization's owners and admins manage its API keys and webhooks.")


async def create(
    session: AsyncSession,
    actor: User,
    org_id: uuid.UUID,
    *,
    name: str,
    scopes: list[Scope],
    expires_at: datetime | None,
    live: bool,
) -> tuple[ApiKey, str]:
    await managed_organization(session, actor, org_id)
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationFailed("expiresAt", "Must be in the future.")
    key_id = uuid.uuid4()
    random_part = secrets.token_urlsafe(32)
    key = f"{KEY_PREFIX}{'live' if live else 'test'}_{random_part}"
    account = User(
        email=f"api-key-{key_id}@api-keys.tixmo.invalid",
        password_hash=None,
        first_name="API key",
        last_name=name[:100],
        role=Role.PROMOTER.value,
    )
    session.add(account)
    await session.flush()
    session.add(Membership(organization_id=org_id, user_id=account.id, role=MemberRole.ADMIN.value))
    api_key = ApiKey(
        id=key_id,
        organization_id=org_id,
        user_id=account.id,
        name=name,
        prefix=key[: len(KEY_PREFIX) + 5 + VISIBLE_PREFIX_CHARS],
        key_hash=hash_key(key),
        scopes=sorted({scope.value for scope in scopes}),
        expires_at=expires_at,
    )
    session.add(api_key)
    await session.flush()
    return api_key, key


async def list_for(session: AsyncSession, actor: User, org_id: uuid.UUID) -> list[ApiKey]:
    await managed_organization(session, actor, org_id)
    rows = await session.scalars(
        select(ApiKey)
        .where(ApiKey.organization_id == org_id, ApiKey.revoked_at.is_(None))
        .order_by(ApiKey.created_at, ApiKey.id)
    )
    return list(rows)


async def _visible_key(session: AsyncSession, org_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    key = await session.scalar(
        select(ApiKey).where(
            ApiKey.id == key_id, ApiKey.organization_id == org_id, ApiKey.revoked_at.is_(None)
        )
    )
    if key is None:
        raise NotFound("API key not found.")
    return key


async def revoke(session: AsyncSession, actor: User, org_id: uuid.UUID, key_id: uuid.UUID) -> None:
    await managed_organization(session, actor, org_id)
    key = await _visible_key(session, org_id, key_id)
    key.revoked_at = utcnow()
    account = await session.get(User, key.user_id)
    if account is not None:
        account.deleted_at = key.revoked_at  # the service account is gone with its key
    await session.flush()


async def set_tier(
    session: AsyncSession, actor: User, org_id: uuid.UUID, key_id: uuid.UUID, per_minute: int | None
) -> ApiKey:
    """A key's own rate limit (None: back to the default tier); platform ADMINs only."""
    if actor.role != Role.ADMIN:
        raise Forbidden("Only platform ADMINs set an API key's rate-limit tier.")
    key = await _visible_key(session, org_id, key_id)
    key.rate_limit_per_minute = per_minute
    await session.flush()
    return key


async def authenticate(session: AsyncSession, presented: str) -> tuple[ApiKey, User]:
    """The live key and its service account; 401 when unknown, revoked or expired."""
    key = await session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(presented)))
    now = utcnow()
    if key is None or key.revoked_at is not None:
        raise Unauthorized("This API key is not valid (unknown or revoked).")
    if key.expires_at is not None and key.expires_at <= now:
        raise Unauthorized("This API key has expired.")
    account = await session.get(User, key.user_id)
    if account is None or not account.is_active:
        raise Unauthorized("This API key is not valid (unknown or revoked).")
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        # At most one write a minute per key: of concurrent requests that saw it stale, the first moves it
        # and the others' UPDATE matches no row.
        await session.execute(
            update(ApiKey)
            .where(ApiKey.id == key.id)
            .where(
                ApiKey.last_used_at.is_(None)
                | (ApiKey.last_used_at < now - timedelta(seconds=LAST_USED_RESOLUTION_SECONDS))
            )
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
    return key, account

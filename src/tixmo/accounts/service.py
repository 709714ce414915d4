"""Accounts: registration, login, token rotation, users. Services flush, never commit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import signals
from tixmo.accounts.models import RefreshToken, Role, User
from tixmo.accounts.schemas import RegisterRequest, UserUpdate
from tixmo.accounts.signals import UserRegistered
from tixmo.audit import service as audit
from tixmo.db import Database, fetch_page, like_pattern, utcnow
from tixmo.errors import Conflict, FieldError, Forbidden, NotFound, Unauthorized
from tixmo.schemas import partial_changes
from tixmo.security import PasswordService, create_access_token, hash_token, new_opaque_token

INVALID_CREDENTIALS = "Invalid email or password."
PERSONAL_FIELDS = ("email", "firstName", "lastName", "phone")
INVALID_REFRESH = "The refresh token is invalid or expired."


class TokenContext(Protocol):
    """What signing in needs of the application (``tixmo.context.AppContext`` is one)."""

    @property
    def database(self) -> Database: ...
    @property
    def secret_key(self) -> str: ...
    @property
    def passwords(self) -> PasswordService: ...
    @property
    def access_token_lifetime(self) -> timedelta: ...
    @property
    def refresh_token_lifetime(self) -> timedelta: ...


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int


def user_snapshot(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "phone": user.phone,
        "role": user.role,
    }


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.strip().lower()))


async def get_active(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound("User not found.")
    return user


async def _issue_tokens(
    session: AsyncSession, context: TokenContext, user: User, family_id: uuid.UUID | None = None
) -> IssuedTokens:
    refresh = new_opaque_token("rt")
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id or uuid.uuid4(),
            token_hash=hash_token(refresh),
            expires_at=utcnow() + context.refresh_token_lifetime,
        )
    )
    await session.flush()
    access, _ = create_access_token(context.secret_key, user.id, user.role, context.access_token_lifetime)
    return IssuedTokens(
        access_token=access,
        refresh_token=refresh,
        expires_in=int(context.access_token_lifetime.total_seconds()),
    )


async def register(
    session: AsyncSession, context: TokenContext, data: RegisterRequest
) -> tuple[User, IssuedTokens]:
    if await get_by_email(session, data.email) is not None:
        raise Conflict("An account with this email already exists.")
    user = User(
        email=data.email,
        password_hash=await context.passwords.hash(data.password),
        first_name=data.first_name,
        last_name=data.last_name,
        phone=data.phone,
        role=data.role.value,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration with the same email won the race
        raise Conflict("An account with this email already exists.") from exc
    await audit.record(
        session,
        action="user.registered",
        entity_type="user",
        entity_id=user.id,
        actor_id=user.id,
        after=user_snapshot(user),
    )
    await signals.send(session, UserRegistered(user))  # the welcome mail (tixmo.reactions)
    return user, await _issue_tokens(session, context, user)


async def _password_hash_of(context: TokenContext, email: str) -> tuple[uuid.UUID, str | None] | None:
    """The id and password hash of the active account with this email, read in a short transaction of
    its own: its connection is back in the pool before the hash is checked."""
    async with context.database.sessionmaker() as reader:
        row = (
            await reader.execute(
                select(User.id, User.password_hash).where(
                    User.email == email.strip().lower(), User.deleted_at.is_(None)
                )
            )
        ).first()
    return None if row is None else (row[0], row[1])


async def login(
    session: AsyncSession, context: TokenContext, email: str, password: str
) -> tuple[User, IssuedTokens] | None:
    """The user and fresh tokens, or None for wrong credentials (unknown email included).

    The password is checked (argon2, in a worker thread) with no database connection held; ``session``
    is first used once it matched, to issue the tokens."""
    account = await _password_hash_of(context, email)
    user_id, hashed = account if account is not None else (None, None)
    if not await context.passwords.verify(hashed, password) or user_id is None or hashed is None:
        return None
    rehashed = await context.passwords.hash(password) if context.passwords.needs_rehash(hashed) else None
    user = await session.get(User, user_id)
    if user is None or not user.is_active or user.password_hash != hashed:
        return None  # deleted, or given another password, since it was read: this password no longer opens it
    if rehashed is not None:
        user.password_hash = rehashed
    return user, await _issue_tokens(session, context, user)


async def refresh(session: AsyncSession, context: TokenContext, token: str) -> IssuedTokens:
    """Rotate a refresh token. Presenting an already-rotated token revokes its whole family."""
    now = utcnow()
    token_hash = hash_token(token)
    rotated = await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.token_hash == token_hash,
            RefreshToken.rotated_at.is_(None),
            RefreshToken.revoked_at.is_(None),
            RefreshToken.expires_at > now,
        )
        .values(rotated_at=now)
        .returning(RefreshToken.user_id, RefreshToken.family_id)
    )
    row = rotated.first()
    if row is None:
        stored = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash))
        if stored is not None and stored.rotated_at is not None and stored.revoked_at is None:
            await revoke_family(session, stored.family_id)
            await audit.record(
                session,
                action="auth.refresh_token_reused",
                entity_type="user",
                entity_id=stored.user_id,
                actor_id=stored.user_id,
                after={"familyId": stored.family_id},
            )
            raise Unauthorized(
                "This refresh token was already used; every session of this login has been signed out.",
                commit=True,
            )
        raise Unauthorized(INVALID_REFRESH)
    user_id, family_id = row
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise Unauthorized(INVALID_REFRESH)
    return await _issue_tokens(session, context, user, family_id=family_id)


async def revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def revoke_all_for_user(session: AsyncSession, user_id: uuid.UUID) -> int:
    result = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .returning(RefreshToken.id)
    )
    return len(result.all())


async def logout(session: AsyncSession, user: User, refresh_token: str | None) -> None:
    """Revoke one refresh token's family (that login), or every refresh token of the user."""
    if refresh_token is None:
        await revoke_all_for_user(session, user.id)
        return
    stored = await session.scalar(
        select(RefreshToken).where(
            RefreshToken.token_hash == hash_token(refresh_token), RefreshToken.user_id == user.id
        )
    )
    if stored is not None:
        await revoke_family(session, stored.family_id)


async def purge_expired_refresh_tokens(session: AsyncSession) -> int:
    """Delete refresh tokens that can never be used again (expired)."""
    from sqlalchemy import delete

    result = await session.execute(
        delete(RefreshToken).where(RefreshToken.expires_at < utcnow()).returning(RefreshToken.id)
    )
    return len(result.all())


# --------------------------------------------------------------------------------------------- users


async def list_users(
    session: AsyncSession, *, role: Role | None, search: str | None, offset: int, limit: int
) -> tuple[list[User], int]:
    query = select(User).where(User.deleted_at.is_(None))
    if role is not None:
        query = query.where(User.role == role.value)
    if search:
        pattern = like_pattern(search)
        query = query.where(
            or_(
                User.email.ilike(pattern, escape="\\"),
                User.first_name.ilike(pattern, escape="\\"),
                User.last_name.ilike(pattern, escape="\\"),
                (User.first_name + " " + User.last_name).ilike(pattern, escape="\\"),
            )
        )
    return await fetch_page(session, query, User.created_at, User.id, offset=offset, limit=limit)


def _visible_user_or_404(actor: User, user_id: uuid.UUID) -> None:
    if actor.id != user_id and actor.role != Role.ADMIN:
        raise NotFound("User not found.")


async def get_user_for(session: AsyncSession, actor: User, user_id: uuid.UUID) -> User:
    _visible_user_or_404(actor, user_id)
    return await get_active(session, user_id)


async def update_user(session: AsyncSession, actor: User, user_id: uuid.UUID, data: UserUpdate) -> User:
    user = await get_user_for(session, actor, user_id)
    if "role" in data.model_fields_set and actor.role != Role.ADMIN and data.role != user.role:
        raise Forbidden("Only an administrator may change a role.")  # its current value may come back
    changes = partial_changes(data, ("first_name", "last_name", "role"))
    if changes.get("role") == user.role:
        del changes["role"]  # its current value, sent back as read (GET-modify-PUT): nothing to change
    if changes.get("role", Role.ADMIN) != Role.ADMIN:
        await _keep_an_admin(session, actor, user)
    before = user_snapshot(user)
    for field, value in changes.items():
        setattr(user, field, value.value if isinstance(value, Role) else value)
    await session.flush()
    after = user_snapshot(user)
    await audit.record_changes(
        session,
        action="user.role_changed" if before["role"] != after["role"] else "user.updated",
        entity_type="user",
        entity_id=user.id,
        actor_id=actor.id,
        organization_id=None,
        before=before,
        after=after,
    )
    return user


async def delete_user(session: AsyncSession, actor: User, user_id: uuid.UUID) -> None:
    """Soft delete + anonymization. Orders stay for accounting; the person's data does not."""
    user = await get_active(session, user_id)
    if user.id == actor.id:
        raise Conflict("Administrators cannot delete their own account.")
    await _keep_an_admin(session, actor, user)
    user.deleted_at = utcnow()
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.first_name = "Deleted"
    user.last_name = "User"
    user.phone = None
    user.password_hash = None
    await revoke_all_for_user(session, user.id)
    # Anonymization must not leave the email and name readable in the user's own audit entries.
    await audit.redact(session, entity_type="user", entity_id=user.id, keys=PERSONAL_FIELDS)
    await session.flush()
    await audit.record(
        session, action="user.deleted", entity_type="user", entity_id=user.id, actor_id=actor.id
    )


async def lock_active_admins(session: AsyncSession) -> set[uuid.UUID]:
    """The active ADMINs' ids, their rows locked (``FOR NO KEY UPDATE``, in id order) until the end of
    the transaction. Every change that can take the role away from an ADMIN (a demotion, a deletion)
    takes these locks before its first write, so two such changes run one after the other and the
    second sees what the first left: PostgreSQL re-checks a row it waited for, and one demoted or
    deleted meanwhile drops out. Logins and token inserts (``FOR KEY SHARE``) are not held up."""
    query = (
        select(User.id)
        .where(User.role == Role.ADMIN.value, User.deleted_at.is_(None))
        .order_by(User.id)
        .with_for_update(key_share=True)
    )
    return set((await session.scalars(query)).all())


async def _keep_an_admin(session: AsyncSession, actor: User, user: User) -> None:
    """Before ``actor`` demotes or deletes ``user``: refuse (409 naming ``role``) when ``user`` is the
    last active ADMIN, or (403) when ``actor`` stopped being one meanwhile. Takes the admins' locks."""
    admins = await lock_active_admins(session)
    await session.refresh(user)  # as it is now that the locks are held
    if not user.is_active:
        raise NotFound("User not found.")
    if admins == {user.id}:
        raise Conflict(
            "The platform must keep at least one active ADMIN.",
            errors=[FieldError(field="role", message="This is the last active ADMIN.")],
        )
    if actor.id not in admins:
        raise Forbidden("Only an administrator may change a role or delete a user.")


async def create_or_promote_admin(
    session: AsyncSession, passwords: PasswordService, data: RegisterRequest
) -> bool:
    """``tixmo create-admin``: create an ADMIN, or promote an existing account (True when created)."""
    user = await get_by_email(session, data.email)
    if user is not None and user.is_active:
        before = user.role
        user.role = Role.ADMIN.value
        user.password_hash = await passwords.hash(data.password)
        await session.flush()
        await audit.record(
            session,
            action="user.role_changed",
            entity_type="user",
            entity_id=user.id,
            actor_type="cli",
            before={"role": before},
            after={"role": user.role},
        )
        return False
    user = User(
        email=data.email,
        password_hash=await passwords.hash(data.password),
        first_name=data.first_name,
        last_name=data.last_name,
        role=Role.ADMIN.value,
    )
    session.add(user)
    await session.flush()
    await audit.record(
        session, action="user.created_admin", entity_type="user", entity_id=user.id, actor_type="cli"
    )
    return True

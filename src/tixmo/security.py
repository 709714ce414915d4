"""Password hashing (argon2id, off the event loop) and JSON Web Tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, TypeVar

import anyio.to_thread
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tixmo.db import utcnow

JWT_ALGORITHM = "HS256"
ACCESS_TOKEN_TYPE = "access"  # noqa: S105 - a claim value, not a secret


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


@dataclass(frozen=True)
class PasswordService:
    time_cost: int
    memory_kib: int

    @property
    def _ph(self) -> PasswordHasher:
        return _hasher(self.time_cost, self.memory_kib)

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._ph.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Check a password. With no stored hash, a dummy hash is checked so timing does not differ."""
        try:
            ok = await anyio.to_thread.run_sync(self._verify_sync, password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return bool(ok) and password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        return self._ph.check_needs_rehash(password_hash)

    def _verify_sync(self, password_hash: str | None, password: str) -> bool:
        # In the worker thread: the dummy hash is made on first use, and hashing must not block the loop.
        target = password_hash or _dummy_hash(self.time_cost, self.memory_kib)
        return bool(self._ph.verify(target, password))


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    return _hasher(time_cost, memory_kib).hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    role: str
    jti: str
    expires_at: datetime


class TokenError(Exception):
    """The token is missing, malformed, expired, forged or of the wrong kind."""


def _expires_at(claims: dict[str, Any], kind: str) -> datetime:
    """The ``exp`` claim as a datetime. PyJWT checked it is a number in the future; one beyond any
    datetime (a validly signed token with ``exp`` = 10**20) is refused like any other bad token."""
    try:
        return datetime.fromtimestamp(int(claims["exp"]), tz=utcnow().tzinfo)
    except (OverflowError, ValueError, OSError) as exc:
        raise TokenError(f"The {kind} token is invalid.") from exc


def create_access_token(
    secret: str, user_id: uuid.UUID, role: str, lifetime: timedelta
) -> tuple[str, datetime]:
    now = utcnow()
    expires_at = now + lifetime
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "role": role,
        "typ": ACCESS_TOKEN_TYPE,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": secrets.token_hex(8),
        "iss": "tixmo",
    }
    return jwt.encode(claims, secret, algorithm=JWT_ALGORITHM), expires_at


# Tokens whose signature and claims were verified, by (secret, token): a client sends the same token with
# every request (a gate's scanner token for hours), and PyJWT's checks cost about 60 µs a time, 5 % of a
# scan's CPU. Only what cannot change is kept: a token verified once has the same signature, issuer,
# audience, type and subject for ever, and a ``nbf``/``iat`` that held then still holds. Expiry can change:
# it is checked again on every use, against the same clock PyJWT uses. A refused token is never kept
# (``lru_cache`` keeps no exception). Whether the account is still active or the scanner device still
# enabled is not a property of the token: both are checked after this, on every request, as before.
VERIFIED_TOKENS = 4096


def decode_access_token(secret: str, token: str) -> AccessClaims:
    return _unexpired(_verified_access_token(secret, token), "access")


def _unexpired(claims: _Claims, kind: str) -> _Claims:
    """``claims`` of a verified token, unless it has expired since (PyJWT's rule: expired at ``exp``)."""
    if claims.expires_at <= utcnow():
        raise TokenError(f"The {kind} token has expired.")
    return claims


@lru_cache(maxsize=VERIFIED_TOKENS)
def _verified_access_token(secret: str, token: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[JWT_ALGORITHM],
            issuer="tixmo",
            options={"require": ["sub", "exp", "iat", "typ"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("The access token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise TokenError("The access token is invalid.") from exc
    if claims.get("typ") != ACCESS_TOKEN_TYPE:
        raise TokenError("This token cannot be used here.")
    try:
        user_id = uuid.UUID(str(claims["sub"]))
    except ValueError as exc:
        raise TokenError("The access token is invalid.") from exc
    return AccessClaims(
        user_id=user_id,
        role=str(claims.get("role", "")),
        jti=str(claims.get("jti", "")),
        expires_at=_expires_at(claims, "access"),
    )


def new_opaque_token(prefix: str) -> str:
    """A random bearer secret, e.g. a refresh token. Only its hash is stored."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ------------------------------------------------------------------------------------ scanner tokens

SCANNER_TOKEN_TYPE = "scanner"  # noqa: S105 - a claim value, not a secret
SCANNER_AUDIENCE = "tixmo-scanner"


@dataclass(frozen=True)
class ScannerClaims:
    scanner_id: uuid.UUID
    event_id: uuid.UUID
    expires_at: datetime


_Claims = TypeVar("_Claims", AccessClaims, ScannerClaims)  # the claims of a verified token (``_unexpired``)


def create_scanner_token(
    secret: str, scanner_id: uuid.UUID, event_id: uuid.UUID, lifetime: timedelta
) -> tuple[str, datetime]:
    """A short-lived token for a scanner device: its own type and audience, so a user's access token is
    refused on scanner endpoints and a scanner token everywhere else (``decode_access_token`` rejects
    both the type and the audience)."""
    now = utcnow()
    expires_at = now + lifetime
    claims: dict[str, Any] = {
        "sub": str(scanner_id),
        "evt": str(event_id),
        "typ": SCANNER_TOKEN_TYPE,
        "aud": SCANNER_AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": secrets.token_hex(8),
        "iss": "tixmo",
    }
    return jwt.encode(claims, secret, algorithm=JWT_ALGORITHM), expires_at


def decode_scanner_token(secret: str, token: str) -> ScannerClaims:
    return _unexpired(_verified_scanner_token(secret, token), "scanner")


@lru_cache(maxsize=VERIFIED_TOKENS)
def _verified_scanner_token(secret: str, token: str) -> ScannerClaims:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[JWT_ALGORITHM],
            issuer="tixmo",
            audience=SCANNER_AUDIENCE,
            options={"require": ["sub", "evt", "exp", "iat", "typ", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("The scanner token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise TokenError("The scanner token is invalid.") from exc
    if claims.get("typ") != SCANNER_TOKEN_TYPE:
        raise TokenError("This token cannot be used here.")
    try:
        scanner_id = uuid.UUID(str(claims["sub"]))
        event_id = uuid.UUID(str(claims["evt"]))
    except ValueError as exc:
        raise TokenError("The scanner token is invalid.") from exc
    return ScannerClaims(
        scanner_id=scanner_id,
        event_id=event_id,
        expires_at=_expires_at(claims, "scanner"),
    )

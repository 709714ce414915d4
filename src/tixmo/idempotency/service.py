"""``Idempotency-Key``: a retried POST replays the first answer instead of acting twice.

Scope and rules (API.md "Conventions" and "Precise rules"):

* The key is optional, scoped to the caller (user), and kept for ``TIXMO_IDEMPOTENCY_HOURS`` (24 h).
* The same key with the same request (method, path and body) replays the stored answer, with the header
  ``Idempotent-Replayed: true``; the same key with another request is ``409 CONFLICT``.
* A duplicate that arrives while the first is still running is ``409 CONFLICT`` with ``Retry-After``.

How: the request takes a transaction-scoped advisory lock on (caller, key) with ``pg_try_advisory_xact_lock``
and stores its answer in the *same* transaction as the change it made. So the stored answer exists exactly
when the change committed; a concurrent duplicate cannot take the lock (in flight → 409); a later one takes
it and finds the answer. Only successful (2xx) answers are stored: a refused request changed nothing, and
running it again is the truthful answer (the tickets may be back on sale).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any

import orjson
from fastapi import Depends, Header, Request
from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from tixmo.db import utcnow
from tixmo.errors import Conflict, FieldError, ValidationFailed
from tixmo.idempotency.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
IN_FLIGHT_RETRY_SECONDS = 1


def _check_key(key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(33 <= ord(ch) <= 126 for ch in key):
        raise ValidationFailed(
            HEADER, f"1 to {MAX_KEY_LENGTH} visible ASCII characters (a UUID is a good choice)."
        )
    return key


def lock_name(user_id: uuid.UUID, key: str) -> str:
    """What the transaction-scoped advisory lock on (caller, key) is taken on (``hashtextextended(…, 0)``)."""
    return f"idempotency:{user_id}:{key}"


def fingerprint(method: str, path: str, body: BaseModel | None) -> str:
    payload = body.model_dump(mode="json", by_alias=True) if body is not None else None
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


def json_response(status: int, content: Any) -> Response:
    """A JSON answer from a response model (camelCase), as bytes that can be stored and replayed."""
    data = content.model_dump(mode="json", by_alias=True) if isinstance(content, BaseModel) else content
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


@dataclass
class Idempotency:
    """The request's ``Idempotency-Key`` (``None`` when the header is absent)."""

    key: str | None
    method: str
    path: str
    retention: timedelta
    _fingerprint: str = field(default="", init=False)

    async def replay(
        self, session: AsyncSession, user_id: uuid.UUID, body: BaseModel | None = None
    ) -> Response | None:
        """Take the key for this request: the stored answer to replay, or ``None`` to go ahead.

        Must be called before the request changes anything, in the request's transaction.
        """
        if self.key is None:
            return None
        locked = await session.scalar(
            select(func.pg_try_advisory_xact_lock(func.hashtextextended(lock_name(user_id, self.key), 0)))
        )
        if not locked:
            raise Conflict(
                "A request with this Idempotency-Key is still in progress; retry shortly.",
                headers={"Retry-After": str(IN_FLIGHT_RETRY_SECONDS)},
            )
        record = await session.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.user_id == user_id,
                IdempotencyRecord.key == self.key,
                IdempotencyRecord.expires_at > utcnow(),
            )
        )
        self._fingerprint = fingerprint(self.method, self.path, body)
        if record is None:
            return None
        if record.fingerprint != self._fingerprint:
            raise Conflict(
                "This Idempotency-Key was already used for a different request.",
                errors=[FieldError(field=HEADER, message="Already used for a different request.")],
            )
        response = Response(
            record.response_body, status_code=record.response_status, media_type="application/json"
        )
        response.headers[REPLAYED_HEADER] = "true"
        return response

    async def run(
        self,
        session: AsyncSession,
        user_id: uuid.UUID,
        status: int,
        answer: Callable[[], Awaitable[Any]],
        body: BaseModel | None = None,
    ) -> Response:
        """The one way a route honours ``Idempotency-Key``: the stored answer of a repeated request, or
        ``answer()`` (the route's work, in the request's transaction) stored for replays and sent."""
        replay = await self.replay(session, user_id, body)
        if replay is not None:
            return replay
        return await self.respond(session, user_id, status, await answer())

    async def respond(self, session: AsyncSession, user_id: uuid.UUID, status: int, content: Any) -> Response:
        """The answer to send, stored for replays when the request carries a key."""
        response = json_response(status, content)
        if self.key is not None:
            now = utcnow()
            # A stale record (past its retention) is replaced; the advisory lock keeps this race-free.
            await session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == self.key
                )
            )
            session.add(
                IdempotencyRecord(
                    user_id=user_id,
                    key=self.key,
                    fingerprint=self._fingerprint,
                    response_status=status,
                    response_body=bytes(response.body),
                    created_at=now,
                    expires_at=now + self.retention,
                )
            )
            await session.flush()
        return response


async def _idempotency(
    request: Request,
    key: Annotated[
        str | None,
        Header(
            alias=HEADER,
            description="Optional. The same key and body replay the first answer for 24 h; "
            "another body with the same key is 409.",
        ),
    ] = None,
) -> Idempotency:
    hours = request.app.state.context.settings.idempotency_hours
    return Idempotency(
        key=_check_key(key) if key is not None else None,
        method=request.method,
        path=request.url.path,
        retention=timedelta(hours=hours),
    )


IdempotencyKey = Annotated[Idempotency, Depends(_idempotency)]


async def purge_expired(session: AsyncSession) -> int:
    result = await session.execute(
        delete(IdempotencyRecord)
        .where(IdempotencyRecord.expires_at <= utcnow())
        .returning(IdempotencyRecord.id)
    )
    return len(result.all())

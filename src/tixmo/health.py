"""``/health`` (liveness: database and Redis pings, version), ``/health/ready`` (readiness: database,
migrations at head, job queue not stalled) and ``/metrics`` (Prometheus text). See docs/operations.md."""

from __future__ import annotations

import asyncio
import functools
import hmac
import time
from typing import Any, Literal

from alembic.script import ScriptDirectory
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import text

from tixmo import __version__, metrics
from tixmo.deps import AppContext
from tixmo.errors import Unauthorized
from tixmo.migrate import alembic_config
from tixmo.security import TokenError, decode_access_token

router = APIRouter(tags=["health"])

PING_TIMEOUT_SECONDS = 2.0


class DependencyHealth(BaseModel):
    status: Literal["ok", "down", "disabled"]
    latencyMs: float | None = None  # noqa: N815 - wire name
    error: str | None = None


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: DependencyHealth
    redis: DependencyHealth
    version: str


async def _timed(check: Any) -> DependencyHealth:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), PING_TIMEOUT_SECONDS)
    except Exception as exc:
        return DependencyHealth(status="down", error=type(exc).__name__)
    return DependencyHealth(status="ok", latencyMs=round((time.perf_counter() - started) * 1000, 2))


async def check_health(context: AppContext) -> tuple[int, Health]:
    async def ping_database() -> None:
        async with context.database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def ping_redis() -> None:
        if not await context.rate_limiter.ping():
            raise ConnectionError("redis ping failed")

    database = await _timed(ping_database)
    redis = await _timed(ping_redis) if context.settings.redis_url else DependencyHealth(status="disabled")
    healthy = database.status == "ok" and redis.status != "down"
    body = Health(status="ok" if healthy else "degraded", database=database, redis=redis, version=__version__)
    return (200 if database.status == "ok" else 503), body


async def _health(request: Request) -> JSONResponse:
    status_code, body = await check_health(request.app.state.context)
    return JSONResponse(body.model_dump(), status_code=status_code, headers={"Cache-Control": "no-store"})


router.add_api_route(
    "/health",
    _health,
    methods=["GET"],
    response_model=Health,
    name="health",
    summary="Liveness and dependency health",
    responses={503: {"model": Health, "description": "The database is unreachable"}},
)


# --- readiness ---------------------------------------------------------------------------------------


class ReadyCheck(BaseModel):
    status: Literal["ok", "failing"]
    # Only for staff (an ADMIN's access token or the metrics token): what is wrong, in numbers.
    detail: dict[str, Any] | None = None


class Ready(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, ReadyCheck]


@functools.cache
def migration_heads() -> frozenset[str]:
    """The head revision(s) of the migrations this code ships (read once per process)."""
    return frozenset(ScriptDirectory.from_config(alembic_config("postgresql://unused/")).get_heads())


def is_staff(request: Request, context: AppContext) -> bool:
    """An ADMIN's access token (checked without the database) or the metrics token."""
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential:
        return False
    token = context.settings.metrics_token
    if token and hmac.compare_digest(credential.encode(), token.encode()):
        return True
    try:
        return decode_access_token(context.secret_key, credential).role == "ADMIN"
    except TokenError:
        return False


async def check_ready(context: AppContext) -> tuple[bool, dict[str, ReadyCheck]]:
    """Each check with its staff detail (the caller drops the detail for outsiders)."""
    checks: dict[str, ReadyCheck] = {}
    started = time.perf_counter()
    try:
        async with asyncio.timeout(PING_TIMEOUT_SECONDS):
            async with context.database.engine.connect() as connection:
                current = set(
                    (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars()
                )
            queue = await metrics.read_queue(context.database.engine)
    except Exception as exc:
        failing = ReadyCheck(status="failing", detail={"error": type(exc).__name__})
        skipped = ReadyCheck(status="failing", detail={"error": "database unreachable"})
        return False, {"database": failing, "migrations": skipped, "jobs": skipped}
    checks["database"] = ReadyCheck(
        status="ok", detail={"latencyMs": round((time.perf_counter() - started) * 1000, 2)}
    )
    heads = migration_heads()
    checks["migrations"] = ReadyCheck(
        status="ok" if current == heads else "failing",
        detail={"current": sorted(current), "head": sorted(heads)},
    )
    limit = context.settings.health_job_stalled_seconds
    oldest = queue.oldest_due_seconds
    checks["jobs"] = ReadyCheck(
        status="ok" if oldest <= limit else "failing",
        detail={
            "oldestDueSeconds": round(oldest, 1),
            "stalledAfterSeconds": limit,
            "waiting": sum(n for (_, state), n in queue.depth.items() if state == "todo"),
            "running": sum(n for (_, state), n in queue.depth.items() if state == "doing"),
        },
    )
    return all(check.status == "ok" for check in checks.values()), checks


async def _ready(request: Request) -> JSONResponse:
    context: AppContext = request.app.state.context
    ok, checks = await check_ready(context)
    if not is_staff(request, context):
        checks = {name: ReadyCheck(status=check.status) for name, check in checks.items()}
    body = Ready(status="ready" if ok else "not_ready", checks=checks)
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=200 if ok else 503,
        headers={"Cache-Control": "no-store"},
    )


router.add_api_route(
    "/health/ready",
    _ready,
    methods=["GET"],
    response_model=Ready,
    name="health_ready",
    summary="Readiness: database reachable, migrations at head, job queue not stalled",
    description="Each check's `detail` is shown to staff only (an ADMIN's access token, or "
    "`Authorization: Bearer <TIXMO_METRICS_TOKEN>`).",
    responses={503: {"model": Ready, "description": "A check is failing"}},
)


# --- metrics -----------------------------------------------------------------------------------------

metrics_router = APIRouter(tags=["health"])


async def _metrics(request: Request) -> Response:
    context: AppContext = request.app.state.context
    token = context.settings.metrics_token
    if token:
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(credential.encode(), token.encode()):
            raise Unauthorized("The metrics token is required (Authorization: Bearer <token>).")
    body = await metrics.exposition(context.database.engine)
    return Response(body, media_type=metrics.CONTENT_TYPE, headers={"Cache-Control": "no-store"})


metrics_router.add_api_route(
    "/metrics",
    _metrics,
    methods=["GET"],
    name="metrics",
    summary="Prometheus metrics of every process (bearer TIXMO_METRICS_TOKEN when set)",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}, 401: {"description": "Missing or wrong token"}},
)

"""``/health``: database and Redis pings, version."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from tixmo import __version__
from tixmo.deps import AppContext

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

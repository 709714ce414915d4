"""The API-key side of authentication: the key's account, its scope for this route, its rate-limit tier.

Tiers count in the application's rate-limit storage (``limits``: in memory, or Redis when
``TIXMO_REDIS_URL`` is set, so every API process shares one count per key): a moving window of one
minute, ``rate_limit_per_minute`` of the key or the default tier ``TIXMO_API_KEY_RATE_LIMIT_PER_MINUTE``.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from fastapi import Request, Response
from limits import RateLimitItemPerMinute
from limits.aio.strategies import MovingWindowRateLimiter
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.errors import RateLimited
from tixmo.integrations import apikeys

if TYPE_CHECKING:
    from tixmo.deps import AppContext


async def api_key_user(
    request: Request, response: Response, context: AppContext, session: AsyncSession, presented: str
) -> User:
    key, account = await apikeys.authenticate(session, presented)
    route = request.scope.get("route")
    apikeys.require_scope(key, request.method, list(getattr(route, "tags", None) or []))
    per_minute = key.rate_limit_per_minute or context.settings.api_key_rate_limit_per_minute
    item = RateLimitItemPerMinute(per_minute)
    limiter = MovingWindowRateLimiter(context.rate_limiter.storage)
    allowed = await limiter.hit(item, "api-key", str(key.id))
    stats = await limiter.get_window_stats(item, "api-key", str(key.id))
    reset = max(0, math.ceil(stats.reset_time - time.time()))
    headers = {
        "RateLimit-Limit": str(per_minute),
        "RateLimit-Remaining": str(stats.remaining),
        "RateLimit-Reset": str(reset),
    }
    if not allowed:
        error = RateLimited(
            max(1, reset), f"This API key's limit of {per_minute} requests a minute is used up."
        )
        error.headers.update(headers)
        raise error
    response.headers.update(headers)
    return account

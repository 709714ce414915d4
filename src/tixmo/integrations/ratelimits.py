"""The API-key side of authentication: the key's account, its scope for this route, its rate-limit tier.

Tiers count in the application's rate-limit storage (``limits``: in memory, or Redis when
``TIXMO_REDIS_URL`` is set, so every API process shares one count per key): a moving window of one
minute, ``rate_limit_per_minute`` of the key or the default tier ``TIXMO_API_KEY_RATE_LIMIT_PER_MINUTE``.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

from fastapi import Request
from limits import RateLimitItemPerMinute
from limits.aio.strategies import MovingWindowRateLimiter
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.db import utcnow
from tixmo.errors import RateLimited
from tixmo.integrations import apikeys
from tixmo.ratelimit import RateLimiter
from tixmo.security import AccessClaims


async def api_key_claims(
    request: Request,
    session: AsyncSession,
    presented: str,
    *,
    rate_limiter: RateLimiter,
    default_per_minute: int,
) -> AccessClaims:
    """What a valid API key stands for: claims of its service account, as an access token's would be."""
    key, account = await apikeys.authenticate(session, presented)
    route = request.scope.get("route")
    apikeys.require_scope(key, request.method, list(getattr(route, "tags", None) or []))
    per_minute = key.rate_limit_per_minute or default_per_minute
    item = RateLimitItemPerMinute(per_minute)
    limiter = MovingWindowRateLimiter(rate_limiter.storage)
    # TIXMO_RATE_LIMIT_ENABLED=false (load tests) switches tiers off too: nothing is counted.
    allowed = not rate_limiter.enabled or await limiter.hit(item, "api-key", str(key.id))
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
    # Added to the answer by SecurityHeadersMiddleware (a route that returns its own Response too).
    request.state.rate_limit_headers = headers
    return AccessClaims(
        user_id=account.id,
        role=account.role,
        jti=f"api-key:{key.id}",
        expires_at=key.expires_at or utcnow() + timedelta(days=1),
    )

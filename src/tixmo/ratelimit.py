"""Rate limiting with the ``limits`` library: memory storage, or Redis when configured."""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from tixmo.errors import RateLimited


def _storage_uri(redis_url: str) -> str:
    for prefix in ("redis://", "rediss://"):
        if redis_url.startswith(prefix):
            return "async+" + redis_url
    return redis_url


@dataclass
class RateLimiter:
    storage: Storage
    enabled: bool = True

    @classmethod
    def create(cls, redis_url: str | None, *, enabled: bool = True) -> RateLimiter:
        storage: Storage = MemoryStorage()
        if redis_url:
            remote = storage_from_string(_storage_uri(redis_url))
            assert isinstance(remote, Storage), "the Redis storage must be the async one"
            storage = remote
        return cls(storage=storage, enabled=enabled)

    def __post_init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(self.storage)

    async def _retry_after(self, item: RateLimitItem, *keys: str) -> float:
        stats = await self._limiter.get_window_stats(item, *keys)
        return max(1.0, stats.reset_time - time.time())

    async def check(self, limit: str, *keys: str) -> None:
        """Raise ``RateLimited`` when ``keys`` have used up ``limit``; does not count a hit."""
        if not self.enabled:
            return
        item = parse(limit)
        if not await self._limiter.test(item, *keys):
            raise RateLimited(await self._retry_after(item, *keys))

    async def hit(self, limit: str, *keys: str) -> None:
        """Count one hit; raise ``RateLimited`` when the limit was already used up."""
        if not self.enabled:
            return
        item = parse(limit)
        if not await self._limiter.hit(item, *keys):
            raise RateLimited(await self._retry_after(item, *keys))

    async def count(self, limit: str, *keys: str) -> None:
        """Count one hit without raising (e.g. a failed login counted after the answer is known)."""
        if self.enabled:
            await self._limiter.hit(parse(limit), *keys)

    async def reset(self) -> None:
        await self.storage.reset()

    async def ping(self) -> bool:
        return bool(await self.storage.check())

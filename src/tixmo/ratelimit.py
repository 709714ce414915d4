"""Rate limiting with the ``limits`` library: memory storage, or Redis when configured."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from redis.asyncio import Redis
from redis.exceptions import LockError

from tixmo.errors import RateLimited

log = structlog.get_logger(__name__)

# A turn held in Redis ends by itself after this long, should its process die holding it.
TURN_TTL_SECONDS = 60.0
# How often a process waiting for a turn held by another process asks Redis again.
TURN_POLL_SECONDS = 0.01


def _storage_uri(redis_url: str) -> str:
    for prefix in ("redis://", "rediss://"):
        if redis_url.startswith(prefix):
            return "async+" + redis_url
    return redis_url


def _redis_client_url(redis_url: str) -> str:
    """The URL for redis-py, from any form ``limits`` takes (``async+redis://``, ``redis+unix://``)."""
    url = redis_url.removeprefix("async+")
    return "unix://" + url.removeprefix("redis+unix://") if url.startswith("redis+unix://") else url


class KeyedLocks:
    """An asyncio lock per key, made on first use and dropped when nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


@dataclass
class RateLimiter:
    storage: Storage
    enabled: bool = True
    # Where turns are taken across processes: the Redis that holds the shared counts (None: in memory).
    redis: Redis | None = None
    local_turns: KeyedLocks = field(default_factory=KeyedLocks)

    @classmethod
    def create(cls, redis_url: str | None, *, enabled: bool = True) -> RateLimiter:
        storage: Storage = MemoryStorage()
        redis: Redis | None = None
        if redis_url:
            remote = storage_from_string(_storage_uri(redis_url))
            assert isinstance(remote, Storage), "the Redis storage must be the async one"
            storage = remote
            redis = Redis.from_url(_redis_client_url(redis_url))
        return cls(storage=storage, enabled=enabled, redis=redis)

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

    @asynccontextmanager
    async def one_at_a_time(self, *keys: str) -> AsyncIterator[None]:
        """Run the block for one caller at a time per key, wherever the counts of ``keys`` are seen.

        For a check, then work, then a count that must not interleave (a burst of concurrent failed
        logins must not all pass the check before the first failure is counted). Waiting costs no
        database connection: callers queue on an asyncio lock per key in this process, and the one at
        the head of each queue takes the turn in Redis when the counts are shared there. Without Redis
        each process counts on its own, so its own lock is all the ordering its counts need. Keys are
        taken in sorted order, in-process locks before Redis ones, so two callers never wait on each
        other in a circle. Does nothing while rate limiting is off (nothing is counted).
        """
        if not self.enabled:
            yield
            return
        names = sorted(set(keys))
        async with AsyncExitStack() as stack:
            for name in names:
                await stack.enter_async_context(self.local_turns.hold(name))
            if self.redis is not None:
                for name in names:
                    await stack.enter_async_context(self._redis_turn(self.redis, name))
            yield

    @staticmethod
    @asynccontextmanager
    async def _redis_turn(redis: Redis, key: str) -> AsyncIterator[None]:
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # no email addresses in key names
        lock = redis.lock(
            f"tixmo:turn:{digest}", timeout=TURN_TTL_SECONDS, sleep=TURN_POLL_SECONDS, thread_local=False
        )
        await lock.acquire()
        try:
            yield
        finally:
            try:
                await lock.release()
            except LockError:  # held past TURN_TTL_SECONDS: it already ended, another may hold it now
                log.warning("ratelimit.turn_expired", ttl_seconds=TURN_TTL_SECONDS)

    async def reset(self) -> None:
        await self.storage.reset()

    async def ping(self) -> bool:
        return bool(await self.storage.check())

    async def aclose(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()

"""Rate limits: failed logins per account and per IP, registrations per IP, shared through Redis."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from limits import parse

from tests.accounts.helpers import PASSWORD, assert_problem, email, register, registration
from tests.conftest import make_settings
from tixmo.app import create_app
from tixmo.deps import AppContext

REDIS_URL = os.environ.get("TIXMO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DEFAULT_LOGIN_LIMIT = 10


def client_for(app: FastAPI, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1")


def random_ip() -> str:
    raw = uuid.uuid4().bytes
    return f"10.{raw[0]}.{raw[1]}.{max(1, raw[2])}"


async def fail_login(client: httpx.AsyncClient, address: str) -> httpx.Response:
    return await client.post("/auth/login", json={"email": address, "password": "Wrong-Passw0rd"})


def assert_rate_limited(response: httpx.Response, window_seconds: int = 15 * 60) -> None:
    assert_problem(response, 429, "RATE_LIMITED")
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= window_seconds


AppFactory = Callable[..., AbstractAsyncContextManager[FastAPI]]


@pytest.fixture
def build_app(tmp_path: Path, database_url: str) -> AppFactory:
    """Builds a separate app with settings overrides, sharing the test database."""

    @asynccontextmanager
    async def factory(**overrides: Any) -> AsyncIterator[FastAPI]:
        application = create_app(make_settings(tmp_path, **overrides), database_url=database_url)
        async with application.router.lifespan_context(application):
            yield application

    return factory


# ------------------------------------------------------------------------------------ login (default)


async def test_failed_logins_limited_per_account(app: FastAPI) -> None:
    async with client_for(app, "192.0.2.1") as client:
        address = email()
        await register(client, email=address)
    for attempt in range(DEFAULT_LOGIN_LIMIT):
        # Every attempt from another address: only the per-account limit can trigger.
        async with client_for(app, f"192.0.2.{10 + attempt}") as client:
            assert_problem(await fail_login(client, address), 401, "UNAUTHORIZED")
    async with client_for(app, "198.51.100.7") as client:
        assert_rate_limited(await fail_login(client, address))
        # The account is locked for the window even with the right password, any spelling of the email.
        assert_rate_limited(await client.post("/auth/login", json={"email": address, "password": PASSWORD}))
        assert_rate_limited(await fail_login(client, address.upper()))
        # Another account from the same address is unaffected.
        other = email()
        await register(client, email=other)
        ok = await client.post("/auth/login", json={"email": other, "password": PASSWORD})
        assert ok.status_code == 200, ok.text


async def test_failed_logins_limited_per_ip(app: FastAPI) -> None:
    async with client_for(app, "203.0.113.5") as client:
        for _ in range(DEFAULT_LOGIN_LIMIT):
            assert_problem(await fail_login(client, email()), 401, "UNAUTHORIZED")  # a new account each time
        assert_rate_limited(await fail_login(client, email()))
    async with client_for(app, "203.0.113.6") as other_ip:
        assert_problem(await fail_login(other_ip, email()), 401, "UNAUTHORIZED")


async def test_successful_logins_are_not_counted(app: FastAPI) -> None:
    async with client_for(app, "192.0.2.200") as client:
        address = email()
        await register(client, email=address)
        for _ in range(DEFAULT_LOGIN_LIMIT - 1):
            assert_problem(await fail_login(client, address), 401, "UNAUTHORIZED")
        for _ in range(DEFAULT_LOGIN_LIMIT + 5):
            ok = await client.post("/auth/login", json={"email": address, "password": PASSWORD})
            assert ok.status_code == 200, ok.text
        assert_problem(await fail_login(client, address), 401, "UNAUTHORIZED")  # the 10th failure
        assert_rate_limited(await fail_login(client, address))


async def test_concurrent_failed_logins_on_one_account_are_all_counted(app: FastAPI) -> None:
    address = email()
    async with client_for(app, "192.0.2.99") as client:
        await register(client, email=address)
    clients = [client_for(app, f"198.18.0.{i + 1}") for i in range(3 * DEFAULT_LOGIN_LIMIT)]
    try:
        responses = await asyncio.gather(*(fail_login(c, address) for c in clients))
    finally:
        for c in clients:
            await c.aclose()
    statuses = [response.status_code for response in responses]
    assert statuses.count(401) == DEFAULT_LOGIN_LIMIT, statuses
    assert statuses.count(429) == 2 * DEFAULT_LOGIN_LIMIT, statuses
    for response in responses:
        if response.status_code == 429:
            assert_rate_limited(response)


async def test_concurrent_failed_logins_from_one_ip_are_all_counted(app: FastAPI) -> None:
    async with client_for(app, "192.0.2.98") as client:
        responses = await asyncio.gather(
            *(fail_login(client, email()) for _ in range(3 * DEFAULT_LOGIN_LIMIT))
        )
    statuses = [response.status_code for response in responses]
    assert statuses.count(401) == DEFAULT_LOGIN_LIMIT, statuses
    assert statuses.count(429) == 2 * DEFAULT_LOGIN_LIMIT, statuses


async def test_login_limit_setting_applies(build_app: AppFactory) -> None:
    async with (
        build_app(rate_limit_login="2/15 minutes") as application,
        client_for(application, "1.1.1.1") as client,
    ):
        address = email()
        await register(client, email=address)
        assert_problem(await fail_login(client, address), 401, "UNAUTHORIZED")
        assert_problem(await fail_login(client, address), 401, "UNAUTHORIZED")
        assert_rate_limited(await fail_login(client, address))


async def test_rate_limits_can_be_disabled(build_app: AppFactory) -> None:
    async with (
        build_app(rate_limit_login="1/15 minutes", rate_limit_enabled=False) as application,
        client_for(application, "1.1.1.2") as client,
    ):
        address = email()
        for _ in range(3):
            assert_problem(await fail_login(client, address), 401, "UNAUTHORIZED")


# ---------------------------------------------------------------------------------------- register


async def test_registrations_limited_per_ip(build_app: AppFactory) -> None:
    async with build_app(rate_limit_register="3/hour") as application:
        async with client_for(application, "198.51.100.1") as client:
            for _ in range(3):
                await register(client)
            response = await client.post("/auth/register", json=registration())
            assert_rate_limited(response, window_seconds=3600)
        async with client_for(application, "198.51.100.2") as other_ip:
            await register(other_ip)


async def test_default_registration_limit_is_generous(app: FastAPI) -> None:
    async with client_for(app, "198.51.100.3") as client:
        for _ in range(20):
            await register(client)


async def test_refresh_limited_per_ip(build_app: AppFactory) -> None:
    async with (
        build_app(rate_limit_refresh="2/minute") as application,
        client_for(application, "1.1.1.3") as client,
    ):
        for _ in range(2):
            assert_problem(
                await client.post("/auth/refresh", json={"refreshToken": "nope"}), 401, "UNAUTHORIZED"
            )
        assert_rate_limited(
            await client.post("/auth/refresh", json={"refreshToken": "nope"}), window_seconds=60
        )


# ------------------------------------------------------------------------------------------- Redis


def _redis_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url() -> str:
    if not _redis_reachable(REDIS_URL):
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    return REDIS_URL


async def _clear(application: FastAPI, limit: str, *keys: tuple[str, ...]) -> None:
    context: AppContext = application.state.context
    for key in keys:
        await context.rate_limiter.storage.clear(parse(limit).key_for(*key))


async def test_redis_limit_shared_between_app_instances(build_app: AppFactory, redis_url: str) -> None:
    limit = "3/15 minutes"
    address = email("redis")
    ips = [random_ip(), random_ip()]
    async with (
        build_app(redis_url=redis_url, rate_limit_login=limit) as first,
        build_app(redis_url=redis_url, rate_limit_login=limit) as second,
    ):
        assert first.state.context.rate_limiter is not second.state.context.rate_limiter
        try:
            async with client_for(first, ips[0]) as a, client_for(second, ips[1]) as b:
                await register(a, email=address)
                assert_problem(await fail_login(a, address), 401, "UNAUTHORIZED")
                assert_problem(await fail_login(b, address), 401, "UNAUTHORIZED")
                assert_problem(await fail_login(a, address), 401, "UNAUTHORIZED")
                # Three failures across two processes: both see the account's limit as used up.
                assert_rate_limited(await fail_login(b, address))
                assert_rate_limited(await fail_login(a, address))

                health = await a.get("/health")
                assert health.status_code == 200
                assert health.json()["redis"]["status"] == "ok"
        finally:
            await _clear(
                first,
                limit,
                ("login-account", address),
                *(("login-ip", ip) for ip in ips),
            )
            await _clear(
                first, first.state.context.settings.rate_limit_register, *(("register", ip) for ip in ips)
            )


async def test_concurrent_failed_logins_across_app_instances_are_all_counted(
    build_app: AppFactory, redis_url: str
) -> None:
    """Two processes sharing Redis: a burst split between them still passes the check one at a time."""
    limit = "5/15 minutes"
    address = email("burst")
    ips = [random_ip() for _ in range(20)]
    async with (
        build_app(redis_url=redis_url, rate_limit_login=limit) as first,
        build_app(redis_url=redis_url, rate_limit_login=limit) as second,
    ):
        clients = [client_for(first if i % 2 else second, ip) for i, ip in enumerate(ips)]
        try:
            await register(clients[0], email=address)
            responses = await asyncio.gather(*(fail_login(c, address) for c in clients))
        finally:
            for c in clients:
                await c.aclose()
            await _clear(first, limit, ("login-account", address), *(("login-ip", ip) for ip in ips))
            await _clear(first, first.state.context.settings.rate_limit_register, ("register", ips[0]))
    statuses = [response.status_code for response in responses]
    assert statuses.count(401) == 5, statuses
    assert statuses.count(429) == 15, statuses


async def test_redis_down_makes_health_degraded(build_app: AppFactory) -> None:
    async with (
        build_app(redis_url="redis://127.0.0.1:1/0") as application,
        client_for(application, "1.1.1.4") as client,
    ):
        response = await client.get("/health")
        assert response.status_code == 200  # the database is fine; Redis is reported, not fatal
        body = response.json()
        assert body["status"] == "degraded"
        assert body["redis"]["status"] == "down"
        assert body["database"]["status"] == "ok"

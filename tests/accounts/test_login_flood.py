"""A flood of logins for one account waits without database connections; other requests go on."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from tests.accounts.helpers import PASSWORD, assert_problem, bearer, email, register
from tests.accounts.test_rate_limits import DEFAULT_LOGIN_LIMIT, assert_rate_limited, client_for
from tixmo.deps import AppContext
from tixmo.security import PasswordService

FLOOD = 200
WRONG_PASSWORD = "Wrong-Passw0rd"


class PoolWatch:
    """The most connections the pool had checked out at once while watched."""

    def __init__(self) -> None:
        self.peak = 0

    def on_checkout(self, dbapi_connection: Any, record: Any, proxy: Any) -> None:
        self.peak = max(self.peak, self.pool.checkedout())

    pool: Any = None


@contextmanager
def watch_pool(context: AppContext) -> Iterator[PoolWatch]:
    watch = PoolWatch()
    watch.pool = context.database.engine.sync_engine.pool
    event.listen(watch.pool, "checkout", watch.on_checkout)
    try:
        yield watch
    finally:
        event.remove(watch.pool, "checkout", watch.on_checkout)


async def test_login_flood_for_one_account_holds_at_most_one_connection(
    app: FastAPI, context: AppContext
) -> None:
    async with client_for(app, "192.0.2.250") as setup:
        target = email("flooded")
        await register(setup, email=target)
        bystander = await register(setup)
    bystander_headers = bearer(bystander["accessToken"])
    # Every other attempt has the right password; each from its own address, so only the account's
    # own serialisation and limit apply.
    passwords = [PASSWORD if i % 2 == 0 else WRONG_PASSWORD for i in range(FLOOD)]
    clients = [client_for(app, f"198.18.{i // 200}.{i % 200 + 1}") for i in range(FLOOD)]
    flood_done = asyncio.Event()
    unrelated: list[httpx.Response] = []

    async def bystander_loop(client: httpx.AsyncClient) -> None:
        # At least one request, then one after another until the flood is over.
        while True:
            unrelated.append(await client.get("/auth/me", headers=bystander_headers))
            if flood_done.is_set():
                return

    async def flood() -> list[httpx.Response]:
        try:
            return await asyncio.gather(
                *(
                    c.post("/auth/login", json={"email": target, "password": password})
                    for c, password in zip(clients, passwords, strict=True)
                )
            )
        finally:
            flood_done.set()

    with watch_pool(context) as pool:
        async with client_for(app, "192.0.2.251") as other:
            responses, _ = await asyncio.gather(flood(), bystander_loop(other))
    for c in clients:
        await c.aclose()

    # The bystander was served all along: no 5xx, no pool timeout.
    assert unrelated
    assert all(response.status_code == 200 for response in unrelated), [r.status_code for r in unrelated]
    # Logins for one account wait their turn without a connection: one login at a time holds one, plus
    # the bystander's one request in flight.
    assert pool.peak <= 2, pool.peak
    assert len(context.rate_limiter.local_turns) == 0  # no lock left behind per key

    # The burst is still counted one attempt at a time: exactly the limit of wrong guesses is answered.
    statuses = [response.status_code for response in responses]
    assert statuses.count(401) == DEFAULT_LOGIN_LIMIT, statuses
    for password, response in zip(passwords, responses, strict=True):
        if response.status_code == 429:
            assert_rate_limited(response)
        elif password == PASSWORD:
            assert response.status_code == 200, response.text
            assert response.json()["user"]["email"] == target
        else:
            assert_problem(response, 401, "UNAUTHORIZED")


class PoolAtVerify(PasswordService):
    """The real password check, noting how many pooled connections are checked out as it begins."""

    checked_out: list[int]
    pool: Any

    async def verify(self, password_hash: str | None, password: str) -> bool:
        self.checked_out.append(self.pool.checkedout())
        return await super().verify(password_hash, password)


@pytest.mark.parametrize(
    ("password", "status"),
    [(PASSWORD, 200), (WRONG_PASSWORD, 401), (None, 401)],
    ids=["right", "wrong", "unknown"],
)
async def test_the_password_is_checked_with_no_connection_held(
    app: FastAPI, context: AppContext, monkeypatch: pytest.MonkeyPatch, password: str | None, status: int
) -> None:
    async with client_for(app, "192.0.2.252") as client:
        address = email()
        await register(client, email=address)
        watched = PoolAtVerify(context.passwords.time_cost, context.passwords.memory_kib)
        object.__setattr__(watched, "checked_out", [])
        object.__setattr__(watched, "pool", context.database.engine.sync_engine.pool)
        monkeypatch.setattr(context, "passwords", watched)
        body = {"email": address if password else email(), "password": password or PASSWORD}
        response = await client.post("/auth/login", json=body)
    assert response.status_code == status, response.text
    assert watched.checked_out == [0]  # argon2 ran while the pool had every connection back

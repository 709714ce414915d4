"""A flood of logins for one account waits without database connections; other requests go on."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event

from tests.accounts.helpers import PASSWORD, assert_problem, bearer, email, register
from tests.accounts.test_rate_limits import DEFAULT_LOGIN_LIMIT, assert_rate_limited, client_for
from tixmo.deps import AppContext

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

"""Idempotency-Key on create, confirm and cancel.

Every test runs twice: orders placed by the express path (``orders/express.py``, which stores the answer
in its one statement) and by the full path (the express path switched off). Both must keep the same rules.
"""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import (
    assert_problem,
    error_fields,
    ledger,
    make_buyer,
    make_shop,
    order_body,
    order_count,
    place,
    place_ok,
)
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.idempotency.models import IdempotencyRecord
from tixmo.orders import express


@pytest.fixture(autouse=True, params=["express", "full"])
def order_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "full":
        monkeypatch.setattr(express, "applies", lambda data: False)
    path: str = request.param
    return path


async def test_a_replay_returns_the_first_answer_and_creates_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    key = str(uuid.uuid4())

    first = await place(client, buyer, order_body(shop, quantity=2), **{"Idempotency-Key": key})
    replay = await place(client, buyer, order_body(shop, quantity=2), **{"Idempotency-Key": key})

    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await order_count(session) == 1
    assert (await ledger(session, shop.ticket_type.id)).held == 2


async def test_the_same_key_with_another_body_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    key = str(uuid.uuid4())
    await place(client, buyer, order_body(shop, quantity=2), **{"Idempotency-Key": key})

    response = await place(client, buyer, order_body(shop, quantity=3), **{"Idempotency-Key": key})

    assert error_fields(assert_problem(response, 409, "CONFLICT")) == {"Idempotency-Key"}
    assert await order_count(session) == 1
    assert (await ledger(session, shop.ticket_type.id)).held == 2


async def test_keys_belong_to_their_caller(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    alice, bob = await make_buyer(session, context), await make_buyer(session, context)
    key = "shared-key"

    a = await place(client, alice, order_body(shop), **{"Idempotency-Key": key})
    b = await place(client, bob, order_body(shop), **{"Idempotency-Key": key})

    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]
    assert b.json()["userId"] == str(bob.user.id)


async def test_concurrent_requests_with_one_key_create_one_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=100)
    buyer = await make_buyer(session, context)
    key = str(uuid.uuid4())

    responses = await asyncio.gather(
        *(place(client, buyer, order_body(shop), **{"Idempotency-Key": key}) for _ in range(20))
    )

    created = [r for r in responses if r.status_code == 201]
    in_flight = [r for r in responses if r.status_code == 409]
    assert len(created) + len(in_flight) == 20, [r.text for r in responses]
    assert created
    assert len({r.json()["id"] for r in created}) == 1
    for response in in_flight:
        assert_problem(response, 409, "CONFLICT")
        assert response.headers["Retry-After"] == "1"
    assert await order_count(session) == 1
    assert (await ledger(session, shop.ticket_type.id)).held == 1


async def test_confirm_and_cancel_replay(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, quantity=2))
    confirm_key, cancel_key = {"Idempotency-Key": "c-1"}, {"Idempotency-Key": "x-1"}

    confirmed = await client.post(f"/orders/{order['id']}/confirm", headers={**buyer.headers, **confirm_key})
    confirmed_again = await client.post(
        f"/orders/{order['id']}/confirm", headers={**buyer.headers, **confirm_key}
    )
    cancelled = await client.post(f"/orders/{order['id']}/cancel", headers={**buyer.headers, **cancel_key})
    cancelled_again = await client.post(
        f"/orders/{order['id']}/cancel", headers={**buyer.headers, **cancel_key}
    )

    assert confirmed.status_code == confirmed_again.status_code == 200
    assert confirmed_again.json() == confirmed.json()
    assert cancelled.status_code == cancelled_again.status_code == 200
    assert cancelled_again.json() == cancelled.json()
    assert cancelled.json()["status"] == "REFUNDED"
    state = await ledger(session, shop.ticket_type.id)
    assert (state.sold, state.held, state.live_tickets) == (0, 0, 0)
    # The confirm key used on another order's confirm is another request.
    other = await place_ok(client, buyer, order_body(shop))
    reused = await client.post(f"/orders/{other['id']}/confirm", headers={**buyer.headers, **confirm_key})
    assert_problem(reused, 409, "CONFLICT")


async def test_a_refused_request_is_not_stored(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """Sold out, then tickets come back: the retry with the same key is tried again and succeeds."""
    shop = await make_shop(session, context, quantity=1)
    first, second = await make_buyer(session, context), await make_buyer(session, context)
    held = await place_ok(client, first, order_body(shop))
    key = {"Idempotency-Key": "retry-me"}
    assert_problem(await place(client, second, order_body(shop), **key), 409, "INSUFFICIENT_INVENTORY")
    await client.post(f"/orders/{held['id']}/cancel", headers=first.headers)

    retry = await place(client, second, order_body(shop), **key)

    assert retry.status_code == 201, retry.text


async def test_a_key_past_its_retention_is_forgotten(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    key = {"Idempotency-Key": "old-key"}
    first = await place(client, buyer, order_body(shop), **key)
    await session.execute(update(IdempotencyRecord).values(expires_at=utcnow()))
    await session.commit()

    later = await place(client, buyer, order_body(shop), **key)

    assert later.status_code == 201
    assert later.json()["id"] != first.json()["id"]
    assert await order_count(session) == 2


async def test_malformed_keys_are_refused(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)

    for key in ("x" * 256, "with space", ""):
        response = await place(client, buyer, order_body(shop), **{"Idempotency-Key": key})
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"Idempotency-Key"}, key
    assert await order_count(session) == 0

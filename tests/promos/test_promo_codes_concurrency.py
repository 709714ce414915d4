"""Promo codes under concurrency: uniqueness, maxUses, and giving uses back cannot be raced."""

from __future__ import annotations

import asyncio

import httpx
import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event
from tests.promos.helpers import Staff, assert_problem, create_promo, make_staff, promo_body, reload
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.errors import PromoCodeInvalid
from tixmo.events.models import Event
from tixmo.promos import service
from tixmo.promos.models import PromoCode


@pytest.fixture
async def staff(session: AsyncSession, context: AppContext) -> Staff:
    return await make_staff(session, context)


@pytest.fixture
async def event(session: AsyncSession, staff: Staff) -> Event:
    return await create_event(session, organization=staff.org)


async def test_concurrent_creates_of_the_same_code_in_two_cases_make_exactly_one(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    codes = ["SAVE10", "save10"] * 5
    responses = await asyncio.gather(
        *(
            client.post("/promo-codes", json=promo_body(event, code=code), headers=staff.headers)
            for code in codes
        )
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 9, [response.text for response in responses]
    for response in responses:
        if response.status_code == 409:
            assert_problem(response, 409, "CONFLICT")
    listed = await client.get("/promo-codes", params={"eventId": str(event.id)}, headers=staff.headers)
    assert listed.json()["meta"]["total"] == 1


async def _claim(context: AppContext, promo: PromoCode) -> bool:
    """One order's claim in its own transaction, committed."""
    async with context.database.sessionmaker() as session:
        try:
            await service.claim_use(session, promo)
        except PromoCodeInvalid:
            await session.rollback()
            return False
        await session.commit()
        return True


async def test_concurrent_claims_never_exceed_max_uses(
    session: AsyncSession, context: AppContext, event: Event
) -> None:
    promo = await create_promo(session, event=event, max_uses=10)

    results = await asyncio.gather(*(_claim(context, promo) for _ in range(50)))

    assert results.count(True) == 10
    stored = await reload(session, promo.id)
    assert stored is not None and stored.used_count == 10


async def test_an_unlimited_code_counts_every_concurrent_claim(
    session: AsyncSession, context: AppContext, event: Event
) -> None:
    promo = await create_promo(session, event=event)
    results = await asyncio.gather(*(_claim(context, promo) for _ in range(20)))
    assert all(results)
    stored = await reload(session, promo.id)
    assert stored is not None and stored.used_count == 20


async def test_a_refused_claim_says_why(session: AsyncSession, context: AppContext, event: Event) -> None:
    used_up = await create_promo(session, event=event, code="FULL", max_uses=1, used_count=1)
    disabled = await create_promo(session, event=event, code="OFF", status="DISABLED")
    for promo, reason in ((used_up, "used up"), (disabled, "disabled")):
        async with context.database.sessionmaker() as claim_session:
            with pytest.raises(PromoCodeInvalid) as caught:
                await service.claim_use(claim_session, promo)
        assert [error.field for error in caught.value.errors] == ["promoCode"]
        assert reason in caught.value.errors[0].message


async def test_a_claim_updates_the_loaded_copy(
    session: AsyncSession, context: AppContext, event: Event
) -> None:
    created = await create_promo(session, event=event, max_uses=5, used_count=2)
    async with context.database.sessionmaker() as order_session:
        promo = await service.find_for_event(order_session, event.id, "save10")
        await service.claim_use(order_session, promo)
        assert promo.used_count == 3
        assert not order_session.dirty  # nothing left for a flush to write back
        await service.release_use(order_session, promo.id)
        assert promo.used_count == 2
        await order_session.commit()
    stored = await reload(session, created.id)
    assert stored is not None and stored.used_count == 2


async def test_release_never_goes_below_zero(
    session: AsyncSession, context: AppContext, event: Event
) -> None:
    promo = await create_promo(session, event=event, used_count=3)

    async def release() -> None:
        async with context.database.sessionmaker() as release_session:
            await service.release_use(release_session, promo.id)
            await release_session.commit()

    await asyncio.gather(*(release() for _ in range(8)))

    stored = await reload(session, promo.id)
    assert stored is not None and stored.used_count == 0


async def test_a_released_use_can_be_claimed_again(
    session: AsyncSession, context: AppContext, event: Event
) -> None:
    promo = await create_promo(session, event=event, max_uses=1, used_count=1)
    assert await _claim(context, promo) is False
    async with context.database.sessionmaker() as release_session:
        await service.release_use(release_session, promo.id)
        await release_session.commit()
    assert await _claim(context, promo) is True
    stored = await reload(session, promo.id)
    assert stored is not None and stored.used_count == 1


async def _wait_until_blocked(conn: psycopg.AsyncConnection[tuple[object, ...]]) -> None:
    """Until an API connection waits on a row lock for its UPDATE of promo_codes (no sleeping)."""
    while True:
        cursor = await conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE 'UPDATE promo_codes%'"
        )
        row = await cursor.fetchone()
        if row is not None and row[0]:
            return


async def _set_max_uses_during_a_claim(
    client: httpx.AsyncClient, staff: Staff, database_url: str, promo_id: object, max_uses: int
) -> httpx.Response:
    """An order's transaction claims a use and stays open while staff set ``maxUses``; it commits once the
    API's UPDATE is seen waiting on its row lock. Returns the API's answer."""
    conninfo = libpq_conninfo(database_url)
    async with (
        await psycopg.AsyncConnection.connect(conninfo) as order_conn,
        await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as watcher,
    ):
        await order_conn.execute(
            "UPDATE promo_codes SET used_count = used_count + 1 WHERE id = %s", (promo_id,)
        )
        change = asyncio.create_task(
            client.put(f"/promo-codes/{promo_id}", json={"maxUses": max_uses}, headers=staff.headers)
        )
        async with asyncio.timeout(60):  # a guard against a hang, not a timing assertion
            await _wait_until_blocked(watcher)
        await order_conn.commit()
        return await change


async def test_lowering_max_uses_waits_for_a_concurrent_claim_and_then_refuses(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event, database_url: str
) -> None:
    """A read-then-write check would have read usedCount = 4, allowed 4, and then hit the CHECK constraint
    (a 500) or, without it, let the code be used more often than maxUses."""
    promo = await create_promo(session, event=event, max_uses=10, used_count=4)

    response = await _set_max_uses_during_a_claim(client, staff, database_url, promo.id, 4)

    body = assert_problem(response, 409, "CONFLICT")
    assert body["usedCount"] == 5
    stored = await reload(session, promo.id)
    assert stored is not None and (stored.max_uses, stored.used_count) == (10, 5)


async def test_lowering_max_uses_to_exactly_the_uses_after_a_concurrent_claim_succeeds(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event, database_url: str
) -> None:
    promo = await create_promo(session, event=event, max_uses=10, used_count=4)

    response = await _set_max_uses_during_a_claim(client, staff, database_url, promo.id, 5)

    assert response.status_code == 200, response.text
    assert (response.json()["maxUses"], response.json()["usedCount"], response.json()["remainingUses"]) == (
        5,
        5,
        0,
    )


async def test_delete_waits_for_a_concurrent_claim_and_then_refuses(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event, database_url: str
) -> None:
    promo = await create_promo(session, event=event)
    conninfo = libpq_conninfo(database_url)
    async with (
        await psycopg.AsyncConnection.connect(conninfo) as order_conn,
        await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as watcher,
    ):
        await order_conn.execute(
            "UPDATE promo_codes SET used_count = used_count + 1 WHERE id = %s", (promo.id,)
        )
        deletion = asyncio.create_task(client.delete(f"/promo-codes/{promo.id}", headers=staff.headers))
        async with asyncio.timeout(60):
            while True:
                cursor = await watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query ILIKE 'DELETE FROM promo_codes%'"
                )
                row = await cursor.fetchone()
                if row is not None and row[0]:
                    break
        await order_conn.commit()
        response = await deletion

    assert_problem(response, 409, "CONFLICT")
    stored = await reload(session, promo.id)
    assert stored is not None and stored.used_count == 1

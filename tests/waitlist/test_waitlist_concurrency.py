"""Concurrency: many joins at once keep one queue; released tickets never reach a buyer who is not
waiting; claims racing the expiry job end one way; sold + held <= total throughout."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import make_buyer, order_body, place
from tests.waitlist.helpers import (
    cancel_order,
    counters,
    join,
    join_ok,
    run_jobs,
    sold_out_shop,
    statuses,
)
from tests.waitlist.test_offers import _settle_periodic
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.notifications.models import Notification
from tixmo.waitlist.models import WaitlistEntry


async def test_fifty_concurrent_joins_form_one_queue_in_join_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1,) * 5)
    buyers = [await make_buyer(session, context) for _ in range(50)]
    responses = await asyncio.gather(*(join(client, buyer, sold.shop, 1) for buyer in buyers))
    assert [r.status_code for r in responses] == [201] * 50, [
        r.text for r in responses if r.status_code != 201
    ]
    # Each join saw the queue as committed before it: positions 1..50, each once, in join (seq) order.
    answered = {r.json()["id"]: r.json()["position"] for r in responses}
    assert sorted(answered.values()) == list(range(1, 51))
    seq_order = list(
        await session.scalars(
            select(WaitlistEntry.id)
            .where(WaitlistEntry.event_id == sold.shop.event.id)
            .order_by(WaitlistEntry.seq)
        )
    )
    await session.commit()
    assert [answered[str(entry_id)] for entry_id in seq_order] == list(range(1, 51))
    staff_view = (
        await client.get(
            f"/events/{sold.shop.event.id}/waitlist", headers=sold.shop.staff_headers, params={"limit": 100}
        )
    ).json()
    assert [e["position"] for e in staff_view["data"]] == list(range(1, 51))
    assert staff_view["meta"]["total"] == 50

    # Tickets come back one at a time: the offers follow the queue.
    for order in sold.orders[:3]:
        await cancel_order(client, sold.holder, order)
        await run_jobs(context)
    offered = list(
        await session.scalars(
            select(WaitlistEntry.id)
            .where(WaitlistEntry.event_id == sold.shop.event.id, WaitlistEntry.status == "OFFERED")
            .order_by(WaitlistEntry.seq)
        )
    )
    await session.commit()
    assert offered == seq_order[:3]
    refreshed = (
        await client.get(f"/waitlist/{seq_order[3]}", headers=_headers_of(buyers, responses, seq_order[3]))
    ).json()
    assert refreshed["position"] == 1


def _headers_of(buyers: list[Any], responses: list[httpx.Response], entry_id: uuid.UUID) -> dict[str, str]:
    for buyer, response in zip(buyers, responses, strict=True):
        if response.json()["id"] == str(entry_id):
            headers: dict[str, str] = buyer.headers
            return headers
    raise AssertionError(entry_id)


async def test_one_person_joining_many_times_at_once_gets_one_entry(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client)
    buyer = await make_buyer(session, context)
    responses = await asyncio.gather(*(join(client, buyer, sold.shop, 1) for _ in range(10)))
    assert sorted(r.status_code for r in responses) == [201] + [409] * 9
    assert await statuses(session, sold.shop.event.id) == [(1, "WAITING")]


async def test_released_tickets_never_reach_buyers_who_are_not_waiting(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """Negative control included: with nobody waiting, the same race sells the released tickets."""
    for waiting in (True, False):
        sold = await sold_out_shop(session, context, client, blocks=(1,) * 8)
        if waiting:
            for _ in range(10):
                await join_ok(client, await make_buyer(session, context), sold.shop, 1)
        strangers = [await make_buyer(session, context) for _ in range(20)]

        async def buy_repeatedly(buyer: Any, body: dict[str, Any]) -> int:
            bought = 0
            for _ in range(4):
                response = await place(client, buyer, body)
                assert response.status_code in (201, 409), response.text
                bought += response.status_code == 201
            return bought

        results = await asyncio.gather(
            *(cancel_order(client, sold.holder, order) for order in sold.orders),
            *(buy_repeatedly(buyer, order_body(sold.shop, 1)) for buyer in strangers),
        )
        bought = sum(result for result in results if isinstance(result, int))
        await run_jobs(context)
        state = await counters(session, sold.shop.ticket_type.id)
        state.assert_consistent()
        if waiting:
            assert bought == 0
            assert (state.offered, state.pool, state.available) == (8, 0, 0)
            assert [s for _, s in await statuses(session, sold.shop.event.id)] == ["OFFERED"] * 8 + [
                "WAITING"
            ] * 2
        else:
            assert bought > 0  # the race is real: without the waitlist the strangers get them
            assert state.pending == bought and state.offered == 0


async def test_claims_racing_the_expiry_job_end_one_way(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1,) * 8)
    people = [await make_buyer(session, context) for _ in range(12)]
    entries = [await join_ok(client, person, sold.shop, 1) for person in people]
    for order in sold.orders:
        await cancel_order(client, sold.holder, order)
    await run_jobs(context)
    offered = entries[:8]
    # Half of the offers ran out a moment ago, half run out in a minute; every holder claims while the
    # expiry job runs (twice, as two workers would).
    due = [uuid.UUID(e["id"]) for e in offered[::2]]
    await session.execute(
        update(WaitlistEntry)
        .where(WaitlistEntry.id.in_(due))
        .values(offer_expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()
    holders = people[:8]
    results = await asyncio.gather(
        *(
            client.post(f"/waitlist/{e['id']}/claim", headers=p.headers)
            for e, p in zip(offered, holders, strict=True)
        ),
        _settle_periodic(context),
        _settle_periodic(context),
    )
    claims = [r for r in results if isinstance(r, httpx.Response)]
    for offer, answer in zip(offered, claims, strict=True):
        row = await session.get(WaitlistEntry, uuid.UUID(offer["id"]), populate_existing=True)
        assert row is not None
        if uuid.UUID(offer["id"]) in due:
            assert answer.status_code == 409 and answer.json()["code"] == "INVALID_STATE", answer.text
            assert row.status == "EXPIRED" and row.order_id is None
        else:
            assert answer.status_code == 201, answer.text
            assert row.status == "CLAIMED" and str(row.order_id) == answer.json()["id"]
    await session.commit()
    # The 4 expired offers passed on to the 4 people still waiting, each exactly once.
    assert [s for _, s in await statuses(session, sold.shop.event.id)][8:] == ["OFFERED"] * 4
    expired_told = await session.scalar(select(func.count()).where(Notification.kind == "waitlist.expired"))
    offers_told = await session.scalar(select(func.count()).where(Notification.kind == "waitlist.offer"))
    await session.commit()
    assert (expired_told, offers_told) == (4, 12)
    state = await counters(session, sold.shop.ticket_type.id)
    assert (state.pending, state.offered, state.pool, state.available) == (4, 4, 0, 0)
    state.assert_consistent()

"""Staff: the event's waitlist with positions and counts per ticket type, the switch, the stats."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import assert_problem, make_buyer, make_shop
from tests.waitlist.helpers import cancel_order, counters, join_ok, run_jobs, sold_out_shop, statuses
from tixmo.deps import AppContext


async def test_staff_see_entries_with_positions_and_counts_others_get_404(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1, 1))
    shop = sold.shop
    people = [await make_buyer(session, context) for _ in range(4)]
    await join_ok(client, people[0], shop, 1)
    await join_ok(client, people[1], shop, 2)
    await join_ok(client, people[2], shop, 1, any_type=True)
    await join_ok(client, people[3], shop, 1)
    await cancel_order(client, sold.holder, sold.orders[0])
    await run_jobs(context)

    url = f"/events/{shop.event.id}/waitlist"
    answer = await client.get(url, headers=shop.staff_headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"data", "meta", "counts"}
    assert body["meta"] == {"page": 1, "limit": 20, "total": 4, "totalPages": 1}
    assert [(e["status"], e["position"], e["quantity"]) for e in body["data"]] == [
        ("OFFERED", None, 1),
        ("WAITING", 1, 2),
        ("WAITING", 2, 1),
        ("WAITING", 3, 1),
    ]
    assert {e["userId"] for e in body["data"]} == {str(p.user.id) for p in people}
    by_type = {c["ticketTypeId"]: c for c in body["counts"]}
    assert by_type[str(shop.ticket_type.id)] == {
        "ticketTypeId": str(shop.ticket_type.id),
        "waiting": 2,
        "waitingTickets": 3,
        "offered": 1,
        "offeredTickets": 1,
        "pool": 0,
    }
    assert by_type[None]["waiting"] == 1
    waiting_only = (
        await client.get(url, headers=shop.staff_headers, params={"status": "WAITING", "limit": 2})
    ).json()
    assert waiting_only["meta"] == {"page": 1, "limit": 2, "total": 3, "totalPages": 2}

    stats = (await client.get(f"/events/{shop.event.id}/stats", headers=shop.staff_headers)).json()
    assert stats["waitlist"] == {"waiting": 3, "waitingTickets": 4, "offered": 1, "offeredTickets": 1}

    # A buyer, and staff of another organization: the event's waitlist does not exist for them.
    other = await make_shop(session, context)
    for headers in (people[0].headers, other.staff_headers):
        assert_problem(await client.get(url, headers=headers), 404, "NOT_FOUND")
        assert_problem(await client.get(f"{url}/settings", headers=headers), 404, "NOT_FOUND")
        closing = await client.put(f"{url}/settings", json={"enabled": False}, headers=headers)
        assert_problem(closing, 404, "NOT_FOUND")
    assert_problem(await client.get(url), 401, "UNAUTHORIZED")
    bad = await client.put(f"{url}/settings", json={"enabled": "no"}, headers=shop.staff_headers)
    assert_problem(bad, 422, "VALIDATION_ERROR")
    assert (await client.get(f"{url}/settings", headers=shop.staff_headers)).json()["enabled"] is True


async def test_closing_the_waitlist_cancels_who_waits_and_puts_the_pool_on_sale(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1, 1))
    shop = sold.shop
    offered, big = [await make_buyer(session, context) for _ in range(2)]
    await join_ok(client, offered, shop, 1)
    await join_ok(client, big, shop, 2)
    await cancel_order(client, sold.holder, sold.orders[0])
    await run_jobs(context)
    await cancel_order(client, sold.holder, sold.orders[1])  # 1 back: kept for the entry of 2
    await run_jobs(context)
    assert (await counters(session, shop.ticket_type.id)).pool == 1

    closed = await client.put(
        f"/events/{shop.event.id}/waitlist/settings", json={"enabled": False}, headers=shop.staff_headers
    )
    assert closed.status_code == 200, closed.text
    assert await statuses(session, shop.event.id) == [(1, "OFFERED"), (2, "CANCELLED")]
    state = await counters(session, shop.ticket_type.id)
    assert (state.pool, state.offered, state.available) == (0, 1, 1)
    state.assert_consistent()

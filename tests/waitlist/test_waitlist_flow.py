"""The waitlist end to end: join when sold out, tickets come back, the offer, the claim, the order."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import make_buyer
from tests.waitlist.helpers import (
    cancel_order,
    counters,
    join_ok,
    run_jobs,
    sold_out_shop,
    statuses,
)
from tixmo.deps import AppContext


async def test_released_tickets_are_offered_claimed_and_paid(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(2, 2))
    shop = sold.shop
    alice = await make_buyer(session, context)
    joined = await join_ok(client, alice, shop, 2)
    assert joined["status"] == "WAITING"
    assert joined["position"] == 1
    assert joined["heldQuantity"] == 0 and joined["claimUrl"] is None

    await cancel_order(client, sold.holder, sold.orders[0])
    # The release itself kept the tickets from the public: none available, all held, in the pool.
    after_release = await counters(session, shop.ticket_type.id)
    assert after_release.available == 0
    assert after_release.pool == 2
    after_release.assert_consistent()
    public = await client.get(f"/ticket-types/{shop.ticket_type.id}/availability")
    assert public.json()["quantityAvailable"] == 0

    await run_jobs(context)
    mine = (await client.get("/waitlist", headers=alice.headers)).json()
    assert mine["meta"]["total"] == 1
    offer = mine["data"][0]
    assert offer["status"] == "OFFERED"
    assert offer["heldQuantity"] == 2
    assert offer["offerTicketTypeId"] == str(shop.ticket_type.id)
    assert offer["offerExpiresAt"] is not None
    assert offer["claimUrl"].endswith(f"/api/v1/waitlist/{offer['id']}/claim")
    offered = await counters(session, shop.ticket_type.id)
    assert (offered.pool, offered.offered, offered.available) == (0, 2, 0)
    offered.assert_consistent()

    claimed = await client.post(f"/waitlist/{offer['id']}/claim", headers=alice.headers)
    assert claimed.status_code == 201, claimed.text
    order = claimed.json()
    assert order["status"] == "PENDING"
    assert order["userId"] == str(alice.user.id)
    assert order["items"][0]["quantity"] == 2
    assert order["total"] == "50.00"
    after_claim = await counters(session, shop.ticket_type.id)
    assert (after_claim.offered, after_claim.pending, after_claim.available) == (0, 4, 0)
    after_claim.assert_consistent()
    assert await statuses(session, shop.event.id) == [(2, "CLAIMED")]

    paid = await client.post(f"/orders/{order['id']}/confirm", headers=alice.headers)
    assert paid.status_code == 200, paid.text
    assert len(paid.json()["tickets"]) == 2
    final = await counters(session, shop.ticket_type.id)
    assert (final.sold, final.held) == (2, 2)
    final.assert_consistent()


async def test_claiming_a_free_ticket_confirms_at_once_and_the_price_is_the_moments(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    sold = await sold_out_shop(session, context, client, blocks=(1, 1))
    shop = sold.shop
    alice = await make_buyer(session, context)
    joined = await join_ok(client, alice, shop, 1)
    await cancel_order(client, sold.holder, sold.orders[0])
    await run_jobs(context)
    # The price changes after the offer was made: the claim pays the price of the moment (here, free).
    repriced = await client.put(
        f"/ticket-types/{shop.ticket_type.id}", json={"price": "0"}, headers=shop.staff_headers
    )
    assert repriced.status_code == 200, repriced.text
    claimed = await client.post(f"/waitlist/{joined['id']}/claim", headers=alice.headers)
    assert claimed.status_code == 201, claimed.text
    order = claimed.json()
    assert (order["status"], order["total"], len(order["tickets"])) == ("CONFIRMED", "0.00", 1)
    state = await counters(session, shop.ticket_type.id)
    assert (state.sold, state.offered, state.pending) == (1, 0, 1)
    state.assert_consistent()

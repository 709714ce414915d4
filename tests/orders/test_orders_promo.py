"""Promo codes in orders: the discount, the use counted once, given back by cancel and expiry, and a
``maxUses`` that concurrent orders cannot exceed."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.orders.helpers import (
    Shop,
    assert_problem,
    error_fields,
    ledger,
    make_buyer,
    make_due,
    make_shop,
    order_body,
    order_count,
    place,
    place_ok,
)
from tixmo.deps import AppContext
from tixmo.orders import service
from tixmo.promos.models import PromoCode


async def _promo(session: AsyncSession, shop: Shop, **values: Any) -> PromoCode:
    promo = PromoCode(
        event_id=shop.event.id,
        code=values.pop("code", "SAVE10"),
        discount_type=values.pop("discount_type", "PERCENTAGE"),
        discount_value=values.pop("discount_value", 1000),
        **values,
    )
    session.add(promo)
    await session.commit()
    return promo


async def _used(session: AsyncSession, promo: PromoCode) -> int:
    used = await session.scalar(
        select(PromoCode.used_count).where(PromoCode.id == promo.id).execution_options(populate_existing=True)
    )
    return int(used or 0)


async def test_a_promo_code_discounts_the_order_and_counts_one_use(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, price_minor=3333)
    promo = await _promo(session, shop, discount_value=1250)  # 12.5 %
    buyer = await make_buyer(session, context)

    order = await place_ok(client, buyer, order_body(shop, quantity=3, promoCode="save10"))

    # 3 x 33.33 = 99.99; 12.5 % = 12.49875 -> 12.50 (half-up in minor units).
    assert (order["subtotal"], order["discount"], order["total"]) == ("99.99", "12.50", "87.49")
    assert order["promoCode"] == "SAVE10"
    assert order["items"][0]["discount"] == "12.50"
    assert await _used(session, promo) == 1


async def test_an_invalid_code_refuses_the_order_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    await _promo(session, shop, status="DISABLED")
    buyer = await make_buyer(session, context)

    for code in ("SAVE10", "NOPE"):
        response = await place(client, buyer, order_body(shop, promoCode=code))
        assert error_fields(assert_problem(response, 422, "PROMO_CODE_INVALID")) == {"promoCode"}
    assert await order_count(session) == 0
    assert (await ledger(session, shop.ticket_type.id)).held == 0


async def test_cancel_and_expiry_give_the_use_back(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    promo = await _promo(session, shop, max_uses=1)
    buyer = await make_buyer(session, context)

    first = await place_ok(client, buyer, order_body(shop, promoCode="SAVE10"))
    used_up = await place(client, buyer, order_body(shop, promoCode="SAVE10"))
    assert_problem(used_up, 422, "PROMO_CODE_INVALID")
    await client.post(f"/orders/{first['id']}/cancel", headers=buyer.headers)
    assert await _used(session, promo) == 0

    second = await place_ok(client, buyer, order_body(shop, promoCode="SAVE10"))
    await make_due(session, second["id"])
    async with context.database.sessionmaker() as job, job.begin():
        assert await service.expire_due(job) == 1
    assert await _used(session, promo) == 0

    third = await place_ok(client, buyer, order_body(shop, promoCode="SAVE10"))
    await client.post(f"/orders/{third['id']}/confirm", headers=buyer.headers)
    assert await _used(session, promo) == 1
    await client.post(f"/orders/{third['id']}/cancel", headers=buyer.headers)
    assert await _used(session, promo) == 0


async def test_max_uses_is_never_exceeded_by_concurrent_orders(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=500)
    promo = await _promo(session, shop, max_uses=10)
    buyers = [await make_buyer(session, context) for _ in range(100)]

    responses = await asyncio.gather(
        *(place(client, b, order_body(shop, promoCode="SAVE10")) for b in buyers)
    )

    outcomes = Counter(r.status_code if r.status_code == 201 else r.json()["code"] for r in responses)
    assert outcomes == {201: 10, "PROMO_CODE_INVALID": 90}, outcomes
    assert await _used(session, promo) == 10
    state = await ledger(session, shop.ticket_type.id)
    assert (state.held, state.orders) == (10, 10)
    state.assert_consistent()

"""``/analytics/sales`` against sums computed in Python from what each order of the data set is."""

from __future__ import annotations

from typing import Any

import httpx

from tests.analytics import dataset
from tests.analytics.dataset import FROM, TO, World, expected_sales, money_fields
from tests.analytics.helpers import build_rollup, params, report
from tixmo.deps import AppContext


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "totals": {row["currency"]: money_fields(row) for row in body["totals"]},
        "byDay": {(row["currency"], row["date"]): money_fields(row) for row in body["byDay"]},
        "byEvent": {(row["currency"], row["eventId"]): money_fields(row) for row in body["byEvent"]},
        "byTicketType": {
            (row["ticketTypeId"], row["currency"]): {
                k: row[k] for k in ("tickets", "gross", "discounts", "revenue")
            }
            for row in body["byTicketType"]
        },
    }


async def test_sales_add_up_whatever_the_rollup_covers(
    client: httpx.AsyncClient, context: AppContext, world: World
) -> None:
    expected = expected_sales(world, {"A"})
    headers = world.headers["a_staff"]
    # Nothing in the rollups yet: every figure comes from the orders.
    empty = await report(client, "sales", headers, params(world))
    assert empty["rollupCoveredUntil"] is None
    assert _answer(empty) == expected
    # The rollups end in the middle of Berlin's DST day: whole days before it from them, the rest live.
    await build_rollup(context, until=dataset.at("2026-03-29T12:00"))
    partial = await report(client, "sales", headers, params(world))
    assert partial["rollupCoveredUntil"] is not None
    assert _answer(partial) == expected
    await build_rollup(context)
    full = await report(client, "sales", headers, params(world))
    assert _answer(full) == expected
    # The figures themselves, spot-checked by hand: two currencies never added together.
    eur, usd = expected["totals"]["EUR"], expected["totals"]["USD"]
    assert (eur["orders"], eur["gross"], eur["discounts"], eur["refunds"], eur["net"]) == (
        5,
        "246.50",
        "10.55",
        "81.00",
        "154.95",
    )
    assert (usd["orders"], usd["gross"], usd["discounts"], usd["net"]) == (2, "61.25", "12.25", "49.00")
    # Berlin's 23-hour day holds o2 (00:30 CET) and o3 (23:59 CEST); o4 (00:30 CEST) is the next day.
    assert full["byDay"] and expected["byDay"][("EUR", "2026-03-29")]["orders"] == 2
    assert expected["byDay"][("EUR", "2026-03-30")]["orders"] == 1
    # New York: 01:30 EST and 23:30 EDT are both 2026-03-08.
    assert expected["byDay"][("USD", "2026-03-08")]["orders"] == 2


async def test_another_zone_cuts_the_days(
    client: httpx.AsyncClient, context: AppContext, world: World
) -> None:
    await build_rollup(context)
    body = await report(client, "sales", world.headers["a_staff"], params(world, tz="UTC"))
    assert body["filters"]["tz"] == "UTC"
    assert _answer(body) == expected_sales(world, {"A"}, tz="UTC")
    days = {row["date"] for row in body["byDay"] if row["currency"] == "EUR"}
    assert "2026-03-28" in days  # o2, 23:30 UTC


async def test_other_ranges(client: httpx.AsyncClient, context: AppContext, world: World) -> None:
    await build_rollup(context, until=dataset.at("2026-03-09T00:00"))
    for start, end in (
        (dataset.at("2026-03-08T06:30"), dataset.at("2026-03-29T21:59")),  # both ends on a paid order
        (dataset.at("2026-03-01T00:00"), dataset.at("2026-05-01T00:00")),  # whole days, o7 and o8 inside
        (dataset.at("2026-03-29T00:00"), dataset.at("2026-03-30T00:00")),  # one UTC day
    ):
        body = await report(
            client,
            "sales",
            world.headers["a_staff"],
            params(world, **{"from": start.isoformat(), "to": end.isoformat()}),
        )
        assert _answer(body) == expected_sales(world, {"A"}, start, end)
    assert FROM < TO

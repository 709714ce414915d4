"""``/analytics/events``, ``/customers``, ``/promo-codes`` and ``/dashboard`` against the data set's known
figures (``dataset.py`` sums them in Python)."""

from __future__ import annotations

import httpx

from tests.analytics import dataset
from tests.analytics.dataset import FROM, TO, World, expected_customers, expected_promos, expected_sales
from tests.analytics.helpers import build_rollup, params, report
from tixmo.deps import AppContext


async def test_events_report(client: httpx.AsyncClient, context: AppContext, world: World) -> None:
    await build_rollup(context, until=dataset.at("2026-03-20T00:00"))
    body = await report(client, "events", world.headers["a_staff"], params(world))
    rows = {row["eventId"]: row for row in body["events"]}
    assert set(rows) == {str(world.events["E1"]), str(world.events["E2"])}  # not org B's
    sales = expected_sales(world, {"A"})
    for key in ("E1", "E2"):
        row = rows[str(world.events[key])]
        assert row["ticketsSold"] == dataset.live_tickets(world, key)
        assert row["capacity"] == (200 if key == "E1" else 100)  # the ticket types offered
        assert row["sellThrough"] == round(row["ticketsSold"] / row["capacity"], 4)
        assert row["sales"] == [sales["byEvent"][(dataset.CURRENCIES[key], str(world.events[key]))]]
        started = [o for o in dataset.started_in(world, {"A"}) if o.plan.event == key]
        statuses: dict[str, int] = {}
        for order in started:
            statuses[dataset.status_of(order)] = statuses.get(dataset.status_of(order), 0) + 1
        assert row["orderStatuses"] == dict(sorted(statuses.items()))
    e1, e2 = rows[str(world.events["E1"])], rows[str(world.events["E2"])]
    assert e1["orderStatuses"] == {
        "CANCELLED": 1,
        "CONFIRMED": 2,
        "PARTIALLY_REFUNDED": 1,
        "PENDING": 1,
        "REFUNDED": 1,
    }
    assert e2["orderStatuses"] == {"CONFIRMED": 2, "EXPIRED": 1}  # o7 and o8 were placed outside the range
    assert e1["checkIn"] == {"checkedIn": 2, "notCheckedIn": 6, "rate": 0.25, "noShows": None}
    assert e2["checkIn"] == {"checkedIn": 1, "notCheckedIn": 7, "rate": 0.125, "noShows": 7}  # E2 is over
    assert e1["peakEntryHour"] == {
        "hour": "2026-04-20T18:00:00Z",
        "hourLocal": "2026-04-20T20:00:00+02:00",
        "entries": 2,
    }
    assert e2["peakEntryHour"]["hourLocal"] == "2026-04-01T18:00:00-04:00"
    # Best sellers first: E1 sold 10 tickets in the range (o3's included: it was sold, then refunded), E2 5.
    assert [row["eventId"] for row in body["events"]] == [str(world.events["E1"]), str(world.events["E2"])]
    assert [(t["name"], t["tickets"], t["orders"]) for t in body["topSelling"]] == [
        ("Event E1", 10, 5),
        ("Event E2", 5, 2),
    ]


async def test_customers_report(client: httpx.AsyncClient, context: AppContext, world: World) -> None:
    await build_rollup(context)
    body = await report(client, "customers", world.headers["a_staff"], params(world))
    expected = expected_customers(world, {"A"})
    assert (body["buyers"], body["newBuyers"], body["returningBuyers"], body["repeatBuyers"]) == (
        expected["buyers"],
        expected["newBuyers"],
        expected["returningBuyers"],
        expected["repeatBuyers"],
    )
    # alice, bob, carol, dave; carol paid for o7 before the range; alice, bob and dave twice in it.
    assert (body["buyers"], body["newBuyers"], body["returningBuyers"], body["repeatBuyers"]) == (4, 3, 1, 3)
    assert {a["currency"]: (a["orders"], a["value"]) for a in body["averageOrderValue"]} == expected[
        "averageOrderValue"
    ]
    assert {t["tickets"]: t["orders"] for t in body["ticketsPerOrder"]} == expected["ticketsPerOrder"]
    ranked = {}
    for customer in body["topCustomers"]:
        ranked.setdefault(customer["currency"], []).append(customer)
    for currency, customers in ranked.items():
        spent = [round(float(c["spent"]) * 100) for c in customers]
        assert spent == sorted(spent, reverse=True)
        for customer in customers:
            buyer = customer["name"].split()[0].lower()
            assert round(float(customer["spent"]) * 100) == expected["spend"][(currency, buyer)]
            assert customer["email"] == world.users[buyer].email
    # EUR: alice 89.95 (o1 + o2), carol 45.00 (60.00 less 15.00 refunded), dave 20.00, bob 0.00 (refunded).
    assert [(c["name"], c["spent"]) for c in ranked["EUR"]] == [
        ("Alice Buyer", "89.95"),
        ("Carol Buyer", "45.00"),
        ("Dave Buyer", "20.00"),
        ("Bob Buyer", "0.00"),
    ]


async def test_promo_codes_report(client: httpx.AsyncClient, context: AppContext, world: World) -> None:
    await build_rollup(context)
    body = await report(client, "promo-codes", world.headers["a_staff"], params(world))
    expected = expected_promos(world, {"A"})
    keys = ("uses", "discountGiven", "revenue", "ordersStarted", "ordersPaid", "conversion")
    assert {c["code"]: {k: c[k] for k in keys} for c in body["codes"]} == expected
    quarter = next(c for c in body["codes"] if c["code"] == "QUARTER")
    # o5 paid with it, o12 expired with it: half converted; the expired order gave its use back.
    assert (quarter["ordersStarted"], quarter["ordersPaid"], quarter["conversion"]) == (2, 1, 0.5)
    assert (quarter["usedCount"], quarter["currency"], quarter["revenue"]) == (1, "USD", "36.75")
    five = next(c for c in body["codes"] if c["code"] == "FIVE")
    assert (five["uses"], five["discountGiven"], five["revenue"]) == (
        1,
        "5.00",
        "0.00",
    )  # o3, refunded in full


async def test_dashboard_report(client: httpx.AsyncClient, context: AppContext, world: World) -> None:
    await build_rollup(context)
    body = await report(client, "dashboard", world.headers["a_staff"], params(world))
    previous = (FROM - (TO - FROM), FROM)
    assert (body["current"]["from"], body["previous"]["from"]) == (
        "2026-03-02T10:00:00Z",
        "2026-01-17T08:00:00Z",
    )
    now, then = expected_sales(world, {"A"}), expected_sales(world, {"A"}, *previous)
    money = {(m["metric"], m["currency"]): m for m in body["money"]}
    for currency, totals in now["totals"].items():
        before = then["totals"].get(currency)
        assert money[("net", currency)]["current"] == totals["net"]
        assert money[("gross", currency)]["current"] == totals["gross"]
        assert money[("refunds", currency)]["current"] == totals["refunds"]
        assert money[("net", currency)]["previous"] == (before["net"] if before else "0.00")
    # o7 (carol, USD) is the one order paid in the previous period.
    assert money[("net", "USD")]["previous"] == "24.50"
    assert money[("net", "USD")]["changePercent"] == round((49.00 - 24.50) * 100 / 24.50, 2)
    assert money[("net", "EUR")]["changePercent"] is None  # nothing in EUR before
    counts = {c["metric"]: c for c in body["counts"]}
    assert (counts["orders"]["current"], counts["orders"]["previous"]) == (7, 1)
    assert (counts["buyers"]["current"], counts["buyers"]["previous"]) == (4, 1)
    started = (len(dataset.started_in(world, {"A"})), len(dataset.started_in(world, {"A"}, *previous)))
    assert (counts["orderStarts"]["current"], counts["orderStarts"]["previous"]) == started == (9, 2)
    assert counts["pageViews"]["current"] == 0

"""Ticket type rules: currency, capacity, sales window, per-order limits, inventory floor, frozen events,
price tiers through the API, and what "on sale" means."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event, create_ticket_type, create_venue
from tests.ticketing.helpers import (
    Staff,
    assert_problem,
    error_fields,
    make_staff,
    reload,
    set_counters,
    ticket_type_body,
)
from tixmo.deps import AppContext
from tixmo.errors import SalesClosed
from tixmo.events.models import Event
from tixmo.ticketing.models import TicketType
from tixmo.ticketing.service import assert_on_sale, is_on_sale


@pytest.fixture
async def staff(session: AsyncSession, context: AppContext) -> Staff:
    return await make_staff(session, context)


@pytest.fixture
async def event(session: AsyncSession, staff: Staff) -> Event:
    return await create_event(session, organization=staff.org)


async def post(client: httpx.AsyncClient, staff: Staff, event: Event, **overrides: Any) -> httpx.Response:
    return await client.post(
        f"/events/{event.id}/ticket-types", json=ticket_type_body(**overrides), headers=staff.headers
    )


async def event_currency(session: AsyncSession, event: Event) -> str:
    currency: str = await session.scalar(
        select(Event.currency).where(Event.id == event.id).execution_options(populate_existing=True)
    )
    return currency


# ----------------------------------------------------------------------------------------- currency


async def test_first_ticket_type_sets_the_event_currency(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    first = await post(client, staff, event, currency="eur")
    assert first.status_code == 201, first.text
    assert first.json()["currency"] == "EUR"
    assert await event_currency(session, event) == "EUR"

    inherited = await post(client, staff, event, name="Second")
    assert inherited.json()["currency"] == "EUR"

    other = await post(client, staff, event, name="Third", currency="USD")
    assert error_fields(assert_problem(other, 422, "VALIDATION_ERROR")) == {"currency"}
    assert await event_currency(session, event) == "EUR"


async def test_without_currency_the_event_default_applies(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    response = await post(client, staff, event)
    assert response.json()["currency"] == "USD"


async def test_only_a_lone_untouched_ticket_type_may_switch_the_currency(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    ticket_type = await create_ticket_type(session, event=event)
    switched = await client.put(
        f"/ticket-types/{ticket_type.id}", json={"currency": "GBP"}, headers=staff.headers
    )
    assert switched.status_code == 200, switched.text
    assert switched.json()["currency"] == "GBP"
    assert await event_currency(session, event) == "GBP"

    await set_counters(session, ticket_type, sold=1)
    refused = await client.put(
        f"/ticket-types/{ticket_type.id}", json={"currency": "USD"}, headers=staff.headers
    )
    assert error_fields(assert_problem(refused, 422, "VALIDATION_ERROR")) == {"currency"}

    await set_counters(session, ticket_type, sold=0)
    await create_ticket_type(session, event=event, name="Second", currency="GBP")
    refused = await client.put(
        f"/ticket-types/{ticket_type.id}", json={"currency": "USD"}, headers=staff.headers
    )
    assert error_fields(assert_problem(refused, 422, "VALIDATION_ERROR")) == {"currency"}
    assert await event_currency(session, event) == "GBP"


# ----------------------------------------------------------------------------------------- capacity


async def test_ticket_types_cannot_offer_more_than_the_event_capacity(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff
) -> None:
    venue = await create_venue(session, organization=staff.org, capacity=500)
    event = await create_event(session, organization=staff.org, venue=venue, capacity=100)
    assert (await post(client, staff, event, quantityTotal=60)).status_code == 201
    over = await post(client, staff, event, quantityTotal=41)
    assert error_fields(assert_problem(over, 422, "VALIDATION_ERROR")) == {"quantityTotal"}
    assert (await post(client, staff, event, quantityTotal=40)).status_code == 201
    full = await post(client, staff, event, quantityTotal=1)
    assert_problem(full, 422, "VALIDATION_ERROR")
    assert (await post(client, staff, event, quantityTotal=0)).status_code == 201


async def test_venue_capacity_applies_when_the_event_has_none(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff
) -> None:
    venue = await create_venue(session, organization=staff.org, capacity=50)
    event = await create_event(session, organization=staff.org, venue=venue)
    over = await post(client, staff, event, quantityTotal=51)
    assert error_fields(assert_problem(over, 422, "VALIDATION_ERROR")) == {"quantityTotal"}
    assert (await post(client, staff, event, quantityTotal=50)).status_code == 201


async def test_no_capacity_and_no_venue_means_no_limit(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    assert (await post(client, staff, event, quantityTotal=1_000_000)).status_code == 201


async def test_raising_quantity_is_checked_against_capacity_excluding_itself(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff
) -> None:
    event = await create_event(session, organization=staff.org, capacity=100)
    ticket_type = await create_ticket_type(session, event=event, quantity_total=30)
    await create_ticket_type(session, event=event, name="VIP", quantity_total=30)
    url = f"/ticket-types/{ticket_type.id}"
    assert (await client.put(url, json={"quantityTotal": 70}, headers=staff.headers)).status_code == 200
    over = await client.put(url, json={"quantityTotal": 71}, headers=staff.headers)
    assert error_fields(assert_problem(over, 422, "VALIDATION_ERROR")) == {"quantityTotal"}
    stored = await reload(session, ticket_type.id)
    assert stored is not None and stored.quantity_total == 70


# -------------------------------------------------------------------------------- inventory floor


async def test_quantity_total_cannot_drop_below_sold_plus_held(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    ticket_type = await create_ticket_type(session, event=event, quantity_total=100)
    await set_counters(session, ticket_type, sold=30, held=20)
    url = f"/ticket-types/{ticket_type.id}"
    refused = await client.put(url, json={"quantityTotal": 49, "name": "Renamed"}, headers=staff.headers)
    body = assert_problem(refused, 409, "CONFLICT")
    assert (body["quantitySold"], body["quantityHeld"]) == (30, 20)
    stored = await reload(session, ticket_type.id)
    assert stored is not None
    assert (stored.quantity_total, stored.name) == (100, "General admission")  # nothing of the PUT stuck

    allowed = await client.put(url, json={"quantityTotal": 50}, headers=staff.headers)
    assert allowed.status_code == 200, allowed.text
    assert (allowed.json()["quantityTotal"], allowed.json()["quantityAvailable"]) == (50, 0)


# ------------------------------------------------------------------------------- window, per order


async def test_sales_end_must_follow_sales_start(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    for end in ("2030-01-01T10:00:00Z", "2030-01-01T09:00:00Z", "2030-01-01T12:00:00+03:00"):
        response = await post(client, staff, event, salesStart="2030-01-01T10:00:00Z", salesEnd=end)
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"salesEnd"}
    ok = await post(client, staff, event, salesStart="2030-01-01T10:00:00Z", salesEnd="2030-01-01T10:00:01Z")
    assert ok.status_code == 201


async def test_update_checks_the_merged_sales_window(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    ticket_type = await create_ticket_type(
        session, event=event, sales_end=datetime(2030, 1, 1, tzinfo=UTC), sales_start=None
    )
    url = f"/ticket-types/{ticket_type.id}"
    refused = await client.put(url, json={"salesStart": "2030-02-01T00:00:00Z"}, headers=staff.headers)
    assert error_fields(assert_problem(refused, 422, "VALIDATION_ERROR")) == {"salesEnd"}
    cleared = await client.put(
        url, json={"salesStart": "2030-02-01T00:00:00Z", "salesEnd": None}, headers=staff.headers
    )
    assert cleared.status_code == 200
    assert (cleared.json()["salesStart"], cleared.json()["salesEnd"]) == ("2030-02-01T00:00:00Z", None)


async def test_max_per_order_must_be_at_least_min(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    refused = await post(client, staff, event, minPerOrder=4, maxPerOrder=3)
    assert error_fields(assert_problem(refused, 422, "VALIDATION_ERROR")) == {"maxPerOrder"}
    assert (await post(client, staff, event, minPerOrder=4, maxPerOrder=4)).status_code == 201

    ticket_type = await create_ticket_type(session, event=event, min_per_order=1, max_per_order=5)
    raised = await client.put(
        f"/ticket-types/{ticket_type.id}", json={"minPerOrder": 6}, headers=staff.headers
    )
    assert error_fields(assert_problem(raised, 422, "VALIDATION_ERROR")) == {"maxPerOrder"}


# ---------------------------------------------------------------------------------- frozen events


@pytest.mark.parametrize("status", ["CANCELLED", "COMPLETED"])
async def test_ticket_types_of_ended_events_are_frozen(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, status: str
) -> None:
    event = await create_event(session, organization=staff.org, status=status)
    ticket_type = await create_ticket_type(session, event=event)
    assert_problem(await post(client, staff, event), 409, "INVALID_STATE")
    url = f"/ticket-types/{ticket_type.id}"
    assert_problem(await client.put(url, json={"name": "x"}, headers=staff.headers), 409, "INVALID_STATE")
    assert_problem(await client.delete(url, headers=staff.headers), 409, "INVALID_STATE")
    assert await reload(session, ticket_type.id) is not None
    # Staff can still read them.
    assert (await client.get(url, headers=staff.headers)).status_code == 200


async def test_ticket_types_of_a_published_event_can_change(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff
) -> None:
    event = await create_event(session, organization=staff.org, status="PUBLISHED")
    assert (await post(client, staff, event)).status_code == 201


# -------------------------------------------------------------------------------------- price tiers


async def test_price_tiers_set_the_current_price_and_the_next_change(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff
) -> None:
    event = await create_event(session, organization=staff.org, status="PUBLISHED")
    early_end = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0)
    tiers = [
        {"kind": "DEMAND", "afterSoldPercent": 80, "price": "35.00", "name": "Last tickets"},
        {"kind": "DATE", "until": early_end.isoformat(), "price": 20, "name": "Early bird"},
    ]
    created = await post(client, staff, event, price="25.00", quantityTotal=10, priceTiers=tiers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["price"], body["currentPrice"]) == ("25.00", "20.00")
    assert body["priceTiers"] == [
        {
            "kind": "DATE",
            "name": "Early bird",
            "price": "20.00",
            "until": early_end.isoformat().replace("+00:00", "Z"),
            "afterSoldPercent": None,
        },
        {"kind": "DEMAND", "name": "Last tickets", "price": "35.00", "until": None, "afterSoldPercent": 80},
    ]
    stored = await session.get(TicketType, body["id"])
    assert stored is not None
    assert stored.price_tiers[0]["priceMinor"] == 2000

    availability = (await client.get(f"/ticket-types/{body['id']}/availability")).json()
    assert availability["currentPrice"] == "20.00"
    assert availability["nextPriceChange"] == early_end.isoformat().replace("+00:00", "Z")
    assert availability["nextPrice"] == "25.00"

    await set_counters(session, stored, sold=8)
    after_demand = (await client.get(f"/ticket-types/{body['id']}")).json()
    assert after_demand["currentPrice"] == "35.00"
    availability = (await client.get(f"/ticket-types/{body['id']}/availability")).json()
    assert (availability["nextPriceChange"], availability["nextPrice"]) == (None, None)


async def test_put_replaces_or_clears_price_tiers(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    ticket_type = await create_ticket_type(session, event=event)
    url = f"/ticket-types/{ticket_type.id}"
    set_tiers = await client.put(
        url,
        json={"priceTiers": [{"kind": "DEMAND", "afterSoldPercent": 50, "price": "40"}]},
        headers=staff.headers,
    )
    assert [tier["price"] for tier in set_tiers.json()["priceTiers"]] == ["40.00"]
    cleared = await client.put(url, json={"priceTiers": None}, headers=staff.headers)
    assert cleared.json()["priceTiers"] == []
    stored = await reload(session, ticket_type.id)
    assert stored is not None and stored.price_tiers == []


@pytest.mark.parametrize(
    ("tiers", "field"),
    [
        (
            [{"kind": "DEMAND", "afterSoldPercent": 50, "price": 1}, {"kind": "DATE", "price": 1}],
            "priceTiers.1.until",
        ),
        ([{"kind": "DEMAND", "price": 1}], "priceTiers.0.afterSoldPercent"),
        ([{"kind": "DEMAND", "afterSoldPercent": 0, "price": 1}], "priceTiers.0.afterSoldPercent"),
        ([{"kind": "DEMAND", "afterSoldPercent": 101, "price": 1}], "priceTiers.0.afterSoldPercent"),
        ([{"kind": "DEMAND", "afterSoldPercent": "half", "price": 1}], "priceTiers.0.afterSoldPercent"),
        ([{"price": 1, "until": "2030-01-01T00:00:00Z"}], "priceTiers.0.kind"),
        ([{"kind": "SEASON", "price": 1}], "priceTiers.0.kind"),
        ([{"kind": "DATE", "until": "2030-01-01T00:00:00Z", "price": "abc"}], "priceTiers.0.price"),
        ([{"kind": "DATE", "until": "2030-01-01T00:00:00Z", "price": "-2"}], "priceTiers.0.price"),
        ([{"kind": "DATE", "until": "2030-01-01T00:00:00Z", "price": "2.001"}], "priceTiers.0.price"),
        ([{"kind": "DATE", "until": "2030-01-01T00:00:00Z"}], "priceTiers.0.price"),
        ([{"kind": "DATE", "until": "2030-01-01T00:00:00Z", "price": 1, "extra": 1}], "priceTiers.0.extra"),
        (
            [
                {"kind": "DATE", "until": "2030-01-01T00:00:00Z", "price": 1},
                {"kind": "DATE", "until": "2030-01-01T01:00:00+01:00", "price": 2},
            ],
            "priceTiers.1.until",
        ),
        (
            [
                {"kind": "DEMAND", "afterSoldPercent": 50, "price": 1},
                {"kind": "DEMAND", "afterSoldPercent": 50, "price": 2},
            ],
            "priceTiers.1.afterSoldPercent",
        ),
        ([{"kind": "DEMAND", "afterSoldPercent": n, "price": 1} for n in range(1, 12)], "priceTiers"),
    ],
)
async def test_bad_price_tiers_name_the_field(
    client: httpx.AsyncClient, staff: Staff, event: Event, tiers: list[dict[str, Any]], field: str
) -> None:
    response = await post(client, staff, event, priceTiers=tiers)
    assert field in error_fields(assert_problem(response, 422, "VALIDATION_ERROR"))


# ------------------------------------------------------------------------------------------ on sale


NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def in_memory(status: str = "PUBLISHED", **kw: Any) -> tuple[TicketType, Event]:
    event = Event(status=status)
    event.id = uuid.uuid4()
    values: dict[str, Any] = {"quantity_total": 10, "quantity_sold": 0, "quantity_held": 0}
    values.update(kw)
    ticket_type = TicketType(event_id=event.id, name="GA", price_minor=100, currency="USD", **values)
    return ticket_type, event


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({}, True),
        ({"sales_start": NOW}, True),  # the start is inclusive
        ({"sales_start": NOW + timedelta(seconds=1)}, False),
        ({"sales_end": NOW}, False),  # the end is exclusive
        ({"sales_end": NOW + timedelta(seconds=1)}, True),
        ({"quantity_sold": 6, "quantity_held": 4}, False),
        ({"quantity_sold": 6, "quantity_held": 3}, True),
        ({"status": "DRAFT"}, False),
        ({"status": "CANCELLED"}, False),
    ],
)
def test_on_sale(kw: dict[str, Any], expected: bool) -> None:
    ticket_type, event = in_memory(**kw)
    assert is_on_sale(ticket_type, event, NOW) is expected


@pytest.mark.parametrize(
    "kw",
    [
        {"status": "DRAFT"},
        {"status": "COMPLETED"},
        {"sales_start": NOW + timedelta(seconds=1)},
        {"sales_end": NOW},
        {"sales_end": NOW - timedelta(days=1)},
    ],
)
def test_assert_on_sale_raises_sales_closed(kw: dict[str, Any]) -> None:
    ticket_type, event = in_memory(**kw)
    with pytest.raises(SalesClosed) as caught:
        assert_on_sale(ticket_type, event, NOW)
    assert caught.value.code == "SALES_CLOSED"
    assert caught.value.status == 409


def test_assert_on_sale_passes_inside_the_window_even_when_sold_out() -> None:
    ticket_type, event = in_memory(sales_start=NOW, sales_end=NOW + timedelta(days=1), quantity_sold=10)
    assert_on_sale(ticket_type, event, NOW)  # running out is INSUFFICIENT_INVENTORY, not SALES_CLOSED


async def test_on_sale_through_the_api(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff
) -> None:
    published = await create_event(session, organization=staff.org, status="PUBLISHED")
    now = datetime.now(UTC)
    open_now = await create_ticket_type(session, event=published, sales_start=now - timedelta(days=1))
    later = await create_ticket_type(
        session, event=published, name="Later", sales_start=now + timedelta(days=1)
    )
    sold_out = await create_ticket_type(session, event=published, name="Gone", quantity_total=0)
    draft = await create_event(session, organization=staff.org)
    unpublished = await create_ticket_type(session, event=draft)
    for ticket_type, expected in ((open_now, True), (later, False), (sold_out, False), (unpublished, False)):
        response = await client.get(f"/ticket-types/{ticket_type.id}/availability", headers=staff.headers)
        assert response.json()["onSale"] is expected, ticket_type.name

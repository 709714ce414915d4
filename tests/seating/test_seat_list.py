"""``GET /ticket-types/{id}/seats``: chart order, status filter, pagination, and who may look."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_user
from tests.seating.helpers import (
    SeatedShop,
    assert_problem,
    create_order,
    error_fields,
    make_seated_shop,
    map_seats,
    refs,
)
from tests.ticketing.helpers import make_staff
from tixmo.deps import AppContext
from tixmo.seating import holds as seating

LAYOUT = {"A": {"1": 3, "2": 3}}


async def seated(session: AsyncSession, context: AppContext, status: str = "PUBLISHED") -> SeatedShop:
    """Six seats mapped: A-1-2 held, A-2-1 sold, the rest available."""
    shop = await make_seated_shop(session, context, LAYOUT, status=status)
    await map_seats(session, shop.staff.user, shop.ticket_type, sections=["A"])
    buyer = await create_user(session, context)
    for key, sell in ((("A", "1", "2"), False), (("A", "2", "1"), True)):
        order = await create_order(session, user=buyer, event=shop.event)
        await seating.hold_seats(
            session,
            order_id=order.id,
            ticket_type_id=shop.ticket_type.id,
            quantity=1,
            requested=refs(key),
            field="seats",
        )
        if sell:
            await seating.sell_seats(session, order.id)
    await session.commit()
    return shop


def labels(body: dict[str, object]) -> list[str]:
    data = body["data"]
    assert isinstance(data, list)
    return [f"{item['row']}-{item['seat']}" for item in data]


async def test_everyone_sees_a_published_events_seats_in_chart_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await seated(session, context)

    response = await client.get(f"/ticket-types/{shop.ticket_type.id}/seats")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"][:2] == [
        {"section": "A", "row": "1", "seat": "1", "status": "AVAILABLE"},
        {"section": "A", "row": "1", "seat": "2", "status": "HELD"},
    ]
    assert labels(body) == ["1-1", "1-2", "1-3", "2-1", "2-2", "2-3"]
    assert [item["status"] for item in body["data"]][3] == "SOLD"
    assert body["meta"] == {"page": 1, "limit": 20, "total": 6, "totalPages": 1}
    assert all(set(item) == {"section", "row", "seat", "status"} for item in body["data"])  # no order id


@pytest.mark.parametrize(
    ("status", "expected"),
    [("AVAILABLE", ["1-1", "1-3", "2-2", "2-3"]), ("HELD", ["1-2"]), ("SOLD", ["2-1"])],
)
async def test_filter_by_status(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, status: str, expected: list[str]
) -> None:
    shop = await seated(session, context)
    response = await client.get(f"/ticket-types/{shop.ticket_type.id}/seats", params={"status": status})
    assert labels(response.json()) == expected
    assert response.json()["meta"]["total"] == len(expected)


async def test_an_unknown_status_is_a_validation_error(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await seated(session, context)
    response = await client.get(f"/ticket-types/{shop.ticket_type.id}/seats", params={"status": "GONE"})
    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"status"}


async def test_pages(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> None:
    shop = await seated(session, context)
    url = f"/ticket-types/{shop.ticket_type.id}/seats"

    second = (await client.get(url, params={"page": 2, "limit": 4})).json()
    assert labels(second) == ["2-2", "2-3"]
    assert second["meta"] == {"page": 2, "limit": 4, "total": 6, "totalPages": 2}
    beyond = (await client.get(url, params={"page": 3, "limit": 4})).json()
    assert beyond["data"] == []
    too_big = await client.get(url, params={"limit": 101})
    assert error_fields(assert_problem(too_big, 422, "VALIDATION_ERROR")) == {"limit"}


async def test_a_ticket_type_without_seats_lists_none(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_seated_shop(session, context, LAYOUT)
    response = await client.get(f"/ticket-types/{shop.ticket_type.id}/seats")
    assert response.json()["data"] == []
    assert response.json()["meta"]["total"] == 0


@pytest.mark.parametrize("status", ["DRAFT", "CANCELLED", "COMPLETED"])
async def test_unpublished_seats_are_for_staff_only(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, status: str
) -> None:
    shop = await seated(session, context, status="PUBLISHED")
    await _set_event_status(session, shop, status)
    url = f"/ticket-types/{shop.ticket_type.id}/seats"
    stranger = await make_staff(session, context, name="Other Org")
    customer = await create_user(session, context)

    assert_problem(await client.get(url), 404, "NOT_FOUND")
    for headers in (stranger.headers, auth(context, customer)):
        assert_problem(await client.get(url, headers=headers), 404, "NOT_FOUND")
    own = await client.get(url, headers=shop.staff.headers)
    assert own.json()["meta"]["total"] == 6


async def test_an_unknown_ticket_type_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/ticket-types/00000000-0000-4000-8000-000000000000/seats")
    assert_problem(response, 404, "NOT_FOUND")


async def _set_event_status(session: AsyncSession, shop: SeatedShop, status: str) -> None:
    shop.event.status = status
    session.add(shop.event)
    await session.commit()

"""``POST /promo-codes/validate``: quotes for anyone, every reason a code does not apply, the money math,
bad items, and the per-IP rate limit."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_ticket_type, create_user
from tests.promos.helpers import Staff, assert_problem, create_promo, error_fields, make_staff, reload
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.ticketing.models import TicketType

VALIDATION_FIELDS = {"valid", "code", "discount", "subtotal", "total", "currency", "reason"}


@pytest.fixture
async def staff(session: AsyncSession, context: AppContext) -> Staff:
    return await make_staff(session, context)


@pytest.fixture
async def event(session: AsyncSession, staff: Staff) -> Event:
    return await create_event(session, organization=staff.org, status="PUBLISHED")


@pytest.fixture
async def standard(session: AsyncSession, event: Event) -> TicketType:
    return await create_ticket_type(session, event=event, name="Standard", price_minor=333)


@pytest.fixture
async def vip(session: AsyncSession, event: Event) -> TicketType:
    return await create_ticket_type(session, event=event, name="VIP", price_minor=5000)


def items(*pairs: tuple[TicketType, int]) -> list[dict[str, Any]]:
    return [{"ticketTypeId": str(ticket_type.id), "quantity": quantity} for ticket_type, quantity in pairs]


async def validate(
    client: httpx.AsyncClient,
    event: Event,
    code: str,
    lines: list[dict[str, Any]],
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    response = await client.post(
        "/promo-codes/validate",
        json={"eventId": str(event.id), "code": code, "items": lines},
        headers=headers or {},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == VALIDATION_FIELDS
    return body


# ------------------------------------------------------------------------------------------- valid


async def test_a_valid_code_quotes_the_discount_for_anyone(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    event: Event,
    standard: TicketType,
) -> None:
    await create_promo(session, event=event, code="SAVE10", discount_value=1000)
    customer = auth(context, await create_user(session, context))
    for headers in (None, customer):
        body = await validate(client, event, "save10", items((standard, 10)), headers)
        assert body == {
            "valid": True,
            "code": "SAVE10",  # as stored
            "discount": "3.33",  # 10 % of 33.30
            "subtotal": "33.30",
            "total": "29.97",
            "currency": "USD",
            "reason": None,
        }


async def test_percentages_round_half_up_in_minor_units(
    client: httpx.AsyncClient, session: AsyncSession, event: Event, standard: TicketType
) -> None:
    await create_promo(session, event=event, code="EIGHTH", discount_value=1250)  # 12.5 %

    # 3 x 3.33 = 9.99; 12.5 % = 1.24875 → 1.25.
    body = await validate(client, event, "EIGHTH", items((standard, 3)))
    assert (body["subtotal"], body["discount"], body["total"]) == ("9.99", "1.25", "8.74")


async def test_an_exact_half_cent_rounds_up(
    client: httpx.AsyncClient, session: AsyncSession, event: Event
) -> None:
    dollar = await create_ticket_type(session, event=event, name="Dollar", price_minor=100)
    await create_promo(session, event=event, code="EIGHTH", discount_value=1250)

    # 12.5 % of 1.00 = 0.125 → 0.13 (half-up, not half-even).
    body = await validate(client, event, "EIGHTH", items((dollar, 1)))
    assert (body["discount"], body["total"]) == ("0.13", "0.87")
    # 12.5 % of 3.00 = 0.375 → 0.38.
    body = await validate(client, event, "EIGHTH", items((dollar, 3)))
    assert (body["discount"], body["total"]) == ("0.38", "2.62")


async def test_a_100_percent_code_makes_the_order_free(
    client: httpx.AsyncClient, session: AsyncSession, event: Event, standard: TicketType
) -> None:
    await create_promo(session, event=event, code="COMP", discount_value=10_000)
    body = await validate(client, event, "COMP", items((standard, 3)))
    assert (body["discount"], body["total"]) == ("9.99", "0.00")


async def test_a_fixed_discount_larger_than_the_subtotal_brings_it_to_zero(
    client: httpx.AsyncClient, session: AsyncSession, event: Event, standard: TicketType
) -> None:
    await create_promo(session, event=event, code="BIG", discount_type="FIXED", discount_value=5000)
    body = await validate(client, event, "BIG", items((standard, 2)))
    assert (body["valid"], body["subtotal"], body["discount"], body["total"]) == (
        True,
        "6.66",
        "6.66",
        "0.00",
    )


async def test_a_fixed_discount_smaller_than_the_subtotal(
    client: httpx.AsyncClient, session: AsyncSession, event: Event, standard: TicketType
) -> None:
    await create_promo(session, event=event, code="FIVE", discount_type="FIXED", discount_value=500)
    body = await validate(client, event, "FIVE", items((standard, 3)))
    assert (body["discount"], body["total"]) == ("5.00", "4.99")


async def test_a_restricted_code_discounts_only_its_ticket_types(
    client: httpx.AsyncClient, session: AsyncSession, event: Event, standard: TicketType, vip: TicketType
) -> None:
    await create_promo(session, event=event, code="VIPONLY", discount_value=2000, ticket_type_ids=[vip.id])
    body = await validate(client, event, "VIPONLY", items((standard, 3), (vip, 2)))
    # 20 % of 100.00 (VIP only); the subtotal counts everything: 9.99 + 100.00.
    assert (body["subtotal"], body["discount"], body["total"]) == ("109.99", "20.00", "89.99")

    await create_promo(
        session,
        event=event,
        code="VIPFIXED",
        discount_type="FIXED",
        discount_value=20_000,
        ticket_type_ids=[vip.id],
    )
    body = await validate(client, event, "VIPFIXED", items((standard, 3), (vip, 1)))
    # A fixed discount is capped at the eligible amount, not the subtotal.
    assert (body["discount"], body["total"]) == ("50.00", "9.99")


async def test_min_order_amount_counts_the_whole_subtotal(
    client: httpx.AsyncClient, session: AsyncSession, event: Event, standard: TicketType, vip: TicketType
) -> None:
    await create_promo(
        session, event=event, code="BIGSPENDER", min_order_amount_minor=5333, ticket_type_ids=[vip.id]
    )
    exactly = await validate(client, event, "BIGSPENDER", items((standard, 1), (vip, 1)))  # 53.33
    assert (exactly["valid"], exactly["discount"]) == (True, "5.00")

    below = await validate(client, event, "BIGSPENDER", items((vip, 1)))  # 50.00
    assert below["valid"] is False
    assert "53.33" in below["reason"]
    assert (below["discount"], below["total"]) == ("0.00", "50.00")


async def test_validating_counts_no_use(
    client: httpx.AsyncClient, session: AsyncSession, event: Event, standard: TicketType
) -> None:
    promo = await create_promo(session, event=event, max_uses=1)
    for _ in range(3):
        assert (await validate(client, event, "SAVE10", items((standard, 1))))["valid"] is True
    stored = await reload(session, promo.id)
    assert stored is not None and stored.used_count == 0


# ----------------------------------------------------------------------------------------- invalid


async def _assert_invalid(
    client: httpx.AsyncClient, event: Event, code: str, lines: list[dict[str, Any]], reason: str
) -> None:
    body = await validate(client, event, code, lines)
    assert body["valid"] is False
    assert body["code"] == code
    assert body["discount"] == "0.00"
    assert body["total"] == body["subtotal"]
    assert body["reason"] is not None and reason in body["reason"], body["reason"]


async def test_an_unknown_code_is_not_valid(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event, standard: TicketType
) -> None:
    other_event = await create_event(session, organization=staff.org, status="PUBLISHED")
    await create_promo(session, event=other_event, code="ELSEWHERE")
    await _assert_invalid(client, event, "NOPE", items((standard, 1)), "No such promo code")
    await _assert_invalid(client, event, "ELSEWHERE", items((standard, 1)), "No such promo code")


@pytest.mark.parametrize(
    ("promo", "reason"),
    [
        ({"status": "DISABLED"}, "disabled"),
        ({"valid_from": datetime.now(UTC) + timedelta(days=1)}, "not valid yet"),
        ({"valid_until": datetime.now(UTC) - timedelta(seconds=1)}, "expired"),
        ({"max_uses": 3, "used_count": 3}, "used up"),
        ({"ticket_type_ids": [uuid.uuid4()]}, "does not apply"),
    ],
    ids=["disabled", "not-yet-valid", "expired", "used-up", "not-applicable"],
)
async def test_each_reason_a_code_does_not_apply(
    client: httpx.AsyncClient,
    session: AsyncSession,
    event: Event,
    standard: TicketType,
    promo: dict[str, Any],
    reason: str,
) -> None:
    await create_promo(session, event=event, code="SAVE10", **promo)
    await _assert_invalid(client, event, "SAVE10", items((standard, 2)), reason)


async def test_a_code_inside_its_window_is_valid(
    client: httpx.AsyncClient, session: AsyncSession, event: Event, standard: TicketType
) -> None:
    now = datetime.now(UTC)
    await create_promo(
        session, event=event, valid_from=now - timedelta(hours=1), valid_until=now + timedelta(hours=1)
    )
    assert (await validate(client, event, "SAVE10", items((standard, 1))))["valid"] is True


# -------------------------------------------------------------------------------------- bad items


async def test_bad_items_give_the_order_errors(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event, standard: TicketType
) -> None:
    await create_promo(session, event=event)
    other_event = await create_event(session, organization=staff.org, status="PUBLISHED")
    foreign = await create_ticket_type(session, event=other_event)

    async def post(lines: list[dict[str, Any]], event_id: object = event.id) -> httpx.Response:
        return await client.post(
            "/promo-codes/validate", json={"eventId": str(event_id), "code": "SAVE10", "items": lines}
        )

    body = assert_problem(await post(items((foreign, 1))), 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"items.0.ticketTypeId"}
    body = assert_problem(await post(items((standard, 1), (standard, 2))), 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"items.1.ticketTypeId"}
    body = assert_problem(await post([]), 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"items"}
    body = assert_problem(await post(items((standard, 0))), 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"items.0.quantity"}
    body = assert_problem(await post(items((standard, 1)), event_id=uuid.uuid4()), 404, "NOT_FOUND")
    assert error_fields(body) == {"eventId"}


async def test_the_code_is_required(client: httpx.AsyncClient, event: Event, standard: TicketType) -> None:
    for code in ("", "   ", None):
        response = await client.post(
            "/promo-codes/validate",
            json={"eventId": str(event.id), "code": code, "items": items((standard, 1))},
        )
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"code"}


async def test_a_draft_event_is_404_for_the_public_and_sales_closed_for_staff(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff
) -> None:
    draft = await create_event(session, organization=staff.org)
    ticket_type = await create_ticket_type(session, event=draft)
    await create_promo(session, event=draft)
    body = {"eventId": str(draft.id), "code": "SAVE10", "items": items((ticket_type, 1))}

    assert_problem(await client.post("/promo-codes/validate", json=body), 404, "NOT_FOUND")
    assert_problem(
        await client.post("/promo-codes/validate", json=body, headers=staff.headers), 409, "SALES_CLOSED"
    )


async def test_a_ticket_type_outside_its_sales_window_is_sales_closed(
    client: httpx.AsyncClient, session: AsyncSession, event: Event
) -> None:
    later = await create_ticket_type(session, event=event, sales_start=datetime.now(UTC) + timedelta(days=1))
    await create_promo(session, event=event)
    response = await client.post(
        "/promo-codes/validate", json={"eventId": str(event.id), "code": "SAVE10", "items": items((later, 1))}
    )
    assert_problem(response, 409, "SALES_CLOSED")


# ------------------------------------------------------------------------------------- rate limit


async def test_validate_is_rate_limited_per_ip(
    client: httpx.AsyncClient, app: FastAPI, event: Event, standard: TicketType
) -> None:
    allowed = int(app.state.context.settings.rate_limit_promo_validate.split("/")[0])
    body = {"eventId": str(event.id), "code": "GUESS", "items": items((standard, 1))}
    for _ in range(allowed):
        response = await client.post("/promo-codes/validate", json=body)
        assert response.status_code == 200, response.text
    refused = await client.post("/promo-codes/validate", json=body)
    assert_problem(refused, 429, "RATE_LIMITED")
    assert int(refused.headers["Retry-After"]) >= 1

    # Another client address has its own budget.
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 4000))
    async with httpx.AsyncClient(transport=transport, base_url=str(client.base_url)) as other:
        assert (await other.post("/promo-codes/validate", json=body)).status_code == 200

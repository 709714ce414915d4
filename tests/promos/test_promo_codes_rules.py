"""Promo code rules: the code's form and uniqueness, discount bounds, the validity window, maxUses,
eligible ticket types, frozen events, and deleting used codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event, create_ticket_type, create_user
from tests.promos.helpers import (
    Staff,
    assert_problem,
    audit_entries,
    create_promo,
    error_fields,
    make_staff,
    promo_body,
    reload,
)
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.orders.models import Order


@pytest.fixture
async def staff(session: AsyncSession, context: AppContext) -> Staff:
    return await make_staff(session, context)


@pytest.fixture
async def event(session: AsyncSession, staff: Staff) -> Event:
    return await create_event(session, organization=staff.org)


async def post(client: httpx.AsyncClient, staff: Staff, event: Event, **overrides: Any) -> httpx.Response:
    return await client.post("/promo-codes", json=promo_body(event, **overrides), headers=staff.headers)


def assert_invalid(response: httpx.Response, field: str) -> dict[str, Any]:
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {field}, body
    return body


# ---------------------------------------------------------------------------------------------- code


@pytest.mark.parametrize("code", ["A", "Save_10-x", "0123456789", "x" * 50])
async def test_codes_of_letters_digits_dash_and_underscore_are_accepted(
    client: httpx.AsyncClient, staff: Staff, event: Event, code: str
) -> None:
    response = await post(client, staff, event, code=code)
    assert response.status_code == 201, response.text
    assert response.json()["code"] == code


@pytest.mark.parametrize("code", ["", "x" * 51, "SAVE 10", "SAVE!", "ÉTÉ", "a.b", " SAVE10", 10, None])
async def test_malformed_codes_are_422(
    client: httpx.AsyncClient, staff: Staff, event: Event, code: object
) -> None:
    assert_invalid(await post(client, staff, event, code=code), "code")


@pytest.mark.parametrize("second", ["SAVE10", "save10", "Save10"])
async def test_codes_are_unique_per_event_case_insensitively(
    client: httpx.AsyncClient, staff: Staff, event: Event, second: str
) -> None:
    assert (await post(client, staff, event, code="SAVE10")).status_code == 201
    body = assert_problem(await post(client, staff, event, code=second), 409, "CONFLICT")
    assert error_fields(body) == {"code"}


async def test_the_same_code_may_exist_on_another_event(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    other = await create_event(session, organization=staff.org, name="Other")
    assert (await post(client, staff, event, code="SAVE10")).status_code == 201
    assert (await post(client, staff, other, code="save10")).status_code == 201


async def test_renaming_onto_an_existing_code_is_409(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    await create_promo(session, event=event, code="SAVE10")
    other = await create_promo(session, event=event, code="OTHER")
    response = await client.put(f"/promo-codes/{other.id}", json={"code": "Save10"}, headers=staff.headers)
    assert_problem(response, 409, "CONFLICT")
    stored = await reload(session, other.id)
    assert stored is not None and stored.code == "OTHER"


async def test_renaming_a_code_to_another_case_of_itself_is_allowed(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event, code="SAVE10")
    response = await client.put(f"/promo-codes/{promo.id}", json={"code": "save10"}, headers=staff.headers)
    assert response.status_code == 200, response.text
    assert response.json()["code"] == "save10"


# ---------------------------------------------------------------------------------------- the value


@pytest.mark.parametrize("value", ["0.01", "12.5", 50, "100", "100.00"])
async def test_percentages_up_to_100_are_accepted(
    client: httpx.AsyncClient, staff: Staff, event: Event, value: object
) -> None:
    response = await post(client, staff, event, discountValue=value)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("value", ["0", 0, "100.01", 101, "-5", "12.345", "abc", True, None])
async def test_percentages_outside_0_to_100_are_422(
    client: httpx.AsyncClient, staff: Staff, event: Event, value: object
) -> None:
    assert_invalid(await post(client, staff, event, discountValue=value), "discountValue")


async def test_a_fixed_discount_may_exceed_100(client: httpx.AsyncClient, staff: Staff, event: Event) -> None:
    response = await post(client, staff, event, discountType="FIXED", discountValue="250.00")
    assert response.status_code == 201, response.text
    assert response.json()["discountValue"] == "250.00"


@pytest.mark.parametrize("value", ["0", "0.00", "-1", "1.001"])
async def test_a_fixed_discount_must_be_positive(
    client: httpx.AsyncClient, staff: Staff, event: Event, value: str
) -> None:
    assert_invalid(
        await post(client, staff, event, discountType="FIXED", discountValue=value), "discountValue"
    )


async def test_an_unknown_discount_type_is_422(client: httpx.AsyncClient, staff: Staff, event: Event) -> None:
    assert_invalid(await post(client, staff, event, discountType="BOGO"), "discountType")


async def test_put_switching_to_percentage_checks_the_stored_value(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event, discount_type="FIXED", discount_value=20_000)
    response = await client.put(
        f"/promo-codes/{promo.id}", json={"discountType": "PERCENTAGE"}, headers=staff.headers
    )
    assert_invalid(response, "discountValue")
    stored = await reload(session, promo.id)
    assert stored is not None and stored.discount_type == "FIXED"


async def test_put_percentage_above_100_is_422(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event)
    response = await client.put(
        f"/promo-codes/{promo.id}", json={"discountValue": 150}, headers=staff.headers
    )
    assert_invalid(response, "discountValue")


@pytest.mark.parametrize("field", ["code", "discountType", "discountValue", "status"])
async def test_put_cannot_null_a_required_field(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event, field: str
) -> None:
    promo = await create_promo(session, event=event)
    response = await client.put(f"/promo-codes/{promo.id}", json={field: None}, headers=staff.headers)
    assert_invalid(response, field)


# ------------------------------------------------------------------------- other fields of the create


async def test_unknown_fields_and_a_missing_event_are_422(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    assert_invalid(await post(client, staff, event, usedCount=5), "usedCount")
    body = promo_body(event)
    del body["eventId"]
    assert_invalid(await client.post("/promo-codes", json=body, headers=staff.headers), "eventId")


@pytest.mark.parametrize("max_uses", [0, -1, "5", 1.5])
async def test_max_uses_must_be_a_positive_integer(
    client: httpx.AsyncClient, staff: Staff, event: Event, max_uses: object
) -> None:
    assert_invalid(await post(client, staff, event, maxUses=max_uses), "maxUses")


async def test_min_order_amount_must_be_a_money_amount(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    assert_invalid(await post(client, staff, event, minOrderAmount="-1"), "minOrderAmount")
    assert_invalid(await post(client, staff, event, minOrderAmount="1.234"), "minOrderAmount")


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [("2026-06-01T00:00:00Z", "2026-06-01T00:00:00Z"), ("2026-06-02T00:00:00Z", "2026-06-01T00:00:00Z")],
)
async def test_valid_until_must_follow_valid_from(
    client: httpx.AsyncClient, staff: Staff, event: Event, valid_from: str, valid_until: str
) -> None:
    response = await post(client, staff, event, validFrom=valid_from, validUntil=valid_until)
    assert_invalid(response, "validUntil")


async def test_the_window_is_compared_across_offsets(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    # 10:00+02:00 is 08:00Z: before 09:00Z although the wall-clock hour is later.
    response = await post(
        client, staff, event, validFrom="2026-06-01T10:00:00+02:00", validUntil="2026-06-01T09:00:00Z"
    )
    assert response.status_code == 201, response.text


async def test_put_checks_the_window_against_the_stored_bound(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    start = datetime(2026, 6, 1, tzinfo=UTC)
    promo = await create_promo(session, event=event, valid_from=start, valid_until=start + timedelta(days=5))
    response = await client.put(
        f"/promo-codes/{promo.id}", json={"validUntil": "2026-05-31T00:00:00Z"}, headers=staff.headers
    )
    assert_invalid(response, "validUntil")
    response = await client.put(
        f"/promo-codes/{promo.id}", json={"validFrom": "2026-06-07T00:00:00Z"}, headers=staff.headers
    )
    assert_invalid(response, "validUntil")


async def test_naive_timestamps_are_422(client: httpx.AsyncClient, staff: Staff, event: Event) -> None:
    assert_invalid(await post(client, staff, event, validFrom="2026-06-01T10:00:00"), "validFrom")


async def test_ticket_types_must_belong_to_the_event(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    mine = await create_ticket_type(session, event=event)
    other_event = await create_event(session, organization=staff.org, name="Other")
    theirs = await create_ticket_type(session, event=other_event)
    response = await post(
        client,
        staff,
        event,
        ticketTypeIds=[str(mine.id), str(theirs.id), "00000000-0000-0000-0000-000000000001"],
    )
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert error_fields(body) == {"ticketTypeIds.1", "ticketTypeIds.2"}

    promo = await create_promo(session, event=event)
    response = await client.put(
        f"/promo-codes/{promo.id}", json={"ticketTypeIds": [str(theirs.id)]}, headers=staff.headers
    )
    assert_invalid(response, "ticketTypeIds.0")


async def test_put_ticket_types_are_de_duplicated(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    first = await create_ticket_type(session, event=event, name="A")
    second = await create_ticket_type(session, event=event, name="B")
    promo = await create_promo(session, event=event)
    ids = [str(second.id), str(first.id), str(second.id)]
    response = await client.put(
        f"/promo-codes/{promo.id}", json={"ticketTypeIds": ids}, headers=staff.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["ticketTypeIds"] == [str(second.id), str(first.id)]


# ---------------------------------------------------------------------------------------- maxUses


async def test_max_uses_cannot_drop_below_the_uses_made(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event, max_uses=10, used_count=4)
    response = await client.put(
        f"/promo-codes/{promo.id}", json={"maxUses": 3, "code": "RENAMED"}, headers=staff.headers
    )
    body = assert_problem(response, 409, "CONFLICT")
    assert body["usedCount"] == 4
    stored = await reload(session, promo.id)
    assert stored is not None and (stored.max_uses, stored.code) == (10, "SAVE10")
    assert await audit_entries(session, promo.id) == []

    response = await client.put(f"/promo-codes/{promo.id}", json={"maxUses": 4}, headers=staff.headers)
    assert response.status_code == 200, response.text
    assert (response.json()["maxUses"], response.json()["remainingUses"]) == (4, 0)


# --------------------------------------------------------------------------------------- frozen events


@pytest.mark.parametrize("status", ["CANCELLED", "COMPLETED"])
async def test_codes_of_cancelled_and_completed_events_are_frozen(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, status: str
) -> None:
    event = await create_event(session, organization=staff.org, status=status)
    promo = await create_promo(session, event=event)

    assert_problem(await post(client, staff, event, code="NEW"), 409, "INVALID_STATE")
    response = await client.put(
        f"/promo-codes/{promo.id}", json={"status": "DISABLED"}, headers=staff.headers
    )
    assert_problem(response, 409, "INVALID_STATE")
    assert_problem(
        await client.delete(f"/promo-codes/{promo.id}", headers=staff.headers), 409, "INVALID_STATE"
    )

    stored = await reload(session, promo.id)
    assert stored is not None and stored.status == "ACTIVE"
    # Still readable.
    assert (await client.get(f"/promo-codes/{promo.id}", headers=staff.headers)).status_code == 200


# ----------------------------------------------------------------------------------------- deleting


async def test_a_code_with_uses_cannot_be_deleted(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event, used_count=1)
    body = assert_problem(
        await client.delete(f"/promo-codes/{promo.id}", headers=staff.headers), 409, "CONFLICT"
    )
    assert "DISABLED" in body["detail"]
    assert await reload(session, promo.id) is not None


async def test_a_code_an_order_refers_to_cannot_be_deleted_even_with_its_use_given_back(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event, used_count=0)
    buyer = await create_user(session, context)
    session.add(
        Order(
            user_id=buyer.id,
            event_id=event.id,
            status="CANCELLED",
            currency="USD",
            subtotal_minor=1000,
            discount_minor=100,
            total_minor=900,
            ticket_count=1,
            promo_code_id=promo.id,
            promo_code=promo.code,
        )
    )
    await session.commit()

    assert_problem(await client.delete(f"/promo-codes/{promo.id}", headers=staff.headers), 409, "CONFLICT")
    assert await reload(session, promo.id) is not None
    # Disabling is the way out.
    response = await client.put(
        f"/promo-codes/{promo.id}", json={"status": "DISABLED"}, headers=staff.headers
    )
    assert response.status_code == 200, response.text

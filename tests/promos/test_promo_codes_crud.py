"""Promo codes: create, read, list, partial update, delete, and their audit trail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_ticket_type, create_user
from tests.promos.helpers import (
    Staff,
    assert_problem,
    audit_entries,
    create_promo,
    make_staff,
    promo_body,
    reload,
)
from tixmo.accounts.models import Role
from tixmo.deps import AppContext
from tixmo.events.models import Event

READ_FIELDS = {
    "id",
    "eventId",
    "code",
    "discountType",
    "discountValue",
    "maxUses",
    "usedCount",
    "remainingUses",
    "minOrderAmount",
    "validFrom",
    "validUntil",
    "ticketTypeIds",
    "status",
    "createdAt",
    "updatedAt",
}


@pytest.fixture
async def staff(session: AsyncSession, context: AppContext) -> Staff:
    return await make_staff(session, context)


@pytest.fixture
async def event(session: AsyncSession, staff: Staff) -> Event:
    return await create_event(session, organization=staff.org)


async def test_create_returns_the_full_shape_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    ticket_type = await create_ticket_type(session, event=event)
    response = await client.post(
        "/promo-codes",
        json=promo_body(
            event,
            code="Summer-25",
            discountValue="12.5",
            maxUses=100,
            minOrderAmount=20,
            validFrom="2026-01-01T10:00:00+02:00",
            validUntil="2027-01-01T00:00:00Z",
            ticketTypeIds=[str(ticket_type.id), str(ticket_type.id)],
        ),
        headers=staff.headers,
    )

    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == READ_FIELDS
    assert created["eventId"] == str(event.id)
    assert created["code"] == "Summer-25"  # stored as given
    assert (created["discountType"], created["discountValue"]) == ("PERCENTAGE", "12.50")
    assert (created["maxUses"], created["usedCount"], created["remainingUses"]) == (100, 0, 100)
    assert created["minOrderAmount"] == "20.00"
    assert created["validFrom"].startswith("2026-01-01T08:00:00")  # returned in UTC
    assert created["ticketTypeIds"] == [str(ticket_type.id)]  # de-duplicated
    assert created["status"] == "ACTIVE"

    entries = await audit_entries(session, uuid.UUID(created["id"]))
    assert [entry.action for entry in entries] == ["promo_code.created"]
    assert entries[0].organization_id == staff.org.id
    assert entries[0].actor_id == staff.user.id
    assert entries[0].after is not None
    assert entries[0].after["code"] == "Summer-25"
    assert entries[0].after["discountValue"] == "12.50"


async def test_create_a_fixed_code_with_defaults(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    response = await client.post(
        "/promo-codes",
        json=promo_body(event, code="five_off", discountType="FIXED", discountValue=5),
        headers=staff.headers,
    )

    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["discountType"], created["discountValue"]) == ("FIXED", "5.00")
    assert created["maxUses"] is None and created["remainingUses"] is None
    assert created["minOrderAmount"] is None
    assert (created["validFrom"], created["validUntil"], created["ticketTypeIds"]) == (None, None, None)


async def test_an_empty_ticket_type_list_means_every_ticket_type(
    client: httpx.AsyncClient, staff: Staff, event: Event
) -> None:
    response = await client.post(
        "/promo-codes", json=promo_body(event, ticketTypeIds=[]), headers=staff.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["ticketTypeIds"] is None


async def test_a_published_event_accepts_codes(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff
) -> None:
    event = await create_event(session, organization=staff.org, status="PUBLISHED")
    response = await client.post("/promo-codes", json=promo_body(event), headers=staff.headers)
    assert response.status_code == 201, response.text


async def test_get_one(client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event) -> None:
    promo = await create_promo(session, event=event, max_uses=5, used_count=2)
    response = await client.get(f"/promo-codes/{promo.id}", headers=staff.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["code"], body["discountValue"]) == (str(promo.id), "SAVE10", "10.00")
    assert (body["usedCount"], body["remainingUses"]) == (2, 3)


async def test_list_filters_and_paginates(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    other_event = await create_event(session, organization=staff.org, name="Other")
    first = await create_promo(session, event=event, code="FIRST")
    second = await create_promo(session, event=event, code="SECOND", status="DISABLED")
    third = await create_promo(session, event=other_event, code="THIRD")

    everything = await client.get("/promo-codes", headers=staff.headers)
    assert everything.status_code == 200, everything.text
    assert [item["id"] for item in everything.json()["data"]] == [
        str(third.id),
        str(second.id),
        str(first.id),
    ]
    assert everything.json()["meta"] == {"page": 1, "limit": 20, "total": 3, "totalPages": 1}

    by_event = await client.get("/promo-codes", params={"eventId": str(event.id)}, headers=staff.headers)
    assert [item["code"] for item in by_event.json()["data"]] == ["SECOND", "FIRST"]

    disabled = await client.get(
        "/promo-codes", params={"eventId": str(event.id), "status": "DISABLED"}, headers=staff.headers
    )
    assert [item["code"] for item in disabled.json()["data"]] == ["SECOND"]

    paged = await client.get("/promo-codes", params={"limit": 2, "page": 2}, headers=staff.headers)
    assert [item["code"] for item in paged.json()["data"]] == ["FIRST"]
    assert paged.json()["meta"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2}


async def test_list_with_a_bad_status_is_422(client: httpx.AsyncClient, staff: Staff) -> None:
    response = await client.get("/promo-codes", params={"status": "GONE"}, headers=staff.headers)
    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert [error["field"] for error in body["errors"]] == ["status"]


async def test_admin_lists_every_organizations_codes(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, event: Event
) -> None:
    other = await make_staff(session, context, name="Other Org")
    other_event = await create_event(session, organization=other.org)
    await create_promo(session, event=event, code="MINE")
    await create_promo(session, event=other_event, code="THEIRS")
    admin = await create_user(session, context, role=Role.ADMIN)

    response = await client.get("/promo-codes", headers=auth(context, admin))

    assert sorted(item["code"] for item in response.json()["data"]) == ["MINE", "THEIRS"]


async def test_put_is_partial_and_audits_only_the_changes(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event, max_uses=10, min_order_amount_minor=1000)
    response = await client.put(
        f"/promo-codes/{promo.id}",
        json={"code": "save-more", "discountValue": "15.25", "status": "DISABLED"},
        headers=staff.headers,
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["code"], body["discountValue"], body["status"]) == ("save-more", "15.25", "DISABLED")
    assert (body["maxUses"], body["minOrderAmount"], body["discountType"]) == (10, "10.00", "PERCENTAGE")
    entries = await audit_entries(session, promo.id)
    assert [entry.action for entry in entries] == ["promo_code.updated"]
    assert entries[0].before == {"code": "SAVE10", "discountValue": "10.00", "status": "ACTIVE"}
    assert entries[0].after == {"code": "save-more", "discountValue": "15.25", "status": "DISABLED"}
    assert entries[0].organization_id == staff.org.id


async def test_put_null_clears_optional_fields(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    ticket_type = await create_ticket_type(session, event=event)
    promo = await create_promo(
        session,
        event=event,
        max_uses=10,
        min_order_amount_minor=1000,
        valid_from=datetime.now(UTC) - timedelta(days=1),
        valid_until=datetime.now(UTC) + timedelta(days=1),
        ticket_type_ids=[ticket_type.id],
    )
    response = await client.put(
        f"/promo-codes/{promo.id}",
        json={
            "maxUses": None,
            "minOrderAmount": None,
            "validFrom": None,
            "validUntil": None,
            "ticketTypeIds": None,
        },
        headers=staff.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    for field in ("maxUses", "remainingUses", "minOrderAmount", "validFrom", "validUntil", "ticketTypeIds"):
        assert body[field] is None, field


async def test_put_switching_the_kind_keeps_a_value_valid_for_both(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event, discount_type="FIXED", discount_value=500)
    response = await client.put(
        f"/promo-codes/{promo.id}", json={"discountType": "PERCENTAGE"}, headers=staff.headers
    )
    assert response.status_code == 200, response.text
    assert (response.json()["discountType"], response.json()["discountValue"]) == ("PERCENTAGE", "5.00")


async def test_put_with_no_change_writes_no_audit_entry(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event)
    for body in ({}, {"code": "SAVE10"}):
        response = await client.put(f"/promo-codes/{promo.id}", json=body, headers=staff.headers)
        assert response.status_code == 200, response.text
    assert await audit_entries(session, promo.id) == []


async def test_delete_removes_an_unused_code_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event)
    response = await client.delete(f"/promo-codes/{promo.id}", headers=staff.headers)

    assert response.status_code == 204, response.text
    assert await reload(session, promo.id) is None
    assert_problem(await client.get(f"/promo-codes/{promo.id}", headers=staff.headers), 404, "NOT_FOUND")
    entries = await audit_entries(session, promo.id)
    assert [entry.action for entry in entries] == ["promo_code.deleted"]
    assert entries[0].before is not None
    assert entries[0].before["code"] == "SAVE10"
    assert entries[0].organization_id == staff.org.id


async def test_a_deleted_codes_text_can_be_used_again(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, event: Event
) -> None:
    promo = await create_promo(session, event=event)
    assert (await client.delete(f"/promo-codes/{promo.id}", headers=staff.headers)).status_code == 204
    response = await client.post("/promo-codes", json=promo_body(event, code="save10"), headers=staff.headers)
    assert response.status_code == 201, response.text


async def test_unknown_ids_are_404(client: httpx.AsyncClient, staff: Staff) -> None:
    url = f"/promo-codes/{uuid.uuid4()}"
    assert_problem(await client.get(url, headers=staff.headers), 404, "NOT_FOUND")
    assert_problem(
        await client.put(url, json={"status": "DISABLED"}, headers=staff.headers), 404, "NOT_FOUND"
    )
    assert_problem(await client.delete(url, headers=staff.headers), 404, "NOT_FOUND")


async def test_a_malformed_id_names_the_camel_case_path_field(
    client: httpx.AsyncClient, staff: Staff
) -> None:
    body = assert_problem(
        await client.get("/promo-codes/not-a-uuid", headers=staff.headers), 422, "VALIDATION_ERROR"
    )
    assert [error["field"] for error in body["errors"]] == ["promoCodeId"]

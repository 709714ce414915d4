"""POST /tickets/validate (no state change) and manual check-in, both for org staff only."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event, create_ticket_type
from tests.tickets.helpers import (
    assert_problem,
    buy,
    buy_one,
    count,
    error_fields,
    make_buyer,
    make_shop,
    ticket_row,
)
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.tickets import codes, keys
from tixmo.tickets.models import SigningKey, Ticket


async def _validate(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await client.post("/tickets/validate", json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def _qr(client: httpx.AsyncClient, ticket: dict[str, Any], headers: dict[str, str]) -> str:
    code: str = (await client.get(f"/tickets/{ticket['id']}/qr", headers=headers)).json()["qrData"]
    return code


async def test_validate_answers_without_checking_in(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    code = await _qr(client, ticket, buyer.headers)

    by_code = await _validate(client, shop.staff_headers, qrData=code)
    by_barcode = await _validate(
        client, shop.staff_headers, barcode=ticket["barcode"], eventId=str(shop.event.id)
    )

    for result in (by_code, by_barcode):
        assert set(result) == {"valid", "status", "reason", "message", "ticket"}
        assert (result["valid"], result["status"], result["reason"]) == (True, "VALID", None)
        assert result["ticket"] == ticket
    row = await ticket_row(session, ticket["id"])
    assert (row.status, row.checked_in_at) == ("VALID", None)
    assert await count(session, AuditEntry, AuditEntry.entity_type == "ticket") == 0


async def test_codes_of_other_organizations_answer_like_unknown_ones(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    other = await make_shop(session, context, name="Other")
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    code = await _qr(client, ticket, buyer.headers)

    # Callers who are staff of no organization are refused instead (test_validate_access.py).
    headers = other.staff_headers
    foreign_barcode = await _validate(client, headers, barcode=ticket["barcode"])
    unknown_barcode = await _validate(client, headers, barcode="NOSUCHBARCODE")
    foreign_code = await _validate(client, headers, qrData=code)
    assert foreign_barcode == unknown_barcode
    assert (foreign_barcode["reason"], foreign_barcode["ticket"]) == ("NOT_FOUND", None)
    assert (foreign_code["valid"], foreign_code["reason"], foreign_code["ticket"]) == (
        False,
        "UNKNOWN_KEY",
        None,
    )


async def test_validate_reasons(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    used, cancelled, fine = await buy(client, shop, buyer, quantity=3)
    code = await _qr(client, fine, buyer.headers)
    assert (
        await client.post(f"/tickets/{used['id']}/check-in", headers=shop.staff_headers)
    ).status_code == 200
    await session.execute(
        update(Ticket).where(Ticket.id == uuid.UUID(cancelled["id"])).values(status="CANCELLED")
    )
    await session.commit()
    second_event = await create_event(session, organization=shop.org, status="PUBLISHED", name="Matinee")
    staff = shop.staff_headers
    flipped = code[:-5] + ("A" if code[-5] != "A" else "B") + code[-4:]

    results = {
        "used": await _validate(client, staff, barcode=used["barcode"]),
        "cancelled": await _validate(client, staff, barcode=cancelled["barcode"]),
        "wrong event": await _validate(client, staff, qrData=code, eventId=str(second_event.id)),
        "malformed": await _validate(client, staff, qrData="hello"),
        "flipped": await _validate(client, staff, qrData=flipped),
    }

    summary = {name: (r["valid"], r["status"], r["reason"]) for name, r in results.items()}
    assert summary == {
        "used": (False, "USED", "ALREADY_USED"),
        "cancelled": (False, "CANCELLED", "CANCELLED"),
        "wrong event": (False, "INVALID", "WRONG_EVENT"),
        "malformed": (False, "INVALID", "MALFORMED"),
        "flipped": (False, "INVALID", "BAD_SIGNATURE"),
    }
    assert results["wrong event"]["ticket"]["id"] == fine["id"]
    assert results["flipped"]["ticket"] is None

    await session.execute(update(Event).where(Event.id == shop.event.id).values(status="COMPLETED"))
    await session.commit()
    over = await _validate(client, staff, qrData=code)
    assert (over["valid"], over["reason"]) == (False, "EVENT_NOT_ACTIVE")


async def test_a_key_of_one_event_cannot_vouch_for_another_events_ticket(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """An organizer's staff see both events' keys, but a code is only good with its own event's key."""
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    second_event = await create_event(session, organization=shop.org, status="PUBLISHED", name="Matinee")
    await create_ticket_type(session, event=second_event)
    private = await keys.signing_key(session, context.secret_key, second_event.id)
    await session.commit()
    claims = codes.TicketClaims(uuid.UUID(ticket["id"]), shop.event.id, 1, ticket["barcode"])

    forged = await _validate(client, shop.staff_headers, qrData=codes.sign(claims, private))

    assert (forged["valid"], forged["reason"]) == (False, "BAD_SIGNATURE")
    assert await count(session, SigningKey, SigningKey.event_id == shop.event.id) == 0


async def test_validate_needs_exactly_one_of_barcode_and_qr_data(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    cases = [
        ({}, {"barcode"}),
        ({"barcode": "A", "qrData": "B"}, {"qrData"}),
        ({"barcode": 5}, {"barcode"}),
        ({"barcode": ""}, {"barcode"}),
        ({"qrData": "X" * 513}, {"qrData"}),
        ({"barcode": "A", "eventId": "nope"}, {"eventId"}),
        ({"barcode": "A", "unknown": 1}, {"unknown"}),
    ]
    for body, fields in cases:
        response = await client.post("/tickets/validate", json=body, headers=shop.staff_headers)
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == fields, body
    assert_problem(await client.post("/tickets/validate", json={"barcode": "A"}), 401, "UNAUTHORIZED")


async def test_manual_check_in(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> None:
    shop = await make_shop(session, context)
    other = await make_shop(session, context, name="Other")
    buyer = await make_buyer(session, context)
    ticket, cancelled = await buy(client, shop, buyer, quantity=2)
    path = f"/tickets/{ticket['id']}/check-in"

    assert_problem(await client.post(path, headers=buyer.headers), 404, "NOT_FOUND")  # holders cannot
    assert_problem(await client.post(path, headers=other.staff_headers), 404, "NOT_FOUND")
    assert (await ticket_row(session, ticket["id"])).status == "VALID"

    first = await client.post(path, headers=shop.staff_headers)
    again = await client.post(path, headers=shop.staff_headers)

    assert first.status_code == 200, first.text
    assert first.json()["status"] == "USED" and first.json()["checkedInAt"] is not None
    assert "already checked in" in assert_problem(again, 409, "INVALID_STATE")["detail"]
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "ticket.checked_in"))
    await session.commit()
    assert entry is not None and entry.after == {"status": "USED", "via": "manual"}

    await session.execute(
        update(Ticket).where(Ticket.id == uuid.UUID(cancelled["id"])).values(status="CANCELLED")
    )
    await session.commit()
    assert_problem(
        await client.post(f"/tickets/{cancelled['id']}/check-in", headers=shop.staff_headers),
        409,
        "INVALID_STATE",
    )
    assert (await ticket_row(session, cancelled["id"])).checked_in_at is None


async def test_check_in_is_open_only_while_the_event_is_published(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    await session.execute(update(Event).where(Event.id == shop.event.id).values(status="COMPLETED"))
    await session.commit()

    response = await client.post(f"/tickets/{ticket['id']}/check-in", headers=shop.staff_headers)

    assert_problem(response, 409, "INVALID_STATE")
    assert (await ticket_row(session, ticket["id"])).status == "VALID"

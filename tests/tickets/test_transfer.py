"""Transfers: ownership moves with a new barcode, history and notices; what cannot move, and who may."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.tickets.helpers import (
    Buyer,
    Shop,
    assert_problem,
    buy,
    buy_one,
    count,
    error_fields,
    make_buyer,
    make_shop,
    ticket_row,
)
from tixmo.accounts.models import User
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.notifications.models import Notification
from tixmo.tickets.models import Ticket, TicketRevocation, TicketTransfer


async def _transfer(
    client: httpx.AsyncClient, ticket: dict[str, Any], sender: Buyer, email: str, **headers: str
) -> httpx.Response:
    return await client.post(
        f"/tickets/{ticket['id']}/transfer", json={"email": email}, headers={**sender.headers, **headers}
    )


async def _nothing_moved(session: AsyncSession, ticket: dict[str, Any], owner: Buyer) -> None:
    row = await ticket_row(session, ticket["id"])
    assert (row.owner_id, row.barcode, row.version) == (owner.user.id, ticket["barcode"], 1)
    assert await count(session, TicketTransfer) == 0
    assert await count(session, TicketRevocation) == 0
    assert await count(session, Notification, Notification.kind.like("ticket.transfer.%")) == 0


async def test_a_transfer_moves_the_ticket_with_a_new_barcode_and_keeps_history(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    sender, recipient = await make_buyer(session, context), await make_buyer(session, context)
    ticket, kept = await buy(client, shop, sender, quantity=2)
    old_code = (await client.get(f"/tickets/{ticket['id']}/qr", headers=sender.headers)).json()["qrData"]

    response = await _transfer(client, ticket, sender, recipient.user.email.upper())

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"id", "ticketId", "eventId", "fromUserId", "toUserId", "toEmail", "transferredAt"}
    assert (body["ticketId"], body["fromUserId"], body["toUserId"], body["toEmail"]) == (
        ticket["id"],
        str(sender.user.id),
        str(recipient.user.id),
        recipient.user.email,
    )
    assert "barcode" not in response.text.lower()  # the sender never sees the new code
    row = await ticket_row(session, ticket["id"])
    assert (row.owner_id, row.version, row.status) == (recipient.user.id, 2, "VALID")
    assert row.barcode != ticket["barcode"]

    # The new holder has it; the former one no longer sees it, its QR code or its PDF.
    mine = await client.get("/tickets", headers=recipient.headers)
    assert [t["id"] for t in mine.json()["data"]] == [ticket["id"]]
    assert (await client.get(f"/tickets/{ticket['id']}", headers=recipient.headers)).json()[
        "barcode"
    ] == row.barcode
    for path in ("", "/qr", "/pdf"):
        assert_problem(
            await client.get(f"/tickets/{ticket['id']}{path}", headers=sender.headers), 404, "NOT_FOUND"
        )
    assert [t["id"] for t in (await client.get("/tickets", headers=sender.headers)).json()["data"]] == [
        kept["id"]
    ]
    # The order stays the buyer's: it lists the ticket, now the recipient's, without its barcode.
    order = (await client.get(f"/orders/{ticket['orderId']}", headers=sender.headers)).json()
    shown = {t["id"]: t for t in order["tickets"]}
    assert (shown[ticket["id"]]["ownerId"], shown[ticket["id"]]["barcode"]) == (str(recipient.user.id), None)
    assert shown[kept["id"]]["barcode"] == kept["barcode"]

    # The old code and barcode scan INVALID; the new holder's code is valid.
    new_code = (await client.get(f"/tickets/{ticket['id']}/qr", headers=recipient.headers)).json()["qrData"]
    for check, expected in (
        ({"qrData": old_code}, "REVOKED"),
        ({"barcode": ticket["barcode"]}, "REVOKED"),
        ({"qrData": new_code}, None),
    ):
        verdict = await client.post("/tickets/validate", json=check, headers=shop.staff_headers)
        assert verdict.json()["reason"] == expected, verdict.text

    history = list(await session.scalars(select(TicketTransfer)))
    assert [(h.ticket_id, h.from_user_id, h.to_user_id) for h in history] == [
        (row.id, sender.user.id, recipient.user.id)
    ]
    assert [r.reason for r in await session.scalars(select(TicketRevocation))] == ["TRANSFERRED"]
    transfer_kinds = Notification.kind.like("ticket.transfer.%")  # the order confirmation notifies too
    notices = {n.user_id: n for n in await session.scalars(select(Notification).where(transfer_kinds))}
    assert set(notices) == {sender.user.id, recipient.user.id}
    assert notices[sender.user.id].kind == "ticket.transfer.sent"
    assert notices[recipient.user.id].kind == "ticket.transfer.received"
    assert shop.event.name in notices[recipient.user.id].title
    assert notices[recipient.user.id].data["ticketId"] == ticket["id"]
    assert row.barcode not in str(notices[recipient.user.id].data)
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "ticket.transferred"))
    assert audit is not None and audit.organization_id == shop.org.id
    await session.commit()


async def test_the_new_holder_can_pass_it_on_and_the_chain_is_kept(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    first = await make_buyer(session, context)
    second = await make_buyer(session, context)
    third = await make_buyer(session, context)
    ticket = await buy_one(client, shop, first)

    assert (await _transfer(client, ticket, first, second.user.email)).status_code == 200
    assert (await _transfer(client, ticket, second, third.user.email)).status_code == 200
    again = await _transfer(client, ticket, first, third.user.email)

    assert_problem(again, 409, "CONFLICT")  # the first holder has given it away
    row = await ticket_row(session, ticket["id"])
    assert (row.owner_id, row.version) == (third.user.id, 3)
    assert await count(session, TicketTransfer) == 2
    assert await count(session, TicketRevocation) == 2


async def test_an_unknown_email_is_404_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    sender, deleted = await make_buyer(session, context), await make_buyer(session, context)
    ticket = await buy_one(client, shop, sender)
    await session.execute(update(User).where(User.id == deleted.user.id).values(deleted_at=User.created_at))
    await session.commit()

    unknown = await _transfer(client, ticket, sender, "nobody-here@example.com")
    gone = await _transfer(client, ticket, sender, deleted.user.email)

    body = assert_problem(unknown, 404, "NOT_FOUND")
    assert error_fields(body) == {"email"}
    # A deleted account answers exactly like one that never existed.
    assert assert_problem(gone, 404, "NOT_FOUND") == body
    await _nothing_moved(session, ticket, sender)


async def test_bad_input_is_422_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    sender = await make_buyer(session, context)
    ticket = await buy_one(client, shop, sender)
    path = f"/tickets/{ticket['id']}/transfer"

    cases = {
        "email": [{"email": "not-an-email"}, {"email": 42}, {}, {"email": None}],
        "extra": [{"email": "x@example.com", "extra": 1}],
    }
    for field, bodies in cases.items():
        for body in bodies:
            response = await client.post(path, json=body, headers=sender.headers)
            assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {field}, body
    to_self = await _transfer(client, ticket, sender, sender.user.email)
    assert error_fields(assert_problem(to_self, 422, "VALIDATION_ERROR")) == {"email"}
    await _nothing_moved(session, ticket, sender)


async def _set_ticket(session: AsyncSession, ticket: dict[str, Any], **values: Any) -> None:
    await session.execute(update(Ticket).where(Ticket.id == uuid.UUID(ticket["id"])).values(**values))
    await session.commit()


async def test_used_or_cancelled_tickets_cannot_move(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    sender, recipient = await make_buyer(session, context), await make_buyer(session, context)
    used, cancelled = await buy(client, shop, sender, quantity=2)
    assert (
        await client.post(f"/tickets/{used['id']}/check-in", headers=shop.staff_headers)
    ).status_code == 200
    await _set_ticket(session, cancelled, status="CANCELLED")

    for ticket in (used, cancelled):
        assert_problem(await _transfer(client, ticket, sender, recipient.user.email), 409, "INVALID_STATE")
    assert await count(session, TicketTransfer) == 0
    assert await count(session, Ticket, Ticket.owner_id == recipient.user.id) == 0


async def test_an_event_can_forbid_transfers(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    sender, recipient = await make_buyer(session, context), await make_buyer(session, context)
    ticket = await buy_one(client, shop, sender)

    updated = await client.put(
        f"/events/{shop.event.id}", json={"transfersAllowed": False}, headers=shop.staff_headers
    )
    refused = await _transfer(client, ticket, sender, recipient.user.email)

    assert updated.status_code == 200 and updated.json()["transfersAllowed"] is False
    assert_problem(refused, 403, "FORBIDDEN")
    await _nothing_moved(session, ticket, sender)

    await client.put(f"/events/{shop.event.id}", json={"transfersAllowed": True}, headers=shop.staff_headers)
    assert (await _transfer(client, ticket, sender, recipient.user.email)).status_code == 200


async def test_tickets_of_an_event_that_is_over_cannot_move(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    sender, recipient = await make_buyer(session, context), await make_buyer(session, context)
    ticket = await buy_one(client, shop, sender)
    await session.execute(update(Event).where(Event.id == shop.event.id).values(status="COMPLETED"))
    await session.commit()

    assert_problem(await _transfer(client, ticket, sender, recipient.user.email), 409, "INVALID_STATE")
    await _nothing_moved(session, ticket, sender)


async def test_only_the_holder_transfers(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    holder = await make_buyer(session, context)
    other = await make_buyer(session, context)
    ticket = await buy_one(client, shop, holder)

    by_stranger = await client.post(
        f"/tickets/{ticket['id']}/transfer", json={"email": other.user.email}, headers=other.headers
    )
    by_staff = await client.post(
        f"/tickets/{ticket['id']}/transfer", json={"email": other.user.email}, headers=shop.staff_headers
    )

    assert_problem(by_stranger, 404, "NOT_FOUND")
    assert_problem(by_staff, 403, "FORBIDDEN")
    await _nothing_moved(session, ticket, holder)


async def test_idempotency_key_replays_the_transfer(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    sender, recipient, other = (
        await make_buyer(session, context),
        await make_buyer(session, context),
        await make_buyer(session, context),
    )
    ticket = await buy_one(client, shop, sender)
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = await _transfer(client, ticket, sender, recipient.user.email, **key)
    replay = await _transfer(client, ticket, sender, recipient.user.email, **key)
    different = await _transfer(client, ticket, sender, other.user.email, **key)

    assert first.status_code == 200 and replay.status_code == 200
    assert replay.json() == first.json() and replay.headers["Idempotent-Replayed"] == "true"
    assert error_fields(assert_problem(different, 409, "CONFLICT")) == {"Idempotency-Key"}
    assert await count(session, TicketTransfer) == 1
    assert (await ticket_row(session, ticket["id"])).owner_id == recipient.user.id


async def test_a_transferred_ticket_stops_its_order_being_cancelled_by_the_buyer(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """Cancelling (and refunding) the order would cancel a ticket that now belongs to someone else."""
    shop: Shop = await make_shop(session, context)
    sender, recipient = await make_buyer(session, context), await make_buyer(session, context)
    ticket = await buy_one(client, shop, sender)
    assert (await _transfer(client, ticket, sender, recipient.user.email)).status_code == 200

    cancel = await client.post(f"/orders/{ticket['orderId']}/cancel", headers=sender.headers)

    assert_problem(cancel, 409, "INVALID_STATE")
    assert (await ticket_row(session, ticket["id"])).status == "VALID"

"""Listing and reading tickets: holders see theirs, org staff their events', nobody else anything."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.tickets.helpers import assert_problem, buy, buy_one, error_fields, make_buyer, make_shop
from tixmo.accounts.models import Role
from tixmo.deps import AppContext

TICKET_FIELDS = {
    "id",
    "orderId",
    "eventId",
    "ticketTypeId",
    "ownerId",
    "barcode",
    "status",
    "checkedInAt",
    "seat",
}


async def test_a_holder_lists_and_reads_their_tickets(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    other_shop = await make_shop(session, context, name="Rock Night")
    buyer = await make_buyer(session, context)
    bought = await buy(client, shop, buyer, quantity=2)
    elsewhere = await buy_one(client, other_shop, buyer)

    everything = await client.get("/tickets", headers=buyer.headers)
    for_event = await client.get("/tickets", params={"eventId": str(shop.event.id)}, headers=buyer.headers)
    one = await client.get(f"/tickets/{bought[0]['id']}", headers=buyer.headers)

    assert everything.status_code == 200, everything.text
    assert everything.json()["meta"] == {"page": 1, "limit": 20, "total": 3, "totalPages": 1}
    assert {t["id"] for t in everything.json()["data"]} == {bought[0]["id"], bought[1]["id"], elsewhere["id"]}
    assert {t["id"] for t in for_event.json()["data"]} == {t["id"] for t in bought}
    assert one.status_code == 200
    ticket = one.json()
    assert set(ticket) == TICKET_FIELDS
    assert ticket == bought[0]  # the same shape as the order shows
    assert (ticket["status"], ticket["ownerId"], ticket["checkedInAt"]) == ("VALID", str(buyer.user.id), None)


async def test_owner_isolation_other_people_see_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    stranger = await make_buyer(session, context)
    other_staff = await make_shop(session, context, name="Elsewhere")
    ticket = await buy_one(client, shop, buyer)

    listed = await client.get("/tickets", headers=stranger.headers)
    for_event = await client.get("/tickets", params={"eventId": str(shop.event.id)}, headers=stranger.headers)
    by_staff_of_another_org = await client.get(
        "/tickets", params={"eventId": str(shop.event.id)}, headers=other_staff.staff_headers
    )

    assert listed.json()["data"] == [] and for_event.json()["data"] == []
    assert by_staff_of_another_org.json()["data"] == []
    for headers in (stranger.headers, other_staff.staff_headers):
        for path in ("", "/qr", "/pdf"):
            assert_problem(
                await client.get(f"/tickets/{ticket['id']}{path}", headers=headers), 404, "NOT_FOUND"
            )
    unknown = await client.get(f"/tickets/{uuid.uuid4()}", headers=buyer.headers)
    assert_problem(unknown, 404, "NOT_FOUND")
    assert_problem(await client.get(f"/tickets/{ticket['id']}"), 401, "UNAUTHORIZED")


async def test_org_staff_list_and_read_their_events_tickets(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    first, second = await make_buyer(session, context), await make_buyer(session, context)
    a = await buy_one(client, shop, first)
    b = await buy_one(client, shop, second)
    admin = await make_buyer(session, context, role=Role.ADMIN)

    staff_list = await client.get(
        "/tickets", params={"eventId": str(shop.event.id), "limit": 1}, headers=shop.staff_headers
    )
    admin_list = await client.get("/tickets", params={"eventId": str(shop.event.id)}, headers=admin.headers)
    own_list = await client.get("/tickets", headers=shop.staff_headers)  # no eventId: their own tickets

    assert staff_list.json()["meta"] == {"page": 1, "limit": 1, "total": 2, "totalPages": 2}
    assert {t["id"] for t in admin_list.json()["data"]} == {a["id"], b["id"]}
    assert own_list.json()["data"] == []
    staff_get = await client.get(f"/tickets/{a['id']}", headers=shop.staff_headers)
    assert staff_get.status_code == 200 and staff_get.json()["barcode"] == a["barcode"]
    # Staff may read a ticket, but its QR code and PDF are the holder's.
    assert_problem(await client.get(f"/tickets/{a['id']}/qr", headers=shop.staff_headers), 403, "FORBIDDEN")
    assert_problem(await client.get(f"/tickets/{a['id']}/pdf", headers=shop.staff_headers), 403, "FORBIDDEN")


async def test_list_filters_and_bad_parameters(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    tickets = await buy(client, shop, buyer, quantity=2)
    checked = await client.post(f"/tickets/{tickets[0]['id']}/check-in", headers=shop.staff_headers)
    assert checked.status_code == 200

    used = await client.get("/tickets", params={"status": "USED"}, headers=buyer.headers)
    bad_status = await client.get("/tickets", params={"status": "GONE"}, headers=buyer.headers)
    bad_event = await client.get("/tickets", params={"eventId": "nope"}, headers=buyer.headers)
    bad_limit = await client.get("/tickets", params={"limit": 101}, headers=buyer.headers)
    bad_id = await client.get("/tickets/not-a-uuid", headers=buyer.headers)

    assert [t["id"] for t in used.json()["data"]] == [tickets[0]["id"]]
    assert error_fields(assert_problem(bad_status, 422, "VALIDATION_ERROR")) == {"status"}
    assert error_fields(assert_problem(bad_event, 422, "VALIDATION_ERROR")) == {"eventId"}
    assert error_fields(assert_problem(bad_limit, 422, "VALIDATION_ERROR")) == {"limit"}
    assert error_fields(assert_problem(bad_id, 422, "VALIDATION_ERROR")) == {"ticketId"}

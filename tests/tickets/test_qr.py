"""QR codes: the PNG holds the signed qrData, is cached per ticket version, and regenerating re-codes."""

from __future__ import annotations

import base64
import hashlib
import io
import threading
import uuid

import httpx
import pytest
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from tests.tickets.helpers import (
    assert_problem,
    buy_one,
    count,
    decode_qr_png,
    make_buyer,
    make_shop,
    png_of_data_url,
    ticket_row,
)
from tixmo.deps import AppContext
from tixmo.tickets import codes, qr, validation
from tixmo.tickets.models import TicketRevocation


async def test_the_qr_png_decodes_to_the_signed_qr_data(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)

    response = await client.get(f"/tickets/{ticket['id']}/qr", headers=buyer.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"ticketId", "qrCode", "qrData"}
    assert body["ticketId"] == ticket["id"]
    png = png_of_data_url(body["qrCode"])
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and 250 <= image.width <= 350 and image.width == image.height
    assert decode_qr_png(png) == body["qrData"]

    # It verifies offline with the event's public key as staff (and scanners) get it.
    keys = await client.get(f"/events/{shop.event.id}/signing-keys", headers=shop.staff_headers)
    assert keys.status_code == 200, keys.text
    [key] = keys.json()["data"]
    assert (key["algorithm"], key["status"]) == ("Ed25519", "ACTIVE")
    claims = codes.verify(body["qrData"], base64.b64decode(key["publicKey"]))
    assert (str(claims.ticket_id), str(claims.event_id), claims.barcode, claims.version) == (
        ticket["id"],
        str(shop.event.id),
        ticket["barcode"],
        1,
    )
    # No personal data in the code: neither the holder's id nor their name or email.
    raw = base64.b32decode(body["qrData"].split(".")[2] + "====")
    assert buyer.user.id.bytes not in raw and buyer.user.email.encode() not in raw


async def test_the_qr_is_rendered_off_the_event_loop_and_cached_per_ticket_version(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    renders: list[tuple[str, int]] = []
    real = qr.render_png

    def recording(code: str, pixels: int = qr.TARGET_PIXELS) -> bytes:
        renders.append((code, threading.get_ident()))
        return real(code, pixels)

    monkeypatch.setattr(qr, "render_png", recording)
    qr.cache.clear()
    path = f"/tickets/{ticket['id']}/qr"

    first = await client.get(path, headers=buyer.headers)
    second = await client.get(path, headers=buyer.headers)
    not_modified = await client.get(path, headers={**buyer.headers, "If-None-Match": first.headers["ETag"]})

    assert first.json() == second.json()
    assert len(renders) == 1
    assert renders[0][1] != threading.get_ident()  # a worker thread, not the event loop's
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert first.headers["Cache-Control"] == "private, no-cache"

    regenerated = await client.post(f"/tickets/{ticket['id']}/regenerate-qr", headers=buyer.headers)
    after = await client.get(path, headers={**buyer.headers, "If-None-Match": first.headers["ETag"]})

    assert regenerated.status_code == 200, regenerated.text
    assert after.status_code == 200 and after.json()["qrData"] == regenerated.json()["qrData"]
    assert after.headers["ETag"] != first.headers["ETag"]
    assert len(renders) == 2  # the new version was rendered once, by the regenerate call


async def test_regenerate_gives_a_new_barcode_and_the_old_code_scans_invalid(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    old = (await client.get(f"/tickets/{ticket['id']}/qr", headers=buyer.headers)).json()["qrData"]

    response = await client.post(f"/tickets/{ticket['id']}/regenerate-qr", headers=buyer.headers)

    assert response.status_code == 200, response.text
    new = response.json()["qrData"]
    assert decode_qr_png(png_of_data_url(response.json()["qrCode"])) == new
    row = await ticket_row(session, ticket["id"])
    assert (row.version, row.status) == (2, "VALID")
    assert row.barcode != ticket["barcode"]
    assert (await client.get(f"/tickets/{ticket['id']}", headers=buyer.headers)).json()[
        "barcode"
    ] == row.barcode

    checks = {
        "old code": {"qrData": old},
        "old barcode": {"barcode": ticket["barcode"]},
        "new code": {"qrData": new},
        "new barcode": {"barcode": row.barcode},
    }
    answers = {}
    for name, body in checks.items():
        result = await client.post("/tickets/validate", json=body, headers=shop.staff_headers)
        assert result.status_code == 200, result.text
        answers[name] = (result.json()["valid"], result.json()["status"], result.json()["reason"])
    assert answers == {
        "old code": (False, "INVALID", "REVOKED"),
        "old barcode": (False, "INVALID", "REVOKED"),
        "new code": (True, "VALID", None),
        "new barcode": (True, "VALID", None),
    }
    # Offline: the revocation list a scanner syncs names the old barcode by its SHA-256.
    revoked = await validation.revoked_since(session, shop.event.id)
    await session.commit()
    assert revoked == [hashlib.sha256(ticket["barcode"].encode()).hexdigest()]


async def test_only_the_holder_regenerates_and_only_a_valid_ticket(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    stranger = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    path = f"/tickets/{ticket['id']}/regenerate-qr"

    assert_problem(await client.post(path, headers=stranger.headers), 404, "NOT_FOUND")
    assert_problem(await client.post(path, headers=shop.staff_headers), 403, "FORBIDDEN")
    assert_problem(
        await client.post(f"/tickets/{uuid.uuid4()}/regenerate-qr", headers=buyer.headers), 404, "NOT_FOUND"
    )
    assert (await ticket_row(session, ticket["id"])).version == 1
    assert (
        await client.post(f"/tickets/{ticket['id']}/check-in", headers=shop.staff_headers)
    ).status_code == 200

    used = await client.post(path, headers=buyer.headers)

    assert_problem(used, 409, "INVALID_STATE")
    row = await ticket_row(session, ticket["id"])
    assert (row.version, row.barcode) == (1, ticket["barcode"])
    assert await count(session, TicketRevocation) == 0


async def test_a_cancelled_ticket_has_no_qr_code(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    path = f"/tickets/{ticket['id']}"
    before = await client.get(f"{path}/qr", headers=buyer.headers)
    assert before.status_code == 200, before.text

    cancelled = await client.post(f"/orders/{ticket['orderId']}/cancel", headers=buyer.headers)
    assert cancelled.status_code == 200, cancelled.text
    assert (await ticket_row(session, ticket["id"])).status == "CANCELLED"

    # Like the PDF: no code to show for a ticket that admits nobody, not even a 304 for the old one.
    assert_problem(await client.get(f"{path}/qr", headers=buyer.headers), 409, "INVALID_STATE")
    stale = await client.get(f"{path}/qr", headers={**buyer.headers, "If-None-Match": before.headers["ETag"]})
    assert_problem(stale, 409, "INVALID_STATE")
    assert_problem(await client.post(f"{path}/regenerate-qr", headers=buyer.headers), 409, "INVALID_STATE")
    assert_problem(await client.get(f"{path}/pdf", headers=buyer.headers), 409, "INVALID_STATE")
    # Who may not see it still learns nothing more than before.
    stranger = await make_buyer(session, context)
    assert_problem(await client.get(f"{path}/qr", headers=stranger.headers), 404, "NOT_FOUND")

"""Scanner devices: registration, keys, tokens, staff management, and who may use what."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import make_buyer, make_shop, register, scan, tickets_for
from tests.problems import assert_problem, error_fields
from tixmo.checkin.models import Scanner
from tixmo.deps import AppContext
from tixmo.security import hash_token


async def test_register_shows_the_key_once_and_stores_its_hash(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    device = await register(client, shop)
    row = await session.get(Scanner, __import__("uuid").UUID(device.id))
    assert row is not None
    assert row.api_key_hash == hash_token(device.api_key) != device.api_key
    listed = await client.get(f"/scanners?eventId={shop.event.id}", headers=shop.staff_headers)
    assert listed.json()["meta"]["total"] == 1
    assert "apiKey" not in listed.json()["data"][0]
    got = await client.get(f"/scanners/{device.id}", headers=shop.staff_headers)
    assert got.json()["name"] == "Gate A" and got.json()["enabled"] is True


async def test_bad_input_and_other_tenants(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    other = await make_shop(session, context, name="Other")
    device = await register(client, shop)
    missing = await client.post("/scanners/register", json={"name": "x"}, headers=shop.staff_headers)
    assert "eventId" in error_fields(assert_problem(missing, 422, "VALIDATION_ERROR"))
    foreign_event = await client.post(
        "/scanners/register", json={"eventId": str(shop.event.id), "name": "x"}, headers=other.staff_headers
    )
    assert_problem(foreign_event, 404, "NOT_FOUND")
    for method in ("get", "delete"):
        answer = await client.request(method, f"/scanners/{device.id}", headers=other.staff_headers)
        assert_problem(answer, 404, "NOT_FOUND")
    renamed = await client.put(f"/scanners/{device.id}", json={"name": "y"}, headers=other.staff_headers)
    assert_problem(renamed, 404, "NOT_FOUND")
    wrong_type = await client.put(
        f"/scanners/{device.id}", json={"enabled": "maybe"}, headers=shop.staff_headers
    )
    assert "enabled" in error_fields(assert_problem(wrong_type, 422, "VALIDATION_ERROR"))
    still = await client.get(f"/scanners/{device.id}", headers=shop.staff_headers)
    assert (still.json()["name"], still.json()["enabled"]) == ("Gate A", True)
    listed = await client.get("/scanners", headers=other.staff_headers)
    assert listed.json()["meta"]["total"] == 0


async def test_disabling_or_deleting_ends_key_and_tokens_at_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    device = await register(client, shop)
    disabled = await client.put(f"/scanners/{device.id}", json={"enabled": False}, headers=shop.staff_headers)
    assert disabled.json()["enabled"] is False
    refused = await client.post(
        "/scanners/scan", json={"barcode": ticket["barcode"], "direction": "ENTRY"}, headers=device.headers
    )
    assert_problem(refused, 401, "UNAUTHORIZED")
    assert_problem(await client.post("/scanners/auth", json={"apiKey": device.api_key}), 401, "UNAUTHORIZED")
    await client.put(f"/scanners/{device.id}", json={"enabled": True}, headers=shop.staff_headers)
    assert (await scan(client, device, ticket["barcode"]))["status"] == "VALID"
    deleted = await client.delete(f"/scanners/{device.id}", headers=shop.staff_headers)
    assert deleted.status_code == 204
    assert_problem(await client.get("/scanners/sync", headers=device.headers), 401, "UNAUTHORIZED")
    assert_problem(await client.post("/scanners/auth", json={"apiKey": device.api_key}), 401, "UNAUTHORIZED")
    assert_problem(await client.get(f"/scanners/{device.id}", headers=shop.staff_headers), 404, "NOT_FOUND")
    # The deleted device's scans stay in the log.
    logs = await client.get(f"/scanners/logs?scannerId={device.id}", headers=shop.staff_headers)
    assert logs.json()["meta"]["total"] == 1


async def test_user_and_scanner_tokens_do_not_cross(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    device = await register(client, shop)
    buyer = await make_buyer(session, context)
    for headers in (shop.staff_headers, buyer.headers):
        answer = await client.post(
            "/scanners/scan", json={"barcode": "X", "direction": "ENTRY"}, headers=headers
        )
        assert_problem(answer, 401, "UNAUTHORIZED")
        assert_problem(await client.get("/scanners/sync", headers=headers), 401, "UNAUTHORIZED")
    assert_problem(await client.get("/auth/me", headers=device.headers), 401, "UNAUTHORIZED")
    assert_problem(await client.get("/scanners", headers=device.headers), 401, "UNAUTHORIZED")
    assert_problem(await client.post("/scanners/auth", json={"apiKey": "tmsk_nope"}), 401, "UNAUTHORIZED")
    assert_problem(
        await client.post("/scanners/scan", json={"barcode": "X", "direction": "ENTRY"}), 401, "UNAUTHORIZED"
    )


async def test_a_scanner_token_is_bound_to_its_event(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """A token naming another event than its device's (forged with the app secret, or after a device
    was re-pointed) is refused: the token's event must be the device's."""
    from datetime import timedelta

    from tixmo.security import create_scanner_token

    shop = await make_shop(session, context)
    other = await make_shop(session, context, name="Other")
    device = await register(client, shop)
    token, _ = create_scanner_token(
        context.secret_key, __import__("uuid").UUID(device.id), other.event.id, timedelta(minutes=5)
    )
    answer = await client.get("/scanners/sync", headers={"Authorization": f"Bearer {token}"})
    assert_problem(answer, 401, "UNAUTHORIZED")

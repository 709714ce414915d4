"""Per-event signing keys: created once, encrypted at rest, rotated and retired."""

from __future__ import annotations

import asyncio
import base64
import uuid

import httpx
import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.tickets.helpers import assert_problem, buy, buy_one, count, make_buyer, make_shop
from tixmo.deps import AppContext
from tixmo.tickets import codes, keys
from tixmo.tickets.models import SigningKey


async def _qr_data(client: httpx.AsyncClient, ticket_id: str, headers: dict[str, str]) -> str:
    response = await client.get(f"/tickets/{ticket_id}/qr", headers=headers)
    assert response.status_code == 200, response.text
    code: str = response.json()["qrData"]
    return code


async def _verdict(client: httpx.AsyncClient, headers: dict[str, str], code: str) -> tuple[bool, str | None]:
    response = await client.post("/tickets/validate", json={"qrData": code}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["valid"], response.json()["reason"]


async def _keys(session: AsyncSession, event_id: uuid.UUID) -> list[SigningKey]:
    rows = list(
        await session.scalars(
            select(SigningKey)
            .where(SigningKey.event_id == event_id)
            .order_by(SigningKey.created_at)
            .execution_options(populate_existing=True)
        )
    )
    await session.commit()
    return rows


async def test_the_private_key_is_stored_encrypted_under_the_app_secret(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    assert await _keys(session, shop.event.id) == []  # no key until the first code is made

    code = await _qr_data(client, ticket["id"], buyer.headers)

    [key] = await _keys(session, shop.event.id)
    private = keys.decrypt_private_key(context.secret_key, key)
    raw = private.private_bytes_raw()
    assert raw not in key.private_key_encrypted
    assert codes.public_key_bytes(private) == key.public_key
    assert codes.verify(code, key.public_key).ticket_id == uuid.UUID(ticket["id"])
    with pytest.raises(InvalidTag):
        keys.decrypt_private_key("another-secret-of-enough-length-0123456789", key)
    # Bound to its row: the same ciphertext under another event id does not decrypt.
    moved = SigningKey(
        event_id=uuid.uuid4(),
        key_id=key.key_id,
        public_key=key.public_key,
        private_key_encrypted=key.private_key_encrypted,
    )
    with pytest.raises(InvalidTag):
        keys.decrypt_private_key(context.secret_key, moved)


async def test_concurrent_first_signings_create_one_key(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    tickets = await buy(client, shop, buyer, quantity=6)

    codes_ = await asyncio.gather(*(_qr_data(client, t["id"], buyer.headers) for t in tickets))

    [key] = await _keys(session, shop.event.id)
    assert {code.split(".")[1] for code in codes_} == {key.key_id}


async def test_rotation_keeps_old_codes_valid_until_the_key_is_retired(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    old_code = await _qr_data(client, ticket["id"], buyer.headers)
    old_key_id = old_code.split(".")[1]

    rotated = await client.post(f"/events/{shop.event.id}/signing-keys/rotate", headers=shop.staff_headers)

    assert rotated.status_code == 201, rotated.text
    new_key = rotated.json()
    assert set(new_key) == {
        "keyId",
        "algorithm",
        "publicKey",
        "status",
        "createdAt",
        "rotatedAt",
        "retiredAt",
    }
    assert (new_key["status"], new_key["algorithm"]) == ("ACTIVE", "Ed25519")
    assert len(base64.b64decode(new_key["publicKey"])) == 32
    new_code = await _qr_data(client, ticket["id"], buyer.headers)
    assert new_code != old_code and new_code.split(".")[1] == new_key["keyId"]
    listed = await client.get(f"/events/{shop.event.id}/signing-keys", headers=shop.staff_headers)
    assert [(k["keyId"], k["status"]) for k in listed.json()["data"]] == [
        (new_key["keyId"], "ACTIVE"),
        (old_key_id, "ROTATED"),
    ]
    bundle = [k.bundle() for k in await keys.public_keys(session, shop.event.id)]
    await session.commit()
    assert [k["keyId"] for k in bundle] == [old_key_id, new_key["keyId"]]
    assert bundle[1] == {"keyId": new_key["keyId"], "algorithm": "Ed25519", "publicKey": new_key["publicKey"]}
    assert await _verdict(client, shop.staff_headers, old_code) == (True, None)
    assert await _verdict(client, shop.staff_headers, new_code) == (True, None)

    active = await client.post(
        f"/events/{shop.event.id}/signing-keys/{new_key['keyId']}/retire", headers=shop.staff_headers
    )
    retired = await client.post(
        f"/events/{shop.event.id}/signing-keys/{old_key_id}/retire", headers=shop.staff_headers
    )

    assert_problem(active, 409, "INVALID_STATE")
    assert retired.status_code == 200 and retired.json()["status"] == "RETIRED"
    assert retired.json()["retiredAt"] is not None
    assert await _verdict(client, shop.staff_headers, old_code) == (False, "KEY_RETIRED")
    assert await _verdict(client, shop.staff_headers, new_code) == (True, None)
    assert [k.key_id for k in await keys.public_keys(session, shop.event.id)] == [new_key["keyId"]]
    await session.commit()


async def test_a_changed_app_secret_rotates_instead_of_failing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    old_code = await _qr_data(client, ticket["id"], buyer.headers)

    new_private = await keys.signing_key(
        session, "a-new-app-secret-that-is-long-enough-0123456789", shop.event.id
    )
    await session.commit()

    old, new = await _keys(session, shop.event.id)
    assert (old.status, new.status) == ("ROTATED", "ACTIVE")
    assert codes.public_key_bytes(new_private) == new.public_key
    assert await _verdict(client, shop.staff_headers, old_code) == (True, None)  # codes out there still scan


async def test_signing_keys_are_for_org_staff_only(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    other = await make_shop(session, context, name="Other")
    buyer = await make_buyer(session, context)
    await _qr_data(client, (await buy_one(client, shop, buyer))["id"], buyer.headers)
    [key] = await _keys(session, shop.event.id)
    base = f"/events/{shop.event.id}/signing-keys"

    for headers in (buyer.headers, other.staff_headers):
        assert_problem(await client.get(base, headers=headers), 404, "NOT_FOUND")
        assert_problem(await client.post(f"{base}/rotate", headers=headers), 404, "NOT_FOUND")
        assert_problem(await client.post(f"{base}/{key.key_id}/retire", headers=headers), 404, "NOT_FOUND")
    # A key of another event, through this event's path, is not found either.
    assert_problem(
        await client.post(
            f"/events/{other.event.id}/signing-keys/{key.key_id}/retire", headers=other.staff_headers
        ),
        404,
        "NOT_FOUND",
    )
    assert [k.status for k in await _keys(session, shop.event.id)] == ["ACTIVE"]
    assert await count(session, SigningKey) == 1


async def test_concurrent_rotations_leave_exactly_one_active_key(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)

    responses = await asyncio.gather(
        *(
            client.post(f"/events/{shop.event.id}/signing-keys/rotate", headers=shop.staff_headers)
            for _ in range(4)
        )
    )

    assert [r.status_code for r in responses] == [201] * 4
    statuses = sorted(k.status for k in await _keys(session, shop.event.id))
    assert statuses == ["ACTIVE", "ROTATED", "ROTATED", "ROTATED"]

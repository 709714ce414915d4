"""Organization API keys: management, Bearer use within scopes and organization, revocation, expiry,
last-used, rate-limit tiers."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_organization, create_user
from tests.integrations.helpers import bearer, create_key
from tests.orders.helpers import Shop, make_shop, order_body
from tixmo.accounts.models import Role
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.integrations.models import ApiKey
from tixmo.organizations.models import MemberRole

ALL_SCOPES = ["events:read", "events:write", "orders:read", "orders:write", "checkin", "analytics:read"]


async def test_create_list_show_key_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    key, shown = await create_key(client, shop.staff_headers, shop.org.id, ["events:read", "orders:read"])
    assert key.startswith("tixmo_test_") and len(key) > 40
    assert key.startswith(shown["prefix"]) and len(shown["prefix"]) < len(key) - 20
    assert shown["scopes"] == ["events:read", "orders:read"] and shown["lastUsedAt"] is None
    listed = await client.get(f"/organizations/{shop.org.id}/api-keys", headers=shop.staff_headers)
    assert listed.status_code == 200
    body = listed.json()
    assert body["meta"]["total"] == 1
    assert body["data"][0]["id"] == shown["id"] and "key" not in body["data"][0]
    assert key not in listed.text
    stored = await session.get(ApiKey, uuid.UUID(shown["id"]))
    assert stored is not None and key not in (stored.key_hash, stored.prefix)


@pytest.mark.parametrize(
    "body",
    [
        {"scopes": ["events:read"]},
        {"name": "x", "scopes": []},
        {"name": "x", "scopes": ["events:delete"]},
        {"name": "x", "scopes": "events:read"},
        {"name": "", "scopes": ["events:read"]},
        {"name": "x", "scopes": ["events:read"], "expiresAt": "yesterday"},
        {"name": "x", "scopes": ["events:read"], "unknown": 1},
    ],
)
async def test_bad_key_requests(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, body: dict[str, object]
) -> None:
    shop = await make_shop(session, context)
    response = await client.post(
        f"/organizations/{shop.org.id}/api-keys", json=body, headers=shop.staff_headers
    )
    assert response.status_code == 422, response.text


async def test_expiry_in_the_past_refused(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    past = (utcnow() - timedelta(minutes=1)).isoformat()
    response = await client.post(
        f"/organizations/{shop.org.id}/api-keys",
        json={"name": "x", "scopes": ["events:read"], "expiresAt": past},
        headers=shop.staff_headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "expiresAt"


async def test_only_owners_and_admins_manage_keys(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    member = await create_user(session, context, role=Role.PROMOTER)
    admin_member = await create_user(session, context, role=Role.PROMOTER)
    stranger = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(
        session, owner=owner, members={member: MemberRole.MEMBER, admin_member: MemberRole.ADMIN}
    )
    path = f"/organizations/{org.id}/api-keys"
    body = {"name": "x", "scopes": ["events:read"]}
    assert (await client.post(path, json=body, headers=auth(context, member))).status_code == 403
    assert (await client.get(path, headers=auth(context, member))).status_code == 403
    assert (await client.post(path, json=body, headers=auth(context, stranger))).status_code == 404
    assert (await client.get(path, headers=auth(context, stranger))).status_code == 404
    assert (await client.post(path, json=body, headers=auth(context, admin_member))).status_code == 201
    assert (
        await client.post(f"/organizations/{uuid.uuid4()}/api-keys", json=body, headers=auth(context, owner))
    ).status_code == 404
    assert (await client.post(path, json=body)).status_code == 401


def _requests(shop: Shop) -> dict[str, tuple[str, str, dict[str, object] | None]]:
    """One request per scope that needs exactly that scope."""
    return {
        "events:read": ("GET", f"/events/{shop.event.id}", None),
        "events:write": ("PUT", f"/events/{shop.event.id}", {"description": "Updated by an API key"}),
        "orders:read": ("GET", "/orders", None),
        "orders:write": ("POST", "/orders", order_body(shop)),
        "checkin": ("GET", "/scanners", None),
        "analytics:read": ("GET", "/analytics/subscriptions", None),
    }


@pytest.mark.parametrize("scope", ALL_SCOPES)
async def test_every_scope_is_enforced(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, scope: str
) -> None:
    shop = await make_shop(session, context)
    method, path, body = _requests(shop)[scope]
    with_scope, _ = await create_key(client, shop.staff_headers, shop.org.id, [scope])
    others = [s for s in ALL_SCOPES if s != scope]
    without, _ = await create_key(client, shop.staff_headers, shop.org.id, others)
    allowed = await client.request(method, path, json=body, headers=bearer(with_scope))
    assert allowed.status_code in (200, 201), allowed.text
    assert allowed.headers["RateLimit-Limit"] == str(context.settings.api_key_rate_limit_per_minute)
    refused = await client.request(method, path, json=body, headers=bearer(without))
    assert refused.status_code == 403, refused.text
    assert scope in refused.json()["detail"] and refused.json()["missingScope"] == scope


async def test_key_acts_for_its_organization_only(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    mine = await make_shop(session, context)
    theirs = await make_shop(session, context)
    key, _ = await create_key(client, mine.staff_headers, mine.org.id, ALL_SCOPES)
    draft_theirs = await client.put(
        f"/events/{theirs.event.id}", json={"description": "hijack"}, headers=bearer(key)
    )
    assert draft_theirs.status_code in (403, 404)
    assert (
        await client.get(f"/organizations/{theirs.org.id}/webhooks", headers=bearer(key))
    ).status_code == 403
    # Keys cannot manage keys (nor anything outside the scoped areas), even their own organization's.
    response = await client.post(
        f"/organizations/{mine.org.id}/api-keys",
        json={"name": "x", "scopes": ALL_SCOPES},
        headers=bearer(key),
    )
    assert response.status_code == 403


async def test_revoked_and_expired_keys_fail_at_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    key, shown = await create_key(client, shop.staff_headers, shop.org.id, ["events:read"])
    path = f"/events/{shop.event.id}"
    assert (await client.get(path, headers=bearer(key))).status_code == 200
    revoked = await client.delete(
        f"/organizations/{shop.org.id}/api-keys/{shown['id']}", headers=shop.staff_headers
    )
    assert revoked.status_code == 204
    assert (await client.get(path, headers=bearer(key))).status_code == 401
    again = await client.delete(
        f"/organizations/{shop.org.id}/api-keys/{shown['id']}", headers=shop.staff_headers
    )
    assert again.status_code == 404
    listed = await client.get(f"/organizations/{shop.org.id}/api-keys", headers=shop.staff_headers)
    assert listed.json()["meta"]["total"] == 0

    expiring, shown2 = await create_key(
        client,
        shop.staff_headers,
        shop.org.id,
        ["events:read"],
        expiresAt=(utcnow() + timedelta(hours=1)).isoformat(),
    )
    assert (await client.get(path, headers=bearer(expiring))).status_code == 200
    await session.execute(
        update(ApiKey)
        .where(ApiKey.id == uuid.UUID(shown2["id"]))
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()
    response = await client.get(path, headers=bearer(expiring))
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    forged = await client.get(path, headers=bearer("tixmo_test_" + "A" * 43))
    assert forged.status_code == 401


async def test_other_organizations_key_cannot_be_revoked(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    mine = await make_shop(session, context)
    theirs = await make_shop(session, context)
    _, shown = await create_key(client, theirs.staff_headers, theirs.org.id, ["events:read"])
    response = await client.delete(
        f"/organizations/{mine.org.id}/api-keys/{shown['id']}", headers=mine.staff_headers
    )
    assert response.status_code == 404


async def test_last_used_is_written_at_most_once_a_minute(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    key, shown = await create_key(client, shop.staff_headers, shop.org.id, ["events:read"])
    event_path, keys_path = f"/events/{shop.event.id}", f"/organizations/{shop.org.id}/api-keys"
    for _ in range(3):
        assert (await client.get(event_path, headers=bearer(key))).status_code == 200
    stored = await session.get(ApiKey, uuid.UUID(shown["id"]))
    assert stored is not None and stored.last_used_at is not None
    first = stored.last_used_at
    assert first > utcnow() - timedelta(minutes=1)
    # Two more uses in the same minute do not move it.
    for _ in range(2):
        await client.get(event_path, headers=bearer(key))
    session.expire_all()
    stored = await session.get(ApiKey, uuid.UUID(shown["id"]))
    assert stored is not None and stored.last_used_at == first
    # A minute later the next use moves it.
    await session.execute(
        update(ApiKey)
        .where(ApiKey.id == uuid.UUID(shown["id"]))
        .values(last_used_at=first - timedelta(minutes=2))
    )
    await session.commit()
    await client.get(event_path, headers=bearer(key))
    session.expire_all()
    stored = await session.get(ApiKey, uuid.UUID(shown["id"]))
    assert (
        stored is not None
        and stored.last_used_at is not None
        and stored.last_used_at > first - timedelta(minutes=1)
    )
    listed = (await client.get(keys_path, headers=shop.staff_headers)).json()
    assert listed["data"][0]["lastUsedAt"] is not None


async def test_tiers_answer_429_and_only_admins_set_them(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    admin = await create_user(session, context, role=Role.ADMIN)
    key, shown = await create_key(client, shop.staff_headers, shop.org.id, ["events:read"])
    tier_path = f"/organizations/{shop.org.id}/api-keys/{shown['id']}/tier"
    by_owner = await client.put(tier_path, json={"rateLimitPerMinute": 3}, headers=shop.staff_headers)
    assert by_owner.status_code == 403
    bad = await client.put(tier_path, json={"rateLimitPerMinute": 0}, headers=auth(context, admin))
    assert bad.status_code == 422
    response = await client.put(tier_path, json={"rateLimitPerMinute": 3}, headers=auth(context, admin))
    assert response.status_code == 200 and response.json()["rateLimitPerMinute"] == 3
    answers = [await client.get(f"/events/{shop.event.id}", headers=bearer(key)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert all(a.headers["RateLimit-Limit"] == "3" for a in answers)
    assert int(answers[3].headers["Retry-After"]) >= 1
    assert 0 < int(answers[3].headers["RateLimit-Reset"]) <= 60
    # The limit is the key's: another key of the same organization is not held back.
    other, _ = await create_key(client, shop.staff_headers, shop.org.id, ["events:read"])
    assert (await client.get(f"/events/{shop.event.id}", headers=bearer(other))).status_code == 200


async def test_concurrent_requests_never_exceed_the_tier(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    key, shown = await create_key(client, shop.staff_headers, shop.org.id, ["events:read"])
    await session.execute(
        update(ApiKey).where(ApiKey.id == uuid.UUID(shown["id"])).values(rate_limit_per_minute=10)
    )
    await session.commit()
    answers = await asyncio.gather(
        *(client.get(f"/events/{shop.event.id}", headers=bearer(key)) for _ in range(25))
    )
    codes = sorted(a.status_code for a in answers)
    assert codes.count(200) == 10 and codes.count(429) == 15

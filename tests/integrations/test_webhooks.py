"""Outgoing webhooks against a real local HTTP receiver: emission in the changing transaction, signature,
retries with backoff after 500s and timeouts, 410 disabling, redelivery, secret rotation, the API."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_settings
from tests.factories import auth, create_user
from tests.integrations.helpers import deliveries, receiving, verify
from tests.orders.helpers import Shop, make_shop
from tixmo import jobs, outbox
from tixmo.accounts.models import Role
from tixmo.config import Settings
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.integrations import webhooks
from tixmo.integrations.models import OutgoingEvent, WebhookEndpoint


@pytest.fixture
def hook_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, webhook_allow_private=True, webhook_timeout_seconds=1)


async def make_endpoint(
    client: httpx.AsyncClient, shop: Shop, session: AsyncSession, url: str, events: list[str]
) -> tuple[str, str]:
    """An endpoint made through the API (a public-looking URL), then pointed at the local receiver
    (the app under test refuses private addresses, as production does)."""
    response = await client.post(
        f"/organizations/{shop.org.id}/webhooks",
        json={"url": "https://hooks.example.com/tixmo", "events": events, "description": "CRM"},
        headers=shop.staff_headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["secret"].startswith("whsec_")
    await session.execute(
        update(WebhookEndpoint).where(WebhookEndpoint.id == uuid.UUID(body["webhook"]["id"])).values(url=url)
    )
    await session.commit()
    return body["webhook"]["id"], body["secret"]


async def update_event(client: httpx.AsyncClient, shop: Shop, description: str) -> None:
    response = await client.put(
        f"/events/{shop.event.id}", json={"description": description}, headers=shop.staff_headers
    )
    assert response.status_code == 200, response.text


async def deliver_pending(
    context: AppContext, settings: Settings, session: AsyncSession, endpoint_id: str
) -> list[str]:
    outcomes = []
    for delivery in await deliveries(session, endpoint_id):
        if delivery.status == "PENDING":
            outcomes.append(await webhooks.deliver(context.database.sessionmaker, settings, delivery.id))
    return outcomes


async def test_a_change_is_delivered_signed(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, hook_settings: Settings
) -> None:
    shop = await make_shop(session, context)
    org_id, event_id = str(shop.org.id), str(shop.event.id)
    async with receiving() as receiver:
        endpoint_id, secret = await make_endpoint(client, shop, session, receiver.url, ["event.updated"])
        await update_event(client, shop, "Now with a horn section")
        # The job was queued by the same transaction; a real worker runs it.
        queued = await session.scalar(
            text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t"),
            {"t": outbox.DELIVER_WEBHOOK},
        )
        assert queued == 1
        await jobs.run_worker(
            context.database, settings=hook_settings, wait=False, install_signal_handlers=False
        )
        assert len(receiver.received) == 1
        got = receiver.received[0]
        payload = json.loads(got.body)
        assert payload["type"] == "event.updated" and payload["organizationId"] == org_id
        assert (
            payload["data"]["eventId"] == event_id
            and payload["data"]["description"] == "Now with a horn section"
        )
        assert set(payload) == {"id", "type", "createdAt", "organizationId", "data"}
        assert got.headers["TixMo-Event-Id"] == payload["id"]
        assert verify(secret, got.headers["TixMo-Signature"], got.body)
        assert not verify("whsec_wrong", got.headers["TixMo-Signature"], got.body)
        assert not verify(secret, got.headers["TixMo-Signature"], got.body + b" ")
        timestamp = int(got.headers["TixMo-Signature"].split(",")[0].removeprefix("t="))
        assert abs(timestamp - utcnow().timestamp()) < 600
        log = await client.get(f"/webhooks/{endpoint_id}/deliveries", headers=shop.staff_headers)
        assert log.status_code == 200
        entry = log.json()["data"][0]
        assert entry["status"] == "DELIVERED" and entry["responseCode"] == 200 and entry["attempt"] == 1
        assert entry["eventId"] == payload["id"] and entry["type"] == "event.updated"
        assert entry["durationMs"] >= 0 and entry["responseExcerpt"] == "answered 200"


async def test_unsubscribed_types_and_rolled_back_changes_send_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    endpoint_id, _ = await make_endpoint(
        client, shop, session, "https://hooks.example.com/x", ["order.confirmed"]
    )
    await update_event(client, shop, "Not an order")
    assert await deliveries(session, endpoint_id) == []
    # A change rolled back takes its event and jobs with it.
    async with context.database.sessionmaker() as other:
        await outbox.emit(other, shop.org.id, "order.confirmed", {"orderId": str(uuid.uuid4())})
        assert len(await deliveries(other, endpoint_id)) == 1
        await other.rollback()
    assert await deliveries(session, endpoint_id) == []
    assert await session.scalar(select(func.count()).select_from(OutgoingEvent)) == 0
    assert await session.scalar(text("SELECT count(*) FROM procrastinate_jobs")) == 0


async def test_retries_after_500_and_timeouts_with_backoff(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, hook_settings: Settings
) -> None:
    shop = await make_shop(session, context)
    async with receiving() as receiver:
        endpoint_id, secret = await make_endpoint(client, shop, session, receiver.url, ["event.updated"])
        receiver.plan = [(500, 0.0), (200, 3.0)]  # a server error, then an answer after the 1 s timeout
        await update_event(client, shop, "Retry me")
        assert await deliver_pending(context, hook_settings, session, endpoint_id) == ["retrying"]
        rows = await deliveries(session, endpoint_id)
        assert [(r.attempt, r.status, r.response_code) for r in rows] == [
            (1, "FAILED", 500),
            (2, "PENDING", None),
        ]
        scheduled = await session.scalar(
            text("SELECT max(scheduled_at) FROM procrastinate_jobs WHERE args->>'delivery_id' = :id"),
            {"id": str(rows[1].id)},
        )
        assert scheduled is not None
        wait = (scheduled - rows[0].created_at).total_seconds()
        assert webhooks.RETRY_DELAYS_SECONDS[0] - 5 < wait < webhooks.RETRY_DELAYS_SECONDS[0] + 60
        assert await deliver_pending(context, hook_settings, session, endpoint_id) == ["retrying"]
        rows = await deliveries(session, endpoint_id)
        assert rows[1].status == "FAILED" and rows[1].error == "timeout" and rows[1].response_code is None
        assert await deliver_pending(context, hook_settings, session, endpoint_id) == ["delivered"]
        rows = await deliveries(session, endpoint_id)
        assert [r.status for r in rows] == ["FAILED", "FAILED", "DELIVERED"]
        ids = {r.headers["TixMo-Event-Id"] for r in receiver.received}
        assert len(ids) == 1 and len(receiver.received) == 3  # the same event id on every attempt
        assert all(verify(secret, r.headers["TixMo-Signature"], r.body) for r in receiver.received)
        assert len({r.body for r in receiver.received}) == 1
        # Running a finished delivery's job again sends nothing more.
        assert await webhooks.deliver(context.database.sessionmaker, hook_settings, rows[2].id) == "done"
        assert len(receiver.received) == 3


def test_backoff_spans_at_most_three_days() -> None:
    total = sum(webhooks.RETRY_DELAYS_SECONDS)
    assert 2 * 86400 < total <= 3 * 86400
    assert list(webhooks.RETRY_DELAYS_SECONDS) == sorted(webhooks.RETRY_DELAYS_SECONDS)


async def test_the_last_attempt_gives_up(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, hook_settings: Settings
) -> None:
    shop = await make_shop(session, context)
    async with receiving() as receiver:
        endpoint_id, _ = await make_endpoint(client, shop, session, receiver.url, ["event.updated"])
        receiver.plan = [(503, 0.0)] * webhooks.MAX_ATTEMPTS
        await update_event(client, shop, "Never")
        outcomes = []
        for _ in range(webhooks.MAX_ATTEMPTS):
            outcomes += await deliver_pending(context, hook_settings, session, endpoint_id)
        assert outcomes == ["retrying"] * (webhooks.MAX_ATTEMPTS - 1) + ["failed"]
        assert len(await deliveries(session, endpoint_id)) == webhooks.MAX_ATTEMPTS


async def test_410_disables_the_endpoint(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, hook_settings: Settings
) -> None:
    shop = await make_shop(session, context)
    async with receiving() as receiver:
        endpoint_id, _ = await make_endpoint(client, shop, session, receiver.url, ["event.updated"])
        receiver.plan = [(410, 0.0)]
        await update_event(client, shop, "Gone")
        assert await deliver_pending(context, hook_settings, session, endpoint_id) == ["disabled"]
        shown = (await client.get(f"/webhooks/{endpoint_id}", headers=shop.staff_headers)).json()
        assert shown["enabled"] is False and "410" in shown["disabledReason"]
        await update_event(client, shop, "Nobody listens")
        assert len(await deliveries(session, endpoint_id)) == 1  # nothing queued for a disabled endpoint
        again = await client.put(
            f"/webhooks/{endpoint_id}", json={"enabled": True}, headers=shop.staff_headers
        )
        assert again.json()["enabled"] is True and again.json()["disabledReason"] is None


async def test_redelivery_carries_the_same_event(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, hook_settings: Settings
) -> None:
    shop = await make_shop(session, context)
    other = await make_shop(session, context)
    async with receiving() as receiver:
        endpoint_id, secret = await make_endpoint(client, shop, session, receiver.url, ["event.updated"])
        await update_event(client, shop, "Once")
        await deliver_pending(context, hook_settings, session, endpoint_id)
        first = (await deliveries(session, endpoint_id))[0]
        path = f"/webhooks/{endpoint_id}/deliveries/{first.id}/redeliver"
        assert (await client.post(path, headers=other.staff_headers)).status_code == 404
        missing = f"/webhooks/{endpoint_id}/deliveries/{uuid.uuid4()}/redeliver"
        assert (await client.post(missing, headers=shop.staff_headers)).status_code == 404
        response = await client.post(path, headers=shop.staff_headers)
        assert response.status_code == 202, response.text
        assert response.json()["status"] == "PENDING" and response.json()["eventId"] == str(first.event_id)
        assert await deliver_pending(context, hook_settings, session, endpoint_id) == ["delivered"]
        assert len(receiver.received) == 2
        assert receiver.received[0].body == receiver.received[1].body
        assert (
            receiver.received[0].headers["TixMo-Event-Id"] == receiver.received[1].headers["TixMo-Event-Id"]
        )
        assert verify(secret, receiver.received[1].headers["TixMo-Signature"], receiver.received[1].body)


async def test_rotation_signs_with_both_secrets_during_the_overlap(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, hook_settings: Settings
) -> None:
    shop = await make_shop(session, context)
    async with receiving() as receiver:
        endpoint_id, old = await make_endpoint(client, shop, session, receiver.url, ["event.updated"])
        rotated = await client.post(f"/webhooks/{endpoint_id}/rotate-secret", headers=shop.staff_headers)
        assert rotated.status_code == 200
        new = rotated.json()["secret"]
        assert new != old and new.startswith("whsec_")
        assert rotated.json()["webhook"]["previousSecretExpiresAt"] is not None
        await update_event(client, shop, "Both")
        await deliver_pending(context, hook_settings, session, endpoint_id)
        got = receiver.received[-1]
        assert got.headers["TixMo-Signature"].count("v1=") == 2
        assert verify(new, got.headers["TixMo-Signature"], got.body)
        assert verify(old, got.headers["TixMo-Signature"], got.body)
        # After the overlap only the new secret signs.
        await session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == uuid.UUID(endpoint_id))
            .values(previous_secret_expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
        await update_event(client, shop, "Only new")
        await deliver_pending(context, hook_settings, session, endpoint_id)
        got = receiver.received[-1]
        assert got.headers["TixMo-Signature"].count("v1=") == 1
        assert verify(new, got.headers["TixMo-Signature"], got.body)
        assert not verify(old, got.headers["TixMo-Signature"], got.body)


async def test_endpoint_api_crud_validation_and_scoping(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    other = await make_shop(session, context)
    member = await create_user(session, context, role=Role.PROMOTER)
    base = f"/organizations/{shop.org.id}/webhooks"
    good = {"url": "https://hooks.example.com/a", "events": ["order.confirmed", "ticket.checked_in"]}
    created = await client.post(base, json=good, headers=shop.staff_headers)
    assert created.status_code == 201
    hook = created.json()["webhook"]
    assert hook["enabled"] is True and hook["events"] == ["order.confirmed", "ticket.checked_in"]
    assert "secret" not in hook
    for bad, field in [
        ({**good, "url": "ftp://hooks.example.com/a"}, "url"),
        ({**good, "url": "not a url"}, "url"),
        ({**good, "url": "http://127.0.0.1/x"}, "url"),
        ({**good, "url": "http://169.254.169.254/latest/meta-data"}, "url"),
        ({**good, "url": "http://[::1]/x"}, "url"),
        ({**good, "events": ["order.exploded"]}, "events.0"),
        ({**good, "events": []}, "events"),
        ({"url": good["url"]}, "events"),
        ({**good, "enabled": "maybe"}, "enabled"),
    ]:
        response = await client.post(base, json=bad, headers=shop.staff_headers)
        assert response.status_code == 422, (bad, response.text)
        assert any(e["field"].startswith(field) for e in response.json()["errors"]), response.text
    listed = await client.get(base, headers=shop.staff_headers)
    assert listed.json()["meta"]["total"] == 1 and listed.json()["data"][0]["id"] == hook["id"]
    assert (await client.get(base, headers=other.staff_headers)).status_code == 404
    assert (await client.get(f"/webhooks/{hook['id']}", headers=other.staff_headers)).status_code == 404
    assert (await client.get(f"/webhooks/{hook['id']}", headers=auth(context, member))).status_code == 404
    assert (
        await client.put(f"/webhooks/{hook['id']}", json={"enabled": False}, headers=other.staff_headers)
    ).status_code == 404
    assert (await client.get(f"/webhooks/{uuid.uuid4()}", headers=shop.staff_headers)).status_code == 404
    updated = await client.put(
        f"/webhooks/{hook['id']}",
        json={"events": ["event.published"], "description": "x"},
        headers=shop.staff_headers,
    )
    assert updated.status_code == 200 and updated.json()["events"] == ["event.published"]
    bad_update = await client.put(
        f"/webhooks/{hook['id']}", json={"events": ["nope"]}, headers=shop.staff_headers
    )
    assert bad_update.status_code == 422
    assert (await client.delete(f"/webhooks/{hook['id']}", headers=other.staff_headers)).status_code == 404
    assert (await client.delete(f"/webhooks/{hook['id']}", headers=shop.staff_headers)).status_code == 204
    assert (await client.get(f"/webhooks/{hook['id']}", headers=shop.staff_headers)).status_code == 404

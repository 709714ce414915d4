"""Deleting an organization: refused while it has events that are not cancelled or completed, safe
against an event created at the same moment, and its scanner devices stop working at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import make_shop, register, scan
from tests.factories import auth, create_event, create_organization, create_user
from tests.problems import assert_problem
from tixmo.accounts.models import Role
from tixmo.db import libpq_conninfo
from tixmo.deps import AppContext
from tixmo.events.models import Event


async def test_an_organization_with_live_events_is_not_deleted_until_they_end(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner)
    headers = auth(context, owner)
    draft = await create_event(session, organization=org, name="Draft night")
    published = await create_event(session, organization=org, name="Big show", status="PUBLISHED")
    await create_event(session, organization=org, name="Old show", status="COMPLETED")
    await create_event(session, organization=org, name="Called off", status="CANCELLED")

    answer = await client.delete(f"/organizations/{org.id}", headers=headers)
    refused = assert_problem(answer, 409, "CONFLICT")
    assert {(e["id"], e["name"], e["status"]) for e in refused["events"]} == {
        (str(draft.id), "Draft night", "DRAFT"),
        (str(published.id), "Big show", "PUBLISHED"),
    }
    assert "Big show" in refused["detail"] and "Draft night" in refused["detail"]
    assert (await client.get(f"/organizations/{org.id}", headers=headers)).status_code == 200

    for event in (draft, published):
        cancelled = await client.post(f"/events/{event.id}/cancel", headers=headers)
        assert cancelled.status_code == 200, cancelled.text
    deleted = await client.delete(f"/organizations/{org.id}", headers=headers)
    assert deleted.status_code == 204, deleted.text
    assert_problem(await client.get(f"/organizations/{org.id}", headers=headers), 404, "NOT_FOUND")


async def test_an_event_created_while_the_delete_waits_is_seen_by_it(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, database_url: str
) -> None:
    """The delete locks the organization row FOR UPDATE: an event insert (its foreign key holds a KEY
    SHARE lock on that row until it commits) makes the delete wait, then the delete sees the event."""
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner)
    starts = datetime.now(UTC) + timedelta(days=3)
    async with (
        context.database.sessionmaker() as creator,
        await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as watcher,
    ):
        event = Event(
            organization_id=org.id,
            name="Sneaky",
            category="CONCERT",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            timezone="UTC",
        )
        creator.add(event)
        await creator.flush()  # inserted, not committed
        delete = asyncio.create_task(client.delete(f"/organizations/{org.id}", headers=auth(context, owner)))
        waiting = asyncio.create_task(_until_waiting(watcher))
        async with asyncio.timeout(60):  # a guard against a hang, not a timing assertion
            await asyncio.wait({delete, waiting}, return_when=asyncio.FIRST_COMPLETED)
        if delete.done():
            waiting.cancel()
            # Without the lock the delete does not wait for the insert: it answers at once, unaware of it.
            raise AssertionError(f"the delete did not wait for the event insert: {delete.result().text}")
        await waiting
        await creator.commit()
        answer = await delete
    body = assert_problem(answer, 409, "CONFLICT")
    assert [(e["id"], e["name"]) for e in body["events"]] == [(str(event.id), "Sneaky")]


async def _until_waiting(watcher: psycopg.AsyncConnection[tuple[Any, ...]]) -> None:
    """Until a backend of this database waits on a lock (no sleeping)."""
    while True:
        cursor = await watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        row = await cursor.fetchone()
        if row is not None and row[0] >= 1:
            return


async def test_an_event_created_while_the_delete_holds_the_organization_finds_it_gone(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, database_url: str
) -> None:
    """The other way round: the delete holds the organization row (FOR UPDATE, as it does) when an event
    is created: the create waits for it (it reads the organization FOR KEY SHARE), then finds the
    organization deleted — 404, no event in a deleted organization."""
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner)
    starts = datetime.now(UTC) + timedelta(days=3)
    body = {
        "organizationId": str(org.id),
        "name": "Late",
        "category": "CONCERT",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=2)).isoformat(),
    }
    async with (
        await psycopg.AsyncConnection.connect(libpq_conninfo(database_url)) as deleter,
        await psycopg.AsyncConnection.connect(libpq_conninfo(database_url), autocommit=True) as watcher,
    ):
        await deleter.execute("SELECT id FROM organizations WHERE id = %s FOR UPDATE", (org.id,))
        await deleter.execute("UPDATE organizations SET deleted_at = now() WHERE id = %s", (org.id,))
        create = asyncio.create_task(client.post("/events", json=body, headers=auth(context, owner)))
        waiting = asyncio.create_task(_until_waiting(watcher))
        async with asyncio.timeout(60):  # a guard against a hang, not a timing assertion
            await asyncio.wait({create, waiting}, return_when=asyncio.FIRST_COMPLETED)
        if create.done():
            waiting.cancel()
            raise AssertionError(f"the create did not wait for the delete: {create.result().text}")
        await waiting
        await deleter.commit()
        answer = await create
    assert_problem(answer, 404, "NOT_FOUND")
    count = await session.scalar(
        select(func.count()).select_from(Event).where(Event.organization_id == org.id)
    )
    assert count == 0


async def test_scanners_of_a_deleted_organization_stop_working_at_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    gate = await register(client, shop)
    await session.execute(update(Event).where(Event.id == shop.event.id).values(status="COMPLETED"))
    await session.commit()
    # Before: the key and the token work (the event is over, so the scan itself is INVALID).
    assert (await scan(client, gate, "NOPE"))["status"] == "INVALID"
    assert (await client.post("/scanners/auth", json={"apiKey": gate.api_key})).status_code == 200

    deleted = await client.delete(f"/organizations/{shop.org.id}", headers=shop.staff_headers)
    assert deleted.status_code == 204, deleted.text

    scanned = await client.post(
        "/scanners/scan", json={"barcode": "NOPE", "direction": "ENTRY"}, headers=gate.headers
    )
    assert_problem(scanned, 401, "UNAUTHORIZED")
    assert_problem(await client.get("/scanners/sync", headers=gate.headers), 401, "UNAUTHORIZED")
    assert_problem(
        await client.post("/scanners/sync", json={"scans": []}, headers=gate.headers), 401, "UNAUTHORIZED"
    )
    assert_problem(await client.post("/scanners/auth", json={"apiKey": gate.api_key}), 401, "UNAUTHORIZED")

"""Event page views (counted in memory, written in batches) and the funnel views → orders → paid."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.dataset import World
from tests.analytics.helpers import report
from tests.factories import auth, create_event, create_organization, create_user
from tixmo.accounts.models import Role
from tixmo.analytics import pageviews
from tixmo.analytics.models import PageViewCount
from tixmo.analytics.pageviews import PageViewCounter
from tixmo.config import Settings
from tixmo.db import create_database
from tixmo.deps import AppContext
from tixmo.events.models import Event


@contextmanager
def statements(context: AppContext) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends while the block runs."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = context.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def views(session: AsyncSession, event_id: uuid.UUID) -> dict[str, int]:
    rows = await session.execute(
        select(PageViewCount.day, PageViewCount.views).where(PageViewCount.event_id == event_id)
    )
    result = {day.isoformat(): int(count) for day, count in rows.all()}
    await session.commit()
    return result


async def test_a_page_read_is_counted_without_a_round_trip(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    e1 = world.events["E1"]
    # A counter of this test's own: the app's background task flushes the process's counter every few
    # seconds, and would empty it under the assertions below.
    monkeypatch.setattr(pageviews, "counter", PageViewCounter())
    with statements(context) as sent:
        for _ in range(3):
            assert (await client.get(f"/events/{e1}")).status_code == 200
    assert not [s for s in sent if "analytics" in s]  # counting wrote nothing, read nothing
    today = datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
    assert pageviews.counter.pending()[(e1, datetime.now(ZoneInfo("Europe/Berlin")).date())] == 3
    assert await views(session, e1) == {}
    assert await pageviews.counter.flush(context.database.sessionmaker) == 3
    assert await views(session, e1) == {today: 3}
    assert pageviews.counter.pending() == {}


async def test_a_get_modify_put_is_not_a_page_view(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PUT that sends read-only fields back reads the event as GET answers it: that is no page view."""
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner)
    shown = await create_event(session, organization=org, status="PUBLISHED")
    headers = auth(context, owner)
    monkeypatch.setattr(pageviews, "counter", PageViewCounter())
    read = await client.get(f"/events/{shown.id}", headers=headers)
    assert read.status_code == 200
    changed = await client.put(
        f"/events/{shown.id}", json={**read.json(), "description": "Now with strings."}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert sum(pageviews.counter.pending().values()) == 1  # the GET only


async def test_drafts_are_not_counted(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner)
    draft = await create_event(session, organization=org, status="DRAFT")
    counter = PageViewCounter()
    counter.record(draft)
    assert counter.pending() == {}


async def test_processes_add_up_and_never_deadlock(session: AsyncSession, context: AppContext) -> None:
    """Four API processes' counters, each with views of the same events and days recorded in a different
    order, written at once: the table holds the sum (the increments never overwrite each other)."""
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner)
    events = [
        await create_event(session, organization=org, status="PUBLISHED", name=f"E{i}") for i in range(6)
    ]
    moments = [datetime(2026, 6, 1, 12, tzinfo=UTC) + timedelta(days=d) for d in range(8)]
    counters = [PageViewCounter() for _ in range(4)]
    expected: dict[tuple[uuid.UUID, str], int] = {}
    rng = random.Random(7)
    for _ in range(3):  # several rounds: more chances for two batches to cross
        for counter in counters:
            pairs = [(e, m) for e in events for m in moments] * 2
            rng.shuffle(pairs)
            for evt, moment in pairs:
                counter.record(evt, moment)
                key = (evt.id, moment.date().isoformat())
                expected[key] = expected.get(key, 0) + 1
        written = await asyncio.gather(*(c.flush(context.database.sessionmaker) for c in counters))
        assert written == [len(events) * len(moments) * 2] * len(counters)
    rows = await session.execute(select(PageViewCount.event_id, PageViewCount.day, PageViewCount.views))
    assert {(e, d.isoformat()): v for e, d, v in rows.all()} == expected
    await session.commit()


async def test_a_failed_batch_is_kept_and_a_deleted_event_dropped(
    session: AsyncSession, context: AppContext, settings: Settings
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner)
    kept = await create_event(session, organization=org, status="PUBLISHED")
    gone = await create_event(session, organization=org, status="PUBLISHED")
    counter = PageViewCounter()
    counter.record(kept)
    counter.record(gone)
    # The database is unreachable: the batch fails and the counts stay.
    unreachable = create_database("postgresql://nobody@127.0.0.1:1/none", settings)
    with pytest.raises(OSError):
        await counter.flush(unreachable.sessionmaker)
    await unreachable.dispose()
    assert sum(counter.pending().values()) == 2
    await session.execute(text("DELETE FROM events WHERE id = :id"), {"id": gone.id})
    await session.commit()
    assert await counter.flush(context.database.sessionmaker) == 2
    assert sum((await views(session, kept.id)).values()) == 1
    assert await views(session, gone.id) == {}


async def test_the_lifespan_writes_what_is_left_at_shutdown(
    session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner)
    evt = await create_event(session, organization=org, status="PUBLISHED")
    app: Any = SimpleNamespace(state=SimpleNamespace(context=context))
    async with pageviews.lifespan(app):
        pageviews.counter.record(evt)
        pageviews.counter.record(evt)
    assert sum((await views(session, evt.id)).values()) == 2


async def test_funnel(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, world: World
) -> None:
    e1, e2 = world.events["E1"], world.events["E2"]
    await session.execute(
        text(
            "UPDATE events SET starts_at = now() + interval '30 days', ends_at = now() + interval '31 days' "
            "WHERE id = :id"  # on sale again
        ),
        {"id": e2},
    )
    await session.commit()
    await pageviews.counter.flush(context.database.sessionmaker)
    for event_id, reads in ((e1, 5), (e2, 4)):
        for _ in range(reads):
            assert (await client.get(f"/events/{event_id}")).status_code == 200
    await pageviews.counter.flush(context.database.sessionmaker)
    # Today: two orders placed for E1 (one paid), one for E2 (not paid).
    alice, bob = world.headers["alice"], world.headers["bob"]
    tt1, tt3 = world.ticket_types["T1"], world.ticket_types["T3"]
    placed = []
    for headers, event_id, type_id in ((alice, e1, tt1), (bob, e1, tt1), (bob, e2, tt3)):
        body = {"eventId": str(event_id), "items": [{"ticketTypeId": str(type_id), "quantity": 1}]}
        response = await client.post("/orders", json=body, headers=headers)
        assert response.status_code == 201, response.text
        placed.append(response.json()["id"])
    assert (await client.post(f"/orders/{placed[0]}/confirm", headers=alice)).status_code == 200
    now = datetime.now(UTC)
    query = {
        "organizationId": str(world.orgs["A"]),
        "from": (now - timedelta(days=2)).isoformat(),
        "to": (now + timedelta(days=2)).isoformat(),
    }
    body = await report(client, "funnel", world.headers["a_staff"], query)
    assert body["viewsLagSeconds"] == context.settings.page_view_flush_seconds
    assert {k: body["totals"][k] for k in ("views", "orderStarts", "paidOrders")} == {
        "views": 9,
        "orderStarts": 3,
        "paidOrders": 1,
    }
    assert body["totals"]["viewToPaid"] == round(1 / 9, 4)
    by_event = {row["eventId"]: row for row in body["byEvent"]}
    assert (
        by_event[str(e1)]["views"],
        by_event[str(e1)]["orderStarts"],
        by_event[str(e1)]["paidOrders"],
    ) == (5, 2, 1)
    assert by_event[str(e1)]["startToPaid"] == 0.5
    assert (
        by_event[str(e2)]["views"],
        by_event[str(e2)]["orderStarts"],
        by_event[str(e2)]["paidOrders"],
    ) == (4, 1, 0)
    assert sum(day["views"] for day in body["byDay"]) == 9
    # The March range of the data set: no views then, the orders placed then.
    march = await report(
        client,
        "funnel",
        world.headers["a_staff"],
        {
            "organizationId": str(world.orgs["A"]),
            "from": "2026-03-01T00:00:00Z",
            "to": "2026-04-01T00:00:00Z",
        },
    )
    assert march["totals"]["views"] == 0
    assert march["totals"]["orderStarts"] == len(
        [o for o in world.orders.values() if o.plan.event != "E3" and o.plan.created.month == 3]
    )
    assert (await session.scalar(select(func.count()).select_from(Event))) == 3
    await session.commit()

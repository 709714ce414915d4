"""The event state machine: publish, cancel, completion (service, periodic task and a real worker)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.events.helpers import Tenant, assert_problem, make_tenant
from tests.factories import create_event, create_ticket_type, create_venue
from tixmo import jobs, signals
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext
from tixmo.errors import InvalidState
from tixmo.events import service
from tixmo.events.models import Event, EventStatus
from tixmo.events.signals import EventCancelled

COMPLETE_TASK = "events.complete_ended_events"


@pytest.fixture
async def tenant(session: AsyncSession, context: AppContext) -> Tenant:
    return await make_tenant(session, context)


async def _audit(session: AsyncSession, event: Event) -> list[tuple[str, str, object, object]]:
    entries = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_id == event.id, AuditEntry.action != "event.created")
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    return [(e.action, e.actor_type, e.before, e.after) for e in entries]


# ------------------------------------------------------------------------------------------ publish


async def test_publish_a_draft_with_a_ticket_type(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    event = await create_event(session, organization=tenant.org)
    await create_ticket_type(session, event=event)
    assert (await client.get("/events")).json()["meta"]["total"] == 0

    response = await client.post(f"/events/{event.id}/publish", headers=tenant.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "PUBLISHED"
    assert body["publishedAt"] is not None and body["publishedAt"].endswith("Z")
    assert (await client.get("/events")).json()["meta"]["total"] == 1
    assert await _audit(session, event) == [
        ("event.published", "user", {"status": "DRAFT"}, {"status": "PUBLISHED"})
    ]
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "event.published"))
    assert entry is not None
    assert (entry.actor_id, entry.organization_id) == (tenant.user.id, tenant.org.id)


async def test_publish_without_a_ticket_type_is_invalid_state(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    event = await create_event(session, organization=tenant.org)
    assert_problem(
        await client.post(f"/events/{event.id}/publish", headers=tenant.headers), 409, "INVALID_STATE"
    )
    await session.refresh(event)
    assert event.status == "DRAFT"


async def test_publish_an_event_that_already_started_is_invalid_state(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    event = await create_event(session, organization=tenant.org, starts_at=past)
    await create_ticket_type(session, event=event)
    assert_problem(
        await client.post(f"/events/{event.id}/publish", headers=tenant.headers), 409, "INVALID_STATE"
    )


async def test_publish_refuses_more_tickets_than_capacity(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant
) -> None:
    venue = await create_venue(session, organization=tenant.org, capacity=100)
    by_venue = await create_event(session, organization=tenant.org, venue=venue)
    await create_ticket_type(session, event=by_venue, quantity_total=60)
    await create_ticket_type(session, event=by_venue, quantity_total=41)
    assert_problem(
        await client.post(f"/events/{by_venue.id}/publish", headers=tenant.headers), 409, "INVALID_STATE"
    )

    by_event = await create_event(session, organization=tenant.org, venue=venue, capacity=50)
    await create_ticket_type(session, event=by_event, quantity_total=51)
    assert_problem(
        await client.post(f"/events/{by_event.id}/publish", headers=tenant.headers), 409, "INVALID_STATE"
    )

    exact = await create_event(session, organization=tenant.org, venue=venue, capacity=50)
    await create_ticket_type(session, event=exact, quantity_total=50)
    assert (await client.post(f"/events/{exact.id}/publish", headers=tenant.headers)).status_code == 200

    unbounded = await create_event(session, organization=tenant.org)
    await create_ticket_type(session, event=unbounded, quantity_total=100_000)
    assert (await client.post(f"/events/{unbounded.id}/publish", headers=tenant.headers)).status_code == 200


@pytest.mark.parametrize("status", ["PUBLISHED", "CANCELLED", "COMPLETED"])
async def test_publish_from_any_other_state_is_invalid_state(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant, status: str
) -> None:
    event = await create_event(session, organization=tenant.org, status=status)
    await create_ticket_type(session, event=event)
    assert_problem(
        await client.post(f"/events/{event.id}/publish", headers=tenant.headers), 409, "INVALID_STATE"
    )
    await session.refresh(event)
    assert event.status == status


# ------------------------------------------------------------------------------------------- cancel


@pytest.mark.parametrize("status", ["DRAFT", "PUBLISHED"])
async def test_cancel_a_draft_or_published_event(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tenant: Tenant,
    status: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = await create_event(session, organization=tenant.org, status=status)
    seen: list[tuple[str, str]] = []

    async def spy(session_: AsyncSession, cancelled: EventCancelled) -> None:
        seen.append((str(cancelled.event.id), cancelled.event.status))

    monkeypatch.setitem(signals._handlers, EventCancelled, [spy])  # what reacts to a cancellation
    response = await client.post(f"/events/{event.id}/cancel", headers=tenant.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "CANCELLED"
    assert body["cancelledAt"] is not None
    assert seen == [(str(event.id), "CANCELLED")]  # the hook ran once, after the transition
    assert await _audit(session, event) == [
        ("event.cancelled", "user", {"status": status}, {"status": "CANCELLED"})
    ]
    # a cancelled event stays readable by everyone
    assert (await client.get(f"/events/{event.id}")).json()["status"] == "CANCELLED"


@pytest.mark.parametrize("status", ["CANCELLED", "COMPLETED"])
async def test_cancel_from_a_final_state_is_invalid_state(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant, status: str
) -> None:
    event = await create_event(session, organization=tenant.org, status=status)
    assert_problem(
        await client.post(f"/events/{event.id}/cancel", headers=tenant.headers), 409, "INVALID_STATE"
    )
    assert await _audit(session, event) == []


async def test_a_failing_cancel_hook_rolls_the_cancellation_back(
    client: httpx.AsyncClient, session: AsyncSession, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = await create_event(session, organization=tenant.org, status="PUBLISHED")

    async def refuse(session_: AsyncSession, cancelled: EventCancelled) -> None:
        raise InvalidState("a refund failed")

    monkeypatch.setitem(signals._handlers, EventCancelled, [refuse])
    assert_problem(
        await client.post(f"/events/{event.id}/cancel", headers=tenant.headers), 409, "INVALID_STATE"
    )
    await session.refresh(event)
    assert (event.status, event.cancelled_at) == ("PUBLISHED", None)
    assert await _audit(session, event) == []


# -------------------------------------------------------------------------------- transition table


@pytest.mark.parametrize("source", list(EventStatus))
@pytest.mark.parametrize("target", [EventStatus.PUBLISHED, EventStatus.CANCELLED, EventStatus.COMPLETED])
async def test_transition_table(
    session: AsyncSession, tenant: Tenant, source: EventStatus, target: EventStatus
) -> None:
    allowed = {
        (EventStatus.DRAFT, EventStatus.PUBLISHED),
        (EventStatus.DRAFT, EventStatus.CANCELLED),
        (EventStatus.PUBLISHED, EventStatus.CANCELLED),
        (EventStatus.PUBLISHED, EventStatus.COMPLETED),
    }
    event = await create_event(session, organization=tenant.org, status=source.value)
    if (source, target) in allowed:
        await service.transition(session, event, target, actor_id=tenant.user.id)
        await session.commit()
        assert event.status == target.value
        assert await _audit(session, event) == [
            (f"event.{target.value.lower()}", "user", {"status": source.value}, {"status": target.value})
        ]
    else:
        with pytest.raises(InvalidState):
            await service.transition(session, event, target, actor_id=tenant.user.id)
        await session.rollback()
        await session.refresh(event)
        assert event.status == source.value
        assert await _audit(session, event) == []


# ---------------------------------------------------------------------------------------- completion


async def _ended_and_running(session: AsyncSession, tenant: Tenant) -> tuple[Event, Event, Event, Event]:
    now = datetime.now(UTC)
    ended = await create_event(
        session,
        organization=tenant.org,
        status="PUBLISHED",
        starts_at=now - timedelta(hours=5),
        ends_at=now - timedelta(minutes=1),
    )
    running = await create_event(
        session,
        organization=tenant.org,
        status="PUBLISHED",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    ended_draft = await create_event(
        session, organization=tenant.org, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1)
    )
    ended_cancelled = await create_event(
        session,
        organization=tenant.org,
        status="CANCELLED",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=1),
    )
    return ended, running, ended_draft, ended_cancelled


async def test_complete_ended_events_marks_only_published_events_that_ended(
    session: AsyncSession, tenant: Tenant
) -> None:
    ended, running, draft, cancelled = await _ended_and_running(session, tenant)
    assert await service.complete_ended_events(session) == 1
    await session.commit()
    for event in (ended, running, draft, cancelled):
        await session.refresh(event)
    assert (ended.status, running.status, draft.status, cancelled.status) == (
        "COMPLETED",
        "PUBLISHED",
        "DRAFT",
        "CANCELLED",
    )
    assert ended.completed_at is not None
    assert await _audit(session, ended) == [
        ("event.completed", "system", {"status": "PUBLISHED"}, {"status": "COMPLETED"})
    ]
    assert await service.complete_ended_events(session) == 0  # idempotent


async def test_a_real_worker_runs_the_completion_job(
    session: AsyncSession, context: AppContext, tenant: Tenant
) -> None:
    ended, running, _, _ = await _ended_and_running(session, tenant)
    await jobs.enqueue(session, COMPLETE_TASK)
    await session.commit()

    await jobs.run_worker(context.database, wait=False, install_signal_handlers=False)

    await session.refresh(ended)
    await session.refresh(running)
    assert (ended.status, running.status) == ("COMPLETED", "PUBLISHED")
    # The worker may also defer due periodic tasks (this one, the token purge, order expiry) and stop
    # before it runs the last of them: ours is the first job, it succeeded, and no job failed.
    rows = (
        await session.execute(text("SELECT task_name, status::text FROM procrastinate_jobs ORDER BY id"))
    ).all()
    assert (rows[0][0], rows[0][1]) == (COMPLETE_TASK, "succeeded")
    assert {row[1] for row in rows} <= {"succeeded", "todo"}
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "event.completed"))
    assert entry is not None
    assert (entry.actor_type, entry.actor_id, entry.organization_id) == ("system", None, tenant.org.id)


async def test_completion_is_a_periodic_task_every_five_minutes() -> None:
    app = jobs.load_tasks()
    assert COMPLETE_TASK in app.tasks
    crons = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert crons.get(COMPLETE_TASK) == "*/5 * * * *"

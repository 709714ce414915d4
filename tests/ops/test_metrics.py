"""GET /metrics: requests per route template, orders placed and refused, tickets sold, scans, emails,
the job queue and the database pool — counted after commits, with bounded labels — and its token."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tests.checkin.helpers import register, scan, tickets_for
from tests.conftest import make_settings
from tests.notifications.helpers import MailSink, run_worker
from tests.ops.helpers import parse, scrape, total, value
from tests.orders.helpers import make_buyer, make_shop, order_body, place, place_ok
from tests.problems import assert_problem
from tixmo import jobs, metrics
from tixmo.app import create_app
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.orders.tasks import EXPIRE_ORDERS

REQUESTS = "tixmo_http_requests_total"


async def test_requests_are_counted_per_route_template_never_per_id(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    ids = [uuid.uuid4() for _ in range(3)]
    for event_id in ids:
        assert (await client.get(f"/events/{event_id}")).status_code == 404
    # A path segment no UUID can contain (ids of other tests' events are labels of tickets sold).
    assert (await client.get("/no-such-thing/unrouted-path-xyz")).status_code == 404
    after_response = await client.get("http://testserver/metrics")
    after = parse(after_response.text)

    labels = {"method": "GET", "route": "/api/v1/events/{eventId}", "status": "404"}
    assert value(after, REQUESTS, **labels) - value(before, REQUESTS, **labels) == 3
    histogram = "tixmo_http_request_duration_seconds_count"
    assert value(after, histogram, **labels) - value(before, histogram, **labels) == 3
    unmatched = {"method": "GET", "route": metrics.UNMATCHED_ROUTE, "status": "404"}
    assert value(after, REQUESTS, **unmatched) - value(before, REQUESTS, **unmatched) == 1
    for event_id in ids:  # bounded labels: no id of a request's path becomes a label
        assert str(event_id) not in after_response.text
    assert "unrouted-path-xyz" not in after_response.text


async def test_orders_placed_refused_by_reason_and_tickets_sold_per_event(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=3)
    buyer = await make_buyer(session, context)
    before = await scrape(client)

    order = await place_ok(client, buyer, order_body(shop, 2))
    confirmed = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    sold_out = await place(client, buyer, order_body(shop, 2))
    assert sold_out.status_code == 409, sold_out.text
    wrong_type = await place(client, buyer, {"eventId": "not-a-uuid", "items": "many"})
    assert wrong_type.status_code == 422
    unknown_event = await place(client, buyer, {**order_body(shop, 1), "eventId": str(uuid.uuid4())})
    assert unknown_event.status_code in (404, 422)
    after = await scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("tixmo_orders_placed_total") == 1
    assert delta("tixmo_orders_refused_total", reason=sold_out.json()["code"]) == 1
    assert delta("tixmo_orders_refused_total", reason="VALIDATION_ERROR") >= 1
    assert total(after, "tixmo_orders_refused_total") - total(before, "tixmo_orders_refused_total") == 3
    assert delta("tixmo_tickets_sold_total", event_id=str(shop.event.id)) == 2


async def test_a_count_waits_for_the_commit_and_a_rollback_drops_it(context: AppContext) -> None:
    label = f"test-{uuid.uuid4().hex[:8]}"
    counter = metrics.SCANS.labels(status=label)
    async with context.database.sessionmaker() as db:
        await db.execute(text("SELECT 1"))
        metrics.count_after_commit(db, counter)
        assert counter._value.get() == 0  # not before the commit
        await db.rollback()
        await db.execute(text("SELECT 1"))
        await db.commit()
        assert counter._value.get() == 0  # the rolled-back count is gone, not carried to the next commit
        await db.execute(text("SELECT 1"))
        metrics.count_after_commit(db, counter, 2)
        await db.commit()
    assert counter._value.get() == 2


async def test_scans_by_status(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> None:
    shop = await make_shop(session, context)
    (ticket,) = await tickets_for(client, session, context, shop, 1)
    gate = await register(client, shop)
    before = await scrape(client)
    assert (await scan(client, gate, ticket["barcode"]))["status"] == "VALID"
    assert (await scan(client, gate, ticket["barcode"]))["status"] == "DUPLICATE"
    assert (await scan(client, gate, "TIX1.nothing.at.all", clientScanId="c-1"))["status"] == "INVALID"
    after = await scrape(client)
    for status in ("VALID", "DUPLICATE", "INVALID"):
        assert (
            value(after, "tixmo_scans_total", status=status)
            - value(before, "tixmo_scans_total", status=status)
            == 1
        ), status


async def test_email_outcomes(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tmp_path: Path
) -> None:
    from tests.notifications.helpers import smtp_settings, start_smtp

    controller, sink = start_smtp()
    try:
        shop = await make_shop(session, context)
        buyer = await make_buyer(session, context)
        await place_ok(client, buyer, order_body(shop, 1))
        order = (await client.get("/orders", headers=buyer.headers)).json()["data"][0]
        assert (await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)).status_code == 200
        before = await scrape(client)
        sink.refuse = 1  # the first message is refused for now (451): retried later
        await run_worker(context, smtp_settings(tmp_path, controller.port))
        async with context.database.sessionmaker() as db, db.begin():  # the retry is due now
            await db.execute(text("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE status = 'todo'"))
        await run_worker(context, smtp_settings(tmp_path, controller.port))
    finally:
        controller.stop()
    after = await scrape(client)
    assert isinstance(sink, MailSink) and sink.refused == 1

    def delta(outcome: str) -> float:
        return value(after, "tixmo_emails_total", outcome=outcome) - value(
            before, "tixmo_emails_total", outcome=outcome
        )

    assert delta("sent") == len(sink.received) == 1
    assert delta("retry") == 1
    assert delta("failed") == 0


async def test_job_queue_depth_and_age(client: httpx.AsyncClient, context: AppContext) -> None:
    async with context.database.sessionmaker() as db, db.begin():
        for _ in range(4):
            await jobs.enqueue(db, EXPIRE_ORDERS, queue="ops-test")
    async with context.database.sessionmaker() as db, db.begin():
        await db.execute(
            text(
                "UPDATE procrastinate_events SET at = now() - interval '10 minutes' WHERE job_id = "
                "(SELECT min(id) FROM procrastinate_jobs WHERE queue_name = 'ops-test')"
            )
        )
        await db.execute(
            text(
                "UPDATE procrastinate_jobs SET scheduled_at = now() + interval '1 hour' WHERE id = "
                "(SELECT max(id) FROM procrastinate_jobs WHERE queue_name = 'ops-test')"
            )
        )
    samples = await scrape(client)
    assert value(samples, "tixmo_job_queue_up") == 1
    assert value(samples, "tixmo_job_queue_depth", queue="ops-test", state="todo") == 3
    assert value(samples, "tixmo_job_queue_depth", queue="ops-test", state="scheduled") == 1
    assert 600 <= value(samples, "tixmo_job_queue_oldest_seconds", queue="ops-test") < 700


async def test_pool_in_use_and_waiting(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, db_pool_size=2, db_max_overflow=0)
    app = create_app(settings, database_url=database_url)
    engine = app.state.context.database.engine
    pool = engine.sync_engine.pool
    async with app.router.lifespan_context(app):
        first = await engine.connect()
        second = await engine.connect()

        async def take() -> AsyncConnection:
            return await engine.connect()

        third = asyncio.create_task(take())  # waits: the pool is full
        try:
            async with asyncio.timeout(10):
                while metrics.pool_status(pool) != (2, 1):  # noqa: ASYNC110 - polls the pool's state
                    await asyncio.sleep(0.01)
            metrics.record_pool(pool)
            assert metrics.DB_POOL_IN_USE._value.get() == 2
            assert metrics.DB_POOL_WAITING._value.get() == 1
        finally:
            await first.close()
            await (await third).close()
            await second.close()
        assert metrics.pool_status(pool) == (0, 0)


@pytest.fixture
async def guarded(database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings: Settings = make_settings(tmp_path, metrics_token="metrics-token-0123456789")
    app: FastAPI = create_app(settings, database_url=database_url)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http,
    ):
        yield http


async def test_metrics_token(guarded: httpx.AsyncClient) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Basic metrics-token-0123456789"},
        {"Authorization": "Bearer metrics-token-01234567890"},
    ):
        answer = await guarded.get("/metrics", headers=headers)
        assert_problem(answer, 401, "UNAUTHORIZED")
        assert "tixmo_" not in answer.text
    ok = await guarded.get("/metrics", headers={"Authorization": "Bearer metrics-token-0123456789"})
    assert ok.status_code == 200
    assert "tixmo_http_requests_total" in ok.text
    assert ok.headers["cache-control"] == "no-store"

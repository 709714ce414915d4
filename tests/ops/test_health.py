"""GET /api/v1/health/ready: database, migrations at head, job queue not stalled; details for staff only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_settings
from tests.factories import auth, create_user
from tixmo import jobs
from tixmo.accounts.models import Role
from tixmo.app import create_app
from tixmo.deps import AppContext
from tixmo.health import migration_heads
from tixmo.orders.tasks import EXPIRE_ORDERS

TOKEN = "metrics-token-0123456789"


@pytest.fixture
async def ops(database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """An app with a metrics token and a 60 s stalled-queue threshold."""
    settings = make_settings(tmp_path, metrics_token=TOKEN, health_job_stalled_seconds=60)
    app: FastAPI = create_app(settings, database_url=database_url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as http:
            yield http


async def _age_oldest_job(context: AppContext, minutes: int) -> None:
    async with context.database.sessionmaker() as db, db.begin():
        await jobs.enqueue(db, EXPIRE_ORDERS, queue="ops-health")
    async with context.database.sessionmaker() as db, db.begin():
        await db.execute(
            text(
                "UPDATE procrastinate_events SET at = now() - make_interval(mins => :m) "
                "WHERE job_id IN (SELECT id FROM procrastinate_jobs WHERE queue_name = 'ops-health')"
            ),
            {"m": minutes},
        )


async def test_ready_shows_outsiders_only_statuses(ops: httpx.AsyncClient) -> None:
    answer = await ops.get("/health/ready")
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert answer.json() == {
        "status": "ready",
        "checks": {"database": {"status": "ok"}, "migrations": {"status": "ok"}, "jobs": {"status": "ok"}},
    }
    for bad in ({"Authorization": "Bearer nope"}, {"Authorization": f"Basic {TOKEN}"}):
        assert "detail" not in str((await ops.get("/health/ready", headers=bad)).json())


async def test_ready_details_for_the_metrics_token_and_admins(
    ops: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    promoter = await create_user(session, context, role=Role.PROMOTER)
    for headers in ({"Authorization": f"Bearer {TOKEN}"}, auth(context, admin)):
        body = (await ops.get("/health/ready", headers=headers)).json()
        assert body["checks"]["migrations"]["detail"] == {
            "current": sorted(migration_heads()),
            "head": sorted(migration_heads()),
        }
        assert body["checks"]["jobs"]["detail"]["stalledAfterSeconds"] == 60
        assert "latencyMs" in body["checks"]["database"]["detail"]
    body = (await ops.get("/health/ready", headers=auth(context, promoter))).json()
    assert all("detail" not in check for check in body["checks"].values())


async def test_a_stalled_queue_makes_it_not_ready(ops: httpx.AsyncClient, context: AppContext) -> None:
    await _age_oldest_job(context, 0)
    assert (await ops.get("/health/ready")).status_code == 200  # a fresh job is not a stalled queue
    await _age_oldest_job(context, 5)
    answer = await ops.get("/health/ready", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["jobs"]["status"] == "failing"
    assert body["checks"]["jobs"]["detail"]["oldestDueSeconds"] >= 300
    assert body["checks"]["jobs"]["detail"]["waiting"] == 2
    assert body["checks"]["database"]["status"] == "ok"
    assert (await ops.get("/health")).status_code == 200  # liveness does not care about the queue


async def test_migrations_behind_head_make_it_not_ready(ops: httpx.AsyncClient, context: AppContext) -> None:
    (head,) = migration_heads()
    async with context.database.sessionmaker() as db, db.begin():
        await db.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        answer = await ops.get("/health/ready", headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 503
        migrations = answer.json()["checks"]["migrations"]
        assert migrations == {"status": "failing", "detail": {"current": ["0001"], "head": [head]}}
    finally:
        async with context.database.sessionmaker() as db, db.begin():
            await db.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert (await ops.get("/health/ready")).status_code == 200


async def test_database_down_is_not_ready(database_url: str, tmp_path: Path) -> None:
    unreachable = "postgresql://nobody@127.0.0.1:1/nothing"
    app = create_app(make_settings(tmp_path, metrics_token=TOKEN), database_url=unreachable)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        outsider = await http.get("/api/v1/health/ready")
        staff = await http.get("/api/v1/health/ready", headers={"Authorization": f"Bearer {TOKEN}"})
        metrics = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert outsider.status_code == 503
    assert outsider.json() == {
        "status": "not_ready",
        "checks": {
            "database": {"status": "failing"},
            "migrations": {"status": "failing"},
            "jobs": {"status": "failing"},
        },
    }
    assert "127.0.0.1" not in outsider.text and "nobody" not in outsider.text
    assert staff.json()["checks"]["database"]["detail"]["error"]
    # The scrape still answers, saying the queue could not be read.
    assert metrics.status_code == 200
    assert "tixmo_job_queue_up 0.0" in metrics.text

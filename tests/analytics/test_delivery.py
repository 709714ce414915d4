"""Scheduled reports: each finished period mailed once (PDF + CSV) to the subscription's recipients, with
several workers claiming at once, and after a sender died holding a delivery."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage as MimeMessage
from pathlib import Path
from typing import Any

import httpx
import pypdf
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics import dataset
from tests.analytics.dataset import World, expected_sales
from tests.notifications.helpers import MailSink, smtp_settings, start_smtp
from tixmo import jobs
from tixmo.analytics import delivery, tasks
from tixmo.analytics.models import ReportDelivery
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.notifications.mailer import MailError, backend_for

NOW = dataset.at("2026-03-31T08:00")  # the periodic job's clock in these tests


@pytest.fixture
def smtp() -> Iterator[tuple[int, MailSink]]:
    controller, sink = start_smtp()
    try:
        yield controller.port, sink
    finally:
        controller.stop()


@pytest.fixture
def mail_settings(smtp: tuple[int, MailSink], tmp_path: Path) -> Settings:
    return smtp_settings(tmp_path, smtp[0])


def test_periods_are_local_days_and_iso_weeks() -> None:
    berlin = "Europe/Berlin"
    # Berlin's DST day has 23 hours; the next day 24 again.
    start, end = delivery.period_of("DAILY", berlin, dataset.at("2026-03-29T12:00"))
    assert (start, end) == (dataset.at("2026-03-28T23:00"), dataset.at("2026-03-29T22:00"))
    assert delivery.period_of("DAILY", None, dataset.at("2026-03-29T12:00")) == (
        dataset.at("2026-03-29T00:00"),
        dataset.at("2026-03-30T00:00"),
    )
    week = delivery.period_of("WEEKLY", berlin, dataset.at("2026-03-27T12:00"))
    assert week == (dataset.at("2026-03-22T23:00"), dataset.at("2026-03-29T22:00"))  # Monday to Monday
    created = dataset.at("2026-03-27T11:00")
    daily = delivery.due_periods("DAILY", berlin, created, None, NOW)
    assert [s.astimezone(UTC).isoformat()[:13] for s, _ in daily] == [
        "2026-03-26T23",
        "2026-03-27T23",
        "2026-03-28T23",  # the 23-hour day
        "2026-03-29T22",
    ]
    assert delivery.due_periods("DAILY", berlin, created, daily[-1][1], NOW) == []
    assert (
        len(delivery.due_periods("DAILY", None, created, None, created + timedelta(days=30)))
        == delivery.CATCH_UP
    )


async def _subscribe(
    client: httpx.AsyncClient, session: AsyncSession, world: World, created: datetime, **extra: Any
) -> str:
    payload = {
        "organizationId": str(world.orgs["A"]),
        "report": "SALES",
        "frequency": "DAILY",
        "timezone": "Europe/Berlin",
        "recipients": [str(world.users["a_staff"].id), str(world.users["a_member"].id)],
        **extra,
    }
    response = await client.post("/analytics/subscriptions", json=payload, headers=world.headers["a_staff"])
    assert response.status_code == 201, response.text
    subscription_id: str = response.json()["id"]
    await session.execute(
        text("UPDATE analytics_subscriptions SET created_at = :at WHERE id = :id"),
        {"at": created, "id": uuid.UUID(subscription_id)},
    )
    await session.commit()
    return subscription_id


async def _deliveries(session: AsyncSession) -> list[ReportDelivery]:
    rows = list(
        await session.scalars(
            select(ReportDelivery)
            .order_by(ReportDelivery.period_start)
            .execution_options(populate_existing=True)
        )
    )
    await session.commit()
    return rows


async def _queue(context: AppContext, now: datetime = NOW) -> int:
    async with context.database.sessionmaker() as session, session.begin():
        claimed, _ = await delivery.queue_due(session, now)
    return claimed


def reports(sink: MailSink) -> list[Any]:
    """What the SMTP server received that is a report (the data set's orders also mailed confirmations)."""
    return [r for r in sink.received if r.message["X-TixMo-Kind"] == "analytics.report"]


def _attachments(mail: MimeMessage) -> dict[str, bytes]:
    found = {}
    for part in mail.iter_attachments():
        assert isinstance(part, MimeMessage)
        content = part.get_content()
        found[str(part.get_filename())] = content if isinstance(content, bytes) else content.encode()
    return found


async def test_each_period_is_mailed_once_with_several_workers(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    world: World,
    smtp: tuple[int, MailSink],
    mail_settings: Settings,
) -> None:
    now = datetime.now(UTC)
    recipients = sorted([world.users["a_staff"].email, world.users["a_member"].email])
    await _subscribe(client, session, world, now - timedelta(days=3, hours=5))  # daily, Berlin days
    await _subscribe(
        client, session, world, now - timedelta(days=9), report="EVENTS", frequency="WEEKLY", timezone=None
    )
    due = len(delivery.due_periods("DAILY", "Europe/Berlin", now - timedelta(days=3, hours=5), None, now))
    due += len(delivery.due_periods("WEEKLY", None, now - timedelta(days=9), None, now))
    assert due >= 4
    # Three workers' periodic runs claim at the same moment: each period once.
    claimed = await asyncio.gather(*(_queue(context, now) for _ in range(3)))
    assert sum(claimed) == due
    # Two workers send them; their own periodic runs (the job every 15 minutes) find nothing more to claim.
    await jobs.enqueue(session, tasks.QUEUE_REPORTS)
    await session.commit()
    await asyncio.gather(
        *(
            jobs.run_worker(
                context.database,
                settings=mail_settings,
                wait=False,
                install_signal_handlers=False,
                concurrency=2,
            )
            for _ in range(2)
        )
    )
    sent = reports(smtp[1])
    assert len(sent) == due
    assert all(sorted(r.recipients) == recipients for r in sent)
    assert len({str(r.message["Message-ID"]) for r in sent}) == due
    rows = await _deliveries(session)
    assert [(r.status, r.attempts, sorted(r.recipients)) for r in rows] == [("SENT", 1, recipients)] * due
    for received in sent:
        files = _attachments(received.message)
        assert sorted(name.rpartition(".")[2] for name in files) == ["csv", "pdf"]
        assert files[next(n for n in files if n.endswith(".pdf"))].startswith(b"%PDF")
    # Running the workers again sends nothing more.
    await jobs.run_worker(context.database, settings=mail_settings, wait=False, install_signal_handlers=False)
    assert len(reports(smtp[1])) == due
    listed = await client.get("/analytics/subscriptions", headers=world.headers["a_staff"])
    assert all(s["lastPeriodSent"] is not None for s in listed.json()["data"])


async def test_the_mail_of_berlins_dst_day(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    world: World,
    smtp: tuple[int, MailSink],
    mail_settings: Settings,
) -> None:
    await _subscribe(client, session, world, dataset.at("2026-03-29T01:00"))
    assert await _queue(context, NOW) == 2  # 2026-03-29 (23 hours) and 2026-03-30
    dst, _ = await _deliveries(session)
    assert (dst.period_start, dst.period_end) == (
        dataset.at("2026-03-28T23:00"),
        dataset.at("2026-03-29T22:00"),
    )
    backend = backend_for(mail_settings)
    assert (
        await delivery.deliver(
            context.database.sessionmaker, mail_settings, backend, dst.id, final_attempt=False
        )
        == "SENT"
    )
    [received] = reports(smtp[1])
    assert str(received.message["Subject"]) == "Sales report, 2026-03-29 - Org A"
    files = _attachments(received.message)
    assert set(files) == {"sales-2026-03-29.pdf", "sales-2026-03-29.csv"}
    day = expected_sales(world, {"A"}, dst.period_start, dst.period_end, tz="Europe/Berlin")
    lines = list(csv.reader(io.StringIO(files["sales-2026-03-29.csv"].decode())))
    totals = {(row[3], row[4]): row[5] for row in lines if row[0] == "totals"}
    assert totals[("EUR", "orders")] == "2" == str(day["totals"]["EUR"]["orders"])  # o2 and o3
    assert totals[("EUR", "net")] == day["totals"]["EUR"]["net"]
    text_of_pdf = pypdf.PdfReader(io.BytesIO(files["sales-2026-03-29.pdf"])).pages[0].extract_text()
    assert day["totals"]["EUR"]["net"] in text_of_pdf and "Org A" in text_of_pdf


async def test_a_delivery_left_by_a_dead_sender_goes_out_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    world: World,
    smtp: tuple[int, MailSink],
    mail_settings: Settings,
) -> None:
    await _subscribe(client, session, world, dataset.at("2026-03-27T11:00"))
    await _queue(context, dataset.at("2026-03-28T08:00"))  # one day: 03-27
    [row] = await _deliveries(session)
    sessionmaker, backend, sink = context.database.sessionmaker, backend_for(mail_settings), smtp[1]
    # A sender took it (attempt 1, leased for minutes) and died before sending: its lease still runs.
    await session.execute(
        update(ReportDelivery)
        .where(ReportDelivery.id == row.id)
        .values(status="SENDING", attempts=1, locked_until=datetime.now(UTC) + timedelta(minutes=5))
    )
    await session.commit()
    status = await delivery.deliver(sessionmaker, mail_settings, backend, row.id, final_attempt=False)
    assert status == "SENDING" and reports(sink) == []
    checks = await session.execute(
        text(
            "SELECT scheduled_at FROM procrastinate_jobs WHERE task_name = :task AND scheduled_at IS NOT NULL"
        ),
        {"task": delivery.DELIVER_REPORT},
    )
    assert len(checks.all()) == 1  # a second look when the lease runs out
    await session.commit()
    # The lease ran out: the next run sends it, once, as attempt 2; later runs find it SENT.
    await session.execute(
        update(ReportDelivery)
        .where(ReportDelivery.id == row.id)
        .values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
    )
    await session.commit()
    results = await asyncio.gather(
        *(
            delivery.deliver(sessionmaker, mail_settings, backend, row.id, final_attempt=False)
            for _ in range(3)
        )
    )
    assert results.count("SENT") == 1  # the others met its live lease (or found it SENT)
    assert len(reports(sink)) == 1
    [row] = await _deliveries(session)
    assert (row.status, row.attempts, sorted(row.recipients)) == (
        "SENT",
        2,
        sorted([world.users["a_staff"].email, world.users["a_member"].email]),
    )
    assert await delivery.deliver(sessionmaker, mail_settings, backend, row.id, final_attempt=False) == "SENT"
    assert len(reports(sink)) == 1
    assert str(reports(sink)[0].message["Message-ID"]).startswith(f"<report-{row.id}@")


async def test_smtp_trouble_is_retried_and_nobody_left_is_skipped(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    world: World,
    smtp: tuple[int, MailSink],
    mail_settings: Settings,
) -> None:
    await _subscribe(client, session, world, dataset.at("2026-03-27T11:00"))
    await _queue(context, dataset.at("2026-03-29T08:00"))  # 03-27 and 03-28
    first, second = await _deliveries(session)
    sessionmaker, backend, sink = context.database.sessionmaker, backend_for(mail_settings), smtp[1]
    sink.refuse = 1  # 451: try again later
    with pytest.raises(MailError):
        await delivery.deliver(sessionmaker, mail_settings, backend, first.id, final_attempt=False)
    assert next((r.status, r.attempts) for r in await _deliveries(session)) == ("QUEUED", 1)
    assert (
        await delivery.deliver(sessionmaker, mail_settings, backend, first.id, final_attempt=False) == "SENT"
    )
    assert len(reports(sink)) == 1
    # Neither recipient is a member any more: nothing to send.
    await session.execute(
        text("DELETE FROM organization_members WHERE organization_id = :org AND user_id = ANY(:users)"),
        {"org": world.orgs["A"], "users": [world.users["a_member"].id]},
    )
    await session.execute(
        text("UPDATE analytics_subscriptions SET recipient_ids = ARRAY[CAST(:u AS uuid)]"),
        {"u": world.users["a_member"].id},
    )
    await session.commit()
    assert (
        await delivery.deliver(sessionmaker, mail_settings, backend, second.id, final_attempt=False)
        == "SKIPPED"
    )
    assert len(reports(sink)) == 1

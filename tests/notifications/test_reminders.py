"""Event reminders: one per ticket holder ~24 h before the start, exactly once with two workers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.notifications.helpers import MailSink, messages, notification_kinds
from tests.orders.helpers import make_buyer
from tests.tickets.helpers import buy, make_shop
from tixmo import jobs
from tixmo.config import Settings
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.notifications import reminders
from tixmo.notifications.models import Notification, SentReminder
from tixmo.notifications.tasks import SEND_REMINDERS


def _soon() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(hours=20)


async def test_reminders_go_out_exactly_once_with_two_workers(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context, name="Tomorrow's Gig", starts_at=_soon())
    later = await make_shop(session, context, name="Next Month", starts_at=_soon() + timedelta(days=30))
    alice, bob = await make_buyer(session, context), await make_buyer(session, context)
    await buy(client, shop, alice, 2)
    await buy(client, shop, bob, 1)
    await buy(client, later, alice, 1)  # outside the window: no reminder
    # Several reminder jobs (and each worker defers the periodic one too), two workers at the same time.
    for _ in range(4):
        await jobs.enqueue(session, SEND_REMINDERS)
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

    # alice: two confirmations (two orders) and one reminder; bob: one of each.
    assert sink.kinds_to(alice.user.email) == ["event.reminder", "order.confirmed", "order.confirmed"]
    assert sink.kinds_to(bob.user.email) == ["event.reminder", "order.confirmed"]
    [mail] = [m for m in sink.to(alice.user.email) if m["X-TixMo-Kind"] == "event.reminder"]
    assert "Tomorrow's Gig" in str(mail["Subject"])
    assert "You have 2 tickets" in mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert (await notification_kinds(session, alice.user.id)).count("event.reminder") == 1
    assert await session.scalar(select(func.count()).select_from(SentReminder)) == 2

    # Later runs find nothing new.
    async with context.database.sessionmaker() as work, work.begin():
        assert await reminders.remind_batch(work, utcnow(), 24) == 0


async def test_concurrent_claims_never_double_remind(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, starts_at=_soon())
    buyers = [await make_buyer(session, context) for _ in range(5)]
    for buyer in buyers:
        await buy(client, shop, buyer, 1)

    async def claim() -> int:
        async with context.database.sessionmaker() as work, work.begin():
            return await reminders.remind_batch(work, utcnow(), 24)

    results = await asyncio.gather(*(claim() for _ in range(4)))
    assert sum(results) == 5
    count = await session.scalar(select(func.count()).where(Notification.kind == "event.reminder"))
    assert count == 5


async def test_reminder_respects_the_opt_out(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context, starts_at=_soon())
    muted, master_off = await make_buyer(session, context), await make_buyer(session, context)
    for buyer, body in ((muted, {"eventReminders": False}), (master_off, {"emailEnabled": False})):
        response = await client.put("/notifications/preferences", json=body, headers=buyer.headers)
        assert response.status_code == 200, response.text
        await buy(client, shop, buyer, 1)
    async with context.database.sessionmaker() as work, work.begin():
        assert await reminders.remind_batch(work, utcnow(), 24) == 2
    await jobs.run_worker(context.database, settings=mail_settings, wait=False, install_signal_handlers=False)

    for buyer in (muted, master_off):
        # In-app: recorded. Email: the (transactional) confirmation only, no reminder.
        assert "event.reminder" in await notification_kinds(session, buyer.user.id)
        assert [m["X-TixMo-Kind"] for m in sink.to(buyer.user.email)] == ["order.confirmed"]
        assert [m.kind for m in await messages(session, buyer.user.id)] == ["order.confirmed"]

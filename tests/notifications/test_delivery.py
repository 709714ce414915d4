"""Delivery through a real SMTP server and real workers: one sender per message, a dead sender's claim
lapsing, the stalled-job sweep, the last attempt, permanent and temporary refusals."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.notifications.helpers import Hold, MailSink, messages, run_worker, send_jobs, smtp_settings
from tests.orders.helpers import make_buyer
from tests.tickets.helpers import buy, make_shop
from tixmo import jobs
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.notifications import delivery, tasks
from tixmo.notifications.mailer import MailError, SmtpBackend
from tixmo.notifications.models import EmailMessage
from tixmo.notifications.service import SEND_EMAIL


async def _one_queued_message(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> tuple[str, EmailMessage]:
    """A buyer's order confirmation, QUEUED with its job not run yet: (buyer's email, message)."""
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    await buy(client, shop, buyer, 1)
    [message] = await messages(session, buyer.user.id)
    assert message.status == "QUEUED"
    return buyer.user.email, message


async def _send_job_rows(session: AsyncSession) -> list[tuple[str, int, bool]]:
    """(status, attempts, scheduled for later) of every send-email job, oldest first."""
    rows = await session.execute(
        text(
            "SELECT status::text, attempts, coalesce(scheduled_at > now(), false) FROM procrastinate_jobs "
            "WHERE task_name = :task ORDER BY id"
        ),
        {"task": SEND_EMAIL},
    )
    result = [(row[0], row[1], row[2]) for row in rows.all()]
    await session.commit()
    return result


async def _make_due(session: AsyncSession) -> None:
    """Time travel: every waiting send-email job is due now."""
    await session.execute(
        text(
            "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE task_name = :task AND status = 'todo'"
        ),
        {"task": SEND_EMAIL},
    )
    await session.commit()


async def test_two_sends_of_one_message_race_and_exactly_one_email_reaches_the_server(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    address, message = await _one_queued_message(client, session, context)
    hold = Hold(asyncio.get_running_loop())
    sink.hold = hold  # the server keeps each DATA until the test releases it

    def send() -> asyncio.Task[str | None]:
        return asyncio.create_task(
            delivery.send(
                context.database.sessionmaker,
                mail_settings,
                mail_settings.resolved_secret_key(),
                SmtpBackend(mail_settings),
                message.id,
                final_attempt=False,
            )
        )

    first = send()
    assert await hold.arrivals.get() == 1  # the first send is handing its DATA to the server
    second = send()
    # The second send either finishes on its own (it found the claim) or also reaches the server (two
    # senders: the bug). Only then is the first one let go, so the two overlap in either case.
    second_arrives = asyncio.create_task(hold.arrivals.get())
    await asyncio.wait({second, second_arrives}, return_when=asyncio.FIRST_COMPLETED)
    hold.release.set()
    results = await asyncio.gather(first, second)
    second_arrives.cancel()

    assert results == ["SENT", "SENDING"]
    assert hold.count == 1 and len(sink.to(address)) == 1
    [sent] = await messages(session, message.user_id)
    assert (sent.status, sent.attempts, sent.locked_until) == ("SENT", 1, None)
    # The second run left a check for when the claim would lapse (in case its sender died); the original
    # job and that check both find the message SENT and send nothing.
    assert await _send_job_rows(session) == [("todo", 0, False), ("todo", 0, True)]
    await _make_due(session)
    await run_worker(context, mail_settings)
    assert len(sink.received) == 1
    assert [status for status, _ in await send_jobs(session)] == ["succeeded", "succeeded"]


async def test_a_claim_whose_sender_died_lapses_and_the_message_is_sent_then(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    address, message = await _one_queued_message(client, session, context)
    # A sender claimed the message and died mid-send: SENDING, its lease still running.
    await session.execute(
        text(
            "UPDATE email_messages SET status = 'SENDING', attempts = 1, "
            "locked_until = now() + interval '5 minutes' WHERE id = :id"
        ),
        {"id": message.id},
    )
    await session.commit()

    await run_worker(context, mail_settings)  # the message's job meets the live claim: sends nothing
    assert sink.received == []
    [waiting] = await messages(session, message.user_id)
    assert (waiting.status, waiting.attempts) == ("SENDING", 1)
    # ... and leaves a check for just after the lease.
    assert await _send_job_rows(session) == [("succeeded", 1, False), ("todo", 0, True)]
    scheduled = await session.scalar(
        text(
            "SELECT scheduled_at - CAST(:until AS timestamptz) FROM procrastinate_jobs "
            "WHERE task_name = :task AND status = 'todo'"
        ),
        {"until": waiting.locked_until, "task": SEND_EMAIL},
    )
    await session.commit()
    assert scheduled is not None and scheduled.total_seconds() == 1

    # Time travel: the lease lapsed, the check is due. It claims the message and sends it.
    await session.execute(
        text("UPDATE email_messages SET locked_until = now() - interval '1 second' WHERE id = :id"),
        {"id": message.id},
    )
    await session.commit()
    await _make_due(session)
    await run_worker(context, mail_settings)
    assert len(sink.to(address)) == 1
    [sent] = await messages(session, message.user_id)
    assert (sent.status, sent.attempts, sent.locked_until) == ("SENT", 2, None)


async def test_the_stalled_job_sweep_requeues_only_jobs_whose_worker_is_gone(
    session: AsyncSession, context: AppContext
) -> None:
    async def job(status: str, worker_id: int | None) -> int:
        await jobs.enqueue(session, SEND_EMAIL, message_id=str(uuid.uuid4()))
        job_id = await session.scalar(text("SELECT max(id) FROM procrastinate_jobs"))
        await session.execute(
            text(
                "UPDATE procrastinate_jobs SET status = CAST(:status AS procrastinate_job_status), "
                "worker_id = :worker WHERE id = :id"
            ),
            {"status": status, "worker": worker_id, "id": job_id},
        )
        assert isinstance(job_id, int)
        return job_id

    async def worker(silent_for: timedelta) -> int:
        worker_id = await session.scalar(
            text(
                "INSERT INTO procrastinate_workers (last_heartbeat) "
                "VALUES (now() - CAST(:silent AS interval)) RETURNING id"
            ),
            {"silent": silent_for},
        )
        assert isinstance(worker_id, int)
        return worker_id

    live, dead = await worker(timedelta(seconds=5)), await worker(timedelta(minutes=10))
    # As a sweep may find them after it listed them as stalled: meanwhile finished; re-queued by another
    # sweep and taken by a live worker; still with a dead worker; with no worker left; never existed.
    finished = await job("succeeded", None)
    taken = await job("doing", live)
    with_dead_worker = await job("doing", dead)
    orphaned = await job("doing", None)
    await session.commit()
    stale_list = [finished, taken, with_dead_worker, 999_999_999, orphaned]
    stalled_after = context.settings.worker_stalled_after_seconds  # 60 s

    assert await jobs.retry_stalled(context.database.sessionmaker, stale_list, stalled_after) == 2

    rows = await session.execute(
        text("SELECT id, status::text, attempts FROM procrastinate_jobs ORDER BY id"),
    )
    states = {row[0]: (row[1], row[2]) for row in rows.all()}
    await session.commit()
    assert states == {
        finished: ("succeeded", 0),
        taken: ("doing", 0),
        with_dead_worker: ("todo", 1),
        orphaned: ("todo", 1),
    }
    # Another sweep with the same stale list: nothing is stalled any more, and nothing fails.
    assert await jobs.retry_stalled(context.database.sessionmaker, stale_list, stalled_after) == 0
    await session.execute(
        text("DELETE FROM procrastinate_workers WHERE id IN (:a, :b)"), {"a": live, "b": dead}
    )
    await session.commit()


async def test_the_last_attempt_through_the_worker_fails_the_message_and_it_is_not_resent(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    address, message = await _one_queued_message(client, session, context)
    # Five retries already spent (on the job and on the message): the next run is the last attempt.
    await session.execute(
        text("UPDATE procrastinate_jobs SET attempts = :n WHERE task_name = :task"),
        {"n": tasks.EMAIL_RETRIES, "task": SEND_EMAIL},
    )
    await session.execute(
        text("UPDATE email_messages SET attempts = :n WHERE id = :id"),
        {"n": tasks.EMAIL_RETRIES, "id": message.id},
    )
    await session.commit()
    sink.refuse = 1

    await run_worker(context, mail_settings)

    assert sink.refused == 1 and sink.received == []
    [failed] = await messages(session, message.user_id)
    assert (failed.status, failed.attempts) == ("FAILED", tasks.EMAIL_RETRIES + 1)
    assert failed.last_error is not None and "451" in failed.last_error
    assert await _send_job_rows(session) == [("failed", tasks.EMAIL_RETRIES + 1, False)]  # no retry queued

    # Another job for the message (say, queued again by hand): the server would accept now, but a
    # FAILED message is not sent again; nothing even connects.
    await jobs.enqueue(session, SEND_EMAIL, message_id=str(message.id))
    await session.commit()
    await run_worker(context, mail_settings)
    assert sink.received == [] and sink.refused == 1
    [still] = await messages(session, message.user_id)
    assert (still.status, still.attempts) == ("FAILED", tasks.EMAIL_RETRIES + 1)
    assert len(sink.to(address)) == 0


@pytest.mark.parametrize("refused_at", ["DATA", "RCPT"])
async def test_a_permanent_refusal_fails_the_message_at_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
    refused_at: str,
) -> None:
    _, message = await _one_queued_message(client, session, context)
    if refused_at == "DATA":
        sink.refuse, sink.refuse_reply = 1, "554 5.7.1 Message rejected as spam"
    else:
        sink.refuse_recipients = "550 5.1.1 No such user here"

    await run_worker(context, mail_settings)

    assert sink.received == []
    [failed] = await messages(session, message.user_id)
    assert (failed.status, failed.attempts) == ("FAILED", 1)
    assert failed.last_error is not None and ("554" in failed.last_error or "550" in failed.last_error)
    # Not retried: the job failed for good, nothing waits for later.
    assert await _send_job_rows(session) == [("failed", 1, False)]


async def test_a_temporary_refusal_of_the_recipient_is_retried(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    address, message = await _one_queued_message(client, session, context)
    sink.refuse_recipients = "450 4.2.1 Mailbox busy, try later"

    await run_worker(context, mail_settings)

    [queued] = await messages(session, message.user_id)
    assert (queued.status, queued.attempts) == ("QUEUED", 1)
    assert await _send_job_rows(session) == [("todo", 1, True)]  # retried after the backoff
    sink.refuse_recipients = None
    await _make_due(session)
    await run_worker(context, mail_settings)
    assert len(sink.to(address)) == 1
    [sent] = await messages(session, message.user_id)
    assert (sent.status, sent.attempts) == ("SENT", 2)


async def test_a_send_that_outlasts_its_deadline_gives_up_and_frees_its_claim(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    smtp: tuple[int, MailSink],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port, sink = smtp
    # A 1 s SMTP timeout: the time the cut-off client waits for the answer to its QUIT.
    settings = smtp_settings(tmp_path, port, smtp_timeout_seconds=1)
    _, message = await _one_queued_message(client, session, context)
    hold = Hold(asyncio.get_running_loop())
    sink.hold = hold  # the server does not answer the DATA while the sender waits
    monkeypatch.setattr(delivery, "SEND_DEADLINE", timedelta(seconds=0.5))
    assert delivery.lease(settings) == timedelta(seconds=31.5)  # deadline + SMTP timeout + margin

    with pytest.raises(MailError, match="not sent within"):
        await delivery.send(
            context.database.sessionmaker,
            settings,
            settings.resolved_secret_key(),
            SmtpBackend(settings),
            message.id,
            final_attempt=False,
        )
    hold.release.set()

    # It gave up and released the claim: the message waits for its job's retry.
    assert hold.count == 1
    [queued] = await messages(session, message.user_id)
    assert (queued.status, queued.attempts, queued.locked_until) == ("QUEUED", 1, None)
    assert queued.last_error is not None and "not sent within" in queued.last_error

"""Email through a real SMTP server: content and PDFs, the outbox and its job, rollback, retries."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_ticket_type
from tests.notifications.helpers import PUBLIC_URL, MailSink, messages, parts, run_worker, send_jobs
from tests.orders.helpers import make_buyer, order_body, place_ok
from tests.tickets.helpers import buy, make_shop
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.notifications import delivery, triggers
from tixmo.notifications.mailer import MailError, SmtpBackend
from tixmo.notifications.models import EmailMessage, Notification
from tixmo.orders import service as orders
from tixmo.orders.models import Order


async def test_order_confirmation_email_with_one_pdf_per_ticket(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    # 19:30 UTC on 5 July is 21:30 CEST in Berlin (the venue's zone).
    shop = await make_shop(
        session, context, name="Jazz & Blues Night", starts_at=datetime(2031, 7, 5, 19, 30, tzinfo=UTC)
    )
    vip = await create_ticket_type(session, event=shop.event, name="VIP", price_minor=7000)
    buyer = await make_buyer(session, context)
    body = order_body(shop, 2)  # type: ignore[arg-type]
    body["items"].append({"ticketTypeId": str(vip.id), "quantity": 1})
    order = await place_ok(client, buyer, body)
    assert await messages(session, buyer.user.id) == []  # nothing for a PENDING order
    confirmed = await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)
    assert confirmed.status_code == 200, confirmed.text
    ticket_ids = {t["id"] for t in confirmed.json()["tickets"]}

    # Committed with the order: the outbox row and its job, before any worker ran.
    [queued] = await messages(session, buyer.user.id)
    assert (queued.kind, queued.status, queued.to) == ("order.confirmed", "QUEUED", buyer.user.email)
    assert await send_jobs(session) == [("todo", str(queued.id))]

    await run_worker(context, mail_settings)

    [mail] = sink.to(buyer.user.email)
    assert mail["Subject"] == "Your tickets for Jazz & Blues Night"
    assert mail["Message-ID"] == f"<{queued.id}@tixmo.localhost>"
    plain, html, attachments = parts(mail)
    for content in (plain, html):
        assert "Saturday, 5 July 2031" in content
        assert "21:30 CEST" in content
        assert "Blue Hall" in content  # the venue
        assert "120.00 USD" in content  # 2 x 25.00 + 70.00
        assert f"{PUBLIC_URL}/api/v1/orders/{order['id']}" in content
    assert "Jazz &amp; Blues Night" in html  # escaped in HTML
    assert "Jazz & Blues Night" in plain
    assert len(attachments) == 3
    names = set()
    for attachment in attachments:
        assert attachment.get_content_type() == "application/pdf"
        data = attachment.get_content()
        assert isinstance(data, bytes) and data.startswith(b"%PDF")
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1
        assert "Jazz & Blues Night" in reader.pages[0].extract_text()
        names.add(attachment.get_filename())
    assert names == {f"ticket-{tid}.pdf" for tid in ticket_ids}

    [sent] = await messages(session, buyer.user.id)
    assert (sent.status, sent.attempts, sent.last_error) == ("SENT", 1, None)
    assert sent.sent_at is not None
    assert await send_jobs(session) == [("succeeded", str(queued.id))]


async def test_welcome_email_on_registration(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    response = await client.post(
        "/auth/register",
        json={"email": email, "password": "Passw0rd!", "firstName": "Ada", "lastName": "Lovelace"},
    )
    assert response.status_code == 201, response.text
    await run_worker(context, mail_settings)
    [mail] = sink.to(email)
    assert mail["Subject"] == "Welcome to TixMo"
    plain, html, attachments = parts(mail)
    assert "Hello Ada," in plain and "Hello Ada," in html
    assert f"{PUBLIC_URL}/api/v1/events" in plain
    assert attachments == []


async def test_no_email_for_a_rolled_back_transaction(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, 1))  # type: ignore[arg-type]

    async with context.database.sessionmaker() as work:
        await orders.confirm(work, buyer.user, uuid.UUID(order["id"]))
        # Inside the transaction the confirmation queued its email and job ...
        assert await work.scalar(select(EmailMessage.kind)) == "order.confirmed"
        assert await work.scalar(text("SELECT count(*) FROM procrastinate_jobs")) == 1
        await work.rollback()  # ... and then the transaction fails.

    await run_worker(context, mail_settings)
    assert sink.received == []
    assert await messages(session) == []
    assert await send_jobs(session) == []
    status = await session.scalar(select(Order.status).where(Order.id == uuid.UUID(order["id"])))
    assert status == "PENDING"


async def test_retry_after_the_smtp_server_refuses_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    order = await place_ok(client, buyer, order_body(shop, 1))  # type: ignore[arg-type]
    sink.refuse = 1
    assert (await client.post(f"/orders/{order['id']}/confirm", headers=buyer.headers)).status_code == 200

    await run_worker(context, mail_settings)
    assert sink.refused == 1 and sink.received == []
    [message] = await messages(session, buyer.user.id)
    assert (message.status, message.attempts) == ("QUEUED", 1)
    assert message.last_error is not None and "451" in message.last_error
    # The retry waits (backoff): the job is scheduled for later, so the worker stopped without it.
    row = (
        await session.execute(
            text(
                "SELECT status::text, attempts, scheduled_at > now() FROM procrastinate_jobs "
                "WHERE task_name = 'notifications.send_email'"
            )
        )
    ).one()
    await session.commit()
    assert tuple(row) == ("todo", 1, True)

    # Time travel past the backoff; the next run sends it.
    await session.execute(
        text(
            "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE task_name = 'notifications.send_email'"
        )
    )
    await session.commit()
    await run_worker(context, mail_settings)
    assert len(sink.to(buyer.user.email)) == 1
    [message] = await messages(session, buyer.user.id)
    assert (message.status, message.attempts, message.last_error) == ("SENT", 2, None)


async def test_last_attempt_marks_the_message_failed_and_sent_messages_are_not_resent(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    await buy(client, shop, buyer, 1)
    [message] = await messages(session, buyer.user.id)
    backend = SmtpBackend(mail_settings)
    secret = mail_settings.resolved_secret_key()

    sink.refuse = 1
    try:
        await delivery.send(
            context.database.sessionmaker, mail_settings, secret, backend, message.id, final_attempt=True
        )
        raise AssertionError("the refusal must raise")
    except MailError:
        pass
    [failed] = await messages(session, buyer.user.id)
    assert (failed.status, failed.attempts) == ("FAILED", 1)

    # A FAILED (or SENT) message is never sent again, whoever runs its job.
    status = await delivery.send(
        context.database.sessionmaker, mail_settings, secret, backend, message.id, final_attempt=False
    )
    assert status == "FAILED"
    assert sink.received == []


async def test_a_send_job_stranded_by_a_dead_worker_is_sent_again(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    await buy(client, shop, buyer, 1)
    # The worker that took the job died: the job is 'doing' with no live worker behind it.
    await session.execute(
        text("UPDATE procrastinate_jobs SET status = 'doing' WHERE task_name = 'notifications.send_email'")
    )
    await session.commit()
    await run_worker(context, mail_settings)  # the next worker to start queues the job again and runs it
    assert len(sink.to(buyer.user.email)) == 1
    [message] = await messages(session, buyer.user.id)
    assert message.status == "SENT"


async def test_the_waitlist_offer_shows_its_deadline_in_the_event_time_zone(
    session: AsyncSession, context: AppContext, sink: MailSink, mail_settings: Settings
) -> None:
    shop = await make_shop(
        session, context, name="Jazz & Blues Night", starts_at=datetime(2031, 7, 5, 19, 30, tzinfo=UTC)
    )
    buyer = await make_buyer(session, context)
    waitlist_id = uuid.uuid4()
    # 16:00 UTC on 1 July is 18:00 CEST in Berlin (the event's zone).
    await triggers.waitlist_offer(
        session,
        user_id=buyer.user.id,
        event=shop.event,
        waitlist_id=waitlist_id,
        quantity=2,
        offer_expires_at=datetime(2031, 7, 1, 16, 0, tzinfo=UTC),
    )
    await session.commit()
    deadline = "Tuesday, 1 July 2031, 18:00 CEST"

    notification = await session.scalar(select(Notification).where(Notification.user_id == buyer.user.id))
    await session.commit()
    assert notification is not None and notification.kind == "waitlist.offer"
    assert deadline in notification.body
    assert notification.data["offerExpiresAt"] == "2031-07-01T16:00:00+00:00"  # the data keeps the moment

    await run_worker(context, mail_settings)
    [mail] = sink.to(buyer.user.email)
    assert mail["Subject"] == "Tickets for Jazz & Blues Night are available for you"
    plain, html, attachments = parts(mail)
    for content in (plain, html):
        assert f"held for you (2) until {deadline}." in content
        assert f"{PUBLIC_URL}/api/v1/waitlist/{waitlist_id}/claim" in content
        assert "Saturday, 5 July 2031" in content and "21:30 CEST" in content  # the event itself
        assert "because it concerns your tickets or orders" in content  # transactional
    assert "Jazz &amp; Blues Night" in html
    assert attachments == []


async def test_a_waitlist_offer_needs_a_deadline_with_a_time_zone(
    session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    with pytest.raises(ValueError, match="timezone-aware"):
        await triggers.waitlist_offer(
            session,
            user_id=buyer.user.id,
            event=shop.event,
            waitlist_id=uuid.uuid4(),
            quantity=1,
            offer_expires_at=datetime(2031, 7, 1, 16, 0),
        )
    await session.rollback()

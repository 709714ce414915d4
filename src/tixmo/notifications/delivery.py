"""Sending one outbox email: claim an attempt, compose, hand to the backend, record the outcome.

Delivery is *at least once*. The attempt is counted (committed) before the backend is called and the
status set to SENT after it answered, so an email is never lost, but a process that dies between the
SMTP server's "250 OK" and the SENT update sends it again when the job is retried. Such a repeat
carries the same ``Message-ID`` (derived from the outbox id); the file backend simply rewrites the same
``<id>.eml``. A message that is SENT or FAILED is never sent again, whatever runs its job.
"""

from __future__ import annotations

import uuid

import structlog
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tixmo.config import Settings
from tixmo.db import utcnow
from tixmo.notifications import emails
from tixmo.notifications.mailer import MailBackend, MailError
from tixmo.notifications.models import EmailMessage, EmailStatus

log = structlog.get_logger(__name__)


async def _claim(session: AsyncSession, message_id: uuid.UUID) -> EmailMessage | None:
    """Count an attempt on a QUEUED message; None when there is nothing (left) to send."""
    claimed = await session.scalar(
        update(EmailMessage)
        .where(EmailMessage.id == message_id, EmailMessage.status == EmailStatus.QUEUED.value)
        .values(attempts=EmailMessage.attempts + 1)
        .returning(EmailMessage)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return claimed


async def send(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    secret: str,
    backend: MailBackend,
    message_id: uuid.UUID,
    *,
    final_attempt: bool,
) -> str | None:
    """Send the message once; returns its status afterwards (None: unknown id). Raises ``MailError``
    when the backend failed (the job retries); on the ``final_attempt`` the message is FAILED first."""
    async with sessionmaker() as session, session.begin():
        message = await _claim(session, message_id)
        if message is None:
            existing = await session.get(EmailMessage, message_id)
            return existing.status if existing is not None else None
    try:
        async with sessionmaker() as session, session.begin():
            rendered = await emails.compose(session, settings, secret, message)
        mail = emails.mime(settings, message, rendered)
    except Exception as exc:  # a bug, not a delivery problem: retrying would not help
        await _record_failure(sessionmaker, message_id, EmailStatus.FAILED, f"cannot compose: {exc!r}")
        raise
    try:
        await backend.send(mail, name=str(message_id))
    except MailError as exc:
        status = EmailStatus.FAILED if final_attempt else EmailStatus.QUEUED
        await _record_failure(sessionmaker, message_id, status, str(exc))
        raise
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(EmailMessage)
            .where(EmailMessage.id == message_id)
            .values(status=EmailStatus.SENT.value, sent_at=utcnow(), last_error=None)
        )
    log.info("email.sent", message_id=str(message_id), kind=message.kind)
    return EmailStatus.SENT.value


async def _record_failure(
    sessionmaker: async_sessionmaker[AsyncSession], message_id: uuid.UUID, status: EmailStatus, error: str
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(EmailMessage)
            .where(EmailMessage.id == message_id)
            .values(status=status.value, last_error=error[:2000])
        )
    log.warning("email.failed", message_id=str(message_id), status=status.value, error=error)

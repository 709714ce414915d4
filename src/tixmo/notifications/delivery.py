"""Sending one outbox email: claim it, compose, hand to the backend, record the outcome.

**One sender at a time.** The claim is one conditional UPDATE: a QUEUED message (or a SENDING one whose
lease ran out) becomes SENDING with ``locked_until = now() + lease(settings)`` and one more attempt,
committed before anything is sent. Of any number of concurrent runs of one message (a duplicated job, a
stalled job re-queued while its worker still lives) exactly one gets the claim; the others see SENDING
and leave it alone. Composing and sending are cut off at ``SEND_DEADLINE`` (inside the lease), and the
outcome is written only while the claim is still this sender's (the message is SENDING with this
attempt's number), so even a sender that outlived its lease cannot overwrite a newer claim.

**A sender that dies** leaves the message SENDING: its lease lapses and the next run of the message's
job claims it again (workers re-queue the jobs of a dead worker, ``jobs.retry_stalled_jobs``; a run
that meets a live claim queues a check for when the lease ends, so the message is not stranded however
the runs interleave).

**At least once.** The attempt is committed before the backend is called and SENT after it answered,
so an email is never lost, but a process that dies between the SMTP server's "250 OK" and the SENT
update sends it again after the lease. Such a repeat carries the same ``Message-ID`` (derived from the
outbox id); the file backend simply rewrites the same ``<id>.eml``. A message that is SENT or FAILED is
never sent again, whatever runs its job.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from email.message import EmailMessage as MimeMessage

import structlog
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tixmo import jobs, metrics
from tixmo.config import Settings
from tixmo.db import utcnow
from tixmo.notifications import emails
from tixmo.notifications.mailer import MailBackend, MailError
from tixmo.notifications.models import EmailMessage, EmailStatus
from tixmo.notifications.service import SEND_EMAIL

log = structlog.get_logger(__name__)

# Composing (PDFs) and sending must end within SEND_DEADLINE. Cut off, the SMTP client still says QUIT
# and may wait up to the SMTP timeout for the answer; LEASE_MARGIN then leaves time to record the outcome.
SEND_DEADLINE = timedelta(minutes=4)
LEASE_MARGIN = timedelta(seconds=30)


def lease(settings: Settings) -> timedelta:
    """How long a claim is its sender's own: 5 minutes with the default 30 s SMTP timeout."""
    return SEND_DEADLINE + timedelta(seconds=settings.smtp_timeout_seconds) + LEASE_MARGIN


class Undeliverable(Exception):
    """The SMTP server refused the message for good (5xx): it is FAILED and its job is not retried."""


async def _claim(session: AsyncSession, message_id: uuid.UUID, lease: timedelta) -> EmailMessage | None:
    """Make the message SENDING for this sender and count an attempt; None when it is not free (SENT,
    FAILED, or SENDING under someone else's live claim) or unknown."""
    now = func.now()
    claimed = await session.scalar(
        update(EmailMessage)
        .where(
            EmailMessage.id == message_id,
            or_(
                EmailMessage.status == EmailStatus.QUEUED.value,
                and_(EmailMessage.status == EmailStatus.SENDING.value, EmailMessage.locked_until < now),
            ),
        )
        .values(
            status=EmailStatus.SENDING.value, attempts=EmailMessage.attempts + 1, locked_until=now + lease
        )
        .returning(EmailMessage)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return claimed


async def _not_claimed(session: AsyncSession, message_id: uuid.UUID) -> str | None:
    """The status of a message this run could not claim. Under another sender's live claim, a check is
    queued for when that claim lapses: if its sender dies, the check sends the message."""
    existing = await session.scalar(
        select(EmailMessage).where(EmailMessage.id == message_id).execution_options(populate_existing=True)
    )
    if existing is None:
        return None
    if existing.status == EmailStatus.SENDING.value and existing.locked_until is not None:
        await jobs.enqueue(
            session,
            SEND_EMAIL,
            scheduled_at=existing.locked_until + timedelta(seconds=1),
            message_id=str(message_id),
        )
        log.info(
            "email.claimed_elsewhere", message_id=str(message_id), until=existing.locked_until.isoformat()
        )
    return existing.status


async def send(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    secret: str,
    backend: MailBackend,
    message_id: uuid.UUID,
    *,
    final_attempt: bool,
) -> str | None:
    """Send the message once if it is free; returns its status afterwards (None: unknown id).

    Raises ``MailError`` when the backend failed in a way worth retrying (the job retries; on the
    ``final_attempt`` the message is FAILED first), ``Undeliverable`` when the server refused it for
    good (FAILED at once)."""
    async with sessionmaker() as session, session.begin():
        message = await _claim(session, message_id, lease(settings))
        if message is None:
            return await _not_claimed(session, message_id)
        attempt = message.attempts
    deadline = asyncio.timeout(SEND_DEADLINE.total_seconds())
    try:
        async with deadline:
            mail = await _compose(sessionmaker, settings, secret, message)
            await backend.send(mail, name=str(message_id))
    except MailError as exc:
        await _record_mail_error(sessionmaker, message_id, attempt, exc, final_attempt=final_attempt)
        if exc.permanent:
            raise Undeliverable(str(exc)) from exc
        raise
    except TimeoutError as exc:
        if not deadline.expired():
            raise
        error = MailError(f"not sent within {SEND_DEADLINE.total_seconds():.0f} s")
        await _record_mail_error(sessionmaker, message_id, attempt, error, final_attempt=final_attempt)
        raise error from exc
    except _ComposeFailed as exc:  # a bug, not a delivery problem: retrying would not help
        await _record(sessionmaker, message_id, attempt, EmailStatus.FAILED, f"cannot compose: {exc.error!r}")
        raise exc.error from None
    except Exception as exc:  # a backend bug: the same
        await _record(sessionmaker, message_id, attempt, EmailStatus.FAILED, f"cannot send: {exc!r}")
        raise
    await _record(sessionmaker, message_id, attempt, EmailStatus.SENT, None)
    log.info("email.sent", message_id=str(message_id), kind=message.kind, attempt=attempt)
    return EmailStatus.SENT.value


class _ComposeFailed(Exception):
    def __init__(self, error: Exception) -> None:
        super().__init__(repr(error))
        self.error = error


async def _compose(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, secret: str, message: EmailMessage
) -> MimeMessage:
    try:
        async with sessionmaker() as session, session.begin():
            rendered = await emails.compose(session, settings, secret, message)
        return emails.mime(settings, message, rendered)
    except Exception as exc:
        raise _ComposeFailed(exc) from exc


async def _record_mail_error(
    sessionmaker: async_sessionmaker[AsyncSession],
    message_id: uuid.UUID,
    attempt: int,
    error: MailError,
    *,
    final_attempt: bool,
) -> None:
    status = EmailStatus.FAILED if final_attempt or error.permanent else EmailStatus.QUEUED
    await _record(sessionmaker, message_id, attempt, status, str(error))


async def _record(
    sessionmaker: async_sessionmaker[AsyncSession],
    message_id: uuid.UUID,
    attempt: int,
    status: EmailStatus,
    error: str | None,
) -> None:
    """The outcome of attempt ``attempt``, written only while that attempt still holds the claim."""
    values: dict[str, object] = {"status": status.value, "locked_until": None, "last_error": None}
    if status == EmailStatus.SENT:
        values["sent_at"] = utcnow()
    if error is not None:
        values["last_error"] = error[:2000]
    async with sessionmaker() as session, session.begin():
        recorded = await session.scalar(
            update(EmailMessage)
            .where(
                EmailMessage.id == message_id,
                EmailMessage.status == EmailStatus.SENDING.value,
                EmailMessage.attempts == attempt,
            )
            .values(**values)
            .returning(EmailMessage.id)
            .execution_options(synchronize_session=False)
        )
    if recorded is not None:
        metrics.email_outcome("retry" if status == EmailStatus.QUEUED else status.value.lower())
    if recorded is None:
        log.error("email.claim_lost", message_id=str(message_id), attempt=attempt, status=status.value)
    elif status != EmailStatus.SENT:
        log.warning("email.failed", message_id=str(message_id), status=status.value, error=error)

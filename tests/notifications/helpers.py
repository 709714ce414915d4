"""A real SMTP server (aiosmtpd) for the notification tests, and helpers to run the worker against it."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage as MimeMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, LoginPassword, Session
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_settings
from tixmo import jobs
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.notifications.models import EmailMessage, Notification

PUBLIC_URL = "https://tickets.example.com"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: MimeMessage
    login: str | None = None  # the AUTH login the client used, if any
    tls: bool = False  # the message came over TLS (STARTTLS or implicit)


@dataclass
class Hold:
    """Parks every DATA in the server until ``release`` is set, telling the test's event loop about each
    arrival (1, 2, ...) on ``arrivals``: a test can act while a client is mid-conversation."""

    loop: asyncio.AbstractEventLoop
    arrivals: asyncio.Queue[int] = field(default_factory=asyncio.Queue)
    release: threading.Event = field(default_factory=threading.Event)
    count: int = 0


@dataclass
class MailSink:
    """Records what the SMTP server accepted; ``refuse`` makes it answer ``refuse_reply`` (451 unless
    told otherwise) to the next N messages; ``refuse_recipients`` answers every RCPT TO with that reply."""

    received: list[Received] = field(default_factory=list)
    refuse: int = 0
    refuse_reply: str = "451 4.3.0 Try again later"
    refused: int = 0
    refuse_recipients: str | None = None
    hold: Hold | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self.refuse_recipients is not None:
            return self.refuse_recipients
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        hold = self.hold
        if hold is not None:
            with self.lock:
                hold.count += 1
                arrival = hold.count
            hold.loop.call_soon_threadsafe(hold.arrivals.put_nowait, arrival)
            # Wait in a thread, so the server keeps serving other connections meanwhile. The timeout only
            # keeps a broken test from hanging for ever.
            await asyncio.get_running_loop().run_in_executor(None, hold.release.wait, 60)
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused += 1
                return self.refuse_reply
            content = envelope.content if isinstance(envelope.content, bytes) else b""
            parsed = email.message_from_bytes(content, policy=email.policy.default)
            assert isinstance(parsed, MimeMessage)
            login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
            self.received.append(
                Received(
                    str(envelope.mail_from),
                    [str(r) for r in envelope.rcpt_tos],
                    parsed,
                    login=login,
                    tls=session.ssl is not None or _over_tls(server),
                )
            )
        return "250 OK"

    def to(self, address: str) -> list[MimeMessage]:
        return [r.message for r in self.received if address in r.recipients]

    def kinds_to(self, address: str) -> list[str]:
        return sorted(str(m["X-TixMo-Kind"]) for m in self.to(address))


def _over_tls(server: SMTP) -> bool:
    """Implicit TLS (the connection began with a TLS handshake)."""
    transport = server.transport
    return transport is not None and transport.get_extra_info("ssl_object") is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_smtp(**server_options: Any) -> tuple[Controller, MailSink]:
    """An aiosmtpd server on a free port; ``server_options`` go to the Controller and its SMTP server
    (``authenticator``, ``auth_required``, ``tls_context``, ``require_starttls``, ``ssl_context``, …)."""
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), **server_options)
    controller.start()
    return controller, sink


def smtp_settings(tmp_path: Path, port: int, **overrides: Any) -> Settings:
    """Settings that send through the test server at ``port`` (plain SMTP unless ``overrides`` say)."""
    values: dict[str, Any] = {
        "email_backend": "smtp",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_timeout_seconds": 10,
        "public_url": PUBLIC_URL,
    }
    return make_settings(tmp_path, **(values | overrides))


async def run_worker(context: AppContext, settings: Settings) -> None:
    """Run a worker until no job is due (jobs scheduled for later, e.g. retries, stay queued)."""
    await jobs.run_worker(context.database, settings=settings, wait=False, install_signal_handlers=False)


async def messages(session: AsyncSession, user_id: uuid.UUID | None = None) -> list[EmailMessage]:
    query = select(EmailMessage).order_by(EmailMessage.created_at, EmailMessage.kind)
    if user_id is not None:
        query = query.where(EmailMessage.user_id == user_id)
    rows = list(await session.scalars(query.execution_options(populate_existing=True)))
    await session.commit()
    return rows


async def notification_kinds(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    rows = await session.scalars(select(Notification.kind).where(Notification.user_id == user_id))
    kinds = sorted(rows)
    await session.commit()
    return kinds


async def send_jobs(session: AsyncSession) -> list[tuple[str, str]]:
    """(status, message id) of every send-email job."""
    rows = await session.execute(
        text(
            "SELECT status::text, args->>'message_id' FROM procrastinate_jobs "
            "WHERE task_name = 'notifications.send_email' ORDER BY id"
        )
    )
    result = [(row[0], row[1]) for row in rows.all()]
    await session.commit()
    return result


def parts(message: MimeMessage) -> tuple[str, str, list[MimeMessage]]:
    """(plain text, HTML, attachments) of a parsed message."""
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    assert text_part is not None and html_part is not None
    attachments = [p for p in message.iter_attachments() if isinstance(p, MimeMessage)]
    return str(text_part.get_content()), str(html_part.get_content()), attachments

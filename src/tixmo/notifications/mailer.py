"""Email backends: SMTP (aiosmtplib) and the file backend (``.eml`` files in ``<data dir>/mail``).

A backend takes a finished MIME message. Both are idempotent per message where they can be: the file
backend writes ``<message id>.eml`` (a re-send overwrites the same file); SMTP cannot take a message
back, so the message keeps one ``Message-ID`` on every attempt and receiving systems can tell a
repeated delivery from a new message.
"""

from __future__ import annotations

import os
import tempfile
from email.message import EmailMessage as MimeMessage
from pathlib import Path
from typing import Protocol

import aiosmtplib
import anyio.to_thread

from tixmo.config import EmailBackendName, Settings, SmtpSecurity


class MailError(Exception):
    """Sending failed in a way worth retrying (connection refused, timeout, a 4xx/5xx answer)."""


class MailBackend(Protocol):
    async def send(self, message: MimeMessage, *, name: str) -> None:
        """Deliver ``message``; ``name`` is a stable id for it (the outbox row's id)."""


class FileBackend:
    """Writes each message as ``<directory>/<name>.eml`` (written to a temporary file, then renamed)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _write(self, data: bytes, name: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            Path(tmp).replace(self.directory / f"{name}.eml")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    async def send(self, message: MimeMessage, *, name: str) -> None:
        try:
            await anyio.to_thread.run_sync(self._write, message.as_bytes(), name)
        except OSError as exc:
            raise MailError(f"cannot write the .eml file: {exc}") from exc


class SmtpBackend:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: MimeMessage, *, name: str) -> None:
        s = self.settings
        try:
            await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username,
                password=s.smtp_password,
                use_tls=s.smtp_security == SmtpSecurity.TLS,
                start_tls=s.smtp_security == SmtpSecurity.STARTTLS,
                timeout=s.smtp_timeout_seconds,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise MailError(f"{type(exc).__name__}: {exc}") from exc


def backend_for(settings: Settings) -> MailBackend:
    if settings.email_backend == EmailBackendName.SMTP:
        return SmtpBackend(settings)
    return FileBackend(settings.mail_dir)

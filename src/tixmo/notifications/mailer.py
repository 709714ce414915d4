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
    """Sending failed. ``permanent``: the server refused this message for good (a 5xx answer to its
    sender, recipients or content), so sending it again cannot help; anything else (a 4xx answer, a
    refused or dropped connection, a timeout, a TLS or login failure) is worth retrying."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


# 5xx answers about authentication (530 "authentication required", 535 "credentials invalid"): our
# configuration is wrong, not the message.
_AUTH_CODES = frozenset({530, 534, 535, 538})
# Answers to MAIL FROM, RCPT TO and DATA: about this message.
_MESSAGE_REFUSALS = (aiosmtplib.SMTPSenderRefused, aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPDataError)


def _permanent(exc: aiosmtplib.SMTPException) -> bool:
    """Is ``exc`` a 5xx refusal of the message itself (its sender, its recipients, its content)?

    A 5xx answer to the greeting, EHLO, STARTTLS or AUTH, or one that asks for authentication, says
    something about the server or our configuration, not about this message: those stay retryable, so
    fixing the configuration within the retry window still delivers the mail."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(_refuses_message(r.code) for r in exc.recipients)
    if isinstance(exc, _MESSAGE_REFUSALS):
        return _refuses_message(exc.code)
    return False


def _refuses_message(code: int) -> bool:
    return 500 <= code < 600 and code not in _AUTH_CODES


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
                # The server's certificate is checked against this CA bundle instead of the system's.
                cert_bundle=str(s.smtp_ca_file) if s.smtp_ca_file is not None else None,
            )
        except aiosmtplib.SMTPException as exc:
            raise MailError(f"{type(exc).__name__}: {exc}", permanent=_permanent(exc)) from exc
        except (OSError, TimeoutError) as exc:
            raise MailError(f"{type(exc).__name__}: {exc}") from exc


def backend_for(settings: Settings) -> MailBackend:
    if settings.email_backend == EmailBackendName.SMTP:
        return SmtpBackend(settings)
    return FileBackend(settings.mail_dir)

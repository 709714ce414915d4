"""SMTP login and TLS against a real server (aiosmtpd): AUTH with the configured credentials, STARTTLS
and implicit TLS verified with the configured CA file (a certificate authority made by the test)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.notifications.helpers import MailSink, messages, run_worker, smtp_settings, start_smtp
from tests.notifications.tls import Pki, make_pki
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.notifications.models import EmailMessage

LOGIN, PASSWORD = "mailer", "correct horse battery staple"

StartServer = Callable[..., tuple[int, MailSink]]


class Authenticator:
    """Accepts exactly LOGIN / PASSWORD (PLAIN or LOGIN mechanism)."""

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            LOGIN.encode(),
            PASSWORD.encode(),
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@pytest.fixture
def start_server() -> Iterator[StartServer]:
    """Start SMTP servers with options (stopped after the test): (port, what it received)."""
    started: list[Controller] = []

    def start(**options: Any) -> tuple[int, MailSink]:
        controller, sink = start_smtp(**options)
        started.append(controller)
        return controller.port, sink

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path / "pki")


async def _register(client: httpx.AsyncClient) -> str:
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    response = await client.post(
        "/auth/register",
        json={"email": email, "password": "Passw0rd!", "firstName": "Ada", "lastName": "Lovelace"},
    )
    assert response.status_code == 201, response.text
    return email


async def _only_message(session: AsyncSession) -> EmailMessage:
    [message] = await messages(session)
    return message


async def _retry_now(session: AsyncSession) -> None:
    """Time travel past the retry's backoff."""
    await session.execute(
        text(
            "UPDATE procrastinate_jobs SET scheduled_at = now() "
            "WHERE task_name = 'notifications.send_email' AND status = 'todo'"
        )
    )
    await session.commit()


# aiosmtpd rightly warns about AUTH over plain text; this server only exists to check the login.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
async def test_smtp_auth_uses_the_configured_login(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    start_server: StartServer,
    tmp_path: Path,
) -> None:
    port, sink = start_server(authenticator=Authenticator(), auth_required=True, auth_require_tls=False)
    email = await _register(client)

    # A wrong password: 535, retried later (our configuration is wrong, not the message).
    await run_worker(context, smtp_settings(tmp_path, port, smtp_username=LOGIN, smtp_password="wrong"))
    message = await _only_message(session)
    assert (message.status, message.attempts, sink.received) == ("QUEUED", 1, [])
    assert message.last_error is not None and "535" in message.last_error

    # No login at all: the server asks for one (530), retried later too.
    await _retry_now(session)
    await run_worker(context, smtp_settings(tmp_path, port))
    message = await _only_message(session)
    assert (message.status, message.attempts, sink.received) == ("QUEUED", 2, [])
    assert message.last_error is not None and "530" in message.last_error

    # The configured login: delivered, and the server saw who logged in.
    await _retry_now(session)
    await run_worker(context, smtp_settings(tmp_path, port, smtp_username=LOGIN, smtp_password=PASSWORD))
    [received] = sink.received
    assert received.recipients == [email] and received.login == LOGIN
    message = await _only_message(session)
    assert (message.status, message.attempts) == ("SENT", 3)


async def test_starttls_verifies_the_server_with_the_configured_ca_file(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    start_server: StartServer,
    pki: Pki,
    tmp_path: Path,
) -> None:
    # A server that takes mail and logins only after STARTTLS, with a certificate from the test's own CA.
    port, sink = start_server(
        tls_context=pki.server_context(),
        require_starttls=True,
        authenticator=Authenticator(),
        auth_required=True,
    )
    email = await _register(client)
    login = {"smtp_username": LOGIN, "smtp_password": PASSWORD}

    # Without the CA file the certificate cannot be verified (the system CAs do not know it): not sent.
    await run_worker(context, smtp_settings(tmp_path, port, smtp_security="starttls", **login))
    message = await _only_message(session)
    assert (message.status, message.attempts, sink.received) == ("QUEUED", 1, [])
    assert message.last_error is not None and "certificate" in message.last_error.lower()

    await _retry_now(session)
    await run_worker(
        context, smtp_settings(tmp_path, port, smtp_security="starttls", smtp_ca_file=pki.ca_file, **login)
    )
    [received] = sink.received
    assert (received.recipients, received.tls, received.login) == ([email], True, LOGIN)
    message = await _only_message(session)
    assert (message.status, message.attempts) == ("SENT", 2)


async def test_implicit_tls_verifies_the_server_with_the_configured_ca_file(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    start_server: StartServer,
    pki: Pki,
    tmp_path: Path,
) -> None:
    port, sink = start_server(ssl_context=pki.server_context())
    email = await _register(client)

    await run_worker(context, smtp_settings(tmp_path, port, smtp_security="tls", smtp_ca_file=pki.ca_file))

    [received] = sink.received
    assert (received.recipients, received.tls) == ([email], True)
    assert (await _only_message(session)).status == "SENT"


def test_the_ca_file_setting_must_name_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="no CA file"):
        Settings(smtp_ca_file=tmp_path / "missing.pem")
    pki = make_pki(tmp_path)
    monkeypatch.setenv("TIXMO_SMTP_CA_FILE", str(pki.ca_file))
    assert Settings().smtp_ca_file == pki.ca_file

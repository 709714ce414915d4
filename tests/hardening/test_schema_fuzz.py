"""Schema fuzzing: schemathesis drives every operation of the app's OpenAPI document against a live server.

A real ``tixmo serve`` process on the test database; each operation is fuzzed as a seeded platform admin, as
a seeded organizer (an organization OWNER with a published event) and anonymously. Checks: no 5xx
(``not_a_server_error``), the response matches the documented schema and content type, and every 4xx/5xx
is ``application/problem+json`` with the problem fields.

Bounded by default (fixed seed, ``TIXMO_FUZZ_EXAMPLES`` examples per operation and caller, default 3); the
nightly run sets ``TIXMO_FUZZ_EXAMPLES=100`` (see docs/security.md).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import TEST_SECRET
from tests.factories import (
    create_event,
    create_organization,
    create_ticket_type,
    create_user,
    create_venue,
    token_for,
)
from tixmo.accounts.models import Role
from tixmo.deps import AppContext

EXAMPLES = int(os.environ.get("TIXMO_FUZZ_EXAMPLES", "3"))
SEED = int(os.environ.get("TIXMO_FUZZ_SEED", "23"))
# Streams never end by themselves; the fuzzer cannot read them to the end.
SKIP = {("GET", "/api/v1/events/{eventId}/live")}


def problem_json_on_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx/5xx is an RFC 9457 problem document with TixMo's fields."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.startswith("application/problem+json"), (
        f"{response.status_code} answered {content_type!r}, not application/problem+json"
    )
    body = response.json()
    missing = {"type", "title", "status", "code"} - set(body)
    assert not missing, f"problem document without {sorted(missing)}: {body}"
    assert body["status"] == response.status_code
    return True


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, problem_json_on_errors]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "TIXMO_DATABASE_URL": database_url,
        "TIXMO_DATA_DIR": str(tmp_path),
        "TIXMO_SECRET_KEY": TEST_SECRET,
        "TIXMO_SEED_DEMO": "false",
        "TIXMO_RUN_WORKER": "false",
        "TIXMO_RATE_LIMIT_ENABLED": "false",
        "TIXMO_ARGON2_TIME_COST": "1",
        "TIXMO_ARGON2_MEMORY_KIB": "1024",
    }
    command = [sys.executable, "-m", "tixmo.cli", "serve", "--port", str(port)]
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(command, env=env, stderr=log, stdout=log, text=True)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    watchdog = threading.Timer(1200, process.kill)  # a hung run is killed, not waited for forever
    watchdog.start()
    try:
        # Poll until the server answers, with a deadline (not a sleep).
        deadline = 600
        for _ in range(deadline * 10):
            if process.poll() is not None:
                pytest.fail("the server exited: " + (tmp_path / "server.log").read_text())
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                threading.Event().wait(0.1)
        else:
            pytest.fail("the server did not answer /health")
        yield base
    finally:
        watchdog.cancel()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


async def test_every_operation_survives_fuzzing_as_admin_organizer_and_anonymous(
    server: str, session: AsyncSession, context: AppContext
) -> None:
    admin = await create_user(session, context, role=Role.ADMIN)
    organizer = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=organizer)
    venue = await create_venue(session, organization=org)
    event = await create_event(session, organization=org, venue=venue, status="PUBLISHED")
    await create_ticket_type(session, event=event)
    callers = {
        "admin": {"Authorization": f"Bearer {token_for(context, admin)}"},
        "organizer": {"Authorization": f"Bearer {token_for(context, organizer)}"},
        "anonymous": {},
    }
    async with httpx.AsyncClient() as http:
        document = (await http.get(f"{server}/api/v1/openapi.json", timeout=30)).json()
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        operations += 1
        for caller, headers in callers.items():
            fuzz = _fuzzer(operation, server, headers)
            try:
                await _in_thread(fuzz)
            except (Exception, BaseExceptionGroup) as error:  # collected, then reported together
                failures.append(f"{operation.method.upper()} {operation.path} as {caller}:\n{error}"[:3000])
    assert operations > 100  # the whole document was fuzzed, not an empty one
    assert not failures, f"{len(failures)} fuzzing failures:\n\n" + "\n\n".join(failures)


def _fuzzer(operation: Any, server: str, headers: dict[str, str]) -> Any:
    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def fuzz(case: Any) -> None:
        case.call_and_validate(base_url=server, headers=headers, checks=CHECKS, timeout=30)

    return fuzz


async def _in_thread(function: Any) -> None:
    """Runs the (synchronous, blocking) hypothesis test off the event loop the factories use."""
    import asyncio

    await asyncio.to_thread(function)

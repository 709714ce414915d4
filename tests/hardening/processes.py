"""A TixMo stack as real processes for the crash-safety and the coalescer-flood tests: ``tixmo serve
--workers N`` (its own process group, so a SIGKILL takes the supervisor and its API workers at once, as a
lost machine or container would) and one ``tixmo worker``, on a database of their own created for the
test; and the helpers both tests use to drive it over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy.engine import make_url

from tests.conftest import TEST_SECRET
from tixmo.db import libpq_conninfo
from tixmo.migrate import upgrade


async def until(what: str, condition: Callable[[], Awaitable[bool]], deadline: float) -> None:
    """Poll ``condition`` until it holds; fail once ``deadline`` (``time.monotonic()``) has passed."""
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@contextlib.contextmanager
def dedicated_database(server_url: str, name: str) -> Iterator[str]:
    """A fresh database ``name`` on the server of ``server_url``, built by the migrations; dropped after.
    The processes under test get it to themselves: the suite's shared test database (truncated after
    every test, its jobs run by the tests' own workers) is not touched."""
    admin = psycopg.connect(libpq_conninfo(_with_database(server_url, "postgres")), autocommit=True)
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        url = _with_database(server_url, name)
        upgrade(url)
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@dataclass
class Stack:
    """``tixmo serve --workers api_workers`` on ``port`` and ``tixmo worker``; each start is a new
    generation with its own log files in ``logs``."""

    env: dict[str, str]
    port: int
    logs: Path
    api_workers: int = 2
    worker_concurrency: int = 2
    api: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    generation: int = 0
    _files: list[Path] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        path = self.logs / f"{name}-{self.generation}.log"
        self._files.append(path)
        with path.open("wb") as out:
            return subprocess.Popen(  # noqa: S603 - our own CLI
                [sys.executable, "-m", "tixmo.cli", *args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own: killpg reaches its children
            )

    def start(self) -> None:
        self.generation += 1
        self.api = self._spawn("api", "serve", "--workers", str(self.api_workers), "--port", str(self.port))
        self.worker = self._spawn("worker", "worker", "--concurrency", str(self.worker_concurrency))

    async def ready(self, deadline: float) -> None:
        """Wait until the API answers ``/health`` (any of its processes)."""
        async with httpx.AsyncClient(base_url=self.url, timeout=5) as http:

            async def healthy() -> bool:
                for process in (self.api, self.worker):
                    assert process is not None and process.poll() is None, self.tail()
                try:
                    return (await http.get("/health")).status_code == 200
                except httpx.TransportError:
                    return False

            await until("the API to answer /health", healthy, deadline)

    def kill(self) -> None:
        """SIGKILL the API (supervisor and workers) and the job worker: no clean-up of any kind runs."""
        for process in (self.api, self.worker):
            assert process is not None
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        for process in (self.api, self.worker):
            assert process is not None
            process.wait()

    def stop(self) -> None:
        """The end of the test: SIGTERM (graceful), SIGKILL what does not stop in time."""
        for process in (self.api, self.worker):
            if process is not None and process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in (self.api, self.worker):
            if process is None:
                continue
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def tail(self, lines: int = 25) -> str:
        parts = []
        for path in self._files:
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path.name}\n" + "\n".join(text))
        return "\n".join(parts)


def stack_env(url: str, data_dir: Path, **settings: str) -> dict[str, str]:
    """The processes' environment: this one without any ``TIXMO_`` setting, then a test stack's (its
    database, data and metrics directories, cheap hashing, no rate limits, no demo data, no in-process
    job worker), then ``settings`` (``TIXMO_…`` names)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TIXMO_")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    (data_dir / "metrics").mkdir(parents=True)
    return env | {
        "PROMETHEUS_MULTIPROC_DIR": str(data_dir / "metrics"),  # kept by SIGKILLed servers: ours
        "TIXMO_ENV": "test",
        "TIXMO_DATABASE_URL": url,
        "TIXMO_DATA_DIR": str(data_dir),
        "TIXMO_SECRET_KEY": TEST_SECRET,
        "TIXMO_RUN_WORKER": "false",
        "TIXMO_SEED_DEMO": "false",
        "TIXMO_RATE_LIMIT_ENABLED": "false",
        "TIXMO_ARGON2_TIME_COST": "1",
        "TIXMO_ARGON2_MEMORY_KIB": "1024",
        **settings,
    }


def created(response: httpx.Response, status: int = 201) -> dict[str, Any]:
    """The JSON body of an answer that must have ``status``."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def register(http: httpx.AsyncClient, role: str) -> tuple[str, dict[str, str]]:
    """A new account of ``role`` registered through the API: its email and its Authorization header."""
    email = f"stack-{uuid.uuid4().hex[:10]}@example.com"
    body = {"email": email, "password": "Stack-Passw0rd", "firstName": "S", "lastName": "T", "role": role}
    token = created(await http.post("/api/v1/auth/register", json=body))["accessToken"]
    return email, {"Authorization": f"Bearer {token}"}


async def promoter_event(http: httpx.AsyncClient, name: str) -> tuple[dict[str, str], str]:
    """A new promoter, its organization and a DRAFT event in 2031, through the API: the promoter's
    Authorization header and the event's id."""
    _, staff = await register(http, "PROMOTER")
    org = created(
        await http.post("/api/v1/organizations", json={"name": name, "type": "OTHER"}, headers=staff)
    )
    event = created(
        await http.post(
            "/api/v1/events",
            json={
                "organizationId": org["id"],
                "name": name,
                "category": "CONCERT",
                "startsAt": "2031-07-05T19:30:00Z",
                "endsAt": "2031-07-05T23:00:00Z",
            },
            headers=staff,
        )
    )
    return staff, str(event["id"])


async def ticket_type(http: httpx.AsyncClient, staff: dict[str, str], event_id: str, **fields: Any) -> str:
    """A ticket type of ``event_id`` made through the API (``fields``: its JSON body); its id."""
    made = await http.post(f"/api/v1/events/{event_id}/ticket-types", json=fields, headers=staff)
    return str(created(made)["id"])

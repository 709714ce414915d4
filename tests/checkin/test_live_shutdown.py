"""A server told to stop (SIGTERM) ends its open live streams at once, each with a final ``shutdown``
event, instead of waiting out its whole graceful-shutdown period for streams that never end.

A real uvicorn process (as ``tixmo serve`` runs it: uvloop, httptools) on the test database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from asyncio import FIRST_COMPLETED
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import make_shop
from tests.checkin.test_stats_live import _events, _next
from tests.conftest import TEST_SECRET
from tests.test_serve import _free_port
from tixmo.checkin import live
from tixmo.deps import AppContext

# Far longer than the test may take: with streams that do not end, the old server waited all of it.
GRACE_SECONDS = 600
DEADLINE_SECONDS = 60  # a guard against a hang, not a timing assertion


async def test_sigterm_ends_open_streams_with_a_shutdown_event_and_the_server_exits(
    session: AsyncSession, context: AppContext, database_url: str, tmp_path: Path
) -> None:
    shop = await make_shop(session, context)
    port = _free_port()
    env = {
        **os.environ,
        "TIXMO_DATABASE_URL": database_url,
        "TIXMO_SECRET_KEY": TEST_SECRET,
        "TIXMO_DATA_DIR": str(tmp_path),
        "TIXMO_RUN_WORKER": "false",
        "TIXMO_SEED_DEMO": "false",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "tixmo.app:create_app",
        "--factory",
        "--port",
        str(port),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--timeout-graceful-shutdown",
        str(GRACE_SECONDS),
    ]
    process = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    output: list[str] = []
    started = asyncio.Event()
    reader = asyncio.create_task(_read_lines(process, output, started))
    try:
        waiter = asyncio.create_task(started.wait())
        async with asyncio.timeout(DEADLINE_SECONDS):  # guards against a hang, not timing assertions
            await asyncio.wait({waiter, reader}, return_when=FIRST_COMPLETED)
        waiter.cancel()
        assert started.is_set(), "the server exited before it started:\n" + "".join(output)
        url = f"http://127.0.0.1:{port}/api/v1/events/{shop.event.id}/live"
        async with AsyncExitStack() as stack:
            remote = await stack.enter_async_context(httpx.AsyncClient(timeout=DEADLINE_SECONDS))
            streams: list[AsyncIterator[dict[str, Any]]] = []
            for _ in range(2):
                response = await stack.enter_async_context(
                    remote.stream("GET", url, headers=shop.staff_headers)
                )
                assert response.status_code == 200
                stream = _events(response.aiter_lines())
                assert (await _next(stream, "occupancy"))["data"]["occupancy"] == 0
                streams.append(stream)

            process.send_signal(signal.SIGTERM)

            for stream in streams:
                async with asyncio.timeout(DEADLINE_SECONDS):
                    rest = [event async for event in stream if "heartbeat" not in event]
                # The stream ended (the loop above finished) right after its final event.
                assert rest[-1]["event"] == "shutdown", rest
                assert rest[-1]["retry"] == str(live.SHUTDOWN_RETRY_MS)
                assert "id" not in rest[-1]  # Last-Event-ID stays on the last scan
                assert rest[-1]["data"]["reconnect"] is True

        async with asyncio.timeout(DEADLINE_SECONDS):
            code = await process.wait()
            await reader
        # uvicorn re-raises the signal once shutdown is complete, so the exit status names SIGTERM.
        assert code in (0, -signal.SIGTERM)
        log = "".join(output)
        assert "app.stopped" in log
        assert "timeout graceful shutdown exceeded" not in log
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        reader.cancel()


async def _read_lines(process: asyncio.subprocess.Process, into: list[str], started: asyncio.Event) -> None:
    """The server's log lines, as they come (so its pipe never fills); ``started`` once it serves."""
    assert process.stderr is not None
    async for raw in process.stderr:
        line = raw.decode(errors="replace")
        into.append(line)
        if "Application startup complete" in line:
            started.set()

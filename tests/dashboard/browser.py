"""The browser tests' parts: a real HTTP server that can be stopped and started again on its port, and
Debian's Chromium driven by Playwright (never a browser download)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from tests.conftest import make_settings
from tixmo.app import create_app

CHROMIUM = os.environ.get("TIXMO_TEST_CHROMIUM", "/usr/bin/chromium")


def chromium_or_skip() -> str:
    """Debian's Chromium (the ``chromium`` package; ``.ci/run`` installs it). Missing: a skip with the
    reason locally, a failure on CI (``CI`` set), where it must be there."""
    found = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).is_file() else None)
    if found is None:
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set TIXMO_TEST_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


class LiveServer:
    """The app served by uvicorn on a fixed port; ``stop`` and ``start`` again, as a restart would."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self._database_url = database_url
        self._data_dir = data_dir
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.base = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._socket: socket.socket | None = None
        self.app: FastAPI | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    async def start(self) -> None:
        assert self._task is None
        self.app = create_app(
            make_settings(self._data_dir, live_heartbeat_seconds=1), database_url=self._database_url
        )
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)  # connections wait in the backlog until the server runs: no start-up race
        self._socket = sock
        # A short graceful period: open live streams are cut, as a crash or a deploy would.
        config = uvicorn.Config(self.app, log_level="warning", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))

    async def stop(self) -> None:
        assert self._server is not None and self._task is not None and self._socket is not None
        self._server.should_exit = True
        await asyncio.wait_for(self._task, 30)
        self._socket.close()
        self._server = self._task = self._socket = None

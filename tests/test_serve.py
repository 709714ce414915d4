"""``tixmo serve`` end to end: a real uvicorn process, demo data, graceful stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from tixmo.demo import DEMO_LOGINS


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_line(process: subprocess.Popen[str], marker: str, seen: list[str]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        seen.append(line)
        if marker in line:
            return
    pytest.fail("the server exited before printing " + repr(marker) + ":\n" + "".join(seen))


def test_serve_migrates_seeds_serves_and_stops_gracefully(database_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "TIXMO_DATABASE_URL": database_url,
        "TIXMO_DATA_DIR": str(tmp_path),
        "TIXMO_SEED_DEMO": "true",
        "TIXMO_RUN_WORKER": "true",
        "TIXMO_ARGON2_TIME_COST": "1",
        "TIXMO_ARGON2_MEMORY_KIB": "1024",
    }
    command = [sys.executable, "-m", "tixmo.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603
    # A watchdog, not a synchronisation: a hung server is killed, its output ends and the test fails.
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    seen: list[str] = []
    try:
        _wait_for_line(process, "Application startup complete", seen)
        output = "".join(seen)
        assert f"http://127.0.0.1:{port}/api/v1/docs" in output
        for login in DEMO_LOGINS:
            assert login.email in output

        base = f"http://127.0.0.1:{port}"
        health = httpx.get(f"{base}/health", timeout=10)
        assert health.status_code == 200
        assert health.json()["database"]["status"] == "ok"
        docs = httpx.get(f"{base}/api/v1/docs", timeout=10)
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        login = DEMO_LOGINS[1]
        response = httpx.post(
            f"{base}/api/v1/auth/login", json={"email": login.email, "password": login.password}, timeout=10
        )
        assert response.status_code == 200, response.text

        process.send_signal(signal.SIGTERM)
        _wait_for_line(process, "app.stopped", seen)
        # uvicorn re-raises the signal once its graceful shutdown is complete; serve then exits 0.
        assert process.wait(timeout=30) == 0
        assert "worker=True" in "".join(seen)  # the in-process job worker ran inside the API process
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()

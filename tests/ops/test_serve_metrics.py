"""``tixmo serve --workers 2``: /metrics answered by either process counts the requests of both
(prometheus-client's multiprocess mode in a directory the command makes and removes)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import psutil

from tests.ops.helpers import parse, value
from tests.test_serve import _free_port, _wait_for_line

REQUESTS = 40


def test_serve_workers_share_their_metrics(database_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "TIXMO_DATABASE_URL": database_url, "TIXMO_DATA_DIR": str(tmp_path)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [sys.executable, "-m", "tixmo.cli", "serve", "--port", str(port), "--workers", "2"]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603
    watchdog = threading.Timer(120, process.kill)  # a watchdog, not a synchronisation
    watchdog.start()
    seen: list[str] = []
    directory = Path()
    try:
        for _ in range(2):  # each worker process says so
            _wait_for_line(process, "Application startup complete", seen)
        children = psutil.Process(process.pid).children()
        directory = Path(children[0].environ()["PROMETHEUS_MULTIPROC_DIR"])
        for _ in range(REQUESTS):
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as fresh:  # a new connection each
                assert fresh.get("/api/v1/health").status_code == 200
        labels = {"method": "GET", "route": "/api/v1/health", "status": "200"}
        for _ in range(6):
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as fresh:
                scrape = fresh.get("/metrics")
            assert scrape.status_code == 200
            # Whichever process answered the scrape, it counts both processes' requests.
            assert value(parse(scrape.text), "tixmo_http_requests_total", **labels) == REQUESTS
        writers = {path.stem.rsplit("_", 1)[-1] for path in directory.glob("counter_*.db")}
        # Both API processes write there (besides the supervising parent, which imports the metrics).
        assert len(writers & {str(child.pid) for child in children}) == 2, (writers, children)
    finally:
        process.terminate()
        process.wait(timeout=60)
        watchdog.cancel()
    assert not directory.exists()  # removed on the way out

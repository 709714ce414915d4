"""The embedded PostgreSQL of ``tixmo serve``, with real processes: whoever started it stops it on the way
out (SIGINT, SIGTERM, with ``--workers``), a second ``serve`` on the same data directory shares it, and a
server left behind by a crash (a SIGKILLed ``serve``, a stale ``postmaster.pid``) is recovered on the next
start and stopped when that one stops.

Each test gets its own data directory; the embedded test server of the suite is not involved.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.conftest import ROOT
from tests.test_serve import _free_port

START_SECONDS = 120  # deadline for a start (initdb, migrations) on a loaded machine
STOP_SECONDS = 60


def _until(what: str, condition: Callable[[], bool], seconds: float) -> None:
    """Poll ``condition`` until it holds; fail the test when ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


class Serve:
    """One ``tixmo serve`` process on an embedded PostgreSQL in ``data_dir``."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        self.port = _free_port()
        self.log = data_dir / f"serve-{self.port}.log"
        env = {key: value for key, value in os.environ.items() if not key.startswith("TIXMO_")}
        env.update(
            {
                "TIXMO_DATA_DIR": str(data_dir),
                "TIXMO_SEED_DEMO": "false",
                "TIXMO_ARGON2_TIME_COST": "1",
                "TIXMO_ARGON2_MEMORY_KIB": "1024",
            }
        )
        command = [sys.executable, "-m", "tixmo.cli", "serve", "--port", str(self.port), *args]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603
                command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def output(self) -> str:
        return self.log.read_text()

    def healthy(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"serve exited ({self.process.returncode}):\n{self.output()}")
        try:
            response = httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=5)
        except httpx.TransportError:
            return False
        return response.status_code == 200 and response.json()["database"]["status"] == "ok"

    def wait_healthy(self) -> None:
        _until(f"serve on port {self.port} to answer /health", self.healthy, START_SECONDS)

    def stop(self, sig: signal.Signals) -> int:
        """SIGINT as Ctrl-C sends it, to the whole process group (uvicorn's worker processes too);
        SIGTERM as a supervisor sends it, to the ``serve`` process alone."""
        if sig == signal.SIGINT:
            os.killpg(self.process.pid, sig)
        else:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"serve did not stop on {sig.name}:\n{self.output()}")

    def port_closed(self) -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) != 0

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def postmaster(pg_dir: Path) -> psutil.Process | None:
    """The running postmaster of ``pg_dir`` (found by its command line, not by postmaster.pid)."""
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and str(pg_dir) in cmdline and "-D" in cmdline:
            return process
    return None


def postgres_tree(pg_dir: Path) -> list[psutil.Process]:
    """The postmaster of ``pg_dir`` and every process it started (checkpointer, backends, …)."""
    main = postmaster(pg_dir)
    assert main is not None, f"no PostgreSQL runs on {pg_dir}"
    return [main, *main.children(recursive=True)]


def assert_gone(processes: list[psutil.Process]) -> None:
    _gone, alive = psutil.wait_procs(processes, timeout=STOP_SECONDS)
    assert alive == [], f"still running: {alive}"


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data directory of its own (in the checkout: pytest's shared temporary directories are pruned
    by other runs); a PostgreSQL a failed test leaves running there is stopped."""
    parent = ROOT / ".tixmo-data"
    parent.mkdir(exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="serve-", dir=parent))
    yield path
    left = postmaster(path / "pg")
    if left is not None:
        left.send_signal(signal.SIGINT)  # fast shutdown
        _gone, alive = psutil.wait_procs([left], timeout=STOP_SECONDS)
        for process in alive:
            process.kill()
    shutil.rmtree(path, ignore_errors=True)


def test_stopping_serve_stops_the_postgres_it_started(data_dir: Path) -> None:
    pg_dir = data_dir / "pg"
    for sig, workers in itertools.product((signal.SIGINT, signal.SIGTERM), ("1", "2")):
        serve = Serve(data_dir, "--workers", workers)
        try:
            serve.wait_healthy()
            tree = postgres_tree(pg_dir)
            status = serve.stop(sig)
            assert status in (0, -sig), f"{sig.name}, --workers {workers}: {serve.output()}"
            assert_gone(tree)
            assert postmaster(pg_dir) is None
            assert serve.port_closed()
        finally:
            serve.kill()


def test_a_second_serve_on_the_same_data_dir_shares_the_database(data_dir: Path) -> None:
    pg_dir = data_dir / "pg"
    first = Serve(data_dir)
    second: Serve | None = None
    try:
        first.wait_healthy()
        tree = postgres_tree(pg_dir)
        second = Serve(data_dir, "--workers", "2")
        second.wait_healthy()
        assert postgres_tree(pg_dir)[0].pid == tree[0].pid  # joined, not a second server

        # The first one leaves: the database stays up under the second one.
        assert first.stop(signal.SIGINT) in (0, -signal.SIGINT), first.output()
        assert first.port_closed()
        assert tree[0].is_running()
        assert second.healthy()

        # The last one leaves: the database goes with it.
        assert second.stop(signal.SIGTERM) in (0, -signal.SIGTERM), second.output()
        assert_gone(tree)
        assert second.port_closed()
    finally:
        first.kill()
        if second is not None:
            second.kill()


def test_a_postgres_left_by_a_killed_serve_is_taken_over_and_stopped(data_dir: Path) -> None:
    pg_dir = data_dir / "pg"
    crashed = Serve(data_dir)
    try:
        crashed.wait_healthy()
        tree = postgres_tree(pg_dir)
        crashed.process.kill()  # SIGKILL: no clean-up runs
        crashed.process.wait()
        assert tree[0].is_running()  # the orphan the next start has to deal with
    finally:
        crashed.kill()

    again = Serve(data_dir)
    try:
        again.wait_healthy()
        assert postgres_tree(pg_dir)[0].pid == tree[0].pid
        assert again.stop(signal.SIGINT) in (0, -signal.SIGINT), again.output()
        assert_gone(tree)
        assert postmaster(pg_dir) is None
    finally:
        again.kill()


def test_a_stale_postmaster_pid_naming_a_live_process_is_recovered(data_dir: Path) -> None:
    """After a crash and a reboot, ``postmaster.pid`` may name a PID that another process now has."""
    pg_dir = data_dir / "pg"
    first = Serve(data_dir)
    try:
        first.wait_healthy()
        tree = postgres_tree(pg_dir)
        lock = (pg_dir / "postmaster.pid").read_text()
        first.stop(signal.SIGINT)
        assert_gone(tree)
    finally:
        first.kill()

    # The lock file of a server that died without removing it, whose PID another process has now.
    waits = [sys.executable, "-c", "import sys; sys.stdin.read()"]
    bystander = subprocess.Popen(waits, stdin=subprocess.PIPE)  # noqa: S603
    lines = lock.splitlines()
    lines[0] = str(bystander.pid)
    (pg_dir / "postmaster.pid").write_text("\n".join(lines) + "\n")

    again = Serve(data_dir)
    try:
        again.wait_healthy()
        tree = postgres_tree(pg_dir)
        assert again.stop(signal.SIGINT) in (0, -signal.SIGINT), again.output()
        assert_gone(tree)
        assert bystander.poll() is None  # the process that has the stale PID is left alone
    finally:
        again.kill()
        bystander.kill()
        bystander.wait()

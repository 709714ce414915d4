"""``tixmo worker`` end to end: a separate process picks up a job deferred by a committed transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_user
from tests.test_serve import _wait_for_line
from tixmo import jobs
from tixmo.accounts.models import RefreshToken
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.security import hash_token


async def test_worker_process_runs_a_committed_job(
    session: AsyncSession, context: AppContext, database_url: str, tmp_path: Path
) -> None:
    user = await create_user(session, context)
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=uuid.uuid4(),
            token_hash=hash_token(uuid.uuid4().hex),
            expires_at=utcnow() - timedelta(minutes=1),
        )
    )
    await session.commit()

    env = {**os.environ, "TIXMO_DATABASE_URL": database_url, "TIXMO_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "tixmo.cli", "worker", "--concurrency", "1"]
    # Blocking reads of the worker's output are fine here: nothing else runs on this loop meanwhile.
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603, ASYNC220
    watchdog = threading.Timer(120, process.kill)  # a hung worker is killed and the test fails
    watchdog.start()
    seen: list[str] = []
    try:
        _wait_for_line(process, "Starting worker", seen)
        await jobs.enqueue(session, "accounts.purge_expired_refresh_tokens")
        await session.commit()
        _wait_for_line(process, "refresh_tokens.purged", seen)
        assert await session.scalar(select(RefreshToken.id)) is None
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
        assert process.stderr is not None
        assert "Stopped worker" in "".join(seen) + process.stderr.read()  # a graceful stop
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()

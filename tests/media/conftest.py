"""Fixtures for the image tests: a real S3 API server (moto's standalone server, on 127.0.0.1 and a free
port, started here) and a second TixMo app on the same database that stores its images there.

``client``/``context``/``settings`` (tests/conftest.py) are the default app: files under its data dir.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import boto3
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_settings
from tests.media.helpers import Scene, make_scene
from tixmo.app import create_app
from tixmo.config import Settings
from tixmo.deps import AppContext

BUCKET = "tixmo-images"
PREFIX = "test/media"
ACCESS_KEY, SECRET_KEY = "tixmo-test-key", "tixmo-test-secret"


@dataclass
class S3Server:
    url: str
    process: subprocess.Popen[bytes]

    def client(self) -> object:
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_moto(port: int) -> S3Server:
    """moto's S3 server in a process of its own; returns once it answers (within 30 s)."""
    process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/moto-api/", timeout=1).status_code == 200:
                return S3Server(url, process)
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("moto's S3 server did not start")
        time.sleep(0.05)  # polling the server's readiness, with a deadline


def stop_moto(server: S3Server) -> None:
    server.process.terminate()
    server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    server = start_moto(_free_port())
    server.client().create_bucket(Bucket=BUCKET)  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        stop_moto(server)


def s3_settings_for(tmp: object, endpoint: str, **overrides: object) -> Settings:
    return make_settings(
        tmp,  # type: ignore[arg-type]
        storage_url=f"s3://{BUCKET}/{PREFIX}",
        s3_endpoint_url=endpoint,
        s3_region="us-east-1",
        s3_access_key_id=ACCESS_KEY,
        s3_secret_access_key=SECRET_KEY,
        s3_addressing_style="path",
        **overrides,
    )


@pytest.fixture(scope="session")
def s3_settings(tmp_path_factory: pytest.TempPathFactory, s3_server: S3Server) -> Settings:
    return s3_settings_for(tmp_path_factory.mktemp("s3-data"), s3_server.url)


@pytest.fixture(scope="session")
async def s3_app(s3_settings: Settings, database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(s3_settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
def s3_context(s3_app: FastAPI) -> AppContext:
    ctx: AppContext = s3_app.state.context
    return ctx


@pytest.fixture
async def s3_client(s3_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=s3_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as http:
        yield http


@pytest.fixture(autouse=True)
def _empty_media_dir(settings: Settings) -> None:
    """The default app's image files start empty in every test, like its tables."""
    shutil.rmtree(settings.media_dir, ignore_errors=True)


@pytest.fixture
async def scene(session: AsyncSession, context: AppContext) -> Scene:
    return await make_scene(session, context)

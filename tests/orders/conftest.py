"""Fixtures shared by the order tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import app_client
from tixmo.config import Settings


@pytest.fixture
async def second_process(settings: Settings, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A second API process: its own app, pool and coalescer on the same database."""
    async with app_client(settings, database_url) as http:
        yield http

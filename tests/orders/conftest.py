"""Fixtures shared by the order tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tixmo.app import create_app
from tixmo.config import Settings


@pytest.fixture
async def second_process(settings: Settings, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A second API process: its own app, pool and coalescer on the same database."""
    application: FastAPI = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as http:
            yield http

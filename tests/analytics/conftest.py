from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics import dataset
from tests.analytics.dataset import World
from tixmo.deps import AppContext


@pytest.fixture
async def world(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> World:
    """The report tests' data set (``tests/analytics/dataset.py``), built through the API."""
    return await dataset.build(client, session, context)

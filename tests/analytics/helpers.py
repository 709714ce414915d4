"""Calls of the report endpoints shared by the analytics tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.analytics.dataset import FROM, TO, World
from tixmo.analytics import rollup
from tixmo.deps import AppContext

REPORTS = ("sales", "events", "customers", "promo-codes", "dashboard", "funnel")


def params(world: World | None = None, org: str | None = "A", **extra: Any) -> dict[str, str]:
    values: dict[str, Any] = {"from": FROM.isoformat(), "to": TO.isoformat()}
    if world is not None and org is not None:
        values["organizationId"] = str(world.orgs[org])
    values.update(extra)
    return {key: str(value) for key, value in values.items() if value is not None}


async def report(
    client: httpx.AsyncClient, name: str, headers: dict[str, str], query: dict[str, str]
) -> dict[str, Any]:
    response = await client.get(f"/analytics/{name}", params=query, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def build_rollup(context: AppContext, until: datetime | None = None) -> datetime | None:
    """Add every paid order (or those paid before ``until``) to the rollups, settling nothing."""
    return await rollup.refresh(context.database.sessionmaker, settle=timedelta(0), until=until)

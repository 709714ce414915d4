"""A path under /api/v1 whose first segment no route has is answered 404 by the first route
(``tixmo.unrouted``), with exactly the problem the router's own miss gives; every other path is routed as
before."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tixmo import unrouted
from tixmo.app import API_PREFIX


def _problem(response: httpx.Response) -> dict[str, Any]:
    """A 404 problem without what differs from one request to the next."""
    body: dict[str, Any] = response.json()
    return {k: v for k, v in body.items() if k not in ("instance", "requestId", "traceId")}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/__bench_trivial"),
        ("GET", "/no-such-thing/deeper/still?x=1"),
        ("POST", "/nothing"),
        ("DELETE", "/nothing/1"),
    ],
)
async def test_an_unknown_first_segment_gets_the_routers_own_404(
    client: httpx.AsyncClient, app: FastAPI, method: str, path: str
) -> None:
    first = app.router.routes[0]
    assert isinstance(first, unrouted.UnknownApiPath)
    fast = await client.request(method, path)
    # The router's own miss: a known first segment, a path below it that no route has.
    slow = await client.request(method, "/events/00000000-0000-0000-0000-000000000000/no-such-thing/x")
    assert fast.status_code == slow.status_code == 404
    assert fast.headers["content-type"] == slow.headers["content-type"] == "application/problem+json"
    assert _problem(fast) == _problem(slow)
    assert {k for k in fast.headers if k.startswith("x-")} == {k for k in slow.headers if k.startswith("x-")}


def test_it_matches_only_unknown_first_segments_under_the_prefix(app: FastAPI) -> None:
    first = app.router.routes[0]
    assert isinstance(first, unrouted.UnknownApiPath)
    known = unrouted.first_segments(app, API_PREFIX)
    assert known is not None and {"scanners", "events", "orders", "docs", "openapi.json"} <= known

    def matched(path: str) -> bool:
        return first.matches({"type": "http", "path": path, "method": "GET"})[0].name == "FULL"

    assert matched(f"{API_PREFIX}/__bench_trivial")
    assert matched(f"{API_PREFIX}/nope/events")
    for routed in (
        f"{API_PREFIX}/events",
        f"{API_PREFIX}/events/123/nope",
        f"{API_PREFIX}/",  # the router decides (a redirect, a 404)
        f"{API_PREFIX}",
        "/health",
        "/metrics",
        "/dashboard/x",
        "/api/v2/events",
    ):
        assert not matched(routed), routed
    assert first.matches({"type": "websocket", "path": f"{API_PREFIX}/nope"})[0].name != "FULL"


def test_a_route_whose_first_segment_is_a_parameter_turns_it_off() -> None:
    """The negative control: with a route like ``/api/v1/{anything}``, any segment may be routed."""
    app = FastAPI()

    @app.get(f"{API_PREFIX}/{{anything}}")
    async def anything(anything: str) -> str:
        return anything

    assert unrouted.first_segments(app, API_PREFIX) is None
    unrouted.install(app, API_PREFIX)
    first = app.router.routes[0]
    assert isinstance(first, unrouted.UnknownApiPath)
    assert first.matches({"type": "http", "path": f"{API_PREFIX}/whatever"})[0].name == "NONE"


async def test_a_route_added_after_start_up_is_not_hidden(app: FastAPI, client: httpx.AsyncClient) -> None:
    assert (await client.get("/added-later")).status_code == 404

    @app.get(f"{API_PREFIX}/added-later")
    async def added() -> dict[str, bool]:
        return {"added": True}

    try:
        answer = await client.get("/added-later")
        assert (answer.status_code, answer.json()) == (200, {"added": True})
    finally:
        app.router.routes.pop()  # the shared app as it was

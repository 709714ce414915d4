"""The route table: every route runs on the event loop, and no route is hidden behind an earlier one.

No endpoint and no dependency is a plain ``def``: FastAPI runs a plain ``def`` endpoint or dependency in a
worker thread (a queue put, a thread wake-up and a capacity-limiter round per call). On the gate's scan, whose
scanner-token check was such a dependency, that handoff cost about 5 % of the API process's CPU per scan
(py-spy under ``bench/checkin.py``). TixMo's dependencies do no blocking work (a token's signature check
is a few microseconds), so they are all ``async``.

The routers are ordered by how often they are called (``app._include_routes``: the gate's scan first, then
the attendance figures and orders), as FastAPI tries the routes in order. Moving a router is safe only if no
route then answers for another: a route whose path template matches another's path, for a method both take,
placed before it would take its requests.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import compile_path


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every API route in the order FastAPI tries them, with its full path."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):  # an included router
            yield from _routes(route.original_router.routes, prefix + route.include_context.prefix)
        elif getattr(route, "routes", None):  # a mount
            yield from _routes(route.routes, prefix + getattr(route, "path", ""))


def _hidden(table: list[tuple[str, set[str]]]) -> list[tuple[str, str]]:
    """(earlier, later) pairs where the earlier template matches the later one's path (each parameter
    given a sample value) for a method both take: the later route would never be reached with it."""
    found = []
    for j, (later, later_methods) in enumerate(table):
        sample = re.sub(r"\{[^}]+\}", "sample", later)
        for earlier, methods in table[:j]:
            if methods & later_methods and compile_path(earlier)[0].match(sample):
                found.append((earlier, later))
    return found


def _on_the_loop(call: Any) -> bool:
    return (
        inspect.iscoroutinefunction(call)
        or inspect.isasyncgenfunction(call)
        or (not inspect.isfunction(call) and inspect.iscoroutinefunction(type(call).__call__))  # a scheme
    )


def _threaded(dependant: Dependant) -> Iterator[str]:
    for sub in dependant.dependencies:
        if sub.call is not None and not _on_the_loop(sub.call):
            yield getattr(sub.call, "__qualname__", repr(sub.call))
        yield from _threaded(sub)


def test_no_endpoint_or_dependency_runs_in_a_thread(app: FastAPI) -> None:
    routes = [route for _, route in _routes(app.routes)]
    assert len(routes) > 100  # the walk reaches the included routers
    threaded = {
        f"{sorted(route.methods)} {route.path}: {name}"
        for route in routes
        for name in ([] if _on_the_loop(route.endpoint) else [route.endpoint.__qualname__])
        + list(_threaded(route.dependant))
    }
    assert threaded == set()


def test_the_walk_sees_a_plain_def_dependency(app: FastAPI) -> None:
    """Negative control: a plain ``def`` dependency is reported."""

    def plain() -> int:
        return 1

    dependant = Dependant(dependencies=[Dependant(call=plain)])
    assert list(_threaded(dependant)) == [plain.__qualname__]


def test_no_route_is_hidden_behind_an_earlier_one(app: FastAPI) -> None:
    table = [(path, set(route.methods)) for path, route in _routes(app.routes)]
    paths = [path for path, _ in table]
    # The most frequent requests are tried first: the gate's scan, then a flash sale's order.
    assert paths.index("/api/v1/scanners/scan") < 10
    assert paths.index("/api/v1/orders") < paths.index("/api/v1/auth/login")
    assert _hidden(table) == []


def test_a_hidden_route_is_reported() -> None:
    """Negative control: the bulk route after the single-item route of the same method is hidden."""
    single, bulk = (
        "/api/v1/events/{eventId}/ticket-types/{ticketTypeId}",
        "/api/v1/events/{eventId}/ticket-types/bulk",
    )
    assert _hidden([(single, {"PUT"}), (bulk, {"PUT"})]) == [(single, bulk)]
    assert _hidden([(bulk, {"PUT"}), (single, {"PUT"})]) == []
    assert _hidden([(single, {"DELETE"}), (bulk, {"PUT"})]) == []  # another method: a 405 is not taken

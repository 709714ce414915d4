"""Every route runs on the event loop: no endpoint and no dependency is a plain ``def``.

FastAPI runs a plain ``def`` endpoint or dependency in a worker thread: a queue put, a thread wake-up and a
capacity-limiter round per call. On the gate's scan, whose scanner-token check was such a dependency, that
handoff cost about 5 % of the API process's CPU per scan (py-spy under ``bench/checkin.py``). TixMo's
dependencies do no blocking work (a token's signature check is a few microseconds), so they are all ``async``.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router
            yield from _routes(route.original_router.routes)
        elif getattr(route, "routes", None):  # a mount
            yield from _routes(route.routes)


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
    routes = list(_routes(app.routes))
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

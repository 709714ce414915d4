"""A request under ``/api/v1`` whose first path segment no route has: answered 404 before the router tries
every route.

FastAPI matches a request against the routes in order, a few µs each, so a path no route has was the most
expensive request there is: it tried all of them (about three times the instructions of an online scan)
before the router's own 404. ``UnknownApiPath`` is the first route: it matches only such a path (the set
of first segments is read from the app's routes, and again whenever their number changes, so a route
added after start-up is never hidden) and raises the very
``HTTPException(404)`` the router raises on a miss, so the answer is the same problem, through the same
handler and middleware. Every other path — a known segment, an unknown path below it, anything outside
the prefix — goes on to the routes as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send


class UnknownApiPath(BaseRoute):
    """Matches ``{prefix}/{segment}…`` when no route's path has that first segment. The segments are read
    again whenever the app's routes change (a route added after start-up is never hidden)."""

    def __init__(self, app: FastAPI, prefix: str) -> None:
        self.app = app
        self.prefix = prefix
        self.start = prefix.rstrip("/") + "/"
        self._routes_seen = -1
        self.segments: frozenset[str] | None = None

    def _known(self) -> frozenset[str] | None:
        routes = len(self.app.router.routes)
        if routes != self._routes_seen:
            self.segments = first_segments(self.app, self.prefix)
            self._routes_seen = routes
        return self.segments

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http":
            path: str = scope["path"]
            if path.startswith(self.start):
                segment = path[len(self.start) :].split("/", 1)[0]
                known = self._known()
                if segment and known is not None and segment not in known:
                    return Match.FULL, {}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise HTTPException(status_code=404)  # what the router raises when no route matches

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)


def _paths(routes: list[Any], prefix: str = "") -> Iterator[str | None]:
    """Every route's full path (a mount's: its prefix), in the app's order; ``None`` for a route of a kind
    not known here."""
    for route in routes:
        if isinstance(route, UnknownApiPath):
            continue
        if hasattr(route, "original_router") and hasattr(route, "include_context"):  # an included router
            yield from _paths(route.original_router.routes, prefix + route.include_context.prefix)
        elif isinstance(getattr(route, "path", None), str):  # a route, a mount
            yield prefix + route.path
        else:
            yield None


def first_segments(app: FastAPI, prefix: str) -> frozenset[str] | None:
    """The first path segments under ``prefix`` of the app's routes; ``None`` when any segment may be
    routed (a route's first segment is a parameter) or a route is of a kind not known here."""
    start = prefix.rstrip("/") + "/"
    segments: set[str] = set()
    for path in _paths(app.routes):
        if path is None:
            return None
        if path.startswith(start):
            segment = path[len(start) :].split("/", 1)[0]
            if "{" in segment:
                return None
            segments.add(segment)
    return frozenset(segments)


def install(app: FastAPI, prefix: str) -> None:
    """Put ``UnknownApiPath`` first."""
    app.router.routes.insert(0, UnknownApiPath(app, prefix))

"""Pure ASGI middleware: request id + access log, security headers, request body size limit, and the NUL
character (which PostgreSQL cannot store in text) refused at the edge."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator, Sequence
from urllib.parse import parse_qsl

import structlog
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tixmo.errors import FieldError, PayloadTooLarge, internal_error_response, problem_response

log = structlog.get_logger("tixmo.access")

# Used with fullmatch: "^...$" would also accept a trailing newline and echo it into a header.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._\-]{1,64}")

HTML_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class RequestContextMiddleware:
    """Gives every request an id (kept from a well-formed ``X-Request-ID``), logs it on every line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID_RE.fullmatch(incoming) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status_code = 500
        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status_code = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            # Starlette renders the 500 outside every middleware, so it would lack the request id:
            # answer it here (the error handler still logs it; the exception goes on to the server).
            if not response_started:
                await internal_error_response()(scope, receive, send_wrapper)
            raise
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                if https:
                    headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", HTML_CSP)
                # RateLimit-* of an API key request (integrations/ratelimits.py), whatever the route answers.
                for name, value in scope.get("state", {}).get("rate_limit_headers", {}).items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_wrapper)


class _BodyTooLarge(PayloadTooLarge):
    """Raised from ``receive`` when a streamed body passes the limit; rendered as 413 by the handlers."""


class BodySizeLimitMiddleware:
    """Answers 413 problem+json for bodies over ``max_bytes``, declared or streamed (chunked). ``overrides``
    give exact paths their own limit, ``pattern_overrides`` paths that match a pattern in full."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        overrides: dict[str, int] | None = None,
        pattern_overrides: Sequence[tuple[re.Pattern[str], int]] = (),
    ) -> None:
        self.app = app
        self.default_max_bytes = max_bytes
        self.overrides = dict(overrides or {})  # exact path -> its own limit
        self.pattern_overrides = list(pattern_overrides)

    def limit_for(self, path: str) -> int:
        if path in self.overrides:
            return self.overrides[path]
        for pattern, limit in self.pattern_overrides:
            if pattern.fullmatch(path):
                return limit
        return self.default_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        too_large = problem_response(
            413,
            "PAYLOAD_TOO_LARGE",
            f"The request body exceeds {max_bytes} bytes.",
            title="Payload too large",
        )
        if declared is not None:
            try:
                declared_size = int(declared)
            except ValueError:
                declared_size = 0
            if declared_size > max_bytes:
                await too_large(scope, receive, send)
                return

        received = 0
        exceeded = False
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    exceeded = True
                    raise _BodyTooLarge(f"The request body exceeds {max_bytes} bytes.")
            return message

        replaced = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started, replaced
            if message["type"] == "http.response.start" and exceeded and not response_started:
                # A response started after the body passed the limit is replaced by the 413: FastAPI
                # turns an exception raised while it reads the body into a generic 400.
                response_started = replaced = True
                await too_large(scope, receive, send)
                return
            if replaced:
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await too_large(scope, receive, send)


# ------------------------------------------------------------------------------------------ NUL

NUL_MESSAGE = "Must not contain a NUL character (U+0000)."
# JSON text holds a NUL only as this escape: a body without it is let through unparsed.
_NUL_ESCAPE = b"\\u0000"


def _name(parts: tuple[str | int, ...]) -> str:
    """A field path as the validation errors name it (``address.city``, ``items.0.name``); a NUL in a
    key is shown as its escape."""
    return ".".join(str(part) for part in parts).replace("\x00", "\\u0000") or "body"


def _nul_fields(value: object, path: tuple[str | int, ...]) -> Iterator[str]:
    """The path of every string of a parsed JSON document, keys included, that holds a NUL."""
    if isinstance(value, str):
        if "\x00" in value:
            yield _name(path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_fields(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                yield _name((*path, key))
            else:
                yield from _nul_fields(item, (*path, key))


def _query_nul_fields(query_string: bytes) -> list[str]:
    if b"%00" not in query_string and b"\x00" not in query_string:
        return []
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return [_name((key,)) for key, value in pairs if "\x00" in key or "\x00" in value]


def _body_nul_fields(body: bytes) -> list[str]:
    if _NUL_ESCAPE not in body:
        return []
    try:
        document = json.loads(body)  # as Starlette parses it for the handler
    except ValueError:
        return []  # not JSON: the handler answers that
    return list(_nul_fields(document, ()))


class NulCharacterMiddleware:
    """Answers 422 ``VALIDATION_ERROR``, naming each field, for a request whose path, query or JSON body
    holds a NUL character (U+0000), which PostgreSQL cannot store in text. One check for every string of
    every endpoint, before any handler runs, so nothing is written. ``exempt`` paths (a webhook whose raw
    body is signed) are passed through untouched.

    A body is read whole before the app sees it (the size limit, outside this middleware, still cuts it
    off) and parsed here only when it contains the escape ``\\u0000``."""

    def __init__(self, app: ASGIApp, exempt: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        fields = _query_nul_fields(scope.get("query_string", b""))
        if "\x00" in scope["path"]:
            fields.insert(0, "path")
        if fields:
            await _refuse(fields)(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay(message, receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        fields = _body_nul_fields(body)
        if fields:
            await _refuse(fields)(scope, receive, send)
            return
        whole: Message = {"type": "http.request", "body": body, "more_body": False}
        await self.app(scope, _replay(whole, receive), send)


def _refuse(fields: list[str]) -> Response:
    errors = [FieldError(field=field, message=NUL_MESSAGE) for field in fields]
    return problem_response(
        422,
        "VALIDATION_ERROR",
        f"Invalid input: {', '.join(sorted(set(fields)))}.",
        title="Validation failed",
        errors=errors,
    )


def _replay(first: Message, receive: Receive) -> Receive:
    """``receive`` that answers ``first``, then whatever the server sends next (a disconnect)."""
    pending = [first]

    async def replayed() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replayed

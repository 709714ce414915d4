"""App-level behaviour: request ids, security headers, problem+json for every failure, health, docs, CORS."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import event, text

from tests.conftest import make_settings
from tests.problems import assert_problem
from tixmo import __version__, transient
from tixmo.app import create_app
from tixmo.db import SKIP_PING_UNTIL, libpq_conninfo, ping_on_checkout
from tixmo.rawsql import driver_connection

MAX_BODY = 65536  # make_settings() default


AppFactory = Callable[..., AbstractAsyncContextManager[FastAPI]]


@pytest.fixture
def build_app(tmp_path: Path, database_url: str) -> AppFactory:
    @asynccontextmanager
    async def factory(database: str | None = None, **overrides: Any) -> AsyncIterator[FastAPI]:
        application = create_app(make_settings(tmp_path, **overrides), database_url=database or database_url)
        async with application.router.lifespan_context(application):
            yield application

    return factory


def client_for(app: FastAPI, base_url: str = "http://testserver/api/v1", **kwargs: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, **kwargs), base_url=base_url)


# ---------------------------------------------------------------------------------------- request id


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    responses = [
        await client.get("/health"),
        await client.get("/auth/me"),
        await client.get("/no/such/path"),
        await client.post("/auth/register", json={}),
    ]
    ids = [response.headers.get("x-request-id") for response in responses]
    assert all(ids), ids
    assert len(set(ids)) == len(ids)


async def test_well_formed_request_id_is_kept(client: httpx.AsyncClient) -> None:
    for incoming in ("abc-123", "trace.id_42", "A" * 64):
        response = await client.get("/health", headers={"X-Request-ID": incoming})
        assert response.headers["x-request-id"] == incoming


@pytest.mark.parametrize("incoming", ["", "has space", "x" * 65, "semi;colon", "<script>", "ü-utf8"])
async def test_malformed_request_id_is_replaced(client: httpx.AsyncClient, incoming: str) -> None:
    response = await client.get("/health", headers={b"X-Request-ID": incoming.encode("utf-8")})
    returned = response.headers["x-request-id"]
    assert returned != incoming
    assert re.fullmatch(r"[A-Za-z0-9._\-]{1,64}", returned)


# ---------------------------------------------------------------------------------- security headers


async def test_security_headers_on_api_responses(client: httpx.AsyncClient) -> None:
    for response in (await client.get("/health"), await client.get("/auth/me")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "strict-transport-security" not in response.headers  # plain http


async def test_hsts_only_over_https(app: FastAPI) -> None:
    async with client_for(app, base_url="https://testserver/api/v1") as https:
        response = await https.get("/health")
    assert response.status_code == 200
    assert "max-age=" in response.headers["strict-transport-security"]


async def test_docs_page_is_html_with_csp(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "swagger" in response.text.lower()
    assert "/api/v1/openapi.json" in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    # The assets it names are served by the API itself (the CSP allows no CDN).
    for asset in re.findall(r"(/api/v1/docs/static/[\w.\-]+)", response.text):
        fetched = await client.get(asset.removeprefix("/api/v1"))
        assert fetched.status_code == 200, asset


async def test_json_responses_carry_no_csp(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert "content-security-policy" not in response.headers


# --------------------------------------------------------------------------------- problem+json errors


async def test_unknown_path_is_problem_404(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/definitely-not-here"), 404, "NOT_FOUND")
    assert body["errors"] == []
    assert_problem(await client.get("http://testserver/elsewhere"), 404, "NOT_FOUND")


async def test_wrong_method_is_problem_405(client: httpx.AsyncClient) -> None:
    response = await client.delete("/auth/login")
    assert_problem(response, 405, "METHOD_NOT_ALLOWED")
    assert "POST" in response.headers["allow"]
    assert response.headers.get("x-request-id")


async def test_declared_body_over_limit_is_413(client: httpx.AsyncClient) -> None:
    payload = b'{"email": "' + b"a" * (MAX_BODY + 1) + b'"}'
    response = await client.post("/auth/login", content=payload, headers={"Content-Type": "application/json"})
    body = assert_problem(response, 413, "PAYLOAD_TOO_LARGE")
    assert str(MAX_BODY) in body["detail"]
    assert response.headers.get("x-request-id")


async def test_body_at_the_limit_is_accepted_by_the_size_check(client: httpx.AsyncClient) -> None:
    payload = b'{"email": "x", "password": "' + b"a" * (MAX_BODY - 40) + b'"}'
    assert len(payload) <= MAX_BODY
    response = await client.post("/auth/login", content=payload, headers={"Content-Type": "application/json"})
    assert response.status_code == 422  # validated (password too long), not rejected for size


async def test_streamed_body_over_limit_is_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"email": "'
        for _ in range(MAX_BODY // 1024 + 2):
            yield b"a" * 1024
        yield b'"}'

    response = await client.post(
        "/auth/register", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    body = assert_problem(response, 413, "PAYLOAD_TOO_LARGE")
    assert str(MAX_BODY) in body["detail"]


async def test_small_streamed_body_is_fine(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"email": "nobody@example.com", '
        yield b'"password": "Wrong1234"}'

    response = await client.post(
        "/auth/login", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 401, "UNAUTHORIZED")


async def test_unhandled_exception_is_problem_500_without_internals(build_app: AppFactory) -> None:
    async with build_app() as application:

        @application.get("/api/v1/_boom")
        async def boom() -> None:
            raise RuntimeError("secret internals: password=hunter2")

        async with client_for(application, raise_app_exceptions=False) as client:
            response = await client.get("/_boom", headers={"X-Request-ID": "boom-1"})
    body = assert_problem(response, 500, "INTERNAL_ERROR")
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    assert body["detail"]
    assert response.headers.get("x-request-id") == "boom-1"


# ------------------------------------------------------------------------------------------- health


@pytest.mark.parametrize("path", ["http://testserver/health", "/health"])
async def test_health_ok(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"status", "database", "redis", "version"}
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["redis"]["status"] == "disabled"
    assert body["version"] == __version__
    assert response.headers["cache-control"] == "no-store"


async def test_health_503_when_database_unreachable(build_app: AppFactory) -> None:
    async with (
        build_app(database="postgresql://postgres@127.0.0.1:1/none") as application,
        client_for(application) as client,
    ):
        for path in ("/health", "http://testserver/health"):
            response = await client.get(path)
            assert response.status_code == 503
            body = response.json()
            assert body["status"] == "degraded"
            assert body["database"]["status"] == "down"
            assert "127.0.0.1" not in response.text  # no connection details leak
            assert body["version"] == __version__


# ------------------------------------------------------------------------------------------ OpenAPI


@pytest.fixture
async def spec(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "delete", "patch"}
    ]


async def test_openapi_is_3_1(spec: dict[str, Any]) -> None:
    assert re.fullmatch(r"3\.1\.\d+", spec["openapi"])
    assert spec["info"]["version"] == __version__


async def test_operation_ids_are_unique(spec: dict[str, Any]) -> None:
    ids = [operation.get("operationId") for _, _, operation in operations(spec)]
    assert all(ids)
    duplicates = {op_id for op_id in ids if ids.count(op_id) > 1}
    assert duplicates == set()


async def test_every_operation_declares_error_responses(spec: dict[str, Any]) -> None:
    for method, path, operation in operations(spec):
        errors = {code for code in operation["responses"] if code.startswith(("4", "5"))}
        assert errors, f"{method.upper()} {path} declares no error responses"


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("post", "/api/v1/auth/register", {"409", "422", "429"}),
        ("post", "/api/v1/auth/login", {"401", "422", "429"}),
        ("post", "/api/v1/auth/refresh", {"401", "429"}),
        ("get", "/api/v1/auth/me", {"401"}),
        ("post", "/api/v1/auth/logout", {"401"}),
        ("get", "/api/v1/users", {"401", "403", "422"}),
        ("get", "/api/v1/users/{userId}", {"401", "404", "422"}),
        ("put", "/api/v1/users/{userId}", {"401", "403", "404", "422"}),
        ("delete", "/api/v1/users/{userId}", {"401", "403", "404"}),
        ("get", "/api/v1/health", {"503"}),
    ],
)
async def test_auth_operations_declare_their_errors(
    spec: dict[str, Any], method: str, path: str, expected: set[str]
) -> None:
    responses = spec["paths"][path][method]["responses"]
    assert expected <= set(responses)
    for code in expected - {"503"}:
        problem = responses[code]["content"]["application/problem+json"]
        assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}, (method, path, code)


async def test_problem_schema_documented(spec: dict[str, Any]) -> None:
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code", "errors"} <= set(problem["properties"])


async def test_openapi_has_no_password_hash(spec: dict[str, Any]) -> None:
    user = spec["components"]["schemas"]["UserRead"]
    assert set(user["properties"]) == {"id", "email", "firstName", "lastName", "phone", "role", "createdAt"}


async def test_openapi_declares_bearer_auth(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert any(scheme.get("scheme", "").lower() == "bearer" for scheme in schemes.values())
    me = spec["paths"]["/api/v1/auth/me"]["get"]
    assert me.get("security")


# --------------------------------------------------------------------------------------------- CORS


async def test_cors_preflight_allows_only_configured_origins(build_app: AppFactory) -> None:
    async with (
        build_app(cors_origins=["https://shop.example"]) as application,
        client_for(application) as client,
    ):
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        allowed = await client.options("/auth/login", headers={"Origin": "https://shop.example", **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
        assert "POST" in allowed.headers["access-control-allow-methods"]

        denied = await client.options("/auth/login", headers={"Origin": "https://evil.example", **preflight})
        assert denied.headers.get("access-control-allow-origin") != "https://evil.example"
        assert "access-control-allow-origin" not in denied.headers

        simple = await client.get("/health", headers={"Origin": "https://shop.example"})
        assert simple.headers["access-control-allow-origin"] == "https://shop.example"
        assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()
        other = await client.get("/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


async def test_no_cors_headers_without_configured_origins(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"Origin": "https://shop.example"})
    assert "access-control-allow-origin" not in response.headers


async def test_request_ids_differ_per_request(client: httpx.AsyncClient) -> None:
    seen = {(await client.get("/health")).headers["x-request-id"] for _ in range(5)}
    assert len(seen) == 5
    assert all(uuid.UUID(value) for value in seen)


async def test_request_id_with_trailing_newline_is_replaced() -> None:
    """Below the HTTP client (which refuses such a header): the middleware itself must not echo it."""
    from starlette.types import Message, Receive, Scope, Send

    from tixmo.middleware import RequestContextMiddleware

    async def ok(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"x-request-id", b"abc\n")],
    }
    await RequestContextMiddleware(ok)(scope, receive, send)
    headers = dict(sent[0]["headers"])
    assert headers[b"x-request-id"] not in (b"abc\n", b"abc")
    assert re.fullmatch(rb"[0-9a-f]{32}", headers[b"x-request-id"])


# ------------------------------------------------------------------------------------ database pool


async def _kill_pooled_connection(application: FastAPI, database_url: str) -> None:
    """Terminate the server side of the connection in ``application``'s pool (as a restart would)."""
    engine = application.state.context.database.engine
    assert engine.sync_engine.pool.checkedin() == 1
    async with engine.connect() as connection:
        pid = await connection.scalar(text("SELECT pg_backend_pid()"))
    with psycopg.connect(libpq_conninfo(database_url), autocommit=True) as admin:
        row = admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()
        assert row is not None and row[0] is True


async def test_a_pooled_connection_killed_on_the_server_is_replaced(
    build_app: AppFactory, database_url: str
) -> None:
    async with build_app(db_ping_skip_ms=0) as application, client_for(application) as client:
        assert (await client.get("/events")).status_code == 200
        await _kill_pooled_connection(application, database_url)
        response = await client.get("/events")
        assert response.status_code == 200, response.text
        engine = application.state.context.database.engine
        async with engine.connect() as connection:  # a new backend serves the pool now
            assert await connection.scalar(text("SELECT 1")) == 1


async def test_without_the_checkout_ping_a_killed_connection_fails_the_request(
    build_app: AppFactory, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Negative control for the test above: the failure it guards against is real. Without the ping the
    # request still succeeds, run again on a new connection (tixmo/retry.py); without both, it is a 500.
    async with (
        build_app(db_ping_skip_ms=0) as application,
        client_for(application, raise_app_exceptions=False) as client,
    ):
        pool = application.state.context.database.engine.sync_engine.pool
        event.remove(pool, "checkout", ping_on_checkout)
        assert (await client.get("/events")).status_code == 200
        await _kill_pooled_connection(application, database_url)
        assert (await client.get("/events")).status_code == 200  # the retry
        monkeypatch.setattr(transient, "classify", lambda error: None)
        await _kill_pooled_connection(application, database_url)
        assert (await client.get("/events")).status_code == 500


def _returned_connections(application: FastAPI) -> list[Any]:
    """The pool records of connections as they come back to the pool (after the app's own listener)."""
    records: list[Any] = []
    pool = application.state.context.database.engine.sync_engine.pool
    event.listen(pool, "checkin", lambda dbapi_connection, record: records.append(record))
    return records


async def test_a_connection_back_moments_ago_is_handed_out_unpinged(
    build_app: AppFactory, database_url: str
) -> None:
    """Within TIXMO_DB_PING_SKIP_MS of its return a connection is not pinged: killed in that window, it
    fails the first run of the request that gets it, which runs again on a new connection (the dead one
    is replaced). Once the window is over, the ping finds it dead and replaces it before any request sees
    it."""
    async with (
        build_app(db_ping_skip_ms=60_000) as application,
        client_for(application, raise_app_exceptions=False) as client,
    ):
        returned = _returned_connections(application)
        assert (await client.get("/events")).status_code == 200
        await _kill_pooled_connection(application, database_url)
        assert (await client.get("/events")).status_code == 200  # no ping: run again after the failure
        assert (await client.get("/events")).status_code == 200

        await _kill_pooled_connection(application, database_url)
        for record in returned:  # time travel: the window is over
            record.info[SKIP_PING_UNTIL] = 0.0
        assert (await client.get("/events")).status_code == 200  # pinged, replaced


async def test_the_express_order_path_drops_a_connection_killed_under_it(
    build_app: AppFactory, database_url: str
) -> None:
    """The order path's driver connection (``rawsql.driver_connection``) must not return a killed
    connection to the pool either: the request fails, the next one works."""
    async with build_app(db_ping_skip_ms=60_000) as application:
        context = application.state.context
        async with driver_connection(context.database) as connection:
            assert await connection.fetchval("SELECT 1") == 1
        await _kill_pooled_connection(application, database_url)
        with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError, OSError)):
            async with driver_connection(context.database) as connection:
                await connection.fetchval("SELECT 1")
        async with driver_connection(context.database) as connection:
            assert await connection.fetchval("SELECT 1") == 1

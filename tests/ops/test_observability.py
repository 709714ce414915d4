"""Sentry and OpenTelemetry: off by default (not even imported), on with their settings, and what Sentry
receives is scrubbed of emails, tokens and ticket codes. Each run is a subprocess: both libraries patch
process-wide state."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.conftest import TEST_SECRET
from tests.ops.observed_app import SECRETS
from tixmo.observability import REDACTED, scrub

ROOT = Path(__file__).resolve().parents[2]


class Collector:
    """A local HTTP server that records every POST (path, decompressed body)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, bytes]] = []
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "deflate":
                    body = zlib.decompress(body)
                collector.received.append((self.path, body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def collector() -> Iterator[Collector]:
    server = Collector()
    yield server
    server.close()


def _run(database_url: str, tmp_path: Path, **env: str) -> None:
    environ = {
        **os.environ,
        "TIXMO_ENV": "test",
        "TIXMO_DATA_DIR": str(tmp_path),
        "TIXMO_SECRET_KEY": TEST_SECRET,
        "TIXMO_RUN_WORKER": "false",
        **env,
    }
    done = subprocess.run(  # noqa: S603 - this interpreter, a module of the tests
        [sys.executable, "-m", "tests.ops.observed_app", database_url],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_sentry_receives_the_error_scrubbed(database_url: str, tmp_path: Path, collector: Collector) -> None:
    _run(database_url, tmp_path, TIXMO_SENTRY_DSN=f"http://publickey@127.0.0.1:{collector.port}/42")
    envelopes = [body for path, body in collector.received if path.startswith("/api/42/")]
    assert envelopes, collector.received
    text = b"\n".join(envelopes).decode("utf-8", "replace")
    assert "RuntimeError" in text and "could not email" in text
    assert REDACTED in text
    for secret in SECRETS.values():
        assert secret not in text, secret


def test_traces_of_requests_and_sql_reach_the_otlp_endpoint(
    database_url: str, tmp_path: Path, collector: Collector
) -> None:
    _run(database_url, tmp_path, TIXMO_OTEL_ENDPOINT=f"http://127.0.0.1:{collector.port}")
    spans = []
    for path, body in collector.received:
        assert path == "/v1/traces"
        request = ExportTraceServiceRequest.FromString(body)
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                spans.extend(scope.spans)
    names = {span.name for span in spans}
    assert any(name.startswith("GET /api/v1/events") for name in names), names
    sql = [s for s in spans if any(a.key == "db.system" or a.key == "db.system.name" for a in s.attributes)]
    assert sql, names  # SQLAlchemy's spans of the list's queries


def test_off_by_default_imports_neither(database_url: str, tmp_path: Path) -> None:
    code = (
        "import sys; from tixmo.app import create_app; create_app(database_url=sys.argv[1]); "
        "names = ('sentry_sdk', 'opentelemetry.exporter', 'opentelemetry.instrumentation.fastapi', "
        "'opentelemetry.instrumentation.sqlalchemy'); "
        "loaded = [m for m in names if m in sys.modules]; assert not loaded, loaded; "
        "from opentelemetry import trace; "
        "assert type(trace.get_tracer_provider()).__name__ == 'ProxyTracerProvider'"
    )
    environ = {
        **os.environ,
        "TIXMO_ENV": "test",
        "TIXMO_DATA_DIR": str(tmp_path),
        "TIXMO_SECRET_KEY": TEST_SECRET,
    }
    environ.pop("TIXMO_SENTRY_DSN", None)
    environ.pop("TIXMO_OTEL_ENDPOINT", None)
    done = subprocess.run(  # noqa: S603 - this interpreter, the code above
        [sys.executable, "-c", code, database_url],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_scrub_rules() -> None:
    event = {
        "message": "to bob@example.org: Bearer abc.def and TIX1.a.b.c",
        "request": {"headers": {"Authorization": "Bearer x", "X-Forwarded-For": "1.2.3.4"}, "data": None},
        "extra": {"password": "hunter2", "barcode": 1234, "count": 3, "nested": ["sk_live_abcdefgh1234"]},
    }
    scrubbed = scrub(event)
    assert scrubbed["message"] == f"to {REDACTED}: {REDACTED} and {REDACTED}"
    assert scrubbed["request"]["headers"] == {"Authorization": REDACTED, "X-Forwarded-For": "1.2.3.4"}
    assert scrubbed["extra"] == {"password": REDACTED, "barcode": REDACTED, "count": 3, "nested": [REDACTED]}

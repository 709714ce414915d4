"""Error tracking (Sentry) and tracing (OpenTelemetry), each switched on by its setting.

Off by default at no cost: unless its setting (``TIXMO_SENTRY_DSN``, ``TIXMO_OTEL_ENDPOINT``) is set,
``sentry_sdk`` is not imported, and no OpenTelemetry SDK, exporter or instrumentation is loaded (the
``redis`` client imports the OpenTelemetry API when it is installed; with no provider set its calls
are no-ops). What Sentry receives is scrubbed of emails,
tokens, ticket codes and secrets (``scrub``) before it leaves the process; see docs/operations.md.
"""

from __future__ import annotations

import re
from typing import Any

import structlog
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from tixmo import __version__
from tixmo.config import Settings

log = structlog.get_logger(__name__)

REDACTED = "[redacted]"

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# JWTs (access, refresh, scanner tokens), signed ticket codes (TIX1.<key>.<payload>.<signature>),
# bearer credentials, Stripe keys and webhook secrets, API keys.
SECRET_RES = (
    re.compile(r"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"),
    re.compile(r"TIX\d\.[A-Za-z0-9_\-.]+"),
    re.compile(r"(?i)bearer\s+[A-Za-z0-9_\-.~+/=]+"),
    re.compile(r"\b(?:sk|rk|pk|whsec|tixmo)_(?:live_|test_)?[A-Za-z0-9_]{8,}"),
)
# Keys whose values are dropped whatever they look like.
SENSITIVE_KEYS = re.compile(
    r"(?i)(password|passwd|secret|token|authorization|cookie|api[_-]?key|barcode|code|signature|"
    r"email|phone|dsn|credential|session)"
)


def scrub_text(value: str) -> str:
    value = EMAIL_RE.sub(REDACTED, value)
    for pattern in SECRET_RES:
        value = pattern.sub(REDACTED, value)
    return value


def scrub(value: Any, key: str | None = None) -> Any:
    """``value`` with every sensitive key's value replaced and every string scrubbed, recursively."""
    if key is not None and SENSITIVE_KEYS.search(key) and isinstance(value, (str, bytes, int)):
        return REDACTED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: scrub(v, k if isinstance(k, str) else None) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, key) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub(v, key) for v in value)
    return value


def _before_send(event: Any, hint: Any) -> Any:
    scrubbed = scrub(event)
    scrubbed.pop("user", None)  # never who it was (send_default_pii is off; a hint could still add one)
    return scrubbed


def _before_breadcrumb(crumb: Any, hint: Any) -> Any:
    return scrub(crumb)


def init_sentry(settings: Settings) -> bool:
    """Start error tracking when ``TIXMO_SENTRY_DSN`` is set; answers whether it did."""
    if not settings.sentry_dsn:
        return False
    import sentry_sdk

    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.env.value,
        release=f"tixmo@{__version__}",
        send_default_pii=False,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        before_send=_before_send,
        before_send_transaction=_before_send,
        before_breadcrumb=_before_breadcrumb,
        max_request_body_size="never",
    )
    log.info("sentry.enabled")
    return True


_tracing: dict[str, Any] = {}


def init_tracing(settings: Settings, app: FastAPI | None, engine: AsyncEngine | None) -> bool:
    """Trace requests (FastAPI), SQL (SQLAlchemy over asyncpg) and outgoing HTTP (httpx: Stripe,
    webhooks) to an OTLP/HTTP collector at ``TIXMO_OTEL_ENDPOINT``; answers whether it did."""
    if not settings.otel_endpoint:
        return False
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = _tracing.get("provider")
    if provider is None:  # one provider per process (OpenTelemetry allows setting it once)
        provider = TracerProvider(
            resource=Resource.create(
                {"service.name": settings.otel_service_name, "service.version": __version__}
            )
        )
        endpoint = settings.otel_endpoint.rstrip("/")
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces")))
        trace.set_tracer_provider(provider)
        HTTPXClientInstrumentor().instrument(tracer_provider=provider)
        _tracing["provider"] = provider
    if engine is not None:
        # The instrumentation declares sqlalchemy < 2.1; the engine events it listens to are unchanged
        # in 2.1 (tests/ops/test_observability.py checks the SQL spans arrive).
        SQLAlchemyInstrumentor().instrument(
            engine=engine.sync_engine, tracer_provider=provider, skip_dep_check=True
        )
    if app is not None:
        FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls="metrics,health")
    log.info("tracing.enabled", endpoint=settings.otel_endpoint)
    return True


def flush_tracing() -> None:
    provider = _tracing.get("provider")
    if provider is not None:
        provider.force_flush()

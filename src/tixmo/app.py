"""The application factory: routers, middleware, error handlers, lifespan."""

from __future__ import annotations

import asyncio
import gc
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import structlog
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from tixmo import __version__, locks, metrics, observability, reactions, unrouted
from tixmo.accounts.router import auth_router, users_router
from tixmo.analytics.router import router as analytics_router
from tixmo.checkin.attendance_router import router as attendance_router
from tixmo.checkin.batch import ScanBatcher
from tixmo.checkin.live import LiveHub
from tixmo.checkin.router import router as scanners_router
from tixmo.config import Environment, Settings, get_settings
from tixmo.context import AppContext
from tixmo.dashboard import router as dashboard
from tixmo.db import create_database, resolve_database_url
from tixmo.docs import install_docs
from tixmo.errors import install_error_handlers
from tixmo.events.router import router as events_router
from tixmo.health import metrics_router
from tixmo.health import router as health_router
from tixmo.integrations.bulk import promo_codes_router as bulk_promo_codes_router
from tixmo.integrations.bulk import ticket_types_router as bulk_ticket_types_router
from tixmo.integrations.router import router as integrations_router
from tixmo.jobs import InProcessWorker
from tixmo.logging import configure_logging
from tixmo.media.router import files_router as media_files_router
from tixmo.media.router import router as images_router
from tixmo.media.uploads import MediaContext
from tixmo.middleware import (
    BodySizeLimitMiddleware,
    NulCharacterMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
)
from tixmo.notifications.router import router as notifications_router
from tixmo.orders.coalescer import Coalescer
from tixmo.orders.router import router as orders_router
from tixmo.orders.soldout import SoldOutBoard
from tixmo.organizations.router import router as organizations_router
from tixmo.payments.providers import PaymentProviders
from tixmo.payments.router import router as payments_router
from tixmo.promos.router import router as promos_router
from tixmo.queue.router import router as queue_router
from tixmo.ratelimit import RateLimiter
from tixmo.retry import TransientRetryMiddleware
from tixmo.seating.router import router as seating_router
from tixmo.security import PasswordService
from tixmo.ticketing.router import router as ticketing_router
from tixmo.tickets.router import router as tickets_router
from tixmo.tickets.router import signing_keys_router
from tixmo.venues.router import router as venues_router
from tixmo.waitlist.router import router as waitlist_router

log = structlog.get_logger(__name__)

API_PREFIX = "/api/v1"
IMAGE_UPLOAD_PATH = re.compile(rf"{API_PREFIX}/(events|venues)/[^/]+/images")
MULTIPART_ALLOWANCE = 64 * 1024

DESCRIPTION = """
TixMo sells and checks tickets: accounts and organizations, venues and events, ticket types with live
inventory, orders with timed holds, payments, tickets with signed QR codes, scanners and live attendance.

* Authenticate with `Authorization: Bearer <accessToken>` from `POST /api/v1/auth/login`.
* Every error is RFC 9457 `application/problem+json` with a stable `code` and per-field `errors`.
* Lists take `?page=&limit=` (1..100) and answer `{data, meta}`.
"""


def _operation_id(route: APIRoute) -> str:
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{tag.replace('-', '_')}_{route.name}"


def build_context(settings: Settings, database_url: str | None = None) -> AppContext:
    settings.check_payments()
    reactions.install()  # the cross-domain reactions (tixmo.reactions)
    # A lock taken out of the global order fails at once in development and tests; production logs it.
    locks.configure(strict=settings.env != Environment.PRODUCTION)
    url = database_url or resolve_database_url(settings)
    database = create_database(url, settings)
    return AppContext(
        settings=settings,
        database=database,
        secret_key=settings.resolved_secret_key(),
        passwords=PasswordService(settings.argon2_time_cost, settings.argon2_memory_kib),
        rate_limiter=RateLimiter.create(settings.redis_url, enabled=settings.rate_limit_enabled),
        order_gate=asyncio.Semaphore(settings.order_concurrency),
        scan_gate=asyncio.Semaphore(settings.scan_concurrency) if settings.scan_concurrency else None,
        scan_batcher=ScanBatcher(database, max_batch=settings.scan_batch_max)
        if settings.scan_batch
        else None,
        coalescer=(
            Coalescer(database, max_wait=settings.order_coalesce_wait_ms / 1000)
            if settings.order_coalesce
            else None
        ),
        sold_out=SoldOutBoard(database) if settings.order_sold_out_flag else None,
        payments=PaymentProviders(settings),
        live=LiveHub(database),
        media=MediaContext.of(settings),
    )


def create_app(settings: Settings | None = None, *, database_url: str | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_format, settings.log_level)
    observability.init_sentry(settings)
    context = build_context(settings, database_url)
    app = FastAPI(
        title="TixMo API",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        generate_unique_id_function=_operation_id,
        lifespan=_lifespan(context),
    )
    app.state.context = context
    install_error_handlers(app)
    install_docs(app, API_PREFIX)
    _include_routes(app)
    _add_middleware(app, context)
    observability.init_tracing(settings, app, context.database.engine)
    return app


def _lifespan(context: AppContext) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """What the app starts and stops with the process: the in-process worker, the live streams' signal
    handling, and every pool and client of ``context``."""
    settings = context.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = InProcessWorker(context.database, settings) if settings.worker_in_process else None
        if worker is not None:
            worker.start()
        context.live.end_streams_on_signals()  # SIGTERM ends open live streams at once (checkin/live.py)
        # Everything loaded so far (modules, routes, models) lives as long as the process: out of the
        # cyclic GC's sight, so a full collection walks only what requests made. A request that makes
        # many objects (an offline upload of 10,000 scans) triggered full collections that walked the
        # whole app each time: half its time (bench/checkin.py, docs/checkin.md).
        gc.freeze()
        log.info("app.started", version=__version__, worker=worker is not None)
        try:
            yield
        finally:
            if worker is not None:
                await worker.stop()
            await context.live.close()
            if context.sold_out is not None:
                await context.sold_out.close()
            await context.payments.aclose()
            await context.rate_limiter.aclose()
            await context.database.dispose()
            observability.flush_tracing()
            metrics.process_exited()
            log.info("app.stopped")

    return lifespan


def _include_routes(app: FastAPI) -> None:
    # Each router is included into the app itself under the API prefix, not into one "/api/v1" router
    # included in turn: FastAPI (0.16x) recomputes an included router's version by walking every router
    # nested below it, several times per request, and the nested tree cost each request about 60 such
    # walks over all 25 routers (a third of a scan's routing and dependency time under cProfile).
    #
    # FastAPI matches a request against the routes in order (a few µs a route), so the most frequent come
    # first: a gate's scan (bench/checkin.py), the attendance figures a dashboard polls while the doors
    # run, then a flash sale's orders (bench/flash_sale.py). The bulk routers come before the single-item
    # routers, so "bulk" is never read as an id. tests/test_route_table.py checks that no route is hidden
    # behind an earlier one whatever the order.
    for router in (
        health_router,
        scanners_router,
        attendance_router,
        orders_router,
        auth_router,
        users_router,
        organizations_router,
        integrations_router,
        venues_router,
        events_router,
        bulk_ticket_types_router,
        bulk_promo_codes_router,
        ticketing_router,
        seating_router,
        promos_router,
        payments_router,
        tickets_router,
        signing_keys_router,
        notifications_router,
        waitlist_router,
        images_router,
        analytics_router,
        queue_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(health_router, include_in_schema=False)
    app.include_router(metrics_router)  # /metrics, beside the API (Prometheus' default path)
    app.include_router(media_files_router)  # /media/...: the files of the filesystem image storage
    dashboard.install(app)  # /dashboard: the organizer pages (docs/dashboard.md)
    unrouted.install(app, API_PREFIX)  # first: a path under /api/v1 no route has is a 404 at once


def _add_middleware(app: FastAPI, context: AppContext) -> None:
    settings = context.settings
    # The last added runs outermost: request id → security headers → CORS → body size limit → NUL check →
    # retry of transient database failures → app, so every answer, a 413 from the size limit, a 422 from
    # the NUL check and a 503 from the retry included, carries the request id, headers and CORS. Stripe
    # signs the webhook's raw body: the NUL check passes it through as sent.
    app.add_middleware(
        TransientRetryMiddleware,
        attempts=settings.db_retry_attempts,
        on_connection_lost=context.database.health.connection_lost,
    )
    app.add_middleware(NulCharacterMiddleware, exempt=frozenset({f"{API_PREFIX}/payments/webhook"}))
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        # Offline batches (up to 10,000 scans) are larger than any other request.
        overrides={f"{API_PREFIX}/scanners/sync": settings.scanner_sync_max_body_bytes},
        # Image uploads: the image itself plus room for the multipart envelope and the form fields.
        pattern_overrides=[(IMAGE_UPLOAD_PATH, settings.image_max_bytes + MULTIPART_ALLOWANCE)],
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "Retry-After"],
        )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestContextMiddleware)
    # Outermost: every answer is counted and timed, those of the middleware above included.
    app.add_middleware(metrics.MetricsMiddleware, pool=context.database.engine.sync_engine.pool)

"""Prometheus metrics (``GET /metrics``; docs/operations.md#metrics).

Counters and histograms live in this module and are touched by one-line calls from the domains. Label
sets are bounded: route templates (never raw paths), statuses, problem codes, event ids, queue names —
nothing per user or per order.

With ``PROMETHEUS_MULTIPROC_DIR`` set (``tixmo serve`` sets it for its worker processes; a deployment sets
it for every process on a machine, job workers included) each process writes its values to files in that
directory and ``/metrics`` answers the sum over all of them, dead processes' counters included. The
variable must be set before ``prometheus_client`` is first imported: ``prometheus_client`` picks its
storage at import.

Gauges that describe the present (queue depth and age, the database pool) are read when scraped.
"""

from __future__ import annotations

import collections
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector
from sqlalchemy import event as sa_event
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
UNMATCHED_ROUTE = "<unmatched>"

# Request latencies from a cached read (~1 ms) to a slow report (tens of seconds).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter("tixmo_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "tixmo_http_request_duration_seconds",
    "Time to answer an HTTP request (until the response started)",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
ORDERS_PLACED = Counter("tixmo_orders_placed_total", "Orders placed (POST /orders answered 201)")
ORDERS_REFUSED = Counter(
    "tixmo_orders_refused_total", "Orders refused, by the problem code of the answer", ["reason"]
)
ORDER_BATCH_SIZE = Histogram(
    "tixmo_order_batch_size",
    "Express orders reserved by one statement of the coalescer (orders/coalescer.py)",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512),
)
SCAN_BATCH_SIZE = Histogram(
    "tixmo_scan_batch_size",
    "Online scans decided by one statement of the scan batcher (checkin/batch.py)",
    buckets=(2, 4, 8, 16, 32, 64, 128),
)
ORDERS_SOLD_OUT_SHORT_CIRCUIT = Counter(
    "tixmo_orders_sold_out_short_circuit_total",
    "Orders answered sold out by the process itself, without the database (orders/soldout.py)",
)
TICKETS_SOLD = Counter("tixmo_tickets_sold_total", "Tickets sold (orders confirmed), per event", ["event_id"])
SCANS = Counter("tixmo_scans_total", "Scans recorded (online and offline), by verdict", ["status"])
EMAILS = Counter("tixmo_emails_total", "Email send attempts by outcome (sent, retry, failed)", ["outcome"])
DB_POOL_IN_USE = Gauge(
    "tixmo_db_pool_in_use",
    "Database connections checked out of the API processes' pools",
    multiprocess_mode="livesum",
)
DB_POOL_WAITING = Gauge(
    "tixmo_db_pool_waiting",
    "Requests waiting for a database connection in the API processes' pools",
    multiprocess_mode="livesum",
)

# Routes whose answers count as orders placed or refused.
ORDER_ROUTES = frozenset({("POST", "/api/v1/orders")})

_PENDING_KEY = "tixmo.metrics.pending"


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


# --- counting after the commit --------------------------------------------------------------------------


def count_after_commit(session: Any, counter: Any, amount: float = 1) -> None:
    """Increment ``counter`` (a labelled child or a plain counter) when ``session``'s transaction commits;
    nothing when it rolls back (a retried or failed request counts once, or not at all)."""
    sync_session: Session = getattr(session, "sync_session", session)
    sync_session.info.setdefault(_PENDING_KEY, []).append((counter, amount))


@sa_event.listens_for(Session, "after_commit")
def _flush_pending(session: Session) -> None:
    for counter, amount in session.info.pop(_PENDING_KEY, ()):
        counter.inc(amount)


@sa_event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def tickets_sold(session: Any, event_id: uuid.UUID, quantity: int) -> None:
    if quantity > 0:
        count_after_commit(session, TICKETS_SOLD.labels(event_id=str(event_id)), quantity)


def scans_recorded(session: Any, statuses: Iterable[str]) -> None:
    for status, count in collections.Counter(statuses).items():
        count_after_commit(session, SCANS.labels(status=status), count)


def email_outcome(outcome: str) -> None:
    EMAILS.labels(outcome=outcome).inc()


# --- HTTP ----------------------------------------------------------------------------------------------


class MetricsMiddleware:
    """Counts and times every HTTP request by method, route template and status; orders placed and
    refused (the problem code the error handler left in ``request.state.problem_code``)."""

    def __init__(self, app: ASGIApp, pool: Any = None) -> None:
        self.app = app
        self.pool = pool

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        elapsed: float | None = None

        async def send_wrapper(message: Message) -> None:
            nonlocal status, elapsed
            if message["type"] == "http.response.start":
                status = message["status"]
                elapsed = time.perf_counter() - started
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            template = route_template(scope)
            method = scope["method"]
            labels = {"method": method, "route": template, "status": str(status)}
            HTTP_REQUESTS.labels(**labels).inc()
            HTTP_LATENCY.labels(**labels).observe(
                elapsed if elapsed is not None else time.perf_counter() - started
            )
            if (method, template) in ORDER_ROUTES:
                if status == 201:
                    ORDERS_PLACED.inc()
                elif 400 <= status < 600:
                    code = scope.get("state", {}).get("problem_code") or f"HTTP_{status}"
                    ORDERS_REFUSED.labels(reason=code).inc()
            if self.pool is not None:
                record_pool(self.pool)


def route_template(scope: Scope) -> str:
    """The matched route's template with its router's prefix (``/api/v1/events/{eventId}``).

    FastAPI keeps an included router's routes with their own paths (``/events/{eventId}``); the prefix
    is the leading, static part of the request path the route's own segments do not cover."""
    path = getattr(scope.get("route"), "path", None)
    if not path:
        return UNMATCHED_ROUTE
    if ":path}" in path:  # a catch-all parameter spans segments: the route's own path it is
        return str(path)
    own = path.strip("/").count("/") + 1 if path.strip("/") else 0
    segments = scope["path"].strip("/").split("/")
    prefix = segments[: max(0, len(segments) - own)]
    return ("/" + "/".join(prefix) if prefix else "") + str(path)


def pool_status(pool: Any) -> tuple[int, int]:
    """(connections checked out, requests waiting for one) of a SQLAlchemy queue pool.

    SQLAlchemy has no public count of waiters: they are the getters blocked on the pool's asyncio queue
    (0 when that internal is not there)."""
    in_use = int(pool.checkedout())
    queue = getattr(getattr(pool, "_pool", None), "_queue", None)
    waiting = len(getattr(queue, "_getters", ()) or ())
    return in_use, waiting


def record_pool(pool: Any) -> None:
    in_use, waiting = pool_status(pool)
    DB_POOL_IN_USE.set(in_use)
    DB_POOL_WAITING.set(waiting)


def process_exited(pid: int | None = None) -> None:
    """A process of a multiprocess deployment is gone: its live gauges no longer count."""
    if multiprocess_dir() is not None:
        mark_process_dead(pid if pid is not None else os.getpid())  # type: ignore[no-untyped-call]


# --- the job queue, read when scraped ----------------------------------------------------------------

QUEUE_SQL = text(
    """
    SELECT j.queue_name,
           CASE WHEN j.status = 'doing' THEN 'doing'
                WHEN j.scheduled_at > now() THEN 'scheduled'
                ELSE 'todo' END AS state,
           count(*) AS jobs,
           max(CASE WHEN j.status = 'todo' AND coalesce(j.scheduled_at, now()) <= now()
                    THEN extract(epoch FROM now() - coalesce(j.scheduled_at, d.at)) END) AS oldest
    FROM procrastinate_jobs j
    LEFT JOIN LATERAL (
        SELECT min(e.at) AS at FROM procrastinate_events e WHERE e.job_id = j.id AND e.type = 'deferred'
    ) d ON j.status = 'todo'
    WHERE j.status IN ('todo', 'doing')
    GROUP BY 1, 2
    """
)


class QueueSnapshot:
    """Jobs per queue and state (``todo`` due now, ``scheduled`` for later, ``doing``) and the age in
    seconds of each queue's oldest due job."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.depth: dict[tuple[str, str], int] = {}
        self.oldest: dict[str, float] = {}
        for queue, state, jobs, oldest in rows:
            self.depth[(queue, state)] = int(jobs)
            if oldest is not None:
                self.oldest[queue] = max(self.oldest.get(queue, 0.0), float(oldest))

    @property
    def oldest_due_seconds(self) -> float:
        return max(self.oldest.values(), default=0.0)


async def read_queue(engine: AsyncEngine) -> QueueSnapshot:
    async with engine.connect() as connection:
        return QueueSnapshot((await connection.execute(QUEUE_SQL)).all())


class _Snapshot(Collector):
    def __init__(self, queue: QueueSnapshot | None) -> None:
        self.queue = queue

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("tixmo_job_queue_up", "1 when the job queue could be read at this scrape")
        up.add_metric([], 1 if self.queue is not None else 0)
        yield up
        if self.queue is not None:
            depth = GaugeMetricFamily(
                "tixmo_job_queue_depth", "Jobs per queue and state", labels=["queue", "state"]
            )
            for (queue, state), jobs in sorted(self.queue.depth.items()):
                depth.add_metric([queue, state], jobs)
            yield depth
            age = GaugeMetricFamily(
                "tixmo_job_queue_oldest_seconds",
                "Age of the oldest job due to run and not yet started, per queue",
                labels=["queue"],
            )
            for queue, seconds in sorted(self.queue.oldest.items()):
                age.add_metric([queue], seconds)
            yield age


async def exposition(engine: AsyncEngine | None) -> bytes:
    """The text of a scrape: every process's counters (multiprocess mode) or this one's, and the queue
    read now."""
    queue: QueueSnapshot | None = None
    if engine is not None:
        try:
            queue = await read_queue(engine)
        except Exception:  # the scrape still answers; tixmo_job_queue_up says the queue was not read
            queue = None
        record_pool(engine.sync_engine.pool)
    directory = multiprocess_dir()
    if directory is not None:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
        base = generate_latest(registry)
    else:
        base = generate_latest(REGISTRY)
    live = CollectorRegistry()
    live.register(_Snapshot(queue))
    return base + generate_latest(live)


class BatchSizes:
    """Batch sizes written so far by one process (for the benchmarks and tests), each also observed by
    ``histogram``: the orders' coalescer, the scans' batches."""

    def __init__(self, histogram: Histogram) -> None:
        self.histogram = histogram
        self.sizes: dict[int, int] = {}

    def record(self, size: int) -> None:
        self.sizes[size] = self.sizes.get(size, 0) + 1
        self.histogram.observe(size)

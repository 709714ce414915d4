"""Crash safety (issue #23): the API and the job worker killed with SIGKILL in the middle of a sale.

Real processes on a database of their own: ``tixmo serve --workers 2`` and ``tixmo worker``, payments
through the fake Stripe (the real ``stripe`` SDK over HTTP, webhooks signed as Stripe signs them), emails
through a real SMTP server (aiosmtpd). Buyers place orders, cancel some, pay the others (intent, then
the ``payment_intent.succeeded`` webhook) and have a ticket scanned, all the time, retrying like real
clients (the same ``Idempotency-Key`` after a dropped connection; Stripe redelivers webhooks).

The crash is placed, not timed: the worker's two job slots are sending emails, the SMTP server has
accepted both ("250 OK"), and the worker is stuck recording them ``SENT`` (the test holds the rows'
locks) — the one window in which the design sends an email twice (docs/notifications.md) — while the
buyers have requests in flight and more emails are queued. Then both the API's process group and the
worker get SIGKILL, the test lets go of the rows, and both are started again; the buyers carry on.

Once the queue is drained (the dead worker's claims on its two emails lapse after their lease, minutes;
the test moves them into the past instead of waiting), it checks with SQL and through the API:
every order answered 201 exists with its items (and no other order does); per ticket type ``sold`` and
``held`` equal the recount from the orders and tickets; every paid order is CONFIRMED with one payment
and its tickets; every scanned ticket was admitted once; every committed email reached the SMTP server
(the two in the window exactly twice, with one ``Message-ID`` each, every other exactly once); every job
ran exactly once, but the two the killed worker was running, which ran twice.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg
import pytest

from tests.hardening.processes import (
    Stack,
    created,
    dedicated_database,
    free_port,
    promoter_event,
    register,
    stack_env,
    ticket_type,
    until,
)
from tests.notifications.helpers import Hold, MailSink, start_smtp
from tests.payments.fake_stripe import SECRET_KEY, FakeStripe, serve_fake_stripe
from tests.payments.helpers import WEBHOOK_SECRET, sign, stripe_event
from tixmo.db import libpq_conninfo
from tixmo.notifications import kinds

API_WORKERS, WORKER_CONCURRENCY = 2, 2
BUYERS = 6
KILL_AFTER_FLOWS = 6  # orders finished (paid and scanned, or cancelled) before the crash
FLOWS_AFTER_RESTART = 2  # each buyer's orders after the restart, before the load ends
CANCEL_EVERY = 3  # every third order of a buyer is cancelled while PENDING; the others are paid
TICKETS = 5000  # per ticket type: the sale never sells out, every order is answered 201
DEADLINE_SECONDS = 150  # for the whole test; each wait polls against it


@pytest.fixture
def crash_database(database_url: str) -> Iterator[str]:
    with dedicated_database(database_url, f"tixmo_crash_{os.getpid()}") as url:
        yield url


@pytest.fixture
def smtp() -> Iterator[tuple[int, MailSink]]:
    controller, sink = start_smtp()
    try:
        yield controller.port, sink
    finally:
        if sink.hold is not None:
            sink.hold.release.set()
        controller.stop()


@pytest.fixture
async def fake_stripe() -> AsyncIterator[FakeStripe]:
    async with serve_fake_stripe() as fake:
        yield fake


def _env(url: str, stripe_url: str, smtp_port: int, data_dir: Path) -> dict[str, str]:
    return stack_env(
        url,
        data_dir,
        TIXMO_PAYMENT_PROVIDER="stripe",
        TIXMO_STRIPE_SECRET_KEY=SECRET_KEY,
        TIXMO_STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        TIXMO_STRIPE_API_BASE=stripe_url,
        TIXMO_EMAIL_BACKEND="smtp",
        TIXMO_SMTP_HOST="127.0.0.1",
        TIXMO_SMTP_PORT=str(smtp_port),
        TIXMO_SMTP_SECURITY="none",
        TIXMO_SMTP_TIMEOUT_SECONDS="10",
        # A killed worker's jobs are taken over within seconds (defaults: 10 s heartbeats, 60 s).
        TIXMO_WORKER_HEARTBEAT_SECONDS="0.3",
        TIXMO_WORKER_STALLED_AFTER_SECONDS="2",
    )


@dataclass
class World:
    staff: dict[str, str]
    event_id: str
    type_ids: list[str]
    scanner: dict[str, str]
    buyers: list[tuple[str, dict[str, str]]]  # (email, headers)


@dataclass
class Placed:
    order_id: str
    buyer: int
    items: dict[str, int]
    cancelled: bool
    ticket_ids: list[str] = field(default_factory=list)
    scanned: str | None = None  # the ticket scanned in


@dataclass
class Load:
    deadline: float
    in_flight: int = 0
    cut: int = 0  # requests that met a dead or restarting API (and were sent again)
    flows_done: int = 0
    placed: dict[str, Placed] = field(default_factory=dict)

    async def request(self, http: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """A client's retry: a dropped connection, a refused one or a 502/503 (the API was killed or is
        starting), or a duplicate still in flight (409 with Retry-After), is sent again after a short
        pause, until it is answered. POSTs that act carry their Idempotency-Key, so a retry replays."""
        while True:
            self.in_flight += 1
            try:
                response: httpx.Response | None = await http.request(method, url, **kwargs)
            except httpx.TransportError:
                response = None
            finally:
                self.in_flight -= 1
            retry = response is None or response.status_code in (502, 503, 504)
            if response is not None and response.status_code == 409 and "Retry-After" in response.headers:
                retry = True  # the same key still in flight (its first request may be a dead one's)
            if not retry:
                assert response is not None
                return response
            self.cut += 1
            assert time.monotonic() < self.deadline, f"{method} {url} never answered"
            await asyncio.sleep(0.1)  # a client's back-off before it tries again


async def _setup(http: httpx.AsyncClient) -> World:
    staff, event_id = await promoter_event(http, "Crash test")
    type_ids = [
        await ticket_type(http, staff, event_id, name=name, price="25.00", quantityTotal=TICKETS)
        for name in ("Floor", "Balcony")
    ]
    created(await http.post(f"/api/v1/events/{event_id}/publish", headers=staff), 200)
    scanner = created(
        await http.post(
            "/api/v1/scanners/register", json={"eventId": event_id, "name": "Gate"}, headers=staff
        )
    )
    token = created(await http.post("/api/v1/scanners/auth", json={"apiKey": scanner["apiKey"]}), 200)[
        "token"
    ]
    buyers = [await register(http, "CUSTOMER") for _ in range(BUYERS)]
    return World(staff, event_id, sorted(type_ids), {"Authorization": f"Bearer {token}"}, buyers)


async def _flow(
    http: httpx.AsyncClient, load: Load, world: World, fake: FakeStripe, buyer: int, n: int
) -> None:
    """One order: placed, then cancelled while PENDING or paid through Stripe and one ticket scanned."""
    headers = world.buyers[buyer][1]
    items = {type_id: 1 + (n + i) % 2 for i, type_id in enumerate(world.type_ids)}
    body = {
        "eventId": world.event_id,
        "items": [{"ticketTypeId": t, "quantity": q} for t, q in items.items()],
    }
    order = created(
        await load.request(
            http,
            "POST",
            "/api/v1/orders",
            json=body,
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
        )
    )
    placed = Placed(order["id"], buyer, items, cancelled=n % CANCEL_EVERY == CANCEL_EVERY - 1)
    load.placed[placed.order_id] = placed
    once = {**headers, "Idempotency-Key": uuid.uuid4().hex}
    if placed.cancelled:
        cancelled = await load.request(http, "POST", f"/api/v1/orders/{placed.order_id}/cancel", headers=once)
        assert created(cancelled, 200)["status"] == "CANCELLED"
        load.flows_done += 1
        return
    made = await load.request(
        http, "POST", "/api/v1/payments/create-intent", json={"orderId": placed.order_id}, headers=once
    )
    intent = fake.succeed(created(made, 200)["paymentIntentId"])  # the buyer paid
    payload = orjson.dumps(stripe_event("payment_intent.succeeded", intent))
    # Stripe delivers the webhook until it is answered 2xx; a redelivery is recognised by its event id.
    delivered = await load.request(
        http,
        "POST",
        "/api/v1/payments/webhook",
        content=payload,
        headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload)},
    )
    assert delivered.status_code == 200, delivered.text
    confirmed = created(
        await load.request(http, "GET", f"/api/v1/orders/{placed.order_id}", headers=headers), 200
    )
    assert confirmed["status"] == "CONFIRMED", confirmed
    placed.ticket_ids = [ticket["id"] for ticket in confirmed["tickets"]]
    ticket = confirmed["tickets"][0]
    scan = await load.request(
        http,
        "POST",
        "/api/v1/scanners/scan",
        json={"barcode": ticket["barcode"], "direction": "ENTRY"},
        headers=world.scanner,
    )
    # DUPLICATE: the first scan was admitted but its answer was lost with the API (and scanned again).
    assert created(scan, 200)["status"] in ("VALID", "DUPLICATE"), scan.text
    placed.scanned = ticket["id"]
    load.flows_done += 1


async def _rows(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    async with await psycopg.AsyncConnection.connect(libpq_conninfo(url), autocommit=True) as conn:
        cursor = await conn.execute(sql, params or None)
        return list(await cursor.fetchall())


async def _count(url: str, sql: str, *params: Any) -> int:
    return int((await _rows(url, sql, *params))[0][0])


DUE_OR_RUNNING = (
    "SELECT count(*) FROM procrastinate_jobs "
    "WHERE status = 'doing' OR (status = 'todo' AND coalesce(scheduled_at, now()) <= now())"
)


@dataclass
class Crash:
    window: set[str]  # emails accepted by the SMTP server, not recorded SENT when the worker died
    doing: set[int]  # jobs the killed worker was running
    queued: int  # jobs waiting when it died
    in_flight: int  # requests in flight when the API died


async def _crash(stack: Stack, load: Load, sink: MailSink, hold: Hold, url: str) -> Crash:
    """Wait for the placed moment (see the module's docstring), then SIGKILL everything."""

    async def worker_sending() -> bool:
        return hold.count >= WORKER_CONCURRENCY and load.flows_done >= KILL_AFTER_FLOWS

    await until("the worker to be sending and the sale under way", worker_sending, load.deadline)
    locker = await psycopg.AsyncConnection.connect(libpq_conninfo(url))
    try:
        cursor = await locker.execute(
            "SELECT id::text FROM email_messages WHERE status = 'SENDING' ORDER BY id FOR UPDATE"
        )
        window = {row[0] for row in await cursor.fetchall()}
        assert len(window) == WORKER_CONCURRENCY, window
        hold.release.set()  # the server accepts both; the worker now waits to record them SENT

        async def stuck_recording() -> bool:
            with sink.lock:  # the SMTP server appends from its own thread
                accepted = {_outbox_id(received.message) for received in sink.received}
            waiting = await _count(
                url,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE email_messages%'",
            )
            return window <= accepted and waiting >= WORKER_CONCURRENCY and load.in_flight > 0

        await until("the worker to wait to record the accepted emails", stuck_recording, load.deadline)
        in_flight = load.in_flight
        stack.kill()  # nothing awaited since the check: requests are in flight right now
    finally:
        await locker.close()  # its transaction ends; the dead worker's updates never come
    doing = {row[0] for row in await _rows(url, "SELECT id FROM procrastinate_jobs WHERE status = 'doing'")}
    queued = await _count(url, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'")
    return Crash(window, doing, queued, in_flight)


def _outbox_id(message: Any) -> str:
    """The outbox id in a ``Message-ID`` (``<id@domain>``, notifications/emails.py)."""
    return str(message["Message-ID"]).strip("<>").split("@", 1)[0]


async def _settle(url: str, crash: Crash, deadline: float) -> None:
    """Let the restarted worker drain the queue; then the dead worker's claims lapse (time travel: the
    lease is minutes long) and the check jobs queued for that moment are due now."""

    async def drained() -> bool:
        return await _count(url, DUE_OR_RUNNING) == 0

    await until("the queue to drain", drained, deadline)
    sending = {
        row[0] for row in await _rows(url, "SELECT id::text FROM email_messages WHERE status = 'SENDING'")
    }
    assert sending == crash.window, "only the killed worker's emails wait for their lease"
    assert (
        await _count(
            url, "SELECT count(*) FROM email_messages WHERE status <> 'SENDING' AND status <> 'SENT'"
        )
        == 0
    )
    await _rows(
        url,
        "UPDATE email_messages SET locked_until = now() - interval '1 second' "
        "WHERE status = 'SENDING' RETURNING id",
    )
    await _rows(
        url,
        "UPDATE procrastinate_jobs SET scheduled_at = now() "
        "WHERE task_name = 'notifications.send_email' AND status = 'todo' RETURNING id",
    )

    async def all_sent() -> bool:
        unsent = await _count(url, "SELECT count(*) FROM email_messages WHERE status <> 'SENT'")
        return unsent == 0 and await drained()

    await until("every email to be sent", all_sent, deadline)


async def test_sigkilled_api_and_worker_lose_nothing_and_send_nothing_twice_but_the_window(
    crash_database: str,
    smtp: tuple[int, MailSink],
    fake_stripe: FakeStripe,
    tmp_path: Path,
) -> None:
    url, (smtp_port, sink) = crash_database, smtp
    deadline = time.monotonic() + DEADLINE_SECONDS
    hold = Hold(asyncio.get_running_loop())
    sink.hold = hold  # every DATA waits for the test: the worker's slots stay busy sending
    stack = Stack(_env(url, fake_stripe.url, smtp_port, tmp_path / "data"), free_port(), tmp_path)
    stack.start()
    try:
        await stack.ready(deadline)
        load = Load(deadline)
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            world = await _setup(http)
            restarted = asyncio.Event()

            async def buyer(index: int) -> None:
                after = n = 0
                while after < FLOWS_AFTER_RESTART:
                    was_restarted = restarted.is_set()
                    await _flow(http, load, world, fake_stripe, index, n)
                    n += 1
                    after += was_restarted

            async def crash_and_restart() -> Crash:
                crash = await _crash(stack, load, sink, hold, url)
                stack.start()
                await stack.ready(deadline)
                restarted.set()
                return crash

            crashing = asyncio.create_task(crash_and_restart())
            await asyncio.gather(*(buyer(i) for i in range(BUYERS)), crashing)
            crash = crashing.result()
            await _settle(url, crash, deadline)
            await _check(http, url, load, world, sink, crash)
    except BaseException:
        sys.stderr.write(stack.tail())
        raise
    finally:
        stack.stop()


async def _check(
    http: httpx.AsyncClient, url: str, load: Load, world: World, sink: MailSink, crash: Crash
) -> None:
    # The crash was where it was meant to be: requests in flight, jobs running and waiting.
    assert crash.in_flight > 0 and load.cut > 0
    print(  # the shape of this run, shown with -s
        f"crash: {crash}, orders: {len(load.placed)}, retried requests: {load.cut}, "
        f"emails delivered: {len(sink.received)}"
    )
    assert len(crash.doing) == WORKER_CONCURRENCY and crash.queued > 0, crash
    placed = load.placed

    # Every order answered 201 is there with its items, and no other order is.
    rows = await _rows(
        url,
        "SELECT o.id::text, o.status, i.ticket_type_id::text, i.quantity FROM orders o "
        "JOIN order_items i ON i.order_id = o.id",
    )
    stored: dict[str, tuple[str, dict[str, int]]] = {}
    for order_id, status, type_id, quantity in rows:
        stored.setdefault(order_id, (status, {}))[1][type_id] = quantity
    assert set(stored) == set(placed)
    for order_id, order in placed.items():
        expected = "CANCELLED" if order.cancelled else "CONFIRMED"
        assert stored[order_id] == (expected, order.items), order_id
        answer = created(
            await http.get(f"/api/v1/orders/{order_id}", headers=world.buyers[order.buyer][1]), 200
        )
        assert answer["status"] == expected
        assert {i["ticketTypeId"]: i["quantity"] for i in answer["items"]} == order.items
        assert sorted(t["id"] for t in answer["tickets"]) == sorted(order.ticket_ids)

    # Per ticket type, the counters equal the recount from the orders and tickets (through the API too).
    for type_id in world.type_ids:
        [(total, sold, held, pool)] = await _rows(
            url,
            "SELECT quantity_total, quantity_sold, quantity_held, waitlist_pool FROM ticket_types "
            "WHERE id = %s",
            type_id,
        )
        sold_recount = sum(o.items[type_id] for o in placed.values() if not o.cancelled)
        pending = await _count(
            url,
            "SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id "
            "WHERE i.ticket_type_id = %s AND o.status = 'PENDING'",
            type_id,
        )
        live = await _count(
            url, "SELECT count(*) FROM tickets WHERE ticket_type_id = %s AND status <> 'CANCELLED'", type_id
        )
        assert (sold, held, pool) == (sold_recount, pending, 0) and live == sold, type_id
        assert sold + held <= total
        availability = created(await http.get(f"/api/v1/ticket-types/{type_id}/availability"), 200)
        assert (availability["quantitySold"], availability["quantityHeld"]) == (sold, held)

    # Every paid order: CONFIRMED with one succeeded payment and all its tickets; scanned ones admitted once.
    paid = {o.order_id: o for o in placed.values() if not o.cancelled}
    payments = dict(
        await _rows(
            url, "SELECT order_id::text, count(*) FROM payments WHERE status = 'SUCCEEDED' GROUP BY order_id"
        )
    )
    assert payments == dict.fromkeys(paid, 1)
    tickets = await _rows(url, "SELECT id::text, order_id::text, status FROM tickets")
    per_order = Counter(order_id for _, order_id, _ in tickets)
    assert per_order == Counter({order_id: sum(o.items.values()) for order_id, o in paid.items()})
    scanned = {o.scanned for o in paid.values()}
    assert {ticket_id for ticket_id, _, status in tickets if status == "USED"} == scanned
    admitted = Counter(
        row[0]
        for row in await _rows(
            url, "SELECT ticket_id::text FROM scans WHERE status = 'VALID' AND direction = 'ENTRY'"
        )
    )
    assert admitted == Counter(dict.fromkeys(scanned, 1))

    # Every committed email reached the SMTP server: once, but the two in the window, twice.
    emails = await _rows(url, 'SELECT id::text, kind, "to", status, attempts FROM email_messages')
    with sink.lock:
        delivered = Counter(_outbox_id(received.message) for received in sink.received)
    assert set(delivered) == {row[0] for row in emails}
    for outbox_id, _kind, _to, status, attempts in emails:
        twice = outbox_id in crash.window
        assert (status, attempts, delivered[outbox_id]) == ("SENT", 2 if twice else 1, 2 if twice else 1), (
            outbox_id
        )
    wanted: Counter[tuple[str, str]] = Counter()
    for email, _ in world.buyers:
        wanted[(email, kinds.WELCOME)] += 1
    for order in placed.values():
        email = world.buyers[order.buyer][0]
        wanted[(email, kinds.ORDER_CANCELLED if order.cancelled else kinds.ORDER_CONFIRMED)] += 1
    buyer_emails = {email for email, _ in world.buyers}
    committed = Counter((to, kind) for _, kind, to, _, _ in emails if to in buyer_emails)
    assert committed == wanted

    # Every job ran exactly once, but those the killed worker was running: twice (at least once, by design).
    runs = dict(
        await _rows(
            url,
            "SELECT j.id, count(e.id) FILTER (WHERE e.type = 'started') FROM procrastinate_jobs j "
            "LEFT JOIN procrastinate_events e ON e.job_id = j.id WHERE j.status <> 'todo' GROUP BY j.id",
        )
    )
    statuses = Counter(row[0] for row in await _rows(url, "SELECT status::text FROM procrastinate_jobs"))
    assert set(statuses) <= {"succeeded", "todo"}, statuses
    assert {job_id: count for job_id, count in runs.items() if count != 1} == dict.fromkeys(crash.doing, 2)
    ready = await http.get("/api/v1/health/ready")  # migrations at head, no stalled job
    assert ready.status_code == 200, ready.text

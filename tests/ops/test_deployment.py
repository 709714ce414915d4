"""The multi-process deployment of ``deploy/run.sh``, for real: nginx balancing 3 ``tixmo serve``
processes, 2 ``tixmo worker`` processes, one PostgreSQL (the test database), Redis when it answers, and
emails through a real SMTP server (aiosmtpd).

A flash sale runs through nginx (buyers retry with their ``Idempotency-Key`` when a process dies under
them); one API process and one worker are killed (SIGKILL) mid-way. Then: no oversell, every order that
was answered 201 is in the database (and nothing else), every confirmation email is delivered once, a
live stream held on one process sees the scans made through another, and ``/metrics`` through nginx
counts every process, the dead one included.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import TEST_SECRET
from tests.notifications.helpers import MailSink, start_smtp
from tests.ops.helpers import parse, total
from tests.orders.helpers import Buyer, make_buyer, make_shop
from tixmo.deps import AppContext
from tixmo.notifications import kinds
from tixmo.notifications.models import EmailMessage
from tixmo.notifications.service import SEND_EMAIL
from tixmo.orders.models import Order

pytestmark = pytest.mark.deployment

ROOT = Path(__file__).resolve().parents[2]
NGINX = os.environ.get("TIXMO_NGINX", "/usr/sbin/nginx")
API_PROCESSES, WORKERS = 3, 2
TICKETS, BUYERS, PER_ORDER, CONCURRENCY = 40, 30, 2, 12
KILL_AFTER_ANSWERS = 8
DEADLINE_SECONDS = 90

# (messages neither SENT nor SENDING, messages, send jobs running or due now)
SETTLED_SQL = text(
    "SELECT (SELECT count(*) FROM email_messages WHERE status NOT IN ('SENT', 'SENDING')), "
    "(SELECT count(*) FROM email_messages), "
    "(SELECT count(*) FROM procrastinate_jobs WHERE task_name = :task "
    "AND (status = 'doing' OR (status = 'todo' AND coalesce(scheduled_at, now()) <= now())))"
)
LAPSE_CLAIMS_SQL = text(
    "UPDATE email_messages SET locked_until = now() - interval '1 second' WHERE status = 'SENDING'"
)
DUE_NOW_SQL = text(
    "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE task_name = :task AND status = 'todo'"
)


def _free_port_block(size: int) -> int:
    """A port p with p .. p+size free (nginx on p, API process i on p+i)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = int(probe.getsockname()[1])
        if base + size > 65535:
            continue
        sockets = []
        try:
            for port in range(base, base + size + 1):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no block of free ports")


def _redis_url() -> str | None:
    url = os.environ.get("TIXMO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return None
    return url


async def _until(what: str, condition: Callable[[], Awaitable[bool]]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


@dataclass
class Deployment:
    process: subprocess.Popen[str]
    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.port + i}"

    def pid(self, name: str) -> int:
        return int((self.directory / "pids" / f"{name}.pid").read_text())

    def logs(self) -> str:
        parts = []
        for log in [*sorted((self.directory / "logs").glob("*.log")), self.directory / "nginx" / "error.log"]:
            if log.exists():
                parts.append(f"--- {log.name}\n" + "\n".join(log.read_text().splitlines()[-15:]))
        return "\n".join(parts)


@pytest.fixture
def smtp() -> Iterator[tuple[int, MailSink]]:
    controller, sink = start_smtp()
    try:
        yield controller.port, sink
    finally:
        controller.stop()


@pytest.fixture
def deployment(database_url: str, tmp_path: Path, smtp: tuple[int, MailSink]) -> Iterator[Deployment]:
    if not (os.access(NGINX, os.X_OK) and shutil.which("bash")):
        pytest.skip(f"nginx is not installed at {NGINX} (apt-get install nginx-light; .ci/run does)")
    port = _free_port_block(API_PROCESSES)
    env = {
        **os.environ,
        "TIXMO_DATABASE_URL": database_url,
        "TIXMO_DATA_DIR": str(tmp_path / "data"),
        "TIXMO_SECRET_KEY": TEST_SECRET,
        "TIXMO_ENV": "test",
        "TIXMO_EMAIL_BACKEND": "smtp",
        "TIXMO_SMTP_HOST": "127.0.0.1",
        "TIXMO_SMTP_PORT": str(smtp[0]),
        "TIXMO_SMTP_SECURITY": "none",
        "TIXMO_RATE_LIMIT_ENABLED": "false",
        "TIXMO_ARGON2_TIME_COST": "1",
        "TIXMO_ARGON2_MEMORY_KIB": "1024",
        "TIXMO_LIVE_HEARTBEAT_SECONDS": "1",
        # A killed worker's jobs are taken over within seconds (defaults: 10 s heartbeats, 60 s).
        "TIXMO_WORKER_HEARTBEAT_SECONDS": "0.3",
        "TIXMO_WORKER_STALLED_AFTER_SECONDS": "2",
        "TIXMO_BIN": str(Path(sys.executable).parent / "tixmo"),
        "TIXMO_NGINX": NGINX,
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    redis_url = _redis_url()
    if redis_url is not None:
        env["TIXMO_REDIS_URL"] = redis_url
    directory = tmp_path / "deploy"
    command = [
        "bash",
        str(ROOT / "deploy" / "run.sh"),
        "--api",
        str(API_PROCESSES),
        "--workers",
        str(WORKERS),
        "--port",
        str(port),
        "--dir",
        str(directory),
    ]
    process = subprocess.Popen(  # noqa: S603 - our own script
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    deployment = Deployment(process, directory, port)
    try:
        assert process.stdout is not None
        for line in process.stdout:  # run.sh gives up after 120 s on its own
            if line.startswith("ready "):
                break
        else:
            pytest.fail("deploy/run.sh ended before it was ready:\n" + deployment.logs())
        yield deployment
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def _retrying(
    http: httpx.AsyncClient, method: str, url: str, *, attempts: int = 8, **kwargs: Any
) -> httpx.Response:
    """A client's retry: a dead process's 502, an overloaded 503, a dropped connection, again (orders
    carry their Idempotency-Key, so a retry never places a second order)."""
    for attempt in range(attempts):
        try:
            response = await http.request(method, url, **kwargs)
        except httpx.TransportError:
            if attempt == attempts - 1:
                raise
            continue
        if response.status_code not in (502, 503, 504) or attempt == attempts - 1:
            return response
        await asyncio.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


@contextlib.asynccontextmanager
async def _live_stream(url: str, headers: dict[str, str], seen: set[int]) -> AsyncIterator[asyncio.Event]:
    """Reads ``GET url`` (SSE) in the background, adding every scan id it announces to ``seen``; the event
    is set once the stream has answered."""
    opened = asyncio.Event()

    async def read() -> None:
        async with (
            httpx.AsyncClient(timeout=httpx.Timeout(10, read=None)) as http,
            http.stream("GET", url, headers=headers) as response,
        ):
            assert response.status_code == 200
            opened.set()
            kind = None
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    kind = line.removeprefix("event: ")
                elif line.startswith("data: ") and kind == "scan":
                    seen.add(int(orjson.loads(line.removeprefix("data: "))["scan"]["id"]))

    task = asyncio.create_task(read())
    try:
        yield opened
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_flash_sale_scans_and_emails_survive_a_killed_api_process_and_worker(
    deployment: Deployment,
    smtp: tuple[int, MailSink],
    session: AsyncSession,
    context: AppContext,
) -> None:
    sink = smtp[1]
    shop = await make_shop(session, context, quantity=TICKETS, price_minor=1500)
    buyers: list[Buyer] = [await make_buyer(session, context) for _ in range(BUYERS)]
    body = {
        "eventId": str(shop.event.id),
        "items": [{"ticketTypeId": str(shop.ticket_type.id), "quantity": PER_ORDER}],
    }
    created: dict[str, Buyer] = {}  # order id -> buyer, for every 201
    refused: Counter[str] = Counter()
    answers = 0
    killed = asyncio.Event()

    async def kill_mid_way() -> None:
        await _until("the sale to be under way", lambda: _true(answers >= KILL_AFTER_ANSWERS))
        os.kill(deployment.pid("api-1"), signal.SIGKILL)
        os.kill(deployment.pid("worker-1"), signal.SIGKILL)
        killed.set()

    queue: asyncio.Queue[Buyer] = asyncio.Queue()
    for buyer in buyers:
        queue.put_nowait(buyer)

    async with httpx.AsyncClient(base_url=deployment.url, timeout=30) as http:

        async def client() -> None:
            nonlocal answers
            while not queue.empty():
                buyer = queue.get_nowait()
                key = uuid.uuid4().hex
                placed = await _retrying(
                    http,
                    "POST",
                    "/api/v1/orders",
                    json=body,
                    headers={**buyer.headers, "Idempotency-Key": key},
                )
                answers += 1
                if placed.status_code == 201:
                    created[placed.json()["id"]] = buyer
                    confirmed = await _retrying(
                        http, "POST", f"/api/v1/orders/{placed.json()['id']}/confirm", headers=buyer.headers
                    )
                    assert confirmed.status_code in (200, 409), confirmed.text
                else:
                    assert placed.status_code == 409, placed.text
                    refused[placed.json()["code"]] += 1

        await asyncio.gather(kill_mid_way(), *(client() for _ in range(CONCURRENCY)))
        assert killed.is_set()

        # No oversell, every 201 order there, nothing else.
        sold, held, total_qty = (
            await session.execute(
                text("SELECT quantity_sold, quantity_held, quantity_total FROM ticket_types WHERE id = :id"),
                {"id": shop.ticket_type.id},
            )
        ).one()
        orders = {
            str(order.id): order
            for order in (await session.scalars(select(Order).where(Order.event_id == shop.event.id))).all()
        }
        await session.commit()
        assert sold + held <= total_qty == TICKETS
        assert set(created) == set(orders), "an order answered 201 is missing, or one exists unanswered"
        assert sold == TICKETS == PER_ORDER * len(created)  # sold out, exactly
        assert all(order.status == "CONFIRMED" for order in orders.values())
        assert refused and set(refused) <= {"INSUFFICIENT_INVENTORY", "SOLD_OUT"}, refused

        # Every confirmation email delivered, once each (the killed worker's jobs taken over).
        async def all_sent() -> bool:
            statuses = (await session.scalars(select(EmailMessage.status))).all()
            await session.commit()
            return len(statuses) == len(created) and all(status == "SENT" for status in statuses)

        async def settled() -> bool:
            """Every message SENT or SENDING, and no send job running or due: what is still SENDING is
            held by the killed worker's claim, which lapses only after its lease (4.5 minutes and more,
            notifications/delivery.py), with a check job queued for that moment."""
            row = (await session.execute(SETTLED_SQL, {"task": SEND_EMAIL})).one()
            await session.commit()
            return row[0] == 0 and row[1] == len(created) and row[2] == 0

        await _until("the emails to be sent or held by the dead worker's claim", settled)
        # Time travel: the dead worker's claims lapse now instead of in minutes; their check jobs are due.
        await session.execute(LAPSE_CLAIMS_SQL)
        await session.execute(DUE_NOW_SQL, {"task": SEND_EMAIL})
        await session.commit()
        await _until("every email to be sent", all_sent)
        ids = Counter(str(received.message["Message-ID"]) for received in sink.received)
        assert len(ids) == len(created)
        for order_id, buyer in created.items():
            assert sink.kinds_to(buyer.user.email).count(kinds.ORDER_CONFIRMED) == 1, (
                order_id,
                buyer.user.email,
            )
        # At least once: only a message whose worker died between the SMTP server's 250 and recording it
        # can arrive twice, with the same Message-ID (docs/notifications.md); at most the killed one.
        assert sum(ids.values()) - len(ids) <= 1, ids

        # Scans through one process, a live stream held on another sees them.
        made = await http.post(
            "/api/v1/scanners/register",
            json={"eventId": str(shop.event.id), "name": "Gate"},
            headers=shop.staff_headers,
        )
        assert made.status_code == 201, made.text
        token = (await http.post("/api/v1/scanners/auth", json={"apiKey": made.json()["apiKey"]})).json()[
            "token"
        ]
        tickets = []
        for order_id, buyer in created.items():
            detail = await http.get(f"/api/v1/orders/{order_id}", headers=buyer.headers)
            tickets += [ticket["barcode"] for ticket in detail.json()["tickets"]]
        assert len(tickets) == TICKETS
        seen: set[int] = set()
        live = deployment.api_url(2) + f"/api/v1/events/{shop.event.id}/live"
        async with _live_stream(live, shop.staff_headers, seen) as opened:
            await asyncio.wait_for(opened.wait(), 30)
            scanned: list[int] = []
            async with httpx.AsyncClient(base_url=deployment.api_url(3), timeout=30) as other:
                for barcode in tickets:
                    answer = await other.post(
                        "/api/v1/scanners/scan",
                        json={"barcode": barcode, "direction": "ENTRY"},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    assert answer.status_code == 200 and answer.json()["status"] == "VALID", answer.text
                    scanned.append(int(answer.json()["scanId"]))
            await _until(
                "the live stream on process 2 to see every scan", lambda: _true(seen >= set(scanned))
            )

        # One scrape through nginx counts every process, the killed one included.
        scrape = await http.get("/metrics")
        assert scrape.status_code == 200
        samples = parse(scrape.text)
        assert total(samples, "tixmo_orders_placed_total") >= len(created)
        assert total(samples, "tixmo_tickets_sold_total", event_id=str(shop.event.id)) == TICKETS
        assert total(samples, "tixmo_scans_total", status="VALID") >= TICKETS
        assert total(samples, "tixmo_emails_total", outcome="sent") >= len(created)
        ready = await http.get("/api/v1/health/ready")
        assert ready.status_code == 200, ready.text


async def _true(value: bool) -> bool:
    return value

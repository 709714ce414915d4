"""Waitlist release-path benchmark: what keeping released tickets for the waitlist costs a cancellation.

    .venv/bin/python bench/waitlist_release.py
    .venv/bin/python bench/waitlist_release.py --orders 100 --rounds 3
    .venv/bin/python bench/waitlist_release.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Without ``--database-url`` it starts its own PostgreSQL (pgserver) in a temporary directory; with one, it
creates a throw-away database on that server (flash_sale.py's helpers) and drops it at the end.

In-process (the ASGI app, no HTTP server): a PUBLISHED event with one ticket type, one buyer. After an
untimed warm-up, each round runs three phases in turn, each placing ``--orders`` PENDING orders of one
ticket and then cancelling them one by one through ``POST /orders/{id}/cancel`` (the timed part):

* ``baseline``: the waitlist hook (``ticketing.waitlist_pool.keep_for_waitlist``) replaced by a no-op — the
  release path as it was before the waitlist, measured in the same run;
* ``nobody_waiting``: the hook on, no entry on the waitlist (its statement matches nothing);
* ``someone_waiting``: the hook on, one entry waiting for more tickets than ever come back, so every
  cancelled ticket moves into the pool (and queues an offer job) instead of going on sale.

The machine is shared, so the phases alternate within each round and the output gives each phase's
median and p95 cancel latency per round, and their ranges. Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flash_sale import console, prepare_database

from tixmo.accounts.models import Role, User
from tixmo.app import create_app
from tixmo.config import Environment, Settings
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.migrate import upgrade
from tixmo.organizations.models import MemberRole, Membership, Organization
from tixmo.security import create_access_token
from tixmo.ticketing import waitlist_pool as capture
from tixmo.ticketing.models import TicketType
from tixmo.waitlist.models import WaitlistEntry

SECRET = "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
PHASES = ("baseline", "nobody_waiting", "someone_waiting")


async def _no_hook(session: Any, ticket_type_ids: Any) -> int:
    return 0


async def _seed(context: AppContext) -> tuple[dict[str, str], uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID]:
    async with context.database.sessionmaker() as session:
        staff = User(
            email=f"staff-{uuid.uuid4().hex[:8]}@bench.test",
            password_hash="x",
            first_name="S",
            last_name="B",
            role=Role.PROMOTER.value,
        )
        buyer = User(
            email=f"buyer-{uuid.uuid4().hex[:8]}@bench.test",
            password_hash="x",
            first_name="B",
            last_name="B",
            role=Role.CUSTOMER.value,
        )
        waiter = User(
            email=f"waiter-{uuid.uuid4().hex[:8]}@bench.test",
            password_hash="x",
            first_name="W",
            last_name="B",
            role=Role.CUSTOMER.value,
        )
        session.add_all([staff, buyer, waiter])
        await session.flush()
        org = Organization(name="Bench", type="PROMOTER")
        session.add(org)
        await session.flush()
        session.add(Membership(organization_id=org.id, user_id=staff.id, role=MemberRole.OWNER.value))
        start = datetime.now(UTC) + timedelta(days=30)
        event = Event(
            organization_id=org.id,
            name="Bench night",
            category="CONCERT",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            timezone="UTC",
            status="PUBLISHED",
            published_at=datetime.now(UTC),
        )
        session.add(event)
        await session.flush()
        ticket_type = TicketType(
            event_id=event.id,
            name="GA",
            price_minor=2500,
            currency="USD",
            quantity_total=1_000_000,
            max_per_order=10,
        )
        session.add(ticket_type)
        await session.commit()
        token, _ = create_access_token(
            context.secret_key, buyer.id, buyer.role, context.access_token_lifetime
        )
        return {"Authorization": f"Bearer {token}"}, event.id, ticket_type.id, waiter.id, buyer.id


async def _phase(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    event_id: uuid.UUID,
    ticket_type_id: uuid.UUID,
    orders: int,
    tick: Callable[[], None],
) -> list[float]:
    body = {"eventId": str(event_id), "items": [{"ticketTypeId": str(ticket_type_id), "quantity": 1}]}
    placed = []
    for _ in range(orders):
        response = await client.post("/orders", json=body, headers=headers)
        assert response.status_code == 201, response.text
        placed.append(response.json()["id"])
    samples = []
    for order_id in placed:
        began = time.perf_counter()
        response = await client.post(f"/orders/{order_id}/cancel", headers=headers)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 200, response.text
        tick()
    return samples


async def _set_waiting(
    context: AppContext, event_id: uuid.UUID, ticket_type_id: uuid.UUID, user_id: uuid.UUID, waiting: bool
) -> None:
    async with context.database.sessionmaker() as session:
        if waiting:
            session.add(
                WaitlistEntry(
                    event_id=event_id,
                    ticket_type_id=ticket_type_id,
                    user_id=user_id,
                    quantity=10,
                    status="WAITING",
                )
            )
        else:
            await session.execute(
                update(WaitlistEntry).where(WaitlistEntry.status == "WAITING").values(status="CANCELLED")
            )
            # the pool goes back on sale (as leaving would), so every phase starts alike
            await session.execute(
                update(TicketType)
                .where(TicketType.id == ticket_type_id)
                .values(quantity_held=TicketType.quantity_held - TicketType.waitlist_pool, waitlist_pool=0)
            )
        await session.commit()


async def main(args: argparse.Namespace) -> dict[str, Any]:
    url, cleanup = prepare_database(args.database_url)
    try:
        upgrade(url)
        data_dir = Path(tempfile.mkdtemp(prefix="tixmo-bench-wl-"))
        settings = Settings(
            env=Environment.TEST,
            data_dir=data_dir,
            database_url=url,
            secret_key=SECRET,
            run_worker=False,
            seed_demo=False,
            rate_limit_enabled=False,
        )  # type: ignore[call-arg]
        app = create_app(settings, database_url=url)
        results: dict[str, list[dict[str, float | None]]] = {phase: [] for phase in PHASES}
        async with app.router.lifespan_context(app):
            context: AppContext = app.state.context
            headers, event_id, ticket_type_id, waiter_id, _ = await _seed(context)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench/api/v1") as client:
                real_hook = capture.keep_for_waitlist
                total = args.rounds * len(PHASES) * args.orders
                with Progress(
                    TextColumn("cancels"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=console,
                ) as progress:
                    task = progress.add_task("cancels", total=total + args.orders)
                    # Warm-up (untimed): connections, prepared statements, caches.
                    await _phase(
                        client, headers, event_id, ticket_type_id, args.orders, lambda: progress.advance(task)
                    )
                    for _ in range(args.rounds):
                        for phase in PHASES:
                            capture.keep_for_waitlist = _no_hook if phase == "baseline" else real_hook  # type: ignore[assignment]
                            await _set_waiting(
                                context, event_id, ticket_type_id, waiter_id, phase == "someone_waiting"
                            )
                            samples = await _phase(
                                client,
                                headers,
                                event_id,
                                ticket_type_id,
                                args.orders,
                                lambda: progress.advance(task),
                            )
                            results[phase].append(
                                {
                                    "p50_ms": round(statistics.median(samples) * 1000, 2),
                                    "p95_ms": round(statistics.quantiles(samples, n=20)[-1] * 1000, 2),
                                }
                            )
                            await _set_waiting(context, event_id, ticket_type_id, waiter_id, False)
                capture.keep_for_waitlist = real_hook  # type: ignore[assignment]
        summary = {
            phase: {
                "rounds": rounds,
                "p50_ms_range": [
                    min(r["p50_ms"] or 0 for r in rounds),
                    max(r["p50_ms"] or 0 for r in rounds),
                ],
            }
            for phase, rounds in results.items()
        }
        return {"orders_per_phase": args.orders, "rounds": args.rounds, "phases": summary}
    finally:
        cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))

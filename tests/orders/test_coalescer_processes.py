"""The coalescer across real API processes: ``tixmo serve --workers 2`` (two processes, each with its own
coalescer, sold-out flags and pool) on a database of its own, flooded over HTTP by buyers placing 1- and
2-ticket orders, a third of them with a promo code of few uses, a quarter of them with a second line of
another ticket type. Neither ticket type oversells, the promo code's uses never pass ``maxUses`` and
equal its live orders, and every 201 is an order in the database (the other tests of the coalescer run
two apps in one event loop; this one runs two operating-system processes)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
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
)
from tixmo.db import libpq_conninfo

TICKETS = 60
BALCONY = 15  # the second ticket type, ordered with the first by one buyer in four
PROMO_USES = 12
BUYERS = 150
CLIENTS = 24
DEADLINE_SECONDS = 120
METRICS_TOKEN = "flood-metrics-token"


@pytest.fixture
def flood_database(database_url: str) -> Iterator[str]:
    with dedicated_database(database_url, f"tixmo_coalesce_{os.getpid()}") as url:
        yield url


async def _sale(http: httpx.AsyncClient) -> tuple[str, str, str]:
    staff, event_id = await promoter_event(http, "Flood")
    floor = await ticket_type(
        http, staff, event_id, name="Floor", price="25.00", quantityTotal=TICKETS, maxPerOrder=4
    )
    balcony = await ticket_type(
        http, staff, event_id, name="Balcony", price="40.00", quantityTotal=BALCONY, maxPerOrder=2
    )
    created(
        await http.post(
            "/api/v1/promo-codes",
            json={
                "eventId": event_id,
                "code": "FLOOD",
                "discountType": "PERCENTAGE",
                "discountValue": "10",
                "maxUses": PROMO_USES,
            },
            headers=staff,
        )
    )
    created(await http.post(f"/api/v1/events/{event_id}/publish", headers=staff), 200)
    return event_id, floor, balcony


def _db(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(libpq_conninfo(url)) as connection:
        return list(connection.execute(sql, params).fetchall())


async def test_two_serve_processes_flooded_never_oversell_nor_overuse_a_promo_code(
    flood_database: str, tmp_path: Path
) -> None:
    env = stack_env(
        flood_database,
        tmp_path / "data",
        TIXMO_ORDER_COALESCE="true",
        TIXMO_ORDER_SOLD_OUT_FLAG="true",
        TIXMO_METRICS_TOKEN=METRICS_TOKEN,
    )
    stack = Stack(env, free_port(), tmp_path)
    deadline = time.monotonic() + DEADLINE_SECONDS
    stack.start()
    try:
        await stack.ready(deadline)
        limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
        async with httpx.AsyncClient(base_url=stack.url, timeout=30, limits=limits) as http:
            event_id, type_id, balcony_id = await _sale(http)
            buyers = [(await register(http, "CUSTOMER"))[1] for _ in range(BUYERS)]
            answers: list[tuple[int, int, bool, dict[str, Any]]] = []
            wanted: dict[int, dict[str, Any]] = {}
            gate = asyncio.Semaphore(CLIENTS)

            async def buy(index: int) -> None:
                quantity, promo = 1 + index % 2, index % 3 == 0
                body: dict[str, Any] = {
                    "eventId": event_id,
                    "items": [{"ticketTypeId": type_id, "quantity": quantity}],
                }
                if index % 4 == 1:  # and a balcony seat: an order of two ticket types
                    body["items"].append({"ticketTypeId": balcony_id, "quantity": 1})
                wanted[index] = body
                if promo:
                    body["promoCode"] = "flood"  # case-insensitive, as the full path reads it
                async with gate:
                    response = await http.post("/api/v1/orders", json=body, headers=buyers[index])
                answers.append((response.status_code, index, promo, response.json()))

            await asyncio.gather(*(buy(index) for index in range(BUYERS)))
            auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
            metrics = (await http.get("/metrics", headers=auth)).text
    finally:
        stack.stop()

    statuses = Counter(status for status, *_ in answers)
    assert set(statuses) <= {201, 409, 422}, (statuses, stack.tail())
    placed = [(index, promo, body) for status, index, promo, body in answers if status == 201]
    # Every refusal is the exact answer of the rules: sold out (409, naming the line whose ticket type
    # ran short) or the promo code used up (422).
    for status, index, promo, body in answers:
        if status == 409:
            assert body["code"] == "INSUFFICIENT_INVENTORY", body
            line = wanted[index]["items"][int(body["errors"][0]["field"].split(".")[1])]
            assert line["ticketTypeId"] == body["ticketTypeId"], (wanted[index], body)
        elif status == 422:
            assert promo and body["code"] == "PROMO_CODE_INVALID", body
    sold = Counter[str]()
    for index, _, _ in placed:
        for item in wanted[index]["items"]:
            sold[item["ticketTypeId"]] += item["quantity"]
    assert sold[type_id] <= TICKETS and sold[balcony_id] <= BALCONY, sold
    assert statuses[409] > 0  # the flood asked for more than there was: the limit was really hit
    assert any(len(wanted[index]["items"]) == 2 for index, _, _ in placed)  # two-type orders were placed
    promo_orders = [body for _, promo, body in placed if promo]
    assert promo_orders  # promo orders were placed, not only refused
    # The orders went through the coalescers' batch statements (all processes' metrics, one directory).
    batches = [
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("tixmo_order_batch_size_count")
    ]
    assert batches and sum(batches) > 0, metrics[-2000:]
    assert len(promo_orders) <= PROMO_USES
    assert all(body["promoCode"].upper() == "FLOOD" for body in promo_orders)

    # The database agrees with the answers: each ticket type's ledger, each 201's order (with its
    # items), the promo code's uses.
    for ticket_type_id, total in ((type_id, TICKETS), (balcony_id, BALCONY)):
        [(total_db, held, sold_db)] = _db(
            flood_database,
            "SELECT quantity_total, quantity_held, quantity_sold FROM ticket_types WHERE id = %s",
            uuid.UUID(ticket_type_id),
        )
        [(in_orders,)] = _db(
            flood_database,
            "SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id "
            "WHERE i.ticket_type_id = %s AND o.status = 'PENDING'",
            uuid.UUID(ticket_type_id),
        )
        assert (total_db, sold_db) == (total, 0)
        assert held == in_orders == sold[ticket_type_id] <= total
    orders = _db(
        flood_database,
        "SELECT o.id, o.status, o.promo_code_id IS NOT NULL, count(i.id) FROM orders o "
        "JOIN order_items i ON i.order_id = o.id WHERE o.event_id = %s GROUP BY o.id",
        uuid.UUID(event_id),
    )
    lines_of = {body["id"]: len(wanted[index]["items"]) for index, _, body in placed}
    assert {str(row[0]): row[3] for row in orders} == lines_of
    assert all(row[1] == "PENDING" for row in orders)
    [(used, max_uses)] = _db(
        flood_database, "SELECT used_count, max_uses FROM promo_codes WHERE code = 'FLOOD'"
    )
    assert used == sum(1 for row in orders if row[2]) == len(promo_orders) <= max_uses

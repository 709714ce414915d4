"""The generated Python client (clients/python, from the OpenAPI document) against a running server: a
buyer signs in, places an order and confirms it. If the document lied about a path, a field or a status,
the generated code would fail here. And the committed clients match the document of this code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import DEFAULT_PASSWORD, create_user
from tests.orders.helpers import make_shop
from tests.test_serve import _free_port, _wait_for_line
from tixmo.deps import AppContext

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "clients" / "python"))

from tixmo_client import AuthenticatedClient, Client  # noqa: E402
from tixmo_client.api.auth import auth_login  # noqa: E402
from tixmo_client.api.orders import orders_confirm_order, orders_create_order, orders_get_order  # noqa: E402
from tixmo_client.models import LoginRequest, OrderCreate, OrderItemInput, OrderRead, OrderStatus  # noqa: E402


def test_committed_document_is_this_codes_document() -> None:
    """A quick guard (the full check, clients included, is ``scripts/generate_clients.py --check`` in CI)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import generate_clients

    committed = json.loads((ROOT / "clients" / "openapi.json").read_text())
    assert committed == json.loads(generate_clients.openapi_document()), (
        "the OpenAPI document changed: run python scripts/generate_clients.py"
    )


async def test_place_and_confirm_an_order_through_the_generated_client(
    session: AsyncSession, context: AppContext, database_url: str, tmp_path: Path
) -> None:
    shop = await make_shop(session, context, quantity=10, price_minor=1500)
    buyer = await create_user(session, context)
    event_id, ticket_type_id, email = shop.event.id, shop.ticket_type.id, buyer.email
    port = _free_port()
    env = {
        **os.environ,
        "TIXMO_DATABASE_URL": database_url,
        "TIXMO_DATA_DIR": str(tmp_path),
        "TIXMO_RUN_WORKER": "false",
        "TIXMO_SEED_DEMO": "false",
        "TIXMO_SECRET_KEY": context.secret_key,
    }
    command = [sys.executable, "-m", "tixmo.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603
    watchdog = threading.Timer(120, process.kill)  # a hung server is killed and the test fails
    watchdog.start()
    seen: list[str] = []
    try:
        _wait_for_line(process, "Application startup complete", seen)
        base = f"http://127.0.0.1:{port}"  # the document's paths start with /api/v1
        login = auth_login.sync_detailed(
            client=Client(base_url=base), body=LoginRequest(email=email, password=DEFAULT_PASSWORD)
        )
        assert login.status_code == 200, login.content
        assert login.parsed is not None and not hasattr(login.parsed, "status")
        token = login.parsed.access_token  # type: ignore[union-attr]
        client = AuthenticatedClient(base_url=base, token=token)
        body = OrderCreate(
            event_id=event_id, items=[OrderItemInput(ticket_type_id=ticket_type_id, quantity=2)]
        )
        placed = orders_create_order.sync_detailed(client=client, body=body)
        assert placed.status_code == 201, placed.content
        order = placed.parsed
        assert isinstance(order, OrderRead)
        assert order.status == OrderStatus.PENDING and order.total == "30.00"
        confirmed = orders_confirm_order.sync_detailed(order.id, client=client)
        assert confirmed.status_code == 200, confirmed.content
        assert isinstance(confirmed.parsed, OrderRead) and confirmed.parsed.status == OrderStatus.CONFIRMED
        again = orders_get_order.sync(order.id, client=client)
        assert isinstance(again, OrderRead) and again.status == OrderStatus.CONFIRMED
        # A refusal is parsed as the documented problem, not as an order.
        missing = orders_get_order.sync_detailed(event_id, client=client)
        assert missing.status_code == 404 and not isinstance(missing.parsed, OrderRead)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    if process.returncode not in (0, -signal.SIGTERM):
        pytest.fail("".join(seen))

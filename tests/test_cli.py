"""The ``tixmo`` command line and the demo data it seeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from typer.testing import CliRunner

from tixmo.cli import app as cli
from tixmo.config import get_settings
from tixmo.db import libpq_conninfo
from tixmo.demo import DEMO_LOGINS, seed_demo
from tixmo.deps import AppContext

runner = CliRunner()


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TIXMO_DATABASE_URL", database_url)
    monkeypatch.setenv("TIXMO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TIXMO_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("TIXMO_ARGON2_MEMORY_KIB", "1024")
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(libpq_conninfo(url)) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]  # noqa: S608
            for table in ("users", "organizations", "venues", "events", "ticket_types", "orders")
        }


def test_help_lists_every_command() -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "migrate", "worker", "seed-demo", "create-admin"):
        assert command in result.output


def test_seed_demo_creates_data_once(cli_env: str) -> None:
    first = runner.invoke(cli, ["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = _counts(cli_env)
    assert counts == {
        "users": 3,
        "organizations": 1,
        "venues": 1,
        "events": 2,
        "ticket_types": 4,
        "orders": 1,
    }
    again = runner.invoke(cli, ["seed-demo"])
    assert again.exit_code == 0
    assert "already" in again.output
    assert _counts(cli_env) == counts


def test_create_admin_validates_creates_and_promotes(cli_env: str) -> None:
    weak = runner.invoke(cli, ["create-admin", "--email", "boss@example.com", "--password", "weak"])
    assert weak.exit_code == 2
    assert _counts(cli_env)["users"] == 0

    created = runner.invoke(cli, ["create-admin", "--email", "Boss@Example.com", "--password", "Str0ngPass"])
    assert created.exit_code == 0, created.output
    promoted = runner.invoke(
        cli, ["create-admin", "--email", "boss@example.com", "--password", "Str0ngPass2"]
    )
    assert promoted.exit_code == 0, promoted.output
    assert "Promoted" in promoted.output
    with psycopg.connect(libpq_conninfo(cli_env)) as conn:
        rows = conn.execute("SELECT email, role FROM users").fetchall()
    assert rows == [("boss@example.com", "ADMIN")]


async def test_demo_logins_work_and_events_are_public(client: httpx.AsyncClient, context: AppContext) -> None:
    assert await seed_demo(context.database, context.passwords, storage=context.media.storage) is True
    assert await seed_demo(context.database, context.passwords, storage=context.media.storage) is False
    for login in DEMO_LOGINS:
        response = await client.post("/auth/login", json={"email": login.email, "password": login.password})
        assert response.status_code == 200, response.text
        assert response.json()["user"]["role"] == login.role

    events = await client.get("/events")  # no token: the public catalogue
    assert events.status_code == 200
    listed = events.json()["data"]
    assert len(listed) == 2
    assert sorted(event["refundPolicy"] for event in listed) == ["FULL", "NONE"]
    assert {event["status"] for event in listed} == {"PUBLISHED"}
    for event in listed:
        types = await client.get(f"/events/{event['id']}/ticket-types")
        assert types.status_code == 200
        assert len(types.json()["data"]) == 2
        for ticket_type in types.json()["data"]:
            availability = await client.get(f"/ticket-types/{ticket_type['id']}/availability")
            assert availability.status_code == 200
            assert availability.json()["onSale"] is True
            assert (
                availability.json()["quantityAvailable"]
                == ticket_type["quantityTotal"] - ticket_type["quantitySold"]
            )

    # The demo was made through the services: the promoter's organization has the whole audit trail.
    login = await client.post(
        "/auth/login", json={"email": DEMO_LOGINS[1].email, "password": DEMO_LOGINS[1].password}
    )
    headers = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    org_id = (await client.get("/organizations", headers=headers)).json()["data"][0]["id"]
    trail = await client.get(f"/organizations/{org_id}/audit-log?limit=100", headers=headers)
    actions = [entry["action"] for entry in trail.json()["data"]]
    assert actions.count("event.published") == 2
    assert actions.count("ticket_type.created") == 4
    assert {"promo_code.created", "order.created", "order.confirmed"} <= set(actions)

    # The customer's paid order: two tickets with the demo promo code.
    login = await client.post(
        "/auth/login", json={"email": DEMO_LOGINS[2].email, "password": DEMO_LOGINS[2].password}
    )
    customer = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    orders = (await client.get("/orders", headers=customer)).json()
    assert [(o["status"], o["promoCode"], len(o["tickets"])) for o in orders["data"]] == [
        ("CONFIRMED", "DEMO10", 2)
    ]
    # ... paid with the manual provider, so it has a payment to refund.
    payments = (await client.get("/payments", headers=customer)).json()["data"]
    assert [(p["orderId"], p["provider"], p["status"], p["amount"]) for p in payments] == [
        (orders["data"][0]["id"], "manual", "SUCCEEDED", orders["data"][0]["total"])
    ]
    assert {"organization.created", "venue.created", "event.created"} <= set(actions)

"""Payment settings refuse an unusable Stripe set-up; events carry a refund policy."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_settings
from tests.factories import auth, create_organization, create_user
from tests.problems import assert_problem
from tixmo.accounts.models import Role
from tixmo.app import create_app
from tixmo.config import InsecureConfiguration, PaymentProviderName, Settings
from tixmo.deps import AppContext


def test_the_manual_provider_is_the_default() -> None:
    assert Settings().payment_provider == PaymentProviderName.MANUAL


@pytest.mark.parametrize(
    ("secret_key", "webhook_secret", "missing"),
    [
        (None, "whsec_x", "TIXMO_STRIPE_SECRET_KEY"),
        ("sk_test_x", None, "TIXMO_STRIPE_WEBHOOK_SECRET"),
    ],
)
def test_stripe_without_its_keys_does_not_start(
    tmp_path: Path, database_url: str, secret_key: str | None, webhook_secret: str | None, missing: str
) -> None:
    settings = make_settings(
        tmp_path,
        payment_provider="stripe",
        stripe_secret_key=secret_key,
        stripe_webhook_secret=webhook_secret,
    )
    with pytest.raises(InsecureConfiguration, match=missing):
        create_app(settings, database_url=database_url)


def test_stripe_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIXMO_PAYMENT_PROVIDER", "stripe")
    monkeypatch.setenv("TIXMO_STRIPE_SECRET_KEY", "sk_test_123")
    monkeypatch.setenv("TIXMO_STRIPE_WEBHOOK_SECRET", "whsec_123")
    monkeypatch.setenv("TIXMO_STRIPE_WEBHOOK_TOLERANCE_SECONDS", "120")
    monkeypatch.setenv("TIXMO_STRIPE_API_BASE", "http://127.0.0.1:12111")
    monkeypatch.setenv("TIXMO_STRIPE_TIMEOUT_SECONDS", "5.5")
    monkeypatch.setenv("TIXMO_STRIPE_MAX_NETWORK_RETRIES", "0")
    settings = Settings()
    settings.check_payments()
    assert (settings.payment_provider, settings.stripe_webhook_tolerance_seconds) == ("stripe", 120)
    assert (settings.stripe_api_base, settings.stripe_timeout_seconds) == ("http://127.0.0.1:12111", 5.5)
    assert settings.stripe_max_network_retries == 0


async def test_events_take_a_refund_policy(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    staff = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=staff)
    headers = auth(context, staff)
    body = {
        "organizationId": str(org.id),
        "name": "Refundable",
        "category": "CONCERT",
        "startsAt": "2031-07-01T20:00:00Z",
        "endsAt": "2031-07-01T23:00:00Z",
        "refundPolicy": "FULL",
        "refundDeadlineHours": 48,
    }

    created = await client.post("/events", json=body, headers=headers)
    assert created.status_code == 201, created.text
    event = created.json()
    assert (event["refundPolicy"], event["refundDeadlineHours"]) == ("FULL", 48)

    updated = await client.put(f"/events/{event['id']}", json={"refundPolicy": "NONE"}, headers=headers)
    assert (updated.json()["refundPolicy"], updated.json()["refundDeadlineHours"]) == ("NONE", 48)
    for bad in (
        {"refundPolicy": "SOME"},
        {"refundPolicy": None},
        {"refundDeadlineHours": -1},
        {"refundDeadlineHours": "2"},
    ):
        problem = assert_problem(
            await client.put(f"/events/{event['id']}", json=bad, headers=headers), 422, "VALIDATION_ERROR"
        )
        assert [e["field"] for e in problem["errors"]] == list(bad), bad
    stored = (await client.get(f"/events/{event['id']}", headers=headers)).json()
    assert (stored["refundPolicy"], stored["refundDeadlineHours"]) == ("NONE", 48)

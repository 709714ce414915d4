"""Fixtures for the payment tests: a fake Stripe over real HTTP and a TixMo app configured for Stripe.

``client``/``context`` (from tests/conftest.py) are the default app with the ``manual`` provider;
``stripe_client``/``stripe_context`` are a second app on the same database whose ``stripe`` SDK talks
to the fake (``TIXMO_STRIPE_API_BASE``), with no SDK-level retries and a 1 s timeout.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import make_settings
from tests.payments.fake_stripe import SECRET_KEY, FakeStripe, serve_fake_stripe
from tests.payments.helpers import WEBHOOK_SECRET
from tixmo.app import create_app
from tixmo.config import Settings
from tixmo.deps import AppContext


@pytest.fixture(scope="session")
async def fake_stripe_server() -> AsyncIterator[FakeStripe]:
    async with serve_fake_stripe() as fake:
        yield fake


@pytest.fixture
def fake_stripe(fake_stripe_server: FakeStripe) -> FakeStripe:
    """The fake, emptied for this test."""
    fake_stripe_server.reset()
    return fake_stripe_server


@pytest.fixture(scope="session")
def stripe_settings(tmp_path_factory: pytest.TempPathFactory, fake_stripe_server: FakeStripe) -> Settings:
    return make_settings(
        tmp_path_factory.mktemp("stripe-data"),
        payment_provider="stripe",
        stripe_secret_key=SECRET_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_base=fake_stripe_server.url,
        stripe_timeout_seconds=1,
        stripe_max_network_retries=0,
    )


@pytest.fixture(scope="session")
async def stripe_app(stripe_settings: Settings, database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(stripe_settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
def stripe_context(stripe_app: FastAPI) -> AppContext:
    ctx: AppContext = stripe_app.state.context
    return ctx


@pytest.fixture
async def stripe_client(stripe_app: FastAPI, fake_stripe: FakeStripe) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=stripe_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as http:
        yield http

"""Run in a subprocess by test_observability.py (Sentry and OpenTelemetry patch process-wide state):
builds the app from the environment's settings, makes a few requests in-process, flushes, exits.

``python -m tests.ops.observed_app <database url>``
"""

from __future__ import annotations

import asyncio
import sys

import httpx
import sentry_sdk

from tixmo import observability
from tixmo.app import create_app

SECRETS = {
    "email": "alice.buyer@example.com",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXRleHQ",
    "barcode": "TIX1.k1.cGF5bG9hZA.c2lnbmF0dXJl",
}


async def main(database_url: str) -> None:
    app = create_app(database_url=database_url)

    async def boom() -> None:
        raise RuntimeError(f"could not email {SECRETS['email']} the ticket {SECRETS['barcode']}")

    app.add_api_route("/boom", boom, methods=["GET"])
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            answer = await http.get(
                f"/boom?email={SECRETS['email']}&code={SECRETS['barcode']}",
                headers={"Authorization": f"Bearer {SECRETS['jwt']}", "X-Buyer": SECRETS["email"]},
            )
            assert answer.status_code == 500, answer.text
            events = await http.get("/api/v1/events")
            assert events.status_code == 200, events.text
    sentry_sdk.flush(5)
    observability.flush_tracing()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))

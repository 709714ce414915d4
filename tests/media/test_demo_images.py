"""The demo data has images: a cover and a gallery image for each event and for the venue."""

from __future__ import annotations

import httpx

from tests.media.helpers import leaks, run_jobs
from tixmo.config import Settings
from tixmo.demo import DEMO_LOGINS, seed_demo
from tixmo.deps import AppContext


async def test_the_demo_events_and_venue_have_images(
    client: httpx.AsyncClient, context: AppContext, settings: Settings
) -> None:
    assert await seed_demo(context.database, context.passwords, storage=context.media.storage) is True
    await run_jobs(context, settings)

    events = (await client.get("/events")).json()["data"]
    assert len(events) == 2
    for event in events:
        assert event["coverImage"]["role"] == "COVER" and event["coverImage"]["alt"]
        assert event["coverImage"]["renditionStatus"] == "READY"
        assert (event["coverImage"]["width"], event["coverImage"]["height"]) == (1600, 900)
        assert [image["role"] for image in event["images"]] == ["GALLERY"]
        cover = await client.get(
            event["coverImage"]["urls"]["w960"].replace("http://127.0.0.1:8000", "http://testserver")
        )
        assert cover.status_code == 200 and cover.headers["content-type"] == "image/jpeg"
        assert leaks(cover.content) == []

    promoter = next(login for login in DEMO_LOGINS if login.role == "PROMOTER")
    login = await client.post("/auth/login", json={"email": promoter.email, "password": promoter.password})
    headers = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    venue = (await client.get("/venues", headers=headers)).json()["data"][0]
    assert venue["coverImage"] is not None and len(venue["images"]) == 1

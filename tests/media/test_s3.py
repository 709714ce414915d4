"""The S3 backend against a real S3 API server (moto's, on 127.0.0.1): uploads, renditions, presigned and
public URLs, EXIF gone from every object, deletes, and a delete retried while the store is unreachable."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.media.conftest import BUCKET, PREFIX, S3Server, s3_settings_for
from tests.media.helpers import (
    Scene,
    all_urls,
    gps_of,
    job_statuses,
    leaks,
    make_due,
    phone_photo,
    png,
    run_jobs,
    uploaded,
)
from tests.problems import assert_problem
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.media.service import DELETE_OBJECTS
from tixmo.media.storage import S3Storage, open_storage


def _keys(server: S3Server, image_id: str) -> set[str]:
    listing = server.client().list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/images/{image_id}/")  # type: ignore[attr-defined]
    return {item["Key"] for item in listing.get("Contents", [])}


async def _fetch(url: str) -> httpx.Response:
    """What a browser does with an image URL: a plain GET over HTTP, to the S3 server itself."""
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
    assert response.status_code == 200, (url, response.text)
    return response


async def test_upload_renditions_and_presigned_urls(
    s3_client: httpx.AsyncClient,
    s3_context: AppContext,
    s3_settings: Settings,
    s3_server: S3Server,
    scene: Scene,
) -> None:
    photo = phone_photo(2400, 1600)
    assert gps_of(photo)
    image = await uploaded(s3_client, f"/events/{scene.event.id}/images", photo, scene.headers, role="COVER")
    original_url = image["urls"]["original"]
    (stored,) = _keys(s3_server, image["id"])  # the original alone, until the renditions job runs
    assert original_url.startswith(f"{s3_server.url}/{BUCKET}/{stored}?")
    assert "X-Amz-Signature=" in original_url and "X-Amz-Expires=21600" in original_url
    original = await _fetch(original_url)
    assert leaks(original.content) == []
    assert original.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert original.headers["content-type"] == "image/jpeg"
    # Without its signature the object is not readable: the bucket is private.
    async with httpx.AsyncClient() as http:
        assert (await http.get(original_url.split("?")[0])).status_code == 403

    await run_jobs(s3_context, s3_settings)
    ready = (await s3_client.get(f"/images/{image['id']}")).json()
    assert ready["renditionStatus"] == "READY"
    assert len(_keys(s3_server, image["id"])) == 7
    for url in all_urls(ready):
        assert leaks((await _fetch(url)).content) == [], url
    # The same URL for the same object across requests (signed once per half lifetime): caches work.
    assert (await s3_client.get(f"/images/{image['id']}")).json()["urls"] == ready["urls"]


async def test_deletes_remove_the_objects(
    s3_client: httpx.AsyncClient,
    s3_context: AppContext,
    s3_settings: Settings,
    s3_server: S3Server,
    scene: Scene,
) -> None:
    image = await uploaded(s3_client, f"/venues/{scene.venue.id}/images", png(), scene.headers)
    await run_jobs(s3_context, s3_settings)
    assert len(_keys(s3_server, image["id"])) == 7
    assert (await s3_client.delete(f"/images/{image['id']}", headers=scene.headers)).status_code == 204
    await run_jobs(s3_context, s3_settings)
    assert _keys(s3_server, image["id"]) == set()
    assert_problem(await s3_client.get(f"/images/{image['id']}", headers=scene.headers), 404, "NOT_FOUND")


async def test_a_delete_is_retried_while_the_store_is_unreachable(
    s3_client: httpx.AsyncClient,
    s3_context: AppContext,
    s3_settings: Settings,
    s3_server: S3Server,
    scene: Scene,
    session: AsyncSession,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    image = await uploaded(s3_client, f"/events/{scene.event.id}/images", png(), scene.headers)
    await run_jobs(s3_context, s3_settings)
    assert (await s3_client.delete(f"/images/{image['id']}", headers=scene.headers)).status_code == 204
    # A worker whose store does not answer (nothing listens on port 9 of 127.0.0.1): the job fails, and
    # is queued again with a back-off instead of being lost.
    unreachable = s3_settings_for(tmp_path_factory.mktemp("down"), "http://127.0.0.1:9")
    await run_jobs(s3_context, unreachable)
    statuses = await job_statuses(session, DELETE_OBJECTS)
    assert ("todo", 1) in statuses
    assert len(_keys(s3_server, image["id"])) == 7
    await make_due(session, DELETE_OBJECTS)  # the back-off (and the upload's hour-long guard) elapse
    await run_jobs(s3_context, s3_settings)
    assert _keys(s3_server, image["id"]) == set()
    assert {status for status, _ in await job_statuses(session, DELETE_OBJECTS)} == {"succeeded"}


async def test_a_store_that_fails_during_an_upload_is_502_and_keeps_nothing(
    scene: Scene, database_url: str, tmp_path_factory: pytest.TempPathFactory, session: AsyncSession
) -> None:
    from tixmo.app import create_app

    settings = s3_settings_for(tmp_path_factory.mktemp("down-app"), "http://127.0.0.1:9")
    application = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as client:
            response = await client.post(
                f"/events/{scene.event.id}/images",
                files={"file": ("a.png", png(), "image/png")},
                headers=scene.headers,
            )
            assert_problem(response, 502, "STORAGE_ERROR")
            listing = (await client.get(f"/events/{scene.event.id}/images")).json()
            assert listing["meta"]["total"] == 0


def test_public_urls_are_the_public_base_and_the_object_key(
    tmp_path_factory: pytest.TempPathFactory, s3_server: S3Server
) -> None:
    settings = s3_settings_for(
        tmp_path_factory.mktemp("cdn"), s3_server.url, storage_public_url="https://cdn.example.com/"
    )
    storage = open_storage(settings)
    assert isinstance(storage, S3Storage)
    key = f"images/{'0' * 8}-0000-0000-0000-{'0' * 12}/{'a' * 64}-w320.webp"
    assert storage.url(key) == f"https://cdn.example.com/{PREFIX}/{key}"

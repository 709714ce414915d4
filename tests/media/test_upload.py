"""Uploads to the filesystem storage: what is kept, the renditions, how the files are served, and reads."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event
from tests.media.helpers import (
    GPS_LATITUDE,
    Scene,
    all_urls,
    gps_of,
    leaks,
    phone_photo,
    png,
    run_jobs,
    uploaded,
    webp,
)
from tests.problems import assert_problem, error_fields
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.media.models import Image as ImageRow

MEDIA = "http://testserver/media/"


def _path(url: str) -> str:
    """The API serves its storage's files at /media; URLs carry TIXMO_PUBLIC_URL's address."""
    assert url.startswith("http://127.0.0.1:8000/media/"), url
    return MEDIA + url.removeprefix("http://127.0.0.1:8000/media/")


async def _fetch(client: httpx.AsyncClient, url: str) -> httpx.Response:
    response = await client.get(_path(url))
    assert response.status_code == 200, (url, response.text)
    return response


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


async def test_a_phone_photo_is_kept_upright_without_its_location_and_rendered(
    client: httpx.AsyncClient, scene: Scene, context: AppContext, settings: Settings
) -> None:
    photo = phone_photo(1200, 800)
    assert gps_of(photo)[2] == GPS_LATITUDE  # the test photo does carry a position
    image = await uploaded(
        client, f"/events/{scene.event.id}/images", photo, scene.headers, role="COVER", alt="The stage"
    )
    assert (
        image["role"] == "COVER" and image["alt"] == "The stage" and image["eventId"] == str(scene.event.id)
    )
    # EXIF orientation 6: 1200 x 800 as stored, 800 x 1200 upright.
    assert (image["width"], image["height"]) == (800, 1200)
    assert image["renditionStatus"] == "PENDING"
    placeholder = "http://127.0.0.1:8000/media/placeholder.svg"
    assert {image["urls"][w] for w in ("w320", "w960", "w1920")} == {placeholder}
    assert set(image["webpUrls"].values()) == {placeholder}
    original = await _fetch(client, image["urls"]["original"])  # the original is there at once
    assert original.headers["content-type"] == "image/jpeg"
    assert leaks(original.content) == []
    with _open(original.content) as upright:
        assert upright.size == (800, 1200)
        # Turned 90° clockwise: the photo's left (red) half is now on top.
        top, bottom = upright.getpixel((400, 100)), upright.getpixel((400, 1100))
        assert isinstance(top, tuple) and isinstance(bottom, tuple)
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]

    await run_jobs(context, settings)

    ready = (await client.get(f"/images/{image['id']}")).json()
    assert ready["renditionStatus"] == "READY"
    assert ready["urls"]["original"] == image["urls"]["original"]
    expected = {
        "w320": (320, 480),
        "w960": (800, 1200),
        "w1920": (800, 1200),
    }  # never wider than the original
    for width, size in expected.items():
        for urls, kind in ((ready["urls"], "JPEG"), (ready["webpUrls"], "WEBP")):
            served = await _fetch(client, urls[width])
            assert served.headers["content-type"] == f"image/{kind.lower()}"
            assert leaks(served.content) == [], (width, kind)
            with _open(served.content) as rendition:
                assert (rendition.format, rendition.size) == (kind, size)
    assert len(set(all_urls(ready))) == 7


async def test_png_and_webp_are_accepted_and_transparency_kept(
    client: httpx.AsyncClient, scene: Scene, context: AppContext, settings: Settings
) -> None:
    transparent = await uploaded(
        client, f"/venues/{scene.venue.id}/images", png(400, 300, alpha=True), scene.headers
    )
    still = await uploaded(client, f"/venues/{scene.venue.id}/images", webp(300, 200), scene.headers)
    assert transparent["venueId"] == str(scene.venue.id) and transparent["role"] == "GALLERY"
    assert [transparent["position"], still["position"]] == [0, 1]
    await run_jobs(context, settings)
    kept = await _fetch(client, transparent["urls"]["original"])
    with _open(kept.content) as original:
        assert original.format == "PNG" and original.mode == "RGBA"
    ready = (await client.get(f"/images/{transparent['id']}", headers=scene.headers)).json()
    with _open((await _fetch(client, ready["webpUrls"]["w320"])).content) as rendition:
        assert rendition.mode == "RGBA"  # WebP keeps the alpha channel; the JPEG is flattened on white
    with _open((await _fetch(client, ready["urls"]["w320"])).content) as rendition:
        assert rendition.mode == "RGB"
    with _open((await _fetch(client, still["urls"]["original"])).content) as original:
        assert original.format == "WEBP" and original.size == (300, 200)


async def test_files_are_served_with_long_lived_cache_headers_and_etags(
    client: httpx.AsyncClient, scene: Scene
) -> None:
    image = await uploaded(client, f"/events/{scene.event.id}/images", png(64, 64), scene.headers)
    url = _path(image["urls"]["original"])
    first = await client.get(url)
    assert first.headers["cache-control"] == "public, max-age=31536000, immutable"
    etag = first.headers["etag"]
    assert etag.strip('"') in url  # the name is the content's hash
    again = await client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert (await client.get(url, headers={"If-None-Match": '"other"'})).status_code == 200
    assert (await client.get(MEDIA + "images/../../secret_key")).status_code == 404
    assert (await client.get(url.replace(".png", ".jpg"))).status_code == 404
    placeholder = await client.get(MEDIA + "placeholder.svg")
    assert placeholder.status_code == 200 and placeholder.headers["content-type"].startswith("image/svg+xml")


async def test_event_and_venue_reads_carry_the_cover_and_the_gallery(
    client: httpx.AsyncClient, scene: Scene, context: AppContext, settings: Settings
) -> None:
    events_path = f"/events/{scene.event.id}/images"
    gallery = [
        await uploaded(client, events_path, png(50 + i, 40), scene.headers, alt=f"G{i}") for i in range(2)
    ]
    cover = await uploaded(client, events_path, png(80, 40), scene.headers, role="COVER")
    await run_jobs(context, settings)

    event = (await client.get(f"/events/{scene.event.id}")).json()  # public: no token
    assert event["coverImage"]["id"] == cover["id"]
    assert event["coverImage"]["renditionStatus"] == "READY"
    assert [image["id"] for image in event["images"]] == [image["id"] for image in gallery]
    assert set(event["coverImage"]["urls"]) == {"original", "w320", "w960", "w1920"}
    listed = (await client.get("/events")).json()["data"]
    assert listed[0]["coverImage"]["id"] == cover["id"]
    listing = (await client.get(events_path)).json()
    assert [image["id"] for image in listing["data"]] == [cover["id"], *(image["id"] for image in gallery)]
    assert listing["meta"]["total"] == 3

    venue_cover = await uploaded(
        client, f"/venues/{scene.venue.id}/images", png(), scene.headers, role="COVER"
    )
    venue = (await client.get(f"/venues/{scene.venue.id}", headers=scene.headers)).json()
    assert venue["coverImage"]["id"] == venue_cover["id"] and venue["images"] == []
    venues = (await client.get("/venues", headers=scene.headers)).json()["data"]
    assert venues[0]["coverImage"]["id"] == venue_cover["id"]


async def test_a_page_of_events_reads_its_images_with_one_query(
    client: httpx.AsyncClient, scene: Scene, session: AsyncSession, context: AppContext
) -> None:
    """Not one query per event: a page of 1 and a page of 6 events run as many statements."""
    more = [
        await create_event(session, organization=scene.organization, status="PUBLISHED", name=f"Show {i}")
        for i in range(5)
    ]
    for event in [scene.event, *more]:
        await uploaded(client, f"/events/{event.id}/images", png(40, 30), scene.headers, role="COVER")
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = context.database.engine.sync_engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        one = await client.get("/events", params={"limit": 1})
        single = len(statements)
        statements.clear()
        six = await client.get("/events", params={"limit": 6})
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    assert len(one.json()["data"]) == 1 and len(six.json()["data"]) == 6
    assert all(event["coverImage"] is not None for event in six.json()["data"])
    assert len(statements) == single
    assert sum("FROM images" in statement for statement in statements) == 1


async def test_form_fields_are_validated_and_nothing_is_kept(
    client: httpx.AsyncClient, scene: Scene, session: AsyncSession
) -> None:
    path = f"/events/{scene.event.id}/images"
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({"data": {"role": "BANNER"}, "files": {"file": ("a.png", png(), "image/png")}}, {"role"}),
        ({"data": {"alt": "x" * 301}, "files": {"file": ("a.png", png(), "image/png")}}, {"alt"}),
        ({"data": {"alt": "line\nbreak"}, "files": {"file": ("a.png", png(), "image/png")}}, {"alt"}),
        ({"data": {"alt": "nul\x00"}, "files": {"file": ("a.png", png(), "image/png")}}, {"alt"}),
        ({"data": {"role": "COVER"}}, {"file"}),
    ]
    for request, fields in cases:
        response = await client.post(path, headers=scene.headers, **request)
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == fields, request
    assert await session.scalar(select(func.count()).select_from(ImageRow)) == 0


async def test_only_the_organizations_staff_upload_and_change_images(
    client: httpx.AsyncClient, scene: Scene, session: AsyncSession
) -> None:
    for path in (f"/events/{scene.event.id}/images", f"/venues/{scene.venue.id}/images"):
        for headers in (scene.stranger_headers, scene.customer_headers):
            response = await client.post(path, files={"file": ("a.png", png(), "image/png")}, headers=headers)
            assert_problem(response, 404, "NOT_FOUND")
        anonymous = await client.post(path, files={"file": ("a.png", png(), "image/png")})
        assert_problem(anonymous, 401, "UNAUTHORIZED")
    assert await session.scalar(select(func.count()).select_from(ImageRow)) == 0

    image = await uploaded(client, f"/venues/{scene.venue.id}/images", png(), scene.headers)
    for headers in (scene.stranger_headers, scene.customer_headers):
        assert_problem(await client.get(f"/images/{image['id']}", headers=headers), 404, "NOT_FOUND")
        assert_problem(
            await client.get(f"/venues/{scene.venue.id}/images", headers=headers), 404, "NOT_FOUND"
        )
        assert_problem(
            await client.put(f"/images/{image['id']}", json={"alt": "Mine"}, headers=headers),
            404,
            "NOT_FOUND",
        )
        assert_problem(await client.delete(f"/images/{image['id']}", headers=headers), 404, "NOT_FOUND")
    assert (await client.get(f"/images/{image['id']}", headers=scene.headers)).json()["alt"] == ""


async def test_a_draft_events_images_are_visible_to_its_staff_only(
    client: httpx.AsyncClient, scene: Scene, session: AsyncSession
) -> None:
    draft = await create_event(session, organization=scene.organization, status="DRAFT", name="Secret")
    image = await uploaded(client, f"/events/{draft.id}/images", png(), scene.headers)
    assert (await client.get(f"/images/{image['id']}", headers=scene.headers)).status_code == 200
    assert_problem(await client.get(f"/images/{image['id']}"), 404, "NOT_FOUND")
    assert_problem(
        await client.get(f"/events/{draft.id}/images", headers=scene.stranger_headers), 404, "NOT_FOUND"
    )
    public = await uploaded(client, f"/events/{scene.event.id}/images", png(), scene.headers)
    assert (await client.get(f"/images/{public['id']}")).status_code == 200

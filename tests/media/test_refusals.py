"""What is refused, judged by the content: fakes (415), bombs and oversized files (413), too many pixels and
broken images (422). A refused upload keeps nothing: no row, no file, no job."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import app_client, make_settings
from tests.media.helpers import GIF, PDF, SVG, Scene, gradient_jpeg, noisy_jpeg, phone_photo, png_bomb, upload
from tests.problems import assert_problem, error_fields
from tixmo.config import Settings
from tixmo.media.models import Image as ImageRow


def _stored(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


async def _nothing_kept(session: AsyncSession, settings: Settings) -> None:
    assert await session.scalar(select(func.count()).select_from(ImageRow)) == 0
    jobs = "SELECT count(*) FROM procrastinate_jobs WHERE task_name LIKE 'media.%'"
    assert await session.scalar(text(jobs)) == 0
    assert _stored(settings.media_dir) == []


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (GIF, "party.jpg", "image/jpeg"),  # a GIF named and declared as a JPEG
        (PDF, "poster.png", "image/png"),
        (SVG, "logo.webp", "image/webp"),
        (b"just some text, not an image", "photo.jpg", "image/jpeg"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 8, "header-only.jpg", "image/jpeg"),  # a JPEG's first bytes only
    ],
)
async def test_anything_but_jpeg_png_webp_is_415_whatever_its_name_or_type(
    client: httpx.AsyncClient,
    scene: Scene,
    session: AsyncSession,
    settings: Settings,
    data: bytes,
    filename: str,
    content_type: str,
) -> None:
    response = await upload(
        client,
        f"/events/{scene.event.id}/images",
        data,
        scene.headers,
        filename=filename,
        content_type=content_type,
    )
    assert response.status_code in {415, 422}, response.text
    if response.status_code == 415:
        assert_problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    else:  # recognised as a JPEG by its first bytes, but no image follows
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"file"}
    await _nothing_kept(session, settings)


async def test_a_decompression_bomb_is_413(
    client: httpx.AsyncClient, scene: Scene, session: AsyncSession, settings: Settings
) -> None:
    for bomb in (png_bomb(20_000, 20_000), png_bomb(8_000, 8_000)):  # past Pillow's threshold, and below it
        assert len(bomb) < 100_000
        response = await upload(
            client, f"/events/{scene.event.id}/images", bomb, scene.headers, content_type="image/png"
        )
        assert "decompression bomb" in assert_problem(response, 413, "PAYLOAD_TOO_LARGE")["detail"]
    await _nothing_kept(session, settings)


async def test_a_broken_image_is_422_naming_the_file(
    client: httpx.AsyncClient, scene: Scene, session: AsyncSession, settings: Settings
) -> None:
    truncated = phone_photo()[:2000]
    response = await upload(client, f"/events/{scene.event.id}/images", truncated, scene.headers)
    assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {"file"}
    empty = await upload(client, f"/events/{scene.event.id}/images", b"", scene.headers)
    assert error_fields(assert_problem(empty, 422, "VALIDATION_ERROR")) == {"file"}
    await _nothing_kept(session, settings)


@pytest.fixture(scope="module")
def small_limits(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """An app whose image limits are small: 120 kB and 200,000 pixels (the default body limit, 64 kB)."""
    return make_settings(tmp_path_factory.mktemp("small"), image_max_bytes=120_000, image_max_pixels=200_000)


@pytest.fixture
async def small_client(small_limits: Settings, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(small_limits, database_url) as http:
        yield http


async def test_sizes_and_pixels_over_the_settings(
    small_client: httpx.AsyncClient, scene: Scene, session: AsyncSession, small_limits: Settings
) -> None:
    path = f"/events/{scene.event.id}/images"
    # Above TIXMO_MAX_BODY_BYTES (64 kB here) and below the image limit: image paths take images.
    fits = noisy_jpeg(380, 280)
    assert 64 * 1024 < len(fits) < 120_000
    assert (await upload(small_client, path, fits, scene.headers)).status_code == 201
    assert (
        await small_client.post("/organizations", content=b"x" * 70_000, headers=scene.headers)
    ).status_code == 413

    too_big = noisy_jpeg(475, 400)  # under the pixel limit, over the byte limit
    assert 120_000 < len(too_big) < 120_000 + 64 * 1024  # within the body limit of image paths
    assert_problem(await upload(small_client, path, too_big, scene.headers), 413, "PAYLOAD_TOO_LARGE")
    huge_body = b"\xff\xd8" + b"\x00" * 300_000  # past the body limit of image paths: cut off before parsing
    assert_problem(await upload(small_client, path, huge_body, scene.headers), 413, "PAYLOAD_TOO_LARGE")
    many_pixels = gradient_jpeg(600, 400)  # 240,000 pixels in a file that expands less than 100 times
    assert 240_000 * 3 / 100 < len(many_pixels) < 120_000
    problem = assert_problem(
        await upload(small_client, path, many_pixels, scene.headers), 422, "VALIDATION_ERROR"
    )
    assert error_fields(problem) == {"file"} and "pixels" in problem["detail"]
    assert await session.scalar(select(func.count()).select_from(ImageRow)) == 1
    assert len(_stored(small_limits.media_dir)) == 1

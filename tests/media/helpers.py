"""Images made with Pillow for the tests (a phone photo with GPS, fakes, bombs), uploads, and reading back
what a client would fetch."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import httpx
from PIL import ExifTags, Image
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_organization, create_user, create_venue
from tixmo import jobs
from tixmo.accounts.models import Role, User
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.organizations.models import Organization
from tixmo.venues.models import Venue

# A place that must never leak: 52°31'12.34"N 13°24'56.78"E (Berlin), and the camera that took it.
GPS_LATITUDE = (52.0, 31.0, 12.34)
GPS_LONGITUDE = (13.0, 24.0, 56.78)
CAMERA = "TixPhone 15 Pro"
ORIENTATION_RIGHT_TOP = 6  # EXIF orientation: the stored pixels must be turned 90° to be upright


def phone_photo(width: int = 1200, height: int = 800, *, orientation: int = ORIENTATION_RIGHT_TOP) -> bytes:
    """A JPEG as phones write them: EXIF with GPS position, camera model and an orientation tag. Its
    left half is red and its right half blue, so the way it was turned can be seen."""
    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Model] = CAMERA
    exif[ExifTags.Base.Make] = "TixMo Devices"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = GPS_LONGITUDE
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def gps_of(data: bytes) -> dict[int, Any]:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def encoded(image: Image.Image, image_format: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def png(width: int = 640, height: int = 480, *, alpha: bool = False) -> bytes:
    image = Image.new(
        "RGBA" if alpha else "RGB", (width, height), (10, 120, 60, 128) if alpha else (10, 120, 60)
    )
    return encoded(image, "PNG")


def webp(width: int = 640, height: int = 480) -> bytes:
    return encoded(Image.new("RGB", (width, height), (200, 180, 20)), "WEBP", quality=80)


def noisy_jpeg(width: int, height: int) -> bytes:
    """A photo-like JPEG (noise compresses like a photo, not like a flat colour)."""
    return encoded(Image.effect_noise((width, height), 64).convert("RGB"), "JPEG", quality=90)


def gradient_jpeg(width: int, height: int) -> bytes:
    """A smooth JPEG: small for its pixels, like a photo of the sky (expands ~50 times when decoded)."""
    ramp = Image.linear_gradient("L").resize((width, height))
    return encoded(
        Image.merge("RGB", (ramp, ramp.transpose(Image.Transpose.ROTATE_180), ramp)), "JPEG", quality=95
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid PNG header declaring ``width`` x ``height`` grey pixels, over a few kilobytes of zeros:
    decoded, it would take ``width * height`` bytes."""
    rows = zlib.compress(b"\x00" * (width + 1) * 64, 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


GIF = encoded(Image.new("P", (32, 32)), "GIF")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


@dataclass
class Scene:
    """An organization with a staff member, a draft event and a venue; a stranger of another org."""

    staff: User
    headers: dict[str, str]
    organization: Organization
    event: Event
    venue: Venue
    stranger_headers: dict[str, str]
    customer_headers: dict[str, str]


async def make_scene(session: AsyncSession, context: AppContext) -> Scene:
    staff = await create_user(session, context, role=Role.PROMOTER)
    organization = await create_organization(session, owner=staff)
    venue = await create_venue(session, organization=organization)
    event = await create_event(session, organization=organization, venue=venue, status="PUBLISHED")
    stranger = await create_user(session, context, role=Role.PROMOTER)
    await create_organization(session, owner=stranger, name="Other Org")
    customer = await create_user(session, context)
    return Scene(
        staff=staff,
        headers=auth(context, staff),
        organization=organization,
        event=event,
        venue=venue,
        stranger_headers=auth(context, stranger),
        customer_headers=auth(context, customer),
    )


async def upload(
    client: httpx.AsyncClient,
    path: str,
    data: bytes,
    headers: dict[str, str],
    *,
    role: str | None = None,
    alt: str | None = None,
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
) -> httpx.Response:
    form = {key: value for key, value in (("role", role), ("alt", alt)) if value is not None}
    return await client.post(path, files={"file": (filename, data, content_type)}, data=form, headers=headers)


async def uploaded(
    client: httpx.AsyncClient, path: str, data: bytes, headers: dict[str, str], **form: Any
) -> dict[str, Any]:
    response = await upload(client, path, data, headers, **form)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def run_jobs(context: AppContext, settings: Settings) -> None:
    """Run every job that is due, until none is left."""
    await jobs.run_worker(context.database, settings=settings, wait=False, install_signal_handlers=False)


async def job_statuses(session: AsyncSession, task: str) -> list[tuple[str, int]]:
    rows = await session.execute(
        text("SELECT status::text, attempts FROM procrastinate_jobs WHERE task_name = :task ORDER BY id"),
        {"task": task},
    )
    return [(row[0], row[1]) for row in rows.all()]


async def make_due(session: AsyncSession, task: str) -> None:
    """Jobs of ``task`` scheduled later (an upload's clean-up, a retry's back-off) become due now."""
    await session.execute(
        text(
            "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE task_name = :task AND status = 'todo'"
        ),
        {"task": task},
    )
    await session.commit()


def all_urls(image: dict[str, Any]) -> list[str]:
    return [*image["urls"].values(), *image["webpUrls"].values()]


def leaks(data: bytes) -> list[str]:
    """What of the test photo's metadata is still in ``data``: EXIF or XMP blocks, the GPS IFD, the camera."""
    found = []
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        if len(exif):
            found.append(f"EXIF tags {sorted(exif)}")
        if exif.get_ifd(ExifTags.IFD.GPSInfo):
            found.append("GPS")
        found += [
            f"info[{key}]" for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment") if key in image.info
        ]
    for marker in (b"Exif\x00\x00", CAMERA.encode(), b"TixMo Devices", b"http://ns.adobe.com/xap"):
        if marker in data:
            found.append(f"bytes {marker!r}")
    return found

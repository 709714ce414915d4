"""Image request and response schemas (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from tixmo.media.models import (
    RENDITION_WIDTHS,
    Image,
    ImageFormat,
    ImageRole,
    RenditionStatus,
    rendition_key,
)
from tixmo.media.storage import Storage
from tixmo.schemas import OneLine, ReadModel, UpdateModel

MAX_ALT_LENGTH = 300

AltText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_ALT_LENGTH),
    OneLine,
    Field(description="Text alternative for screen readers (one line, at most 300 characters)."),
]
Position = Annotated[
    int,
    Field(strict=True, ge=0, le=10_000, description="Place in the gallery, from 0 (past the end: last)."),
]


class ImageUrls(ReadModel):
    """JPEG renditions by width, and the original (the upload without its metadata, turned upright)."""

    original: str
    w320: str
    w960: str
    w1920: str


class WebpUrls(ReadModel):
    """The same renditions as WebP."""

    w320: str
    w960: str
    w1920: str


class ImageRead(ReadModel):
    id: uuid.UUID
    event_id: uuid.UUID | None
    venue_id: uuid.UUID | None
    role: ImageRole
    alt: str
    position: int = Field(description="Place in the gallery (a cover's is 0).")
    width: int = Field(description="Of the original, upright.")
    height: int
    rendition_status: RenditionStatus = Field(
        description="PENDING until the renditions are made (their URLs are a placeholder's meanwhile)."
    )
    urls: ImageUrls
    webp_urls: WebpUrls
    created_at: datetime
    updated_at: datetime


class ImageUpdate(UpdateModel):
    """A partial update. ``role: COVER`` makes this the cover (the former cover joins the gallery, last);
    ``position`` moves a gallery image (the others shift)."""

    read_model = ImageRead

    alt: AltText | None = None
    role: ImageRole | None = None
    position: Position | None = None


def image_read(image: Image, storage: Storage) -> ImageRead:
    ready = image.rendition_status == RenditionStatus.READY.value

    def url(width: int, image_format: ImageFormat) -> str:
        if not ready:
            return storage.placeholder_url
        return storage.url(rendition_key(image.id, image.digest, width, image_format))

    jpeg = {f"w{width}": url(width, ImageFormat.JPEG) for width in RENDITION_WIDTHS}
    webp = {f"w{width}": url(width, ImageFormat.WEBP) for width in RENDITION_WIDTHS}
    return ImageRead(
        id=image.id,
        event_id=image.event_id,
        venue_id=image.venue_id,
        role=ImageRole(image.role),
        alt=image.alt,
        position=image.position,
        width=image.width,
        height=image.height,
        rendition_status=RenditionStatus(image.rendition_status),
        urls=ImageUrls(original=storage.url(image.original_key), **jpeg),
        webp_urls=WebpUrls(**webp),
        created_at=image.created_at,
        updated_at=image.updated_at,
    )


def cover_and_gallery(images: list[Image], storage: Storage) -> tuple[ImageRead | None, list[ImageRead]]:
    """An event's or venue's images as their reads show them: the cover, and the gallery in order."""
    cover = next((image for image in images if image.role == ImageRole.COVER.value), None)
    gallery = [image_read(image, storage) for image in images if image.role == ImageRole.GALLERY.value]
    return (image_read(cover, storage) if cover is not None else None), gallery

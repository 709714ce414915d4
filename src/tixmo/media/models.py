"""The ``images`` table, and where an image's objects live in the storage (content-addressed names)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import Base, IdMixin, TimestampMixin


class ImageRole(StrEnum):
    COVER = "COVER"  # at most one per event or venue
    GALLERY = "GALLERY"


class RenditionStatus(StrEnum):
    PENDING = "PENDING"  # the renditions job has not run yet: their URLs are the placeholder's
    READY = "READY"
    FAILED = "FAILED"  # the original could not be rendered (the URLs stay the placeholder's)


class ImageFormat(StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"


EXTENSIONS = {ImageFormat.JPEG: "jpg", ImageFormat.PNG: "png", ImageFormat.WEBP: "webp"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}

# Renditions: these widths (never wider than the original), each as JPEG and as WebP.
RENDITION_WIDTHS = (320, 960, 1920)
RENDITION_FORMATS = (ImageFormat.JPEG, ImageFormat.WEBP)


class Image(IdMixin, TimestampMixin, Base):
    """An image of one event or one venue. The stored original is the upload without its metadata,
    turned upright; ``digest`` is its SHA-256, which names it and its renditions."""

    __tablename__ = "images"
    __table_args__ = (
        CheckConstraint("num_nonnulls(event_id, venue_id) = 1", name="one_owner"),
        CheckConstraint("role IN ('COVER', 'GALLERY')", name="role_valid"),
        CheckConstraint("rendition_status IN ('PENDING', 'READY', 'FAILED')", name="rendition_status_valid"),
        CheckConstraint("format IN ('jpeg', 'png', 'webp')", name="format_valid"),
        CheckConstraint("width > 0 AND height > 0", name="size_positive"),
        CheckConstraint("position >= 0", name="position_not_negative"),
        Index("ix_images_event_id_position", "event_id", "position"),
        Index("ix_images_venue_id_position", "venue_id", "position"),
        # One cover per event and per venue.
        Index("uq_images_event_cover", "event_id", unique=True, postgresql_where=text("role = 'COVER'")),
        Index("uq_images_venue_cover", "venue_id", unique=True, postgresql_where=text("role = 'COVER'")),
    )

    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    alt: Mapped[str] = mapped_column(String(300), server_default="", default="")
    # Order in the gallery (0, 1, 2, ...); a cover's is 0.
    position: Mapped[int] = mapped_column(server_default=text("0"), default=0)
    width: Mapped[int]
    height: Mapped[int]
    format: Mapped[str] = mapped_column(String(8))
    digest: Mapped[str] = mapped_column(String(64))
    byte_size: Mapped[int] = mapped_column(BigInteger)
    rendition_status: Mapped[str] = mapped_column(
        String(16), server_default=RenditionStatus.PENDING.value, default=RenditionStatus.PENDING.value
    )

    @property
    def original_key(self) -> str:
        return original_key(self.id, self.digest, self.format)

    @property
    def keys(self) -> list[str]:
        return object_keys(self.id, self.digest, self.format)


# ------------------------------------------------------------------------------------------ object keys
#
# Every object of an image lives under images/<image id>/ and is named after the SHA-256 of the stored
# original: a name never points to other bytes, so any cache may keep it for ever, and the name is its
# ETag. The keys follow from (id, digest, format): the row alone says which objects to delete.


def original_key(image_id: uuid.UUID, digest: str, image_format: str) -> str:
    return f"images/{image_id}/{digest}.{EXTENSIONS[ImageFormat(image_format)]}"


def rendition_key(image_id: uuid.UUID, digest: str, width: int, image_format: ImageFormat) -> str:
    return f"images/{image_id}/{digest}-w{width}.{EXTENSIONS[image_format]}"


def rendition_keys(image_id: uuid.UUID, digest: str) -> list[str]:
    return [
        rendition_key(image_id, digest, width, image_format)
        for width in RENDITION_WIDTHS
        for image_format in RENDITION_FORMATS
    ]


def object_keys(image_id: uuid.UUID, digest: str, image_format: str) -> list[str]:
    """The original and every rendition: all an image may have put in the storage."""
    return [original_key(image_id, digest, image_format), *rendition_keys(image_id, digest)]


def content_type(key: str) -> str:
    return CONTENT_TYPES[key.rsplit(".", 1)[-1]]

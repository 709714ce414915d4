"""Images: their rows, the order of a gallery, the cover, and the jobs that write and remove their objects.

An image belongs to one event or one venue (its *owner*). Every change of an owner's images runs while
the caller holds the owner's row lock (an event's ``EDIT`` lock, a venue's row ``FOR UPDATE``; taken by
``media/owners.py``), so changes of one owner's images happen one after another: one cover at most,
gallery positions 0..n-1. Deleting an event or a venue removes its images with it (``release``).

Objects in the storage follow the rows through one retried job, ``media.delete_objects``: it removes an
image's objects unless its row exists when it runs. It is queued when an image is deleted (in that
transaction) and, an hour ahead, before an upload writes its original (in a transaction of its own,
committed first): an upload that never commits leaves nothing behind. Imports point down: events and
venues call ``release`` when they are deleted; this module imports neither.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from tixmo import jobs
from tixmo.audit import service as audit
from tixmo.db import utcnow
from tixmo.errors import Conflict
from tixmo.media.models import Image, ImageRole, RenditionStatus, object_keys
from tixmo.media.processing import Prepared

MAX_IMAGES_PER_OWNER = 50
# How long an upload has to commit before the objects it wrote count as abandoned.
ABANDONED_AFTER = timedelta(hours=1)

MAKE_RENDITIONS = "media.make_renditions"
DELETE_OBJECTS = "media.delete_objects"


class OwnerKind(StrEnum):
    EVENT = "event"
    VENUE = "venue"


@dataclass(frozen=True)
class Owner:
    kind: OwnerKind
    id: uuid.UUID
    organization_id: uuid.UUID

    def match(self) -> ColumnElement[bool]:
        return owner_column(self.kind) == self.id


def owner_column(kind: OwnerKind) -> InstrumentedAttribute[uuid.UUID | None]:
    return Image.event_id if kind == OwnerKind.EVENT else Image.venue_id


def owner_of(image: Image) -> tuple[OwnerKind, uuid.UUID]:
    if image.event_id is not None:
        return OwnerKind.EVENT, image.event_id
    assert image.venue_id is not None  # CHECK one_owner
    return OwnerKind.VENUE, image.venue_id


def snapshot(image: Image) -> dict[str, Any]:
    return {"role": image.role, "alt": image.alt, "position": image.position}


# ---------------------------------------------------------------------------------------------- reads

# Cover first ('COVER' < 'GALLERY'), then the gallery in order.
_ORDER = (Image.role, Image.position, Image.created_at, Image.id)


async def images_of(
    session: AsyncSession, kind: OwnerKind, owner_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Image]]:
    """The images of many events (or venues) in one query — a page of them — by owner, in order."""
    found: dict[uuid.UUID, list[Image]] = {}
    if not owner_ids:
        return found
    column = owner_column(kind)
    for image in await session.scalars(select(Image).where(column.in_(owner_ids)).order_by(column, *_ORDER)):
        found.setdefault(owner_of(image)[1], []).append(image)
    return found


async def list_images(
    session: AsyncSession, owner: Owner, *, offset: int, limit: int
) -> tuple[list[Image], int]:
    total = int(await session.scalar(select(func.count()).select_from(Image).where(owner.match())) or 0)
    page = await session.scalars(
        select(Image).where(owner.match()).order_by(*_ORDER).offset(offset).limit(limit)
    )
    return list(page), total


async def _all(session: AsyncSession, owner: Owner) -> list[Image]:
    return list(await session.scalars(select(Image).where(owner.match()).order_by(*_ORDER)))


def _gallery(images: list[Image]) -> list[Image]:
    return [image for image in images if image.role == ImageRole.GALLERY.value]


def _renumber(gallery: list[Image]) -> None:
    for position, image in enumerate(gallery):
        if image.position != position:
            image.position = position


# ------------------------------------------------------------------------------------------- commands


async def guard_upload(session: AsyncSession, image_id: uuid.UUID, prepared: Prepared) -> None:
    """Queue, for an hour from now, the removal of the objects an upload is about to write — unless by
    then the upload committed its row. Committed before the objects are written."""
    await jobs.enqueue(
        session,
        DELETE_OBJECTS,
        scheduled_at=utcnow() + ABANDONED_AFTER,
        image_id=str(image_id),
        keys=object_keys(image_id, prepared.digest, prepared.format),
    )


async def add(
    session: AsyncSession,
    owner: Owner,
    actor_id: uuid.UUID,
    image_id: uuid.UUID,
    prepared: Prepared,
    *,
    role: ImageRole,
    alt: str,
) -> Image:
    """The image row of an upload whose original is stored (the caller holds the owner's lock). A new
    cover sends the former one to the end of the gallery; a gallery image goes last."""
    images = await _all(session, owner)
    if len(images) >= MAX_IMAGES_PER_OWNER:
        raise Conflict(f"An {owner.kind.value} has at most {MAX_IMAGES_PER_OWNER} images; delete one first.")
    gallery = _gallery(images)
    if role == ImageRole.COVER:
        for former in images:
            if former.role == ImageRole.COVER.value:
                former.role = ImageRole.GALLERY.value
                gallery.append(former)
        _renumber(gallery)
        await session.flush()  # the former cover is no cover before the new one is written (unique index)
    image = Image(
        id=image_id,
        role=role.value,
        alt=alt,
        position=0 if role == ImageRole.COVER else len(gallery),
        width=prepared.width,
        height=prepared.height,
        format=prepared.format.value,
        digest=prepared.digest,
        byte_size=len(prepared.data),
        rendition_status=RenditionStatus.PENDING.value,
        event_id=owner.id if owner.kind == OwnerKind.EVENT else None,
        venue_id=owner.id if owner.kind == OwnerKind.VENUE else None,
    )
    session.add(image)
    await session.flush()
    await jobs.enqueue(session, MAKE_RENDITIONS, image_id=str(image.id))
    await audit.record(
        session,
        action="image.created",
        entity_type="image",
        entity_id=image.id,
        actor_id=actor_id,
        organization_id=owner.organization_id,
        after={
            **snapshot(image),
            f"{owner.kind.value}Id": owner.id,
            "width": image.width,
            "height": image.height,
            "bytes": image.byte_size,
        },
    )
    return image


async def update_image(
    session: AsyncSession, owner: Owner, image: Image, actor_id: uuid.UUID, changes: dict[str, Any]
) -> Image:
    """Change alt text, role or place (the caller holds the owner's lock and the image's row)."""
    before = snapshot(image)
    images = await _all(session, owner)
    gallery = _gallery(images)
    role = changes.get("role")
    if role == ImageRole.COVER and image.role != ImageRole.COVER.value:
        for former in images:
            if former.role == ImageRole.COVER.value:
                former.role = ImageRole.GALLERY.value
                gallery.append(former)
        gallery.remove(image)
        _renumber(gallery)
        await session.flush()  # the former cover first: one cover at any moment (unique index)
        image.role, image.position = ImageRole.COVER.value, 0
    elif role == ImageRole.GALLERY and image.role != ImageRole.GALLERY.value:
        image.role = ImageRole.GALLERY.value
        gallery.append(image)
    position = changes.get("position")
    if position is not None and image.role == ImageRole.GALLERY.value:  # a cover has no place to move to
        gallery.remove(image)
        gallery.insert(min(position, len(gallery)), image)
    _renumber(gallery)
    if changes.get("alt") is not None:
        image.alt = changes["alt"]
    await session.flush()
    await audit.record_changes(
        session,
        action="image.updated",
        entity_type="image",
        entity_id=image.id,
        actor_id=actor_id,
        organization_id=owner.organization_id,
        before=before,
        after=snapshot(image),
    )
    return image


async def _forget(session: AsyncSession, images: list[Image]) -> None:
    """Queue the removal of these images' objects (run once this transaction has committed)."""
    for image in images:
        await jobs.enqueue(session, DELETE_OBJECTS, image_id=str(image.id), keys=image.keys)


async def delete_image(session: AsyncSession, owner: Owner, image: Image, actor_id: uuid.UUID) -> None:
    """Delete an image (the caller holds the owner's lock); its objects go by a job after the commit."""
    before = snapshot(image)
    await _forget(session, [image])
    await session.delete(image)
    await session.flush()
    _renumber(_gallery(await _all(session, owner)))
    await session.flush()
    await audit.record(
        session,
        action="image.deleted",
        entity_type="image",
        entity_id=image.id,
        actor_id=actor_id,
        organization_id=owner.organization_id,
        before=before,
    )


async def release(session: AsyncSession, kind: OwnerKind, owner_id: uuid.UUID) -> int:
    """An event or venue is being deleted (its row is locked by the caller): delete its images and queue
    the removal of their objects, in the caller's transaction. Returns how many."""
    images = list(await session.scalars(select(Image).where(owner_column(kind) == owner_id)))
    await _forget(session, images)
    if images:
        await session.execute(
            delete(Image).where(owner_column(kind) == owner_id).execution_options(synchronize_session=False)
        )
        for image in images:
            session.expunge(image)
    return len(images)


# ------------------------------------------------------------------------------------------- for jobs


async def image_exists(session: AsyncSession, image_id: uuid.UUID) -> bool:
    return await session.scalar(select(Image.id).where(Image.id == image_id)) is not None


async def finish_renditions(session: AsyncSession, image_id: uuid.UUID, status: RenditionStatus) -> bool:
    """Record the renditions' outcome; False when the image was deleted meanwhile."""
    found = await session.scalar(
        update(Image)
        .where(Image.id == image_id)
        .values(rendition_status=status.value, updated_at=utcnow())
        .returning(Image.id)
    )
    return found is not None

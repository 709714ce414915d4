"""An upload, step by step. Each step is its own: the router runs them in this order.

1. ``prepare``: check the file and make the original that is kept (Pillow, in a thread, at most
   ``TIXMO_IMAGE_CONCURRENCY`` at once per process) — before any database connection is taken.
2. ``reserve`` (a short transaction of its own, committed): the caller must be the owner's staff (404);
   queues the removal of the objects about to be written, due in an hour unless the upload commits.
3. ``store``: writes the original to the storage, outside any transaction.
4. ``add`` (the request's transaction): the owner's lock, the image row, the renditions job.

So a slow store or a large image never holds a database connection, and an upload that fails after
step 3 — a crash, a lost connection, a retried request — leaves its objects to the job of step 2.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.config import Settings
from tixmo.errors import StorageUnavailable
from tixmo.media import owners, processing, service
from tixmo.media.models import Image, ImageRole, content_type, original_key
from tixmo.media.processing import Limits, Prepared
from tixmo.media.service import OwnerKind
from tixmo.media.storage import Storage, StorageError, open_storage


@dataclass
class MediaContext:
    """What image requests need for as long as the application lives."""

    storage: Storage
    limits: Limits
    # Images decoded at once in this process: each may take width x height x 4 bytes.
    gate: asyncio.Semaphore

    @classmethod
    def of(cls, settings: Settings) -> MediaContext:
        return cls(
            storage=open_storage(settings),
            limits=Limits(max_bytes=settings.image_max_bytes, max_pixels=settings.image_max_pixels),
            gate=asyncio.Semaphore(settings.image_concurrency),
        )


async def prepare(media: MediaContext, data: bytes) -> Prepared:
    async with media.gate:
        return await asyncio.to_thread(processing.prepare, data, media.limits)


async def reserve(
    session: AsyncSession, actor: User, kind: OwnerKind, owner_id: uuid.UUID, prepared: Prepared
) -> uuid.UUID:
    """The new image's id, once ``actor`` is known to be the owner's staff and the removal of its objects
    is queued (committed by the caller before they are written)."""
    await owners.for_staff(session, actor, kind, owner_id, lock=False)
    image_id = uuid.uuid4()
    await service.guard_upload(session, image_id, prepared)
    return image_id


async def store(media: MediaContext, image_id: uuid.UUID, prepared: Prepared) -> None:
    key = original_key(image_id, prepared.digest, prepared.format)
    try:
        await media.storage.put(key, prepared.data, content_type(key))
    except StorageError as exc:
        raise StorageUnavailable("The image could not be stored; nothing was kept. Try again.") from exc


async def add(
    session: AsyncSession,
    actor: User,
    kind: OwnerKind,
    owner_id: uuid.UUID,
    image_id: uuid.UUID,
    prepared: Prepared,
    *,
    role: ImageRole,
    alt: str,
) -> Image:
    owner = await owners.for_staff(session, actor, kind, owner_id, lock=True)
    return await service.add(session, owner, actor.id, image_id, prepared, role=role, alt=alt)

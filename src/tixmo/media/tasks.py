"""Image jobs: make an image's renditions; remove the objects of an image that is gone.

Both read their storage from the worker's settings, run no transaction while they talk to the store or
work on pixels, and may run more than once (the objects' names follow from the image: writing or
deleting one again changes nothing).
"""

from __future__ import annotations

import asyncio
import uuid

import procrastinate
import structlog

from tixmo.jobs import job_database, job_settings, jobs_app, unit_of_work
from tixmo.media import processing, service
from tixmo.media.models import (
    RENDITION_FORMATS,
    RENDITION_WIDTHS,
    Image,
    RenditionStatus,
    content_type,
    rendition_key,
)
from tixmo.media.service import DELETE_OBJECTS, MAKE_RENDITIONS
from tixmo.media.storage import ObjectMissing, StorageError, open_storage

log = structlog.get_logger(__name__)

# A store that fails is tried again after 10 s + 2^(n+1) s (12 s, 14 s, 18 s, ..., 34 min): 11 retries,
# about 70 minutes of outage in all.
STORAGE_RETRY = procrastinate.RetryStrategy(
    max_attempts=11, wait=10, exponential_wait=2, retry_exceptions={StorageError}
)


@jobs_app.task(name=MAKE_RENDITIONS, pass_context=True, retry=STORAGE_RETRY)
async def make_renditions(context: procrastinate.JobContext, image_id: str) -> str:
    """Every rendition (each width, JPEG and WebP) of an image, from its stored original; then READY.
    An image deleted meanwhile: nothing is left behind (what was written is removed)."""
    storage = open_storage(job_settings(context))
    key = uuid.UUID(image_id)
    async with job_database(context).sessionmaker() as session:
        image = await session.get(Image, key)
    if image is None:
        return "gone"
    try:
        original = await storage.get(image.original_key)
    except ObjectMissing:
        # Not retried: the original is written before the row is committed, so it was removed.
        log.error("media.original_missing", image_id=image_id)
        async with unit_of_work(context) as session:
            await service.finish_renditions(session, key, RenditionStatus.FAILED)
        return "failed"
    try:
        made = await asyncio.to_thread(processing.renditions, original, RENDITION_WIDTHS, RENDITION_FORMATS)
    except (OSError, ValueError, SyntaxError):
        log.exception("media.renditions_failed", image_id=image_id)
        async with unit_of_work(context) as session:
            await service.finish_renditions(session, key, RenditionStatus.FAILED)
        return "failed"
    written = []
    for rendition in made:
        name = rendition_key(key, image.digest, rendition.width, rendition.format)
        await storage.put(name, rendition.data, content_type(name))
        written.append(name)
    async with unit_of_work(context) as session:
        kept = await service.finish_renditions(session, key, RenditionStatus.READY)
    if not kept:  # deleted while the renditions were made: its delete job may have run before they were
        await storage.delete(written)
        return "gone"
    log.info("media.renditions_made", image_id=image_id, count=len(written))
    return "ready"


@jobs_app.task(name=DELETE_OBJECTS, pass_context=True, retry=STORAGE_RETRY)
async def delete_objects(context: procrastinate.JobContext, image_id: str, keys: list[str]) -> int:
    """Remove an image's objects, unless the image exists (an upload that did commit). Returns how many
    keys were removed (0 when the image exists)."""
    async with job_database(context).sessionmaker() as session:
        if await service.image_exists(session, uuid.UUID(image_id)):
            return 0
    await open_storage(job_settings(context)).delete(keys)
    log.info("media.objects_deleted", image_id=image_id, count=len(keys))
    return len(keys)

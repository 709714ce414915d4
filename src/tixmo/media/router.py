"""Image endpoints (``/events/{id}/images``, ``/venues/{id}/images``, ``/images/{id}``) and the files of the
filesystem storage (``/media/...``, outside ``/api/v1``)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile, status
from fastapi.responses import FileResponse
from pydantic import StringConstraints

from tixmo.conditional import etag_matches
from tixmo.deps import AccessToken, Context, CurrentUser, DbSession, OptionalUser, transaction, user_of
from tixmo.errors import NotFound, problems
from tixmo.media import owners, service, uploads
from tixmo.media.models import ImageRole, content_type
from tixmo.media.schemas import MAX_ALT_LENGTH, ImageRead, ImageUpdate, image_read
from tixmo.media.service import OwnerKind
from tixmo.media.storage import CACHE_CONTROL, FILES_PATH, PLACEHOLDER_PATH, FileStorage
from tixmo.schemas import EventIdPath, OneLine, Page, Pagination, VenueIdPath, partial_changes

router = APIRouter(tags=["images"])
files_router = APIRouter(include_in_schema=False)

ImageIdPath = Annotated[uuid.UUID, Path(alias="imageId")]
FileField = Annotated[
    UploadFile,
    File(description="One JPEG, PNG or WebP image (judged by its content, not its name or type)."),
]
RoleField = Annotated[
    ImageRole, Form(description="COVER (one per event or venue; replaces the cover) or GALLERY.")
]
AltField = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_ALT_LENGTH),
    OneLine,
    Form(description="Text alternative for screen readers (one line, at most 300 characters)."),
]
UPLOAD_DESCRIPTION = (
    "Multipart form: `file`, `role`, `alt`. The image is stored without its metadata (EXIF, GPS, XMP) and "
    "turned upright; `urls` and `webpUrls` point to a placeholder until its renditions are made (a job, "
    "seconds later: `renditionStatus` becomes READY). Refused: anything but JPEG, PNG or WebP (415), a file "
    "over TIXMO_IMAGE_MAX_BYTES or a decompression bomb (413), more pixels than TIXMO_IMAGE_MAX_PIXELS "
    "(422 naming `file`), a 51st image (409)."
)


async def _upload(
    context: Context,
    token: AccessToken,
    kind: OwnerKind,
    owner_id: uuid.UUID,
    file: UploadFile,
    role: ImageRole,
    alt: str,
) -> ImageRead:
    # The steps of media/uploads.py, in their order: no database connection while pixels are worked on
    # or the store is written; the clean-up of the objects is committed before they are written.
    prepared = await uploads.prepare(context.media, await file.read())
    async with transaction(context.database) as session:
        image_id = await uploads.reserve(session, await user_of(session, token), kind, owner_id, prepared)
    await uploads.store(context.media, image_id, prepared)
    async with transaction(context.database) as session:
        actor = await user_of(session, token)
        image = await uploads.add(session, actor, kind, owner_id, image_id, prepared, role=role, alt=alt)
        return image_read(image, context.media.storage)


@router.post(
    "/events/{eventId}/images",
    status_code=status.HTTP_201_CREATED,
    response_model=ImageRead,
    responses=problems(401, 404, 409, 413, 415, 502),
    summary="Upload an image of an event (org staff)",
    description=UPLOAD_DESCRIPTION,
)
async def upload_event_image(
    event_id: EventIdPath,
    token: AccessToken,
    context: Context,
    file: FileField,
    role: RoleField = ImageRole.GALLERY,
    alt: AltField = "",
) -> ImageRead:
    return await _upload(context, token, OwnerKind.EVENT, event_id, file, role, alt)


@router.post(
    "/venues/{venueId}/images",
    status_code=status.HTTP_201_CREATED,
    response_model=ImageRead,
    responses=problems(401, 404, 409, 413, 415, 502),
    summary="Upload an image of a venue (org staff)",
    description=UPLOAD_DESCRIPTION,
)
async def upload_venue_image(
    venue_id: VenueIdPath,
    token: AccessToken,
    context: Context,
    file: FileField,
    role: RoleField = ImageRole.GALLERY,
    alt: AltField = "",
) -> ImageRead:
    return await _upload(context, token, OwnerKind.VENUE, venue_id, file, role, alt)


async def _list(
    session: DbSession,
    context: Context,
    viewer: OptionalUser,
    kind: OwnerKind,
    owner_id: uuid.UUID,
    paging: Pagination,
) -> Page[ImageRead]:
    owner = await owners.visible(session, viewer, kind, owner_id)
    images, total = await service.list_images(session, owner, offset=paging.offset, limit=paging.limit)
    return paging.build([image_read(image, context.media.storage) for image in images], total)


@router.get(
    "/events/{eventId}/images",
    response_model=Page[ImageRead],
    responses=problems(401, 404),
    summary="An event's images: the cover first, then the gallery in order (as visible as the event)",
)
async def list_event_images(
    event_id: EventIdPath, viewer: OptionalUser, session: DbSession, context: Context, paging: Pagination
) -> Page[ImageRead]:
    return await _list(session, context, viewer, OwnerKind.EVENT, event_id, paging)


@router.get(
    "/venues/{venueId}/images",
    response_model=Page[ImageRead],
    responses=problems(401, 404),
    summary="A venue's images: the cover first, then the gallery in order (org staff)",
)
async def list_venue_images(
    venue_id: VenueIdPath, viewer: OptionalUser, session: DbSession, context: Context, paging: Pagination
) -> Page[ImageRead]:
    return await _list(session, context, viewer, OwnerKind.VENUE, venue_id, paging)


@router.get(
    "/images/{imageId}",
    response_model=ImageRead,
    responses=problems(401, 404),
    summary="Get an image (as visible as its event or venue)",
)
async def get_image(
    image_id: ImageIdPath, viewer: OptionalUser, session: DbSession, context: Context
) -> ImageRead:
    return image_read(await owners.image_visible(session, viewer, image_id), context.media.storage)


@router.put(
    "/images/{imageId}",
    response_model=ImageRead,
    responses=problems(401, 404),
    summary="Change an image's alt text, role or place in the gallery (org staff; partial)",
)
async def update_image(
    image_id: ImageIdPath, body: ImageUpdate, actor: CurrentUser, session: DbSession, context: Context
) -> ImageRead:
    await body.check_read_only(lambda: get_image(image_id, actor, session, context))
    image = await owners.change(session, actor, image_id, partial_changes(body, ("alt", "role", "position")))
    return image_read(image, context.media.storage)


@router.delete(
    "/images/{imageId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 404),
    summary="Delete an image (org staff); its files are removed from the storage by a job",
)
async def delete_image(image_id: ImageIdPath, actor: CurrentUser, session: DbSession) -> Response:
    await owners.remove(session, actor, image_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ------------------------------------------------------------------------------- files (filesystem storage)

PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9" viewBox="0 0 16 9">'
    '<rect width="16" height="9" fill="#e5e7eb"/></svg>'
)


@files_router.get(PLACEHOLDER_PATH)
async def placeholder() -> Response:
    """Shown for renditions not made yet."""
    return Response(
        PLACEHOLDER_SVG, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )


@files_router.get(FILES_PATH + "/{key:path}")
async def media_file(key: str, request: Request, context: Context) -> Response:
    """A stored image of the filesystem storage. Names are content hashes: cached for a year, and the
    name is the ETag (``If-None-Match`` answers 304)."""
    storage = context.media.storage
    if not isinstance(storage, FileStorage):
        raise NotFound("Images are served by the object store.")
    try:
        path = storage.path_of(key)
    except ValueError as exc:
        raise NotFound("No such image file.") from exc
    if not await asyncio.to_thread(path.is_file):
        raise NotFound("No such image file.")
    etag = f'"{path.stem}"'
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return FileResponse(path, media_type=content_type(key), headers=headers)

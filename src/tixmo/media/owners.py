"""Who may see and change an image: the rules of its owner, an event or a venue.

An event's images are visible wherever the event is (PUBLISHED, CANCELLED and COMPLETED ones to everyone,
a DRAFT to its staff); a venue's to its organization's staff. Only staff change them; anyone else gets a
404. A change locks the owner first — the event's ``EDIT`` lock (``tixmo.locks``: buyers never wait for
it; a status change such as a delete waits for it), a venue's row ``FOR UPDATE`` like a venue edit —
then the image rows, so one owner's images change one request at a time and an event or venue being
deleted sees every image committed before it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.errors import NotFound
from tixmo.media import service
from tixmo.media.models import Image
from tixmo.media.service import Owner, OwnerKind, owner_of


@dataclass(frozen=True)
class OwnerRules:
    """How one kind of owner is found for its staff (``lock``: its row locked for a change of its
    images) and for a viewer; both raise ``NotFound`` when the caller may not. Events and venues provide
    theirs (``events.service``, ``venues.service``); ``tixmo.reactions.install`` registers them, so this
    module needs neither."""

    for_staff: Callable[[AsyncSession, User, uuid.UUID, bool], Awaitable[Owner]]
    visible: Callable[[AsyncSession, User | None, uuid.UUID], Awaitable[Owner]]


_rules: dict[OwnerKind, OwnerRules] = {}


def register(kind: OwnerKind, rules: OwnerRules) -> None:
    _rules[kind] = rules


async def for_staff(
    session: AsyncSession, actor: User, kind: OwnerKind, owner_id: uuid.UUID, *, lock: bool
) -> Owner:
    """The owner, when ``actor`` is staff of its organization (404 otherwise); ``lock``: its row locked
    for a change of its images."""
    return await _rules[kind].for_staff(session, actor, owner_id, lock)


async def visible(session: AsyncSession, viewer: User | None, kind: OwnerKind, owner_id: uuid.UUID) -> Owner:
    """The owner, when ``viewer`` may see it (404 otherwise)."""
    return await _rules[kind].visible(session, viewer, owner_id)


async def _image(session: AsyncSession, image_id: uuid.UUID) -> Image:
    image = await session.get(Image, image_id)
    if image is None:
        raise NotFound("Image not found.")
    return image


async def image_visible(session: AsyncSession, viewer: User | None, image_id: uuid.UUID) -> Image:
    image = await _image(session, image_id)
    try:
        await visible(session, viewer, *owner_of(image))
    except NotFound as exc:
        raise NotFound("Image not found.") from exc
    return image


async def image_for_change(session: AsyncSession, actor: User, image_id: uuid.UUID) -> tuple[Owner, Image]:
    """The image and its owner, locked in that order, when ``actor`` is its owner's staff (404 otherwise)."""
    image = await _image(session, image_id)
    try:
        owner = await for_staff(session, actor, *owner_of(image), lock=True)
    except NotFound as exc:
        raise NotFound("Image not found.") from exc
    locked = await session.scalar(
        select(Image).where(Image.id == image_id).with_for_update().execution_options(populate_existing=True)
    )
    if locked is None:  # deleted while this request waited for the owner's lock
        raise NotFound("Image not found.")
    return owner, locked


async def change(session: AsyncSession, actor: User, image_id: uuid.UUID, changes: dict[str, Any]) -> Image:
    owner, image = await image_for_change(session, actor, image_id)
    return await service.update_image(session, owner, image, actor.id, changes)


async def remove(session: AsyncSession, actor: User, image_id: uuid.UUID) -> None:
    owner, image = await image_for_change(session, actor, image_id)
    await service.delete_image(session, owner, image, actor.id)

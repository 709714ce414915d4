"""Changing and deleting images: the cover, the gallery's order, and the files that go with the rows —
removed by a job after an image, an event or a venue is deleted, and after an upload that never commits."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from pathlib import Path

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import create_event
from tests.media.helpers import Scene, job_statuses, make_due, png, run_jobs, upload, uploaded
from tests.problems import assert_problem, error_fields
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.media.models import Image as ImageRow
from tixmo.media.models import RenditionStatus
from tixmo.media.service import DELETE_OBJECTS, MAX_IMAGES_PER_OWNER


def _files(settings: Settings) -> set[str]:
    root = settings.media_dir
    return (
        {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}
        if root.exists()
        else set()
    )


def _files_of(settings: Settings, image_id: str) -> set[str]:
    return {name for name in _files(settings) if name.startswith(f"images/{image_id}/")}


async def _order(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[tuple[str, str, int]]:
    listing = (await client.get(path, headers=headers)).json()["data"]
    return [(image["alt"], image["role"], image["position"]) for image in listing]


async def test_a_new_cover_sends_the_former_one_to_the_gallery(
    client: httpx.AsyncClient, scene: Scene
) -> None:
    path = f"/events/{scene.event.id}/images"
    await uploaded(client, path, png(), scene.headers, alt="first", role="COVER")
    await uploaded(client, path, png(), scene.headers, alt="g1")
    await uploaded(client, path, png(), scene.headers, alt="second", role="COVER")
    assert await _order(client, path, scene.headers) == [
        ("second", "COVER", 0),
        ("g1", "GALLERY", 0),
        ("first", "GALLERY", 1),
    ]


async def test_put_changes_alt_role_and_place(client: httpx.AsyncClient, scene: Scene) -> None:
    path = f"/venues/{scene.venue.id}/images"
    a, b, c = [await uploaded(client, path, png(), scene.headers, alt=name) for name in "abc"]
    moved = await client.put(f"/images/{c['id']}", json={"position": 0, "alt": "c!"}, headers=scene.headers)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["alt"], moved.json()["position"]) == ("c!", 0)
    assert await _order(client, path, scene.headers) == [
        ("c!", "GALLERY", 0),
        ("a", "GALLERY", 1),
        ("b", "GALLERY", 2),
    ]

    cover = await client.put(f"/images/{b['id']}", json={"role": "COVER"}, headers=scene.headers)
    assert cover.json()["role"] == "COVER"
    assert await _order(client, path, scene.headers) == [
        ("b", "COVER", 0),
        ("c!", "GALLERY", 0),
        ("a", "GALLERY", 1),
    ]
    swap = await client.put(f"/images/{a['id']}", json={"role": "COVER"}, headers=scene.headers)
    assert swap.status_code == 200
    assert await _order(client, path, scene.headers) == [
        ("a", "COVER", 0),
        ("c!", "GALLERY", 0),
        ("b", "GALLERY", 1),
    ]
    back = await client.put(
        f"/images/{a['id']}", json={"role": "GALLERY", "position": 99}, headers=scene.headers
    )
    assert back.json()["position"] == 2
    assert await _order(client, path, scene.headers) == [
        ("c!", "GALLERY", 0),
        ("b", "GALLERY", 1),
        ("a", "GALLERY", 2),
    ]

    for body, field in (({"role": "BANNER"}, "role"), ({"position": -1}, "position"), ({"alt": None}, "alt")):
        response = await client.put(f"/images/{a['id']}", json=body, headers=scene.headers)
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {field}
    unknown = await client.put(f"/images/{uuid.uuid4()}", json={"alt": "x"}, headers=scene.headers)
    assert_problem(unknown, 404, "NOT_FOUND")


async def test_get_modify_put_of_an_image(
    client: httpx.AsyncClient, scene: Scene, context: AppContext, settings: Settings
) -> None:
    image = await uploaded(client, f"/events/{scene.event.id}/images", png(), scene.headers)
    await run_jobs(context, settings)  # the URLs and renditionStatus move meanwhile: sent back stale, ignored
    same = await client.put(f"/images/{image['id']}", json={**image, "alt": "Crowd"}, headers=scene.headers)
    assert same.status_code == 200, same.text
    assert same.json()["alt"] == "Crowd" and same.json()["renditionStatus"] == "READY"
    other = await client.put(f"/images/{image['id']}", json={**image, "width": 1}, headers=scene.headers)
    assert error_fields(assert_problem(other, 422, "VALIDATION_ERROR")) == {"width"}


async def test_deleting_an_image_removes_its_files_by_a_job(
    client: httpx.AsyncClient, scene: Scene, context: AppContext, settings: Settings, session: AsyncSession
) -> None:
    path = f"/events/{scene.event.id}/images"
    kept, gone = [await uploaded(client, path, png(30 + i, 20), scene.headers, alt=str(i)) for i in range(2)]
    await run_jobs(context, settings)
    assert len(_files_of(settings, gone["id"])) == 7  # the original and 6 renditions

    assert (await client.delete(f"/images/{gone['id']}", headers=scene.headers)).status_code == 204
    assert_problem(await client.get(f"/images/{gone['id']}", headers=scene.headers), 404, "NOT_FOUND")
    assert await _order(client, path, scene.headers) == [("0", "GALLERY", 0)]
    assert len(_files_of(settings, gone["id"])) == 7  # until the job runs
    await run_jobs(context, settings)
    assert _files_of(settings, gone["id"]) == set()
    assert len(_files_of(settings, kept["id"])) == 7
    assert (await job_statuses(session, DELETE_OBJECTS))[-1] == ("succeeded", 1)


async def test_deleting_an_event_or_a_venue_removes_their_images_files(
    client: httpx.AsyncClient, scene: Scene, context: AppContext, settings: Settings, session: AsyncSession
) -> None:
    draft = await create_event(session, organization=scene.organization, status="DRAFT", name="Draft")
    event_image = await uploaded(client, f"/events/{draft.id}/images", png(), scene.headers, role="COVER")
    venue = scene.venue
    await client.delete(f"/events/{scene.event.id}", headers=scene.headers)  # PUBLISHED: refused, kept
    venue_images = [
        await uploaded(client, f"/venues/{venue.id}/images", png(), scene.headers) for _ in range(2)
    ]
    await run_jobs(context, settings)
    before = _files(settings)
    assert len(before) == 21

    assert (await client.delete(f"/events/{draft.id}", headers=scene.headers)).status_code == 204
    await client.post(f"/events/{scene.event.id}/cancel", headers=scene.headers)  # the venue is then free
    assert (await client.delete(f"/venues/{venue.id}", headers=scene.headers)).status_code == 204
    assert await session.scalar(select(func.count()).select_from(ImageRow)) == 0
    await run_jobs(context, settings)
    assert _files(settings) == set()
    for image in (event_image, *venue_images):
        assert_problem(await client.get(f"/images/{image['id']}", headers=scene.headers), 404, "NOT_FOUND")


async def test_an_upload_that_does_not_commit_leaves_no_file_behind(
    client: httpx.AsyncClient, scene: Scene, context: AppContext, settings: Settings, session: AsyncSession
) -> None:
    """The 51st image is refused after its original was stored: the clean-up queued before the write
    removes it when it falls due (an hour later; made due here)."""
    for index in range(MAX_IMAGES_PER_OWNER):
        session.add(
            ImageRow(
                venue_id=scene.venue.id,
                role="GALLERY",
                position=index,
                width=10,
                height=10,
                format="png",
                digest=hashlib.sha256(str(index).encode()).hexdigest(),
                byte_size=100,
                rendition_status=RenditionStatus.READY.value,
            )
        )
    await session.commit()
    response = await upload(
        client, f"/venues/{scene.venue.id}/images", png(), scene.headers, content_type="image/png"
    )
    assert "at most 50" in assert_problem(response, 409, "CONFLICT")["detail"]
    orphans = _files(settings)
    assert len(orphans) == 1  # the original, stored before the row was refused
    assert await job_statuses(session, DELETE_OBJECTS) == [("todo", 0)]  # not due before an hour
    await run_jobs(context, settings)
    assert _files(settings) == orphans
    await make_due(session, DELETE_OBJECTS)
    await run_jobs(context, settings)
    assert _files(settings) == set()
    # A committed upload's clean-up finds its row and deletes nothing.
    await session.execute(ImageRow.__table__.delete())
    await session.commit()
    image = await uploaded(client, f"/venues/{scene.venue.id}/images", png(), scene.headers)
    await make_due(session, DELETE_OBJECTS)
    await run_jobs(context, settings)
    assert len(_files_of(settings, image["id"])) == 7


async def test_a_deleted_images_renditions_are_not_left_behind(
    client: httpx.AsyncClient, scene: Scene, context: AppContext, settings: Settings
) -> None:
    """Deleted before its renditions job ran: the job makes nothing, the clean-up removes the original."""
    image = await uploaded(client, f"/events/{scene.event.id}/images", png(), scene.headers)
    assert (await client.delete(f"/images/{image['id']}", headers=scene.headers)).status_code == 204
    await run_jobs(context, settings)
    assert _files(settings) == set()


async def test_concurrent_cover_uploads_leave_one_cover(
    client: httpx.AsyncClient, scene: Scene, session: AsyncSession
) -> None:
    """Six covers at once: each waits for the event's lock in turn; one cover at the end, the rest in the
    gallery in positions 0..4."""
    path = f"/events/{scene.event.id}/images"
    responses = await asyncio.gather(
        *(upload(client, path, png(40 + i, 30), scene.headers, role="COVER", alt=str(i)) for i in range(6))
    )
    assert [response.status_code for response in responses] == [201] * 6
    order = await _order(client, path, scene.headers)
    assert [role for _, role, _ in order] == ["COVER"] + ["GALLERY"] * 5
    assert sorted(position for _, role, position in order if role == "GALLERY") == [0, 1, 2, 3, 4]


async def _guards(session: AsyncSession) -> int:
    query = "SELECT count(*) FROM procrastinate_jobs WHERE task_name = :task AND scheduled_at > now()"
    return int(await session.scalar(text(query), {"task": DELETE_OBJECTS}) or 0)


async def test_an_upload_racing_an_event_deletion_leaves_nothing(
    client: httpx.AsyncClient, scene: Scene, context: AppContext, settings: Settings, session: AsyncSession
) -> None:
    """The event is deleted while uploads are between their authorization and their row: whichever order
    the event's lock gives them, no image row outlives the event, and once the jobs have run no file is
    left — neither of the uploads committed before the delete nor of those refused after it."""
    draft = await create_event(session, organization=scene.organization, status="DRAFT", name="Draft")
    path, headers = f"/events/{draft.id}/images", scene.headers  # read before the session is rolled back
    uploads = [asyncio.create_task(upload(client, path, png(40 + i, 30), headers)) for i in range(4)]
    deadline = asyncio.get_running_loop().time() + 30
    while await _guards(session) < 2:  # at least two have been authorized and are writing or inserting
        assert asyncio.get_running_loop().time() < deadline, "the uploads did not get past authorization"
        await session.rollback()  # a fresh snapshot for the next look
    deleted = await client.delete(path.removesuffix("/images"), headers=headers)
    results = await asyncio.gather(*uploads)
    assert deleted.status_code == 204
    assert {response.status_code for response in results} <= {201, 404}
    assert await session.scalar(select(func.count()).select_from(ImageRow)) == 0
    await make_due(session, DELETE_OBJECTS)
    await run_jobs(context, settings)
    assert _files(settings) == set()


def test_the_placeholder_lives_under_the_public_url(settings: Settings) -> None:
    from tixmo.media.storage import open_storage

    storage = open_storage(settings)
    assert storage.placeholder_url == f"{settings.public_url}/media/placeholder.svg"
    assert Path(settings.media_dir).name == "media"

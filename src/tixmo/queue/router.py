"""``/events/{id}/waiting-room`` (staff) and ``/events/{id}/queue`` (buyers)."""

from __future__ import annotations

import hashlib
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Request, status
from starlette.responses import Response

from tixmo.conditional import etag_matches
from tixmo.deps import ClientIP, Context, CurrentUser, DbSession
from tixmo.errors import NotFound, problems
from tixmo.queue import service
from tixmo.queue.models import QueueStatus, WaitingRoom
from tixmo.queue.schemas import QueueJoinRead, QueueStatusRead, WaitingRoomRead, WaitingRoomUpdate
from tixmo.schemas import EventIdPath

router = APIRouter(tags=["waiting room"])

QueueToken = Annotated[str, Path(max_length=100, description="The token POST /events/{id}/queue gave.")]


async def _read(session: DbSession, room: WaitingRoom) -> WaitingRoomRead:
    counts = await service.staff_counts(session, room.event_id)
    return WaitingRoomRead(
        enabled=room.enabled,
        opens_at=room.opens_at,
        admit_per_minute=room.admit_per_minute,
        pass_minutes=room.pass_minutes,
        drawn_at=room.drawn_at,
        closed_at=room.closed_at,
        updated_at=room.updated_at,
        **counts,
    )


@router.get(
    "/events/{eventId}/waiting-room",
    response_model=WaitingRoomRead,
    responses=problems(401, 404),
    summary="The event's waiting room: settings and counts (org staff)",
)
async def get_waiting_room(event_id: EventIdPath, actor: CurrentUser, session: DbSession) -> WaitingRoomRead:
    return await _read(session, await service.get_room_for_staff(session, actor, event_id))


@router.put(
    "/events/{eventId}/waiting-room",
    response_model=WaitingRoomRead,
    responses=problems(401, 404, 422),
    summary="Create or change the event's waiting room (org staff; opensAt required to create)",
)
async def put_waiting_room(
    event_id: EventIdPath, body: WaitingRoomUpdate, actor: CurrentUser, session: DbSession, context: Context
) -> WaitingRoomRead:
    async def current() -> WaitingRoomRead:
        return await _read(session, await service.get_room_for_staff(session, actor, event_id))

    await body.check_read_only(current)
    room = await service.configure(session, actor, event_id, body)
    context.admission.forget(event_id)
    return await _read(session, room)


@router.post(
    "/events/{eventId}/queue",
    status_code=status.HTTP_201_CREATED,
    response_model=QueueJoinRead,
    responses={
        **problems(401, 404, 409, 429),
        200: {"description": "Already in the room: the same token.", "model": QueueJoinRead},
    },
    summary="Join the event's waiting room (one place per account; joining again gives the same token)",
)
async def join_queue(
    event_id: EventIdPath,
    user: CurrentUser,
    session: DbSession,
    context: Context,
    ip: ClientIP,
    response: Response,
) -> QueueJoinRead:
    limit = context.settings.rate_limit_queue_join
    await context.rate_limiter.hit(limit, "queue-join-ip", ip)
    await context.rate_limiter.hit(limit, "queue-join-user", str(user.id))
    entry, created = await service.join(session, user, event_id, draw=context.queue_draw)
    if not created:
        response.status_code = status.HTTP_200_OK
    view = await service.status(session, event_id, entry.id)
    return QueueJoinRead(
        token=service.token_of(context.secret_key, entry.id), position=view.position, status=view.status
    )


@router.get(
    "/events/{eventId}/queue/{token}",
    response_model=QueueStatusRead,
    responses={**problems(404), 304: {"description": "Unchanged since the ETag sent in If-None-Match."}},
    summary="Your place in the waiting room, and your admission pass once admitted (the token is the key)",
)
async def queue_status(
    event_id: EventIdPath, token: QueueToken, request: Request, session: DbSession, context: Context
) -> Response:
    entry_id = service.entry_of_token(context.secret_key, token)
    if entry_id is None:
        raise NotFound("Queue token not found.")
    view = await service.status(session, event_id, entry_id)
    admitted = view.status == QueueStatus.ADMITTED and view.pass_expires_at is not None
    answer = QueueStatusRead(
        status=view.status,
        position=view.position,
        ahead=view.ahead,
        estimated_wait_seconds=view.estimated_wait_seconds,
        pass_=service.pass_of(context.secret_key, entry_id) if admitted else None,
        pass_expires_at=view.pass_expires_at,
        pass_used_at=view.pass_used_at,
    )
    body = orjson.dumps(answer.model_dump(mode="json", by_alias=True))
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    # The answer holds the pass: never stored by a shared cache, always revalidated.
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(body, media_type="application/json", headers=headers)

"""``/events/{eventId}/…`` attendance (org staff): stats, occupancy, the timeline, per-scanner stats, and
the live stream (its ticket and the Server-Sent Events themselves)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, status
from fastapi.responses import StreamingResponse

from tixmo.checkin import live, stats
from tixmo.checkin.schemas import (
    EventStats,
    LiveTicketRead,
    Occupancy,
    ScannerStat,
    Timeline,
)
from tixmo.deps import (
    AccessToken,
    Context,
    CurrentUser,
    DbSession,
    OptionalUser,
)
from tixmo.errors import Unauthorized, problems
from tixmo.events import service as events
from tixmo.schemas import EventIdPath, Page, Pagination

router = APIRouter(prefix="/events/{eventId}", tags=["attendance"])


# ---------------------------------------------------------------------------------- attendance


@router.get(
    "/stats",
    response_model=EventStats,
    responses=problems(401, 404),
    summary="Attendance figures (org staff)",
)
async def event_stats(event_id: EventIdPath, claims: AccessToken, context: Context) -> Any:
    # The caller's account and access are checked by the read's one statement (no request transaction).
    return await stats.read_stats(context.database, claims.user_id, event_id)


@router.get(
    "/occupancy",
    response_model=Occupancy,
    responses=problems(401, 404),
    summary="Who is inside now (org staff)",
)
async def event_occupancy(event_id: EventIdPath, claims: AccessToken, context: Context) -> Any:
    return await stats.read_occupancy(context.database, claims.user_id, event_id)


@router.get(
    "/timeline",
    response_model=Timeline,
    responses=problems(401, 404),
    summary="Hourly entries, exits and occupancy in the event's time zone (org staff)",
)
async def event_timeline(event_id: EventIdPath, actor: CurrentUser, session: DbSession) -> Any:
    return await stats.timeline(session, actor, event_id)


@router.get(
    "/scanner-stats",
    response_model=Page[ScannerStat],
    responses=problems(401, 404),
    summary="Per scanner device: scans, valid, rejected, last seen, online (org staff)",
)
async def event_scanner_stats(
    event_id: EventIdPath, actor: CurrentUser, session: DbSession, context: Context, paging: Pagination
) -> Page[ScannerStat]:
    rows, total = await stats.scanner_stats(
        session,
        actor,
        event_id,
        online_within=timedelta(seconds=context.settings.scanner_online_seconds),
        offset=paging.offset,
        limit=paging.limit,
    )
    return paging.build([ScannerStat.model_validate(row) for row in rows], total)


@router.post(
    "/live-ticket",
    status_code=status.HTTP_201_CREATED,
    response_model=LiveTicketRead,
    responses=problems(401, 404),
    summary="A single-use, 60-second ticket for the live stream (for EventSource, which sends no headers)",
)
async def live_ticket(event_id: EventIdPath, actor: CurrentUser, session: DbSession) -> LiveTicketRead:
    token, expires_at = await live.issue_ticket(session, actor, event_id)
    return LiveTicketRead(ticket=token, expires_at=expires_at)


@router.get(
    "/live",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"},
        **problems(401, 404),
    },
    summary="Server-Sent Events: each scan with the new occupancy, heartbeats (org staff)",
    description="Authenticate with the Bearer header or `?ticket=` from "
    "`POST /events/{eventId}/live-ticket`. "
    "Events: `occupancy` on connect, then `scan` (`id` = scan id) with `{scan, occupancy}`, and "
    "`scan-updated` (no `id`) with the same shape when an offline merge changed a scan's verdict; "
    "comments as heartbeats. Reconnect with `Last-Event-ID` to receive all the scans missed meanwhile "
    "(a value that is not a scan id, i.e. not ASCII digits, is a 422 naming the header).",
)
async def live_stream(
    event_id: EventIdPath,
    user: OptionalUser,
    session: DbSession,
    context: Context,
    ticket: Annotated[str | None, Query(max_length=200)] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=40)] = None,
) -> StreamingResponse:
    if user is None:
        if ticket is None:
            raise Unauthorized("A bearer access token or a live ticket is required.")
        user = await live.redeem_ticket(session, event_id, ticket)
    event = await events.get_for_staff(session, user, event_id)
    last = live.parse_last_event_id(last_event_id)
    return StreamingResponse(
        context.live.stream(event.id, last, context.settings.live_heartbeat_seconds),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )

"""``/tickets`` endpoints and the events' ``/signing-keys``."""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, status
from starlette.responses import Response

from tixmo.conditional import etag_matches
from tixmo.deps import Context, CurrentUser, DbSession
from tixmo.errors import problems
from tixmo.idempotency.service import IdempotencyKey
from tixmo.orders.models import OrderStatus
from tixmo.payments import ticket_refunds
from tixmo.payments.router import refund_read
from tixmo.payments.schemas import TicketCancellation
from tixmo.schemas import EventIdPath, Page, Pagination
from tixmo.tickets import keys, pdf, qr, service, transfers, validation
from tixmo.tickets.codes import InvalidReason
from tixmo.tickets.models import SigningKey, SigningKeyStatus, TicketStatus
from tixmo.tickets.schemas import (
    KeyIdPath,
    SeatRead,
    SigningKeyRead,
    TicketIdPath,
    TicketQrRead,
    TicketRead,
    TransferCreate,
    TransferRead,
    ValidateRequest,
    ValidationRead,
    ValidationStatus,
)

router = APIRouter(prefix="/tickets", tags=["tickets"])
signing_keys_router = APIRouter(prefix="/events/{eventId}/signing-keys", tags=["signing-keys"])


def ticket_read(view: service.TicketView) -> TicketRead:
    ticket, seat = view.ticket, view.seat
    return TicketRead(
        id=ticket.id,
        order_id=ticket.order_id,
        event_id=ticket.event_id,
        ticket_type_id=ticket.ticket_type_id,
        owner_id=ticket.owner_id,
        barcode=ticket.barcode,
        status=TicketStatus(ticket.status),
        checked_in_at=ticket.checked_in_at,
        seat=SeatRead(section=seat.section, row=seat.row, seat=seat.label) if seat is not None else None,
    )


def _etag(code: str) -> str:
    return '"' + hashlib.sha256(code.encode()).hexdigest()[:32] + '"'


CACHE_CONTROL = "private, no-cache"  # the client may keep it, and must ask again (the code can change)


async def _qr_answer(ticket_id: uuid.UUID, code: str, status_code: int = status.HTTP_200_OK) -> Response:
    body = TicketQrRead(ticket_id=ticket_id, qr_code=await qr.qr_data_url(code), qr_data=code)
    return Response(
        body.model_dump_json(by_alias=True),
        status_code=status_code,
        media_type="application/json",
        headers={"ETag": _etag(code), "Cache-Control": CACHE_CONTROL},
    )


@router.get(
    "",
    response_model=Page[TicketRead],
    responses=problems(401),
    summary="List tickets: your own; org staff with eventId: all of that event's tickets",
    description="A ticket you transferred is no longer listed; one transferred to you is.",
)
async def list_tickets(
    viewer: CurrentUser,
    session: DbSession,
    paging: Pagination,
    event_id: Annotated[uuid.UUID | None, Query(alias="eventId")] = None,
    ticket_status: Annotated[TicketStatus | None, Query(alias="status")] = None,
) -> Page[TicketRead]:
    items, total = await service.list_tickets(
        session, viewer, event_id=event_id, status=ticket_status, offset=paging.offset, limit=paging.limit
    )
    return paging.build([ticket_read(item) for item in items], total)


@router.post(
    "/validate",
    response_model=ValidationRead,
    responses=problems(401, 403),
    summary="Check a barcode or qrData without checking the ticket in (org staff)",
    description="Always 200 for a well-formed request by org staff: `valid`, `status` (VALID, USED, "
    "CANCELLED or INVALID) and a machine-readable `reason` (null when valid). A code of an event outside "
    "your organizations answers like an unknown one (`NOT_FOUND`, or `UNKNOWN_KEY` for qrData). A caller "
    "who is staff of no organization (nor a platform ADMIN) gets 403 `FORBIDDEN`.",
)
async def validate_ticket(body: ValidateRequest, actor: CurrentUser, session: DbSession) -> ValidationRead:
    found = await validation.validate(
        session, actor, barcode=body.barcode, qr_data=body.qr_data, event_id=body.event_id
    )
    verdict = ValidationStatus.INVALID
    if found.valid:
        verdict = ValidationStatus.VALID
    elif found.reason == InvalidReason.ALREADY_USED:
        verdict = ValidationStatus.USED
    elif found.reason == InvalidReason.CANCELLED:
        verdict = ValidationStatus.CANCELLED
    ticket = None
    if found.ticket is not None:
        ticket = ticket_read((await service.views(session, [found.ticket]))[0])
    return ValidationRead(
        valid=found.valid, status=verdict, reason=found.reason, message=found.message, ticket=ticket
    )


@router.get(
    "/{ticketId}",
    response_model=TicketRead,
    responses=problems(401, 404),
    summary="Get a ticket (its holder, org staff)",
)
async def get_ticket(ticket_id: TicketIdPath, viewer: CurrentUser, session: DbSession) -> TicketRead:
    return ticket_read(await service.get(session, viewer, ticket_id))


@router.get(
    "/{ticketId}/qr",
    response_model=TicketQrRead,
    responses={**problems(401, 403, 404, 409), 304: {"description": "Not modified (If-None-Match)"}},
    summary="The ticket's QR code (holder): a PNG data URL and the signed qrData it holds",
    description="The PNG is about 300 px with error correction H. `ETag` changes with the code, so "
    "`If-None-Match` answers 304 until the ticket is re-coded (regenerated, transferred) or the event's "
    "key rotates. A CANCELLED ticket has no code: 409 `INVALID_STATE`.",
)
async def get_qr(
    ticket_id: TicketIdPath,
    viewer: CurrentUser,
    session: DbSession,
    context: Context,
    if_none_match: Annotated[str | None, Header(alias="If-None-Match", max_length=1000)] = None,
) -> Response:
    ticket, code = await service.qr_data(session, viewer, context.secret_key, ticket_id)
    etag = _etag(code)
    if etag_matches(if_none_match, etag):
        return Response(
            status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag, "Cache-Control": CACHE_CONTROL}
        )
    return await _qr_answer(ticket.id, code)


@router.post(
    "/{ticketId}/regenerate-qr",
    response_model=TicketQrRead,
    responses=problems(401, 403, 404, 409),
    summary="New barcode and QR code for a VALID ticket (holder); the old ones scan INVALID from now on",
)
async def regenerate_qr(
    ticket_id: TicketIdPath, actor: CurrentUser, session: DbSession, context: Context
) -> Response:
    ticket, code = await service.regenerate(session, actor, context.secret_key, ticket_id)
    return await _qr_answer(ticket.id, code)


@router.get(
    "/{ticketId}/pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "A one-page A4 PDF ticket"},
        **problems(401, 403, 404, 409),
    },
    summary="The printable PDF ticket (holder): event, venue, date in the event's time zone, QR code",
)
async def get_pdf(
    ticket_id: TicketIdPath, viewer: CurrentUser, session: DbSession, context: Context
) -> Response:
    printable = await service.printable(session, viewer, context.secret_key, ticket_id)
    content = await pdf.pdf_bytes(printable, context.settings.pdf_font)
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="ticket-{ticket_id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@router.post(
    "/{ticketId}/transfer",
    response_model=TransferRead,
    responses=problems(401, 403, 404, 409),
    summary="Give a VALID ticket to another registered account (holder)",
    description="The ticket gets a new barcode (the old code scans INVALID), both people are notified. "
    "An email without an account is 404; a USED or CANCELLED ticket is 409 `INVALID_STATE`; an event "
    "whose organizer forbids transfers (`transfersAllowed: false`) is 403. A ticket that changed hands "
    "meanwhile (e.g. a concurrent transfer) is 409 `CONFLICT`. Supports `Idempotency-Key`.",
)
async def transfer_ticket(
    ticket_id: TicketIdPath,
    body: TransferCreate,
    actor: CurrentUser,
    session: DbSession,
    idempotency: IdempotencyKey,
) -> Response:
    async def transfer() -> TransferRead:
        done = await transfers.transfer(session, actor, ticket_id, str(body.email))
        record = done.transfer
        return TransferRead(
            id=record.id,
            ticket_id=record.ticket_id,
            event_id=done.event_id,
            from_user_id=record.from_user_id,
            to_user_id=record.to_user_id,
            to_email=done.to_email,
            transferred_at=record.created_at,
        )

    return await idempotency.run(session, actor.id, status.HTTP_200_OK, transfer, body)


@router.post(
    "/{ticketId}/check-in",
    response_model=TicketRead,
    responses=problems(401, 404, 409),
    summary="Manual check-in (org staff): VALID → USED; a USED or CANCELLED ticket is 409",
)
async def check_in(ticket_id: TicketIdPath, actor: CurrentUser, session: DbSession) -> TicketRead:
    return ticket_read(await service.check_in(session, actor, ticket_id))


# ------------------------------------------------------------------------------------- signing keys


def key_read(key: SigningKey) -> SigningKeyRead:
    return SigningKeyRead(
        key_id=key.key_id,
        algorithm="Ed25519",
        public_key=base64.b64encode(bytes(key.public_key)).decode("ascii"),
        status=SigningKeyStatus(key.status),
        created_at=key.created_at,
        rotated_at=key.rotated_at,
        retired_at=key.retired_at,
    )


@signing_keys_router.get(
    "",
    response_model=Page[SigningKeyRead],
    responses=problems(401, 404),
    summary="The event's ticket-signing keys, newest first (org staff)",
    description="ACTIVE signs new codes; ROTATED still verifies the codes it signed; RETIRED no longer "
    "verifies anything. An event gets its first key when its first ticket code is made.",
)
async def list_signing_keys(
    event_id: EventIdPath, actor: CurrentUser, session: DbSession, paging: Pagination
) -> Page[SigningKeyRead]:
    items, total = await keys.list_keys(session, actor, event_id, offset=paging.offset, limit=paging.limit)
    return paging.build([key_read(key) for key in items], total)


@signing_keys_router.post(
    "/rotate",
    status_code=status.HTTP_201_CREATED,
    response_model=SigningKeyRead,
    responses=problems(401, 404),
    summary="Rotate the event's signing key (org staff): new codes use a new key; old codes stay valid",
)
async def rotate_signing_key(
    event_id: EventIdPath, actor: CurrentUser, session: DbSession, context: Context
) -> SigningKeyRead:
    return key_read(await keys.rotate(session, actor, context.secret_key, event_id))


@signing_keys_router.post(
    "/{keyId}/retire",
    response_model=SigningKeyRead,
    responses=problems(401, 404, 409),
    summary="Retire a ROTATED key (org staff): codes it signed scan INVALID from now on",
)
async def retire_signing_key(
    event_id: EventIdPath, key_id: KeyIdPath, actor: CurrentUser, session: DbSession
) -> SigningKeyRead:
    return key_read(await keys.retire(session, actor, event_id, key_id))


@router.post(
    "/{ticketId}/cancel",
    response_model=TicketCancellation,
    responses=problems(401, 403, 404, 409),
    summary="Cancel one ticket (its owner within the event's refund policy, or org staff)",
    description="The ticket is CANCELLED, its ticket type (and seat) back on sale, and its paid share of "
    "the order refunded. Owners: 403 when the event's `refundPolicy` is `NONE`, 409 `INVALID_STATE` after "
    "the deadline. A USED or CANCELLED ticket is 409 `INVALID_STATE`.",
)
async def cancel_ticket(
    ticket_id: TicketIdPath, actor: CurrentUser, session: DbSession, idempotency: IdempotencyKey
) -> Response:
    async def cancel() -> TicketCancellation:
        done = await ticket_refunds.cancel_ticket(session, actor, ticket_id)
        return TicketCancellation(
            ticket=ticket_read((await service.views(session, [done.ticket]))[0]),
            order_id=done.order.id,
            order_status=OrderStatus(done.order.status),
            refunded=done.refunded_minor,
            currency=done.order.currency,
            refund=refund_read(done.refund) if done.refund is not None else None,
        )

    return await idempotency.run(session, actor.id, status.HTTP_200_OK, cancel)

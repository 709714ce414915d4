"""``/orders`` endpoints."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Query, status
from starlette.responses import Response

from tixmo.deps import AccessToken, AppContext, Context, CurrentUser, DbSession, transaction, user_of
from tixmo.errors import InsufficientInventory, problems
from tixmo.idempotency.service import Idempotency, IdempotencyKey, json_response
from tixmo.orders import express, placement, service
from tixmo.orders.coalescer import Coalescer
from tixmo.orders.models import OrderStatus
from tixmo.orders.schemas import OrderCreate, OrderItemRead, OrderRead
from tixmo.orders.service import OrderDetails
from tixmo.orders.soldout import Seen
from tixmo.queue import service as waiting_room
from tixmo.schemas import OrderIdPath, Page, Pagination
from tixmo.seating.models import EventSeat
from tixmo.security import AccessClaims
from tixmo.tickets.schemas import SeatRead, TicketRead

router = APIRouter(tags=["orders"])


@asynccontextmanager
async def _order_gate(context: AppContext) -> AsyncIterator[None]:
    """At most ``TIXMO_ORDER_CONCURRENCY`` orders are placed at once per process, until their commit.

    In a flash sale every order updates the same ticket-type row, so only one transaction at a time can
    make progress there; the others wait holding a database connection and cost PostgreSQL lock-manager
    work, and crowd the event loop that the lock holder needs to send its COMMIT. Queueing them here,
    before they begin a transaction, doubled orders/s in ``bench/flash_sale.py``. Declared first in the
    order, so it is released after the request's session has committed. Orders the coalescer batches
    (``orders/coalescer.py``) do not take it: they queue in the coalescer instead.
    """
    async with context.order_gate:
        yield


AdmissionPass = Annotated[
    str | None,
    Header(
        alias="TixMo-Admission",
        max_length=200,
        description="The waiting room's admission pass, required while the event's room is on.",
    ),
]


def _seat(seat: EventSeat) -> SeatRead:
    return SeatRead(section=seat.section, row=seat.row, seat=seat.label)


def order_read(details: OrderDetails) -> OrderRead:
    order = details.order
    seats_by_id = {seat.id: seat for seat in details.seats}
    return OrderRead(
        id=order.id,
        user_id=order.user_id,
        event_id=order.event_id,
        status=OrderStatus(order.status),
        items=[
            OrderItemRead(
                ticket_type_id=item.ticket_type_id,
                ticket_type_name=name,
                quantity=item.quantity,
                unit_price=item.unit_price_minor,
                discount=item.discount_minor,
                line_total=item.quantity * item.unit_price_minor - item.discount_minor,
                seats=[_seat(s) for s in details.seats if s.ticket_type_id == item.ticket_type_id],
            )
            for item, name in details.items
        ],
        subtotal=order.subtotal_minor,
        discount=order.discount_minor,
        total=order.total_minor,
        currency=order.currency,
        promo_code=order.promo_code,
        ticket_count=order.ticket_count,
        expires_at=order.expires_at,
        confirmed_at=order.confirmed_at,
        cancelled_at=order.cancelled_at,
        expired_at=order.expired_at,
        created_at=order.created_at,
        updated_at=order.updated_at,
        tickets=[
            TicketRead(
                id=ticket.id,
                order_id=ticket.order_id,
                event_id=ticket.event_id,
                ticket_type_id=ticket.ticket_type_id,
                owner_id=ticket.owner_id,
                # A ticket the buyer transferred is its new holder's: the order no longer shows its code.
                barcode=ticket.barcode if ticket.owner_id == order.user_id else None,
                status=ticket.status,
                checked_in_at=ticket.checked_in_at,
                seat=_seat(seats_by_id[ticket.seat_id]) if ticket.seat_id in seats_by_id else None,
            )
            for ticket in details.tickets
        ],
    )


@router.post(
    "/orders",
    status_code=status.HTTP_201_CREATED,
    response_model=OrderRead,
    responses=problems(401, 403, 404, 409),
    summary="Place an order: tickets held until expiresAt (free orders are CONFIRMED at once)",
)
async def create_order(
    body: OrderCreate,
    token: AccessToken,
    context: Context,
    idempotency: IdempotencyKey,
    admission: AdmissionPass = None,
) -> Response:
    settings = context.settings
    hold = timedelta(minutes=settings.order_hold_minutes)
    # While the event's waiting room is on, an order spends the caller's admission pass (403
    # ADMISSION_REQUIRED without one), in the order's own transaction: the full path.
    gated = await context.admission.is_on(context.database, body.event_id)
    shaped = not gated and express.applies(body)
    # Not for a promo code: the full path would judge the code before the tickets left.
    board = context.sold_out if shaped and idempotency.key is None and body.promo_code is None else None
    if board is not None:
        # A ticket type this process knows is sold out: the full path's 409, without the database.
        refusal = board.refusal(body, settings.order_max_tickets)
        if refusal is not None:
            raise refusal
    epoch = board.epoch() if board is not None else None
    seen = Seen()
    coalescer = context.coalescer
    if shaped and coalescer is not None:
        placed = await _express(context, token.user_id, body, hold, idempotency, coalescer, seen)
        if placed is not None:
            return placed
    try:
        async with _order_gate(context):
            if shaped and coalescer is None:
                placed = await _express(context, token.user_id, body, hold, idempotency, None, seen)
                if placed is not None:
                    return placed
            return await _full_path(context, token, body, hold, idempotency, gated, admission)
    except InsufficientInventory as refused:
        if board is not None and refused.extra.get("available") == 0:
            await board.mark(seen, epoch)
        raise


async def _express(
    context: AppContext,
    buyer_id: uuid.UUID,
    body: OrderCreate,
    hold: timedelta,
    idempotency: Idempotency,
    coalescer: Coalescer | None,
    seen: Seen,
) -> Response | None:
    return await express.place(
        context.database,
        buyer_id,
        body,
        hold=hold,
        max_tickets=context.settings.order_max_tickets,
        respond=lambda details: json_response(status.HTTP_201_CREATED, order_read(details)),
        idempotency=idempotency,
        coalescer=coalescer,
        seen=seen,
    )


async def _full_path(
    context: AppContext,
    token: AccessClaims,
    body: OrderCreate,
    hold: timedelta,
    idempotency: Idempotency,
    gated: bool,
    admission: str | None,
) -> Response:
    """Everything else, including every refusal: the full path, in one transaction. (The one route that
    does not use ``Idempotency.run``: its answer is stored before the reservation, so the idempotency
    record's write does not extend the ticket type's row lock.)"""
    settings = context.settings
    async with transaction(context.database) as session:
        buyer = await user_of(session, token)
        replay = await idempotency.replay(session, buyer.id, body)
        if replay is not None:
            return replay
        admitted = None
        if gated:
            admitted = await waiting_room.check_pass(
                session, context.secret_key, body.event_id, buyer.id, admission
            )
        answer: Response | None = None

        async def prepare(details: OrderDetails) -> None:
            nonlocal answer
            answer = await idempotency.respond(
                session, buyer.id, status.HTTP_201_CREATED, order_read(details)
            )

        details = await placement.create(
            session,
            buyer,
            body,
            hold=hold,
            max_tickets=settings.order_max_tickets,
            before_reserve=prepare,
        )
        if answer is None:  # seats or a free order: the answer depends on the reservation
            answer = await idempotency.respond(
                session, buyer.id, status.HTTP_201_CREATED, order_read(details)
            )
        if admitted is not None:
            await waiting_room.use_pass(session, admitted, buyer.id)
        return answer


@router.get(
    "/orders",
    response_model=Page[OrderRead],
    responses=problems(401),
    summary="List orders: your own; org staff with eventId: that event's; ADMIN: all",
)
async def list_orders(
    viewer: CurrentUser,
    session: DbSession,
    paging: Pagination,
    event_id: Annotated[uuid.UUID | None, Query(alias="eventId")] = None,
    order_status: Annotated[OrderStatus | None, Query(alias="status")] = None,
) -> Page[OrderRead]:
    orders, total = await service.list_orders(
        session, viewer, event_id=event_id, status=order_status, offset=paging.offset, limit=paging.limit
    )
    return paging.build([order_read(details) for details in orders], total)


@router.get(
    "/orders/{orderId}",
    response_model=OrderRead,
    responses=problems(401, 404),
    summary="Get an order (the buyer, org staff, ADMIN)",
)
async def get_order(order_id: OrderIdPath, viewer: CurrentUser, session: DbSession) -> OrderRead:
    return order_read(await service.get(session, viewer, order_id))


@router.post(
    "/orders/{orderId}/confirm",
    response_model=OrderRead,
    responses=problems(401, 403, 404, 409),
    summary="Confirm (pay) a PENDING order with the manual provider: tickets issued",
    description="Only with `TIXMO_PAYMENT_PROVIDER=manual` (the default): records a SUCCEEDED manual "
    "payment. With `stripe` this is 409 `INVALID_STATE`: pay through `POST /payments/create-intent`.",
)
async def confirm_order(
    order_id: OrderIdPath,
    buyer: CurrentUser,
    session: DbSession,
    context: Context,
    idempotency: IdempotencyKey,
) -> Response:
    async def confirm() -> OrderRead:
        provider = context.settings.payment_provider.value
        return order_read(await service.confirm(session, buyer, order_id, payment_provider=provider))

    return await idempotency.run(session, buyer.id, status.HTTP_200_OK, confirm)


@router.post(
    "/orders/{orderId}/cancel",
    response_model=OrderRead,
    responses=problems(401, 404, 409),
    summary="Cancel an order (buyer or org staff): holds released, or tickets cancelled and refunded",
)
async def cancel_order(
    order_id: OrderIdPath, actor: CurrentUser, session: DbSession, idempotency: IdempotencyKey
) -> Response:
    async def cancel() -> OrderRead:
        return order_read(await service.cancel(session, actor, order_id))

    return await idempotency.run(session, actor.id, status.HTTP_200_OK, cancel)

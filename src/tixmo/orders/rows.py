"""The one builder of a new order's rows, shared by every path that places one: the full path
(``placement``), the one-statement express path (``express``, whose statement binds every column of these
objects, hence every column set here) and a waitlist claim."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from tixmo.events.models import Event
from tixmo.orders.models import Order, OrderItem, OrderStatus
from tixmo.promos.service import Discount
from tixmo.ticketing.lines import Line


def pending_order(
    buyer_id: uuid.UUID,
    event: Event,
    lines: Sequence[Line],
    *,
    now: datetime,
    hold: timedelta,
    discount: Discount | None = None,
) -> tuple[Order, list[OrderItem]]:
    """A PENDING order of ``lines`` (at their quoted prices) holding until ``now + hold``, and its items;
    ``discount``: the promo code's, spread over the lines as it says. Not added to any session."""
    subtotal = sum(line.amount_minor for line in lines)
    discount_minor = discount.discount_minor if discount is not None else 0
    order = Order(
        id=uuid.uuid4(),
        user_id=buyer_id,
        event_id=event.id,
        status=OrderStatus.PENDING.value,
        currency=event.currency,
        subtotal_minor=subtotal,
        discount_minor=discount_minor,
        total_minor=subtotal - discount_minor,
        ticket_count=sum(line.quantity for line in lines),
        promo_code_id=discount.promo.id if discount is not None else None,
        promo_code=discount.promo.code if discount is not None else None,
        expires_at=now + hold,
        confirmed_at=None,
        cancelled_at=None,
        expired_at=None,
        created_at=now,
        updated_at=now,
    )
    items = [
        OrderItem(
            id=uuid.uuid4(),
            order_id=order.id,
            ticket_type_id=line.ticket_type_id,
            quantity=line.quantity,
            unit_price_minor=line.unit_price_minor,
            discount_minor=discount.by_ticket_type.get(line.ticket_type_id, 0) if discount is not None else 0,
        )
        for line in lines
    ]
    return order, items

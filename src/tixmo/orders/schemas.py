"""Order request and response schemas (camelCase on the wire, money as decimal strings)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from tixmo.money import MoneyOutput
from tixmo.orders.models import OrderStatus
from tixmo.schemas import CamelModel, OneLine, ReadModel
from tixmo.tickets.schemas import SeatRead, TicketRead

MAX_ITEMS = 20
MAX_ITEM_QUANTITY = 1000
MAX_SEATS_PER_ITEM = 100

PromoCodeText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
SeatPart = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine]


class SeatRef(CamelModel):
    """A seat of the venue's seating chart, by its labels."""

    section: SeatPart
    row: SeatPart
    seat: SeatPart


class OrderItemInput(CamelModel):
    ticket_type_id: uuid.UUID
    quantity: Annotated[int, Field(strict=True, ge=1, le=MAX_ITEM_QUANTITY)]
    seats: Annotated[list[SeatRef], Field(max_length=MAX_SEATS_PER_ITEM)] | None = Field(
        default=None,
        description="Reserved seating only: exactly `quantity` seats; omitted = best available.",
    )


OrderItems = Annotated[list[OrderItemInput], Field(min_length=1, max_length=MAX_ITEMS)]


class OrderCreate(CamelModel):
    event_id: uuid.UUID
    items: OrderItems
    promo_code: PromoCodeText | None = None


class OrderItemRead(ReadModel):
    ticket_type_id: uuid.UUID
    ticket_type_name: str
    quantity: int
    unit_price: MoneyOutput
    discount: MoneyOutput = Field(description="This line's share of the order's discount.")
    line_total: MoneyOutput = Field(description="quantity * unitPrice - discount.")
    seats: list[SeatRead] = []


class OrderRead(ReadModel):
    id: uuid.UUID
    user_id: uuid.UUID
    event_id: uuid.UUID
    status: OrderStatus
    items: list[OrderItemRead]
    subtotal: MoneyOutput
    discount: MoneyOutput
    total: MoneyOutput
    currency: str
    promo_code: str | None
    ticket_count: int
    expires_at: datetime | None = Field(description="Until when a PENDING order holds its tickets.")
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    expired_at: datetime | None
    created_at: datetime
    updated_at: datetime
    tickets: list[TicketRead]

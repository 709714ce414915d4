"""Order request and response schemas (camelCase on the wire, money as decimal strings)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from tixmo.money import MoneyOutput
from tixmo.orders.models import OrderStatus
from tixmo.schemas import CamelModel, ReadModel
from tixmo.ticketing.schemas import OrderItems, PromoCodeText
from tixmo.tickets.schemas import SeatRead, TicketRead


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

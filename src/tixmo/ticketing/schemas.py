"""Ticket type and availability schemas (camelCase on the wire, money as decimal strings)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from tixmo.money import Currency, MoneyInput, MoneyOutput
from tixmo.pricing import MAX_TIERS
from tixmo.schemas import CamelModel, Instant, OneLine, ReadModel, UpdateModel

MAX_QUANTITY = 10_000_000
MAX_PER_ORDER = 10_000

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), OneLine]
TierName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine]
Description = Annotated[str, Field(max_length=10_000)]
# Strict: a JSON integer only ("10", 10.5 and true are refused).
Quantity = Annotated[int, Field(strict=True, ge=0, le=MAX_QUANTITY)]
PerOrder = Annotated[int, Field(strict=True, ge=1, le=MAX_PER_ORDER)]
Percent = Annotated[int, Field(strict=True, gt=0, le=100)]
TierKindName = Literal["DATE", "DEMAND"]


class PriceTierInput(CamelModel):
    """One pricing rule. DATE: ``{kind, until, price}``; DEMAND: ``{kind, afterSoldPercent, price}``."""

    kind: TierKindName
    price: MoneyInput
    name: TierName | None = None
    until: Instant | None = Field(
        default=None, description="DATE tiers: the price applies while now < until."
    )
    after_sold_percent: Percent | None = Field(
        default=None, description="DEMAND tiers: applies once sold >= this percentage of quantityTotal."
    )


PriceTiers = Annotated[
    list[PriceTierInput],
    Field(
        max_length=MAX_TIERS,
        description=f"At most {MAX_TIERS}; see the pricing rules in the API description.",
    ),
]


class TicketTypeCreate(CamelModel):
    name: Name
    description: Description | None = None
    price: MoneyInput = Field(description='Base price, e.g. "25.00".')
    currency: Currency | None = Field(
        default=None, description="ISO 4217; must be the event's currency (the first ticket type may set it)."
    )
    quantity_total: Quantity
    sales_start: Instant | None = None
    sales_end: Instant | None = Field(default=None, description="Must follow salesStart.")
    min_per_order: PerOrder = 1
    max_per_order: PerOrder | None = Field(default=None, description="At least minPerOrder.")
    max_per_buyer: PerOrder | None = Field(
        default=None, description="Anti-scalping: most of these one buyer may hold or own (all orders)."
    )
    price_tiers: PriceTiers = []


class PriceTierRead(ReadModel):
    kind: TierKindName
    name: str | None
    price: MoneyOutput
    until: datetime | None = None
    after_sold_percent: int | None = None


class TicketTypeRead(ReadModel):
    id: uuid.UUID
    event_id: uuid.UUID
    name: str
    description: str | None
    price: MoneyOutput = Field(description="The base price.")
    current_price: MoneyOutput = Field(description="What one ticket costs now (price tiers applied).")
    currency: str
    quantity_total: int
    quantity_sold: int
    quantity_held: int
    quantity_available: int
    on_sale: bool = Field(description="Event PUBLISHED, now inside the sales window, tickets left.")
    sales_start: datetime | None
    sales_end: datetime | None
    min_per_order: int
    max_per_order: int | None
    max_per_buyer: int | None
    price_tiers: list[PriceTierRead]
    created_at: datetime
    updated_at: datetime


class TicketTypeUpdate(UpdateModel):
    """A partial update: the fields given replace the stored ones (``null`` clears optional fields)."""

    read_model = TicketTypeRead

    name: Name | None = None
    description: Description | None = None
    price: MoneyInput | None = None
    currency: Currency | None = None
    quantity_total: Quantity | None = Field(
        default=None, description="Not below quantitySold + quantityHeld."
    )
    sales_start: Instant | None = None
    sales_end: Instant | None = None
    min_per_order: PerOrder | None = None
    max_per_order: PerOrder | None = None
    max_per_buyer: PerOrder | None = None
    price_tiers: PriceTiers | None = None


class AvailabilityRead(ReadModel):
    ticket_type_id: uuid.UUID
    quantity_total: int
    quantity_sold: int
    quantity_held: int
    quantity_available: int
    on_sale: bool
    current_price: MoneyOutput
    currency: str
    sales_start: datetime | None
    sales_end: datetime | None
    next_price_change: datetime | None = Field(
        description="When the price next changes by date alone (a DATE tier ending), if it does."
    )
    next_price: MoneyOutput | None = Field(description="The price from nextPriceChange on.")


# ------------------------------------------------------- what a buyer asks for (orders, promo checks)

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

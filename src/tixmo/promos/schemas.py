"""Promo code request and response schemas (camelCase on the wire, amounts as two-decimal strings).

``discountValue`` is a two-decimal string for both kinds: ``"12.50"`` is 12.5 % for a PERCENTAGE code and
12.50 in the event's currency for a FIXED one. Both are stored in hundredths (1250).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, Field

from tixmo.money import MoneyInput, MoneyOutput
from tixmo.promos.models import DiscountType, PromoStatus
from tixmo.schemas import CamelModel, Instant, ReadModel, UpdateModel
from tixmo.ticketing.schemas import OrderItems, PromoCodeText

MAX_CODE_LENGTH = 50
MAX_USES = 10_000_000
MAX_TICKET_TYPE_IDS = 100
_CODE_RE = re.compile(rf"^[A-Za-z0-9_-]{{1,{MAX_CODE_LENGTH}}}$")


def _check_code(value: str) -> str:
    if not _CODE_RE.fullmatch(value):
        raise ValueError(f"Use 1 to {MAX_CODE_LENGTH} letters (A-Z, a-z), digits, '-' or '_'.")
    return value


Code = Annotated[
    str,
    AfterValidator(_check_code),
    Field(
        description="1-50 letters, digits, '-' or '_'; stored as given, matched case-insensitively.",
        examples=["SUMMER-25"],
        json_schema_extra={"pattern": _CODE_RE.pattern, "minLength": 1, "maxLength": MAX_CODE_LENGTH},
    ),
]
DiscountValue = Annotated[
    MoneyInput,
    Field(
        description='PERCENTAGE: the percent, 0 < v <= 100 ("12.50" = 12.5 %). FIXED: an amount in the '
        'event\'s currency, > 0 ("5.00").'
    ),
]
MaxUses = Annotated[int, Field(strict=True, ge=1, le=MAX_USES)]
TicketTypeIds = Annotated[
    list[uuid.UUID],
    Field(
        max_length=MAX_TICKET_TYPE_IDS,
        description="Only these ticket types of the event are discounted; null or [] = all of them.",
    ),
]

PromoCodeIdPath = Annotated[uuid.UUID, Path(alias="promoCodeId")]


class PromoCodeCreate(CamelModel):
    event_id: uuid.UUID
    code: Code
    discount_type: DiscountType
    discount_value: DiscountValue
    max_uses: MaxUses | None = Field(default=None, description="Omitted or null: unlimited.")
    min_order_amount: MoneyInput | None = Field(
        default=None, description="The order subtotal (all items) needed for the code to apply."
    )
    valid_from: Instant | None = Field(default=None, description="Inclusive.")
    valid_until: Instant | None = Field(default=None, description="Exclusive; must follow validFrom.")
    ticket_type_ids: TicketTypeIds | None = None
    status: PromoStatus = PromoStatus.ACTIVE


class PromoCodeRead(ReadModel):
    id: uuid.UUID
    event_id: uuid.UUID
    code: str
    discount_type: DiscountType
    discount_value: MoneyOutput = Field(description='"12.50": 12.5 % (PERCENTAGE) or 12.50 (FIXED).')
    max_uses: int | None
    used_count: int = Field(
        description="Uses by live orders; a cancelled or expired order gives its use back."
    )
    remaining_uses: int | None = Field(description="maxUses - usedCount; null when unlimited.")
    min_order_amount: MoneyOutput | None
    valid_from: datetime | None
    valid_until: datetime | None
    ticket_type_ids: list[uuid.UUID] | None
    status: PromoStatus
    created_at: datetime
    updated_at: datetime


class PromoCodeUpdate(UpdateModel):
    """A partial update: the fields given replace the stored ones (``null`` clears optional fields)."""

    read_model = PromoCodeRead

    code: Code | None = None
    discount_type: DiscountType | None = None
    discount_value: DiscountValue | None = None
    max_uses: MaxUses | None = Field(default=None, description="Not below usedCount; null = unlimited.")
    min_order_amount: MoneyInput | None = None
    valid_from: Instant | None = None
    valid_until: Instant | None = None
    ticket_type_ids: TicketTypeIds | None = None
    status: PromoStatus | None = None


class PromoCodeValidate(CamelModel):
    event_id: uuid.UUID
    code: PromoCodeText
    items: OrderItems


class PromoCodeValidation(ReadModel):
    """What an order of ``items`` with ``code`` would cost now. Nothing is reserved or used up."""

    valid: bool
    code: str = Field(description="The code as stored when valid (its case may differ), else as sent.")
    discount: MoneyOutput
    subtotal: MoneyOutput
    total: MoneyOutput = Field(description="subtotal - discount; never negative.")
    currency: str
    reason: str | None = Field(description="Why the code does not apply; null when valid.")

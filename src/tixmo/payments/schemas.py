"""Payment request and response schemas (camelCase on the wire, money as decimal strings)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StrictBool, StringConstraints, field_validator

from tixmo.money import MoneyInput, MoneyOutput
from tixmo.orders.models import OrderStatus
from tixmo.payments.models import PaymentStatus, RefundStatus
from tixmo.schemas import CamelModel, ReadModel
from tixmo.tickets.schemas import TicketRead

MAX_TICKETS_PER_REFUND = 100

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class IntentCreate(CamelModel):
    order_id: uuid.UUID
    save_payment_method: StrictBool = Field(
        default=False,
        description="The buyer opts in to keep the card for next time (`setup_future_usage`; a Stripe "
        "Customer is made for them on first use). Taken into account when the intent is made.",
    )


class IntentRead(ReadModel):
    payment_id: uuid.UUID
    payment_intent_id: str = Field(description="Stripe's PaymentIntent id (`pi_…`), or `manual_pi_…`.")
    client_secret: str | None = Field(description="For Stripe.js / the mobile SDKs to collect the payment.")
    amount: MoneyOutput
    amount_minor: int = Field(
        description="The same amount in the currency's minor units, as Stripe counts it: cents for USD, "
        "yen for JPY (no minor unit: ¥1,000 is 1000), fils for KWD (three decimals: KWD 1.250 is 1250)."
    )
    currency: str
    status: PaymentStatus
    provider: str
    next_action: dict[str, Any] | None = Field(
        default=None,
        description="While `REQUIRES_ACTION`: what the buyer must do (Stripe's `next_action`, e.g. a 3-D "
        "Secure redirect); Stripe.js `handleNextAction` acts on it.",
    )


class RefundCreate(CamelModel):
    """``amount`` omitted: what is left (or, with ``ticketIds``, those tickets' paid share)."""

    amount: MoneyInput | None = Field(default=None, description="Omitted: everything that is left.")
    ticket_ids: Annotated[list[uuid.UUID], Field(max_length=MAX_TICKETS_PER_REFUND)] | None = Field(
        default=None, description="Tickets of the order to cancel with this refund (their inventory returns)."
    )
    reason: Reason | None = None

    @field_validator("amount")
    @classmethod
    def _positive(cls, value: int | None) -> int | None:
        if value is not None and value <= 0:
            raise ValueError("Must be more than 0.")
        return value

    @field_validator("ticket_ids")
    @classmethod
    def _distinct(cls, value: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("List each ticket once.")
        return value


class RefundRead(ReadModel):
    id: uuid.UUID
    amount: MoneyOutput
    status: RefundStatus = Field(description="PENDING until the provider confirms it.")
    origin: str = Field(description="`api` (asked for here) or `external` (found at the provider).")
    provider_refund_id: str | None
    reason: str | None
    ticket_ids: list[uuid.UUID]
    created_at: datetime
    updated_at: datetime


class PaymentEventRead(ReadModel):
    id: uuid.UUID
    type: str = Field(description="What happened, e.g. `succeeded`, `payment_failed`, `refund_requested`.")
    status: PaymentStatus = Field(description="The payment's status after it.")
    amount: MoneyOutput | None
    currency: str | None
    refund_id: uuid.UUID | None
    provider_event_id: str | None
    message: str | None
    code: str | None = Field(
        description="A decline code (`insufficient_funds`), a cancellation or dispute reason."
    )
    created_at: datetime


class DisputeRead(ReadModel):
    id: uuid.UUID
    provider_dispute_id: str = Field(description="Stripe's dispute id (`dp_…`).")
    amount: MoneyOutput
    currency: str
    reason: str | None = Field(description="The bank's reason, e.g. `fraudulent`, `product_not_received`.")
    status: str = Field(
        description="Stripe's: `warning_needs_response`, `warning_under_review`, `warning_closed`, "
        "`needs_response`, `under_review`, `won`, `lost`."
    )
    evidence_due_by: datetime | None
    refund_id: uuid.UUID | None = Field(description="A lost dispute's refund (`origin: dispute`).")
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class PaymentRead(ReadModel):
    id: uuid.UUID
    order_id: uuid.UUID
    order_status: OrderStatus
    user_id: uuid.UUID
    event_id: uuid.UUID
    provider: str
    payment_intent_id: str
    status: PaymentStatus
    amount: MoneyOutput
    amount_minor: int = Field(description="`amount` in the currency's minor units, as Stripe counts it.")
    amount_received: MoneyOutput
    amount_refunded: MoneyOutput = Field(description="Refunds PENDING or SUCCEEDED.")
    refundable: MoneyOutput = Field(description="What can still be refunded.")
    currency: str
    succeeded_at: datetime | None
    created_at: datetime
    updated_at: datetime
    next_action: dict[str, Any] | None = Field(
        description="While `REQUIRES_ACTION` (3-D Secure / SCA): what the buyer must do next."
    )
    method: str | None = Field(description="The payment method type (`card`, `sepa_debit`, …; `manual`).")
    hold_extended_at: datetime | None = Field(
        description="When the order's hold was extended because the bank was confirming (once)."
    )
    refunds: list[RefundRead]
    disputes: list[DisputeRead]
    history: list[PaymentEventRead]


class WebhookAck(ReadModel):
    received: bool = True
    duplicate: bool = Field(description="This event id was processed before; nothing changed.")
    outcome: str | None


class SavedPaymentMethod(ReadModel):
    """A saved card: brand, last 4 digits and expiry — never more."""

    id: str = Field(description="The provider's id (`pm_…`), to remove it.")
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None


class TicketCancellation(ReadModel):
    ticket: TicketRead
    order_id: uuid.UUID
    order_status: OrderStatus
    refunded: MoneyOutput = Field(description="The ticket's paid share refunded (0.00 for a free order).")
    currency: str
    refund: RefundRead | None

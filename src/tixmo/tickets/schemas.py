"""Ticket request and response schemas (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import Path
from pydantic import EmailStr, Field, StringConstraints

from tixmo.schemas import CamelModel, ReadModel
from tixmo.tickets.codes import InvalidReason
from tixmo.tickets.models import SigningKeyStatus, TicketStatus

MAX_CODE_LENGTH = 512

Barcode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
QrData = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_CODE_LENGTH)]


class SeatRead(ReadModel):
    section: str
    row: str
    seat: str


class TicketRead(ReadModel):
    id: uuid.UUID
    order_id: uuid.UUID
    event_id: uuid.UUID
    ticket_type_id: uuid.UUID
    owner_id: uuid.UUID
    barcode: str | None = Field(
        description="Shown to the ticket's holder and the event's staff. In an order's view it is null "
        "for a ticket the buyer transferred to someone else."
    )
    status: TicketStatus
    checked_in_at: datetime | None
    seat: SeatRead | None = None


class TicketQrRead(ReadModel):
    ticket_id: uuid.UUID
    qr_code: str = Field(description="data:image/png;base64,… (about 300 px, error correction H).")
    qr_data: str = Field(description="The signed code the QR holds; see docs/ticket-codes.md.")


class TransferCreate(CamelModel):
    email: Annotated[EmailStr, Field(max_length=320, description="The recipient's account email.")]


class TransferRead(ReadModel):
    id: uuid.UUID
    ticket_id: uuid.UUID
    event_id: uuid.UUID
    from_user_id: uuid.UUID
    to_user_id: uuid.UUID
    to_email: str
    transferred_at: datetime


class ValidateRequest(CamelModel):
    """Give ``barcode`` or ``qrData`` (exactly one); ``eventId`` checks the ticket is for that event."""

    barcode: Barcode | None = None
    qr_data: QrData | None = None
    event_id: uuid.UUID | None = None


class ValidationStatus(StrEnum):
    VALID = "VALID"
    USED = "USED"
    CANCELLED = "CANCELLED"
    INVALID = "INVALID"


class ValidationRead(ReadModel):
    valid: bool = Field(description="True when this code would admit its holder now.")
    status: ValidationStatus = Field(
        description="The ticket's status when the code is its current one, else INVALID."
    )
    reason: InvalidReason | None = Field(description="Why it is not valid; null when valid.")
    message: str
    ticket: TicketRead | None = Field(
        default=None, description="The ticket, when the code names one of the caller's events' tickets."
    )


class SigningKeyRead(ReadModel):
    key_id: str
    algorithm: str = Field(description='Always "Ed25519".')
    public_key: str = Field(description="Base64 of the raw 32-byte public key.")
    status: SigningKeyStatus
    created_at: datetime
    rotated_at: datetime | None
    retired_at: datetime | None


KeyIdPath = Annotated[str, Path(alias="keyId", min_length=1, max_length=32)]
TicketIdPath = Annotated[uuid.UUID, Path(alias="ticketId")]

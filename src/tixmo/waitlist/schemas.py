from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from tixmo.schemas import CamelModel, PageMeta, ReadModel
from tixmo.waitlist.models import WaitlistStatus


class WaitlistJoin(CamelModel):
    ticket_type_id: uuid.UUID | None = Field(
        default=None, description="The ticket type to wait for; omitted: any ticket type of the event."
    )
    quantity: int = Field(
        strict=True,
        ge=1,
        le=1000,
        description="Tickets wanted together (1..the ticket type's maxPerOrder); offered all at once.",
    )


class WaitlistEntryRead(ReadModel):
    id: uuid.UUID
    event_id: uuid.UUID
    ticket_type_id: uuid.UUID | None = Field(description="null: any ticket type of the event.")
    user_id: uuid.UUID
    quantity: int
    status: WaitlistStatus
    position: int | None = Field(
        description="Place in the queue while WAITING (1 = next), counting the earlier WAITING entries "
        "that wait for the same tickets; null otherwise."
    )
    held_quantity: int = Field(description="Tickets held for this entry while OFFERED, else 0.")
    offer_ticket_type_id: uuid.UUID | None = Field(description="The ticket type of the held tickets.")
    offered_at: datetime | None
    offer_expires_at: datetime | None
    claim_url: str | None = Field(
        description="While OFFERED: where to claim (POST, the person's bearer token): the order comes back."
    )
    order_id: uuid.UUID | None = Field(description="The order a claim created.")
    created_at: datetime
    ended_at: datetime | None


class WaitlistTypeCounts(ReadModel):
    ticket_type_id: uuid.UUID | None = Field(description="null: entries for any ticket type still waiting.")
    waiting: int
    waiting_tickets: int
    offered: int
    offered_tickets: int
    pool: int = Field(description="Tickets kept back for the waitlist, not offered yet.")


class WaitlistPage(ReadModel):
    data: list[WaitlistEntryRead]
    meta: PageMeta
    counts: list[WaitlistTypeCounts]


class WaitlistSettingsRead(ReadModel):
    event_id: uuid.UUID
    enabled: bool


class WaitlistSettingsUpdate(CamelModel):
    enabled: bool = Field(strict=True)

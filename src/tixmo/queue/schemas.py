"""Shapes of the waiting room's API (../shared/API.md "Integrations, media, queue, operations")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool

from tixmo.queue.models import QueueStatus
from tixmo.schemas import Instant, ReadModel, UpdateModel

AdmitPerMinute = Annotated[int, Field(ge=1, le=1_000_000)]
PassMinutes = Annotated[int, Field(ge=1, le=1440)]


class WaitingRoomRead(ReadModel):
    enabled: bool
    opens_at: datetime = Field(
        description="Who joins before this is shuffled at random among the early arrivals."
    )
    admit_per_minute: int | None = Field(
        description="Passes per minute; null: automatic, from the checkout rate of the last 5 minutes."
    )
    pass_minutes: int = Field(description="How long an admission pass stays valid once issued.")
    drawn_at: datetime | None = Field(description="When the early arrivals were shuffled.")
    closed_at: datetime | None = Field(description="When the event sold out and admission stopped.")
    joined: int = Field(description="People who joined the room.")
    admitted: int = Field(description="Passes issued.")
    used: int = Field(description="Passes that placed their order.")
    expired: int = Field(description="Passes that ran out unused.")
    updated_at: datetime


class WaitingRoomUpdate(UpdateModel):
    """Create (``opensAt`` required) or change the room; the fields given replace the stored ones."""

    read_model = WaitingRoomRead

    enabled: StrictBool | None = None
    opens_at: Instant | None = None
    admit_per_minute: AdmitPerMinute | None = None
    pass_minutes: PassMinutes | None = None


class QueueJoinRead(ReadModel):
    token: str = Field(description="Your place in the room: poll GET /events/{id}/queue/{token}.")
    position: int | None = Field(description="1-based; null until the early arrivals are drawn at opensAt.")
    status: QueueStatus


class QueueStatusRead(ReadModel):
    status: QueueStatus
    position: int | None = Field(description="1-based; null until the early arrivals are drawn at opensAt.")
    ahead: int | None = Field(description="People in front of you who are not admitted yet.")
    estimated_wait_seconds: int | None
    pass_: str | None = Field(
        default=None,
        alias="pass",
        description="While ADMITTED: send it as the TixMo-Admission header of your one order.",
    )
    pass_expires_at: datetime | None = None
    pass_used_at: datetime | None = Field(
        default=None, description="When the pass placed its one order (the status is then EXPIRED)."
    )

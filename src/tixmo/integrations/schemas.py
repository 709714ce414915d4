from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AnyUrl, Field

from tixmo.integrations.models import Scope
from tixmo.schemas import CamelModel, ReadModel

EventType = Annotated[str, Field(min_length=1, max_length=64)]


class ApiKeyCreate(CamelModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=len(Scope))]
    expires_at: datetime | None = None


class ApiKeyRead(ReadModel):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    rate_limit_per_minute: int | None = Field(description="This key's own tier; null: the default tier.")


class ApiKeyCreated(ReadModel):
    api_key: ApiKeyRead
    key: str = Field(description="The key itself: shown only in this answer.")


class ApiKeyTier(CamelModel):
    rate_limit_per_minute: Annotated[int, Field(ge=1, le=1_000_000)] | None


class WebhookCreate(CamelModel):
    url: AnyUrl
    events: Annotated[list[EventType], Field(min_length=1, max_length=20)]
    enabled: bool = True
    description: Annotated[str, Field(max_length=1000)] | None = None


class WebhookUpdate(CamelModel):
    url: AnyUrl | None = None
    events: Annotated[list[EventType], Field(min_length=1, max_length=20)] | None = None
    enabled: bool | None = None
    description: Annotated[str, Field(max_length=1000)] | None = None


class WebhookRead(ReadModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    url: str
    events: list[str]
    enabled: bool
    description: str | None
    disabled_reason: str | None
    previous_secret_expires_at: datetime | None = Field(
        description="Until then the secret before the last rotation also signs deliveries."
    )
    created_at: datetime
    updated_at: datetime


class WebhookCreated(ReadModel):
    webhook: WebhookRead
    secret: str = Field(description="The signing secret (`whsec_…`): shown only in this answer.")


class DeliveryRead(ReadModel):
    id: uuid.UUID
    event_id: uuid.UUID
    type: str
    status: str
    response_code: int | None
    duration_ms: int | None
    attempt: int
    response_excerpt: str | None
    error: str | None
    created_at: datetime

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AnyHttpUrl, EmailStr, Field, StringConstraints, model_validator

from tixmo.organizations.models import MemberRole, OrganizationType
from tixmo.schemas import CamelModel, OneLine, ReadModel, UpdateModel

OrgName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), OneLine]
Description = Annotated[str, Field(max_length=5000)]
Website = Annotated[AnyHttpUrl, Field(max_length=2048)]


class OrganizationCreate(CamelModel):
    name: OrgName
    type: OrganizationType
    description: Description | None = None
    email: EmailStr | None = None
    website: Website | None = None


class OrganizationRead(ReadModel):
    id: uuid.UUID
    name: str
    type: OrganizationType
    description: str | None
    email: str | None
    website: str | None
    created_at: datetime
    updated_at: datetime
    my_role: MemberRole | None = Field(default=None, description="The caller's role, if a member.")


class OrganizationUpdate(UpdateModel):
    read_model = OrganizationRead

    name: OrgName | None = None
    type: OrganizationType | None = None
    description: Description | None = None
    email: EmailStr | None = None
    website: Website | None = None


class MemberAdd(CamelModel):
    user_id: uuid.UUID | None = None
    email: EmailStr | None = None
    role: MemberRole = MemberRole.MEMBER

    @model_validator(mode="after")
    def _one_identifier(self) -> MemberAdd:
        if (self.user_id is None) == (self.email is None):
            raise ValueError("Give exactly one of userId or email.")
        return self


class MemberRead(ReadModel):
    user_id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    role: MemberRole
    joined_at: datetime


class AuditEntryRead(ReadModel):
    id: uuid.UUID
    actor_id: uuid.UUID | None
    actor_type: str
    action: str
    entity_type: str
    entity_id: uuid.UUID | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    created_at: datetime

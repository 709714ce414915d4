from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, EmailStr, Field, StringConstraints

from tixmo.accounts.models import Role
from tixmo.schemas import CamelModel, OneLine, ReadModel, UpdateModel

PASSWORD_MIN_LENGTH = 8


def _check_password(value: str) -> str:
    problems = []
    if len(value) < PASSWORD_MIN_LENGTH:
        problems.append(f"at least {PASSWORD_MIN_LENGTH} characters")
    if not re.search(r"[A-Z]", value):
        problems.append("an upper-case letter")
    if not re.search(r"[a-z]", value):
        problems.append("a lower-case letter")
    if not re.search(r"\d", value):
        problems.append("a digit")
    if problems:
        raise ValueError("Password must contain " + ", ".join(problems) + ".")
    return value


def _normalize_email(value: str) -> str:
    return value.strip().lower()


Email = Annotated[EmailStr, Field(max_length=320), AfterValidator(_normalize_email)]
Password = Annotated[str, Field(max_length=256), AfterValidator(_check_password)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine]
# At most 32 characters in all, the column's length (the pattern alone allowed "+" and 32 more).
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=32, pattern=r"^\+?[0-9 ()\-.]{5,32}$")
]


class RegisterRequest(CamelModel):
    email: Email
    password: Password
    first_name: Name
    last_name: Name
    phone: Phone | None = None
    role: Literal[Role.CUSTOMER, Role.PROMOTER] = Role.CUSTOMER


class LoginRequest(CamelModel):
    email: Annotated[str, Field(min_length=1, max_length=320), AfterValidator(_normalize_email)]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class RefreshRequest(CamelModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=512)]


class LogoutRequest(CamelModel):
    refresh_token: Annotated[str | None, Field(max_length=512)] = None


class UserRead(ReadModel):
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    phone: str | None
    role: Role
    created_at: datetime


class TokenPair(ReadModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme name
    expires_in: int = Field(description="Seconds until the access token expires.")


class AuthResponse(TokenPair):
    user: UserRead


class UserUpdate(UpdateModel):
    read_model = UserRead

    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    role: Role | None = None

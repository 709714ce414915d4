"""Small helpers shared by the accounts tests."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.problems import assert_problem as assert_problem
from tests.problems import error_fields as error_fields

PASSWORD = "Secret123"


def email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def registration(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": email(),
        "password": PASSWORD,
        "firstName": "Ada",
        "lastName": "Lovelace",
    }
    body.update(overrides)
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def register(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/auth/register", json=registration(**overrides))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def login(client: httpx.AsyncClient, address: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await client.post("/auth/login", json={"email": address, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body

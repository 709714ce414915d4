"""Small helpers shared by the accounts tests."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

PASSWORD = "Secret123"
PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}


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


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert body["code"] == code
    assert isinstance(body["errors"], list)
    return body


def error_fields(body: dict[str, Any]) -> set[str]:
    return {str(error["field"]) for error in body["errors"]}


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

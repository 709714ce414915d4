"""Assertions on RFC 9457 problem+json answers, shared by every test module."""

from __future__ import annotations

from typing import Any

import httpx

PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is a problem+json document with this status and code; returns the body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert body["code"] == code
    assert isinstance(body["errors"], list)
    return body


def error_fields(body: dict[str, Any]) -> set[str]:
    """The fields named by a problem's ``errors``."""
    return {str(error["field"]) for error in body["errors"]}

"""The OpenAPI document lists every endpoint of the implemented API.md sections."""

from __future__ import annotations

import httpx
import pytest

CONTRACT = [
    ("get", "/api/v1/health"),
    ("get", "/api/v1/health/ready"),
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("get", "/api/v1/auth/me"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/users"),
    ("get", "/api/v1/users/{userId}"),
    ("put", "/api/v1/users/{user_id}"),
    ("delete", "/api/v1/users/{user_id}"),
    ("post", "/api/v1/organizations"),
    ("get", "/api/v1/organizations"),
    ("get", "/api/v1/organizations/{organization_id}"),
    ("put", "/api/v1/organizations/{organization_id}"),
    ("delete", "/api/v1/organizations/{organization_id}"),
    ("get", "/api/v1/organizations/{organization_id}/members"),
    ("post", "/api/v1/organizations/{organization_id}/members"),
    ("delete", "/api/v1/organizations/{organization_id}/members/{user_id}"),
    ("get", "/api/v1/organizations/{organization_id}/audit-log"),
    ("post", "/api/v1/venues"),
    ("get", "/api/v1/venues"),
    ("get", "/api/v1/venues/{venue_id}"),
    ("put", "/api/v1/venues/{venue_id}"),
    ("delete", "/api/v1/venues/{venue_id}"),
    ("post", "/api/v1/events"),
    ("get", "/api/v1/events"),
    ("get", "/api/v1/events/{event_id}"),
    ("put", "/api/v1/events/{event_id}"),
    ("delete", "/api/v1/events/{event_id}"),
    ("post", "/api/v1/events/{event_id}/publish"),
    ("post", "/api/v1/events/{event_id}/cancel"),
    ("post", "/api/v1/events/{event_id}/ticket-types"),
    ("get", "/api/v1/events/{event_id}/ticket-types"),
    ("get", "/api/v1/ticket-types/{ticket_type_id}"),
    ("put", "/api/v1/ticket-types/{ticket_type_id}"),
    ("delete", "/api/v1/ticket-types/{ticket_type_id}"),
    ("get", "/api/v1/ticket-types/{ticket_type_id}/availability"),
    ("post", "/api/v1/orders"),
    ("get", "/api/v1/orders"),
    ("get", "/api/v1/orders/{order_id}"),
    ("post", "/api/v1/orders/{order_id}/confirm"),
    ("post", "/api/v1/orders/{order_id}/cancel"),
    ("post", "/api/v1/promo-codes"),
    ("get", "/api/v1/promo-codes"),
    ("get", "/api/v1/promo-codes/{promo_code_id}"),
    ("put", "/api/v1/promo-codes/{promo_code_id}"),
    ("delete", "/api/v1/promo-codes/{promo_code_id}"),
    ("post", "/api/v1/promo-codes/validate"),
    ("post", "/api/v1/payments/create-intent"),
    ("post", "/api/v1/payments/webhook"),
    ("get", "/api/v1/payments"),
    ("get", "/api/v1/payments/{payment_id}"),
    ("post", "/api/v1/payments/{payment_id}/refund"),
    ("post", "/api/v1/tickets/{ticket_id}/cancel"),
    ("get", "/api/v1/tickets"),
    ("get", "/api/v1/tickets/{ticket_id}"),
    ("get", "/api/v1/tickets/{ticket_id}/qr"),
    ("post", "/api/v1/tickets/{ticket_id}/regenerate-qr"),
    ("get", "/api/v1/tickets/{ticket_id}/pdf"),
    ("post", "/api/v1/tickets/{ticket_id}/transfer"),
    ("post", "/api/v1/tickets/validate"),
    ("post", "/api/v1/tickets/{ticket_id}/check-in"),
    ("post", "/api/v1/scanners/register"),
    ("post", "/api/v1/scanners/auth"),
    ("get", "/api/v1/scanners"),
    ("get", "/api/v1/scanners/{scanner_id}"),
    ("put", "/api/v1/scanners/{scanner_id}"),
    ("delete", "/api/v1/scanners/{scanner_id}"),
    ("post", "/api/v1/scanners/scan"),
    ("get", "/api/v1/scanners/logs"),
    ("get", "/api/v1/scanners/sync"),
    ("post", "/api/v1/scanners/sync"),
    ("get", "/api/v1/events/{event_id}/stats"),
    ("get", "/api/v1/events/{event_id}/occupancy"),
    ("get", "/api/v1/events/{event_id}/timeline"),
    ("get", "/api/v1/events/{event_id}/scanner-stats"),
    ("get", "/api/v1/events/{event_id}/live"),
    ("post", "/api/v1/events/{event_id}/live-ticket"),
]


@pytest.fixture
async def spec(client: httpx.AsyncClient) -> dict[str, object]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, object] = response.json()
    return document


def _normalise(path: str) -> str:
    """Path parameter names are ours to choose; compare the shape only."""
    import re

    return re.sub(r"\{[^}]+\}", "{}", path)


async def test_every_contract_endpoint_is_documented(spec: dict[str, object]) -> None:
    paths = spec["paths"]
    assert isinstance(paths, dict)
    documented = {(method, _normalise(path)) for path, item in paths.items() for method in item}
    missing = [
        f"{method.upper()} {path}"
        for method, path in CONTRACT
        if (method, _normalise(path)) not in documented
    ]
    assert missing == []


async def test_every_operation_declares_problem_responses(spec: dict[str, object]) -> None:
    paths = spec["paths"]
    assert isinstance(paths, dict)
    for path, item in paths.items():
        for method, operation in item.items():
            responses = operation["responses"]
            if not operation.get("parameters") and "requestBody" not in operation:
                continue  # nothing to validate, so no 422 to declare
            assert "422" in responses, f"{method.upper()} {path} does not declare 422"
            problem = responses["422"]["content"]
            assert "application/problem+json" in problem, f"{method.upper()} {path}"
            if operation.get("security"):
                assert "401" in responses, f"{method.upper()} {path} needs a token but does not declare 401"


async def test_path_parameters_are_camel_case(spec: dict[str, object]) -> None:
    import re

    paths = spec["paths"]
    assert isinstance(paths, dict)
    names = {name for path in paths for name in re.findall(r"\{([^}]+)\}", path)}
    assert names and all("_" not in name for name in names), names


async def test_a_malformed_path_id_names_the_camel_case_field(client: httpx.AsyncClient) -> None:
    response = await client.get("/events/not-a-uuid")
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["eventId"]

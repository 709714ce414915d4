"""Domain errors and their rendering as RFC 9457 problem+json, in one place."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

import orjson
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = structlog.get_logger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] = []


class TixmoError(Exception):
    """Base of every domain error. Subclasses fix the status and the stable ``code``."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "BAD_REQUEST"
    title: ClassVar[str] = "Bad request"
    # When True the request's transaction is committed before the error is answered: the error
    # is the outcome of a change that must stick (e.g. a refresh-token family revoked on reuse).
    commit_before_raise: bool = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.detail = detail or self.title
        self.errors = list(errors or [])
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})
        super().__init__(self.detail)


class ValidationFailed(TixmoError):
    status, code, title = 422, "VALIDATION_ERROR", "Validation failed"

    def __init__(self, field: str, message: str, detail: str | None = None) -> None:
        super().__init__(detail or message, errors=[FieldError(field=field, message=message)])


class Unauthorized(TixmoError):
    status, code, title = 401, "UNAUTHORIZED", "Authentication required"

    def __init__(self, detail: str | None = None, *, commit: bool = False) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})
        self.commit_before_raise = commit


class Forbidden(TixmoError):
    status, code, title = 403, "FORBIDDEN", "Forbidden"


class NotFound(TixmoError):
    status, code, title = 404, "NOT_FOUND", "Not found"


class Conflict(TixmoError):
    status, code, title = 409, "CONFLICT", "Conflict"


class InvalidState(TixmoError):
    status, code, title = 409, "INVALID_STATE", "Invalid state"


class InsufficientInventory(TixmoError):
    status, code, title = 409, "INSUFFICIENT_INVENTORY", "Not enough tickets left"


class SalesClosed(TixmoError):
    status, code, title = 409, "SALES_CLOSED", "Sales are closed"


class OrderExpired(TixmoError):
    status, code, title = 409, "ORDER_EXPIRED", "Order expired"


class PromoCodeInvalid(TixmoError):
    status, code, title = 422, "PROMO_CODE_INVALID", "Promo code invalid"


class RateLimited(TixmoError):
    status, code, title = 429, "RATE_LIMITED", "Too many requests"

    def __init__(self, retry_after_seconds: float, detail: str | None = None) -> None:
        retry = max(1, math.ceil(retry_after_seconds))
        super().__init__(
            detail or f"Too many requests; retry in {retry} s.", headers={"Retry-After": str(retry)}
        )


class PayloadTooLarge(TixmoError):
    status, code, title = 413, "PAYLOAD_TOO_LARGE", "Payload too large"


class UnsupportedMediaType(TixmoError):
    """An upload that is not one of the accepted kinds, judged by its content (images: JPEG, PNG, WebP)."""

    status, code, title = 415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type"


class StorageUnavailable(TixmoError):
    """The object store failed or could not be reached; nothing was kept and the request may be retried."""

    status, code, title = 502, "STORAGE_ERROR", "Storage error"


class BadWebhook(TixmoError):
    """A webhook whose signature is missing, wrong or too old, or whose body is not an event."""

    status, code, title = 400, "INVALID_SIGNATURE", "Webhook rejected"


class PaymentRefused(TixmoError):
    """The payment provider refused the request for good (e.g. an amount below its minimum): retrying
    the same request will not help. ``errors`` names the field when the provider named one."""

    status, code, title = 422, "PAYMENT_REFUSED", "Payment provider refused the request"


class PaymentProviderUnavailable(TixmoError):
    """The payment provider failed or timed out; nothing changed here and the request may be retried."""

    status, code, title = 502, "PAYMENT_PROVIDER_ERROR", "Payment provider error"


_STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


def _type_uri(code: str) -> str:
    return f"https://tixmo.dev/problems/{code.lower().replace('_', '-')}"


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    title: str | None = None,
    errors: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": _type_uri(code),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": [error.model_dump() for error in errors],
    }
    if extra:
        body.update(extra)
    return Response(
        content=orjson.dumps(body),
        status_code=status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=dict(headers or {}),
    )


def _field_name(loc: Sequence[int | str]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type")
    if kind == "missing":
        return "This field is required."
    if kind == "extra_forbidden":
        return "This field is not allowed."
    if kind == "json_invalid":
        return "The body is not valid JSON."
    message = str(error.get("msg", "Invalid value."))
    return message.removeprefix("Value error, ")


async def _tixmo_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TixmoError)
    request.state.problem_code = exc.code  # for the metrics (orders refused by reason)
    return problem_response(
        exc.status,
        exc.code,
        exc.detail,
        title=exc.title,
        errors=exc.errors,
        headers=exc.headers,
        extra=exc.extra,
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    request.state.problem_code = "VALIDATION_ERROR"
    errors = [
        FieldError(
            # A JSON syntax error's location is a character offset, not a field: name the body.
            field="body" if err.get("type") == "json_invalid" else _field_name(err.get("loc", ())),
            message=_validation_message(err),
        )
        for err in exc.errors()
    ]
    fields = ", ".join(sorted({error.field for error in errors}))
    return problem_response(
        422, "VALIDATION_ERROR", f"Invalid input: {fields}.", title="Validation failed", errors=errors
    )


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, "HTTP_ERROR")
    phrase = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else phrase
    return problem_response(exc.status_code, code, detail, headers=exc.headers)


def internal_error_response() -> Response:
    """The 500 answer: no exception text, no stack trace."""
    return problem_response(500, "INTERNAL_ERROR", "An unexpected error occurred.")


async def _unhandled_error(_: Request, exc: Exception) -> Response:
    log.exception("request.unhandled_error", error_type=type(exc).__name__)
    return internal_error_response()


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TixmoError, _tixmo_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled_error)


_ERROR_DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing, expired or invalid credentials (`UNAUTHORIZED`)",
    403: "Authenticated but not allowed (`FORBIDDEN`)",
    404: "Not found, or not visible to the caller (`NOT_FOUND`)",
    409: "Conflict with the current state (`CONFLICT`, `INVALID_STATE`, ...)",
    413: "Request body too large (`PAYLOAD_TOO_LARGE`)",
    415: "Not an accepted kind of content, judged by the content itself (`UNSUPPORTED_MEDIA_TYPE`)",
    422: "Invalid input; `errors` names each field (`VALIDATION_ERROR`)",
    429: "Rate limited; see `Retry-After` (`RATE_LIMITED`)",
    502: "The payment provider or the object store failed or timed out; nothing changed, retry "
    "(`PAYMENT_PROVIDER_ERROR`, `STORAGE_ERROR`)",
    503: "A dependency is unavailable",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` declaring the problem+json errors an endpoint can answer."""
    return {
        status: {
            "model": Problem,
            "description": _ERROR_DESCRIPTIONS.get(status, HTTPStatus(status).phrase),
            # ``model`` registers the component (FastAPI files it under application/json as well);
            # the schema must also sit under the media type the errors are really sent with.
            "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in sorted({*statuses, 422})
    }

"""What the two halves of reserved seating share: a seat's key and the errors that name seats."""

from __future__ import annotations

from typing import Any

from tixmo.errors import FieldError, ValidationFailed

# The most per-seat errors one problem document lists.
MAX_ERRORS = 50

SeatKey = tuple[str, str, str]  # (section, row, seat label)


def describe(key: SeatKey) -> str:
    section, row, label = key
    return f"Section {section!r}, row {row!r}, seat {label!r}"


def seat_key(seat: Any) -> SeatKey:
    return (seat.section, seat.row, seat.label)


def invalid(errors: list[FieldError], detail: str) -> ValidationFailed:
    error = ValidationFailed(errors[0].field, errors[0].message, detail)
    error.errors = errors[:MAX_ERRORS]
    return error

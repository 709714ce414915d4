"""Money: integer minor units in the database, two-decimal strings in the API (never floats)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

MINOR_PER_MAJOR = 100
# The largest amount an input may give: 10,000,000,000.00 (10**12 minor units). Far above any ticket price,
# and small enough that order sums (20 lines x 1,000 tickets) stay far inside the BIGINT money columns.
MAX_MINOR = 10**12
MAX_AMOUNT = Decimal(MAX_MINOR) / MINOR_PER_MAJOR
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def to_minor(value: object) -> int:
    """Parse a money input (string or number, at most two decimals, not negative, at most ``MAX_MINOR``)
    into minor units."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError('Must be a decimal string such as "25.00" or a number.')
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise ValueError('Must be a decimal string such as "25.00" or a number.') from exc
    if not amount.is_finite():
        raise ValueError("Must be a finite amount.")
    if amount < 0:
        raise ValueError("Must not be negative.")
    # Compared before any arithmetic: multiplying "1e999999" overflows the decimal context (an
    # ArithmeticError, not a ValueError), and quantizing "1e30" has too many digits (InvalidOperation).
    if amount > MAX_AMOUNT:
        raise ValueError(f"At most {format_minor(MAX_MINOR)}.")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("At most two decimal places.")
    return int(amount * MINOR_PER_MAJOR)


def format_minor(minor: int) -> str:
    """Minor units as a two-decimal string: 2500 -> "25.00"."""
    return str((Decimal(minor) / MINOR_PER_MAJOR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def normalize_currency(value: object) -> str:
    if not isinstance(value, str) or not _CURRENCY_RE.match(value.strip().upper()):
        raise ValueError('Must be an ISO 4217 code such as "USD".')
    return value.strip().upper()


# Request field: accepts "25.00", "25", 25, 25.5; validated into integer minor units.
MoneyInput = Annotated[
    int,
    BeforeValidator(to_minor),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(\.\d{1,2})?$", "examples": ["25.00"]}),
]
# Response field: integer minor units serialized as "25.00".
MoneyOutput = Annotated[
    int,
    PlainSerializer(format_minor, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["25.00"]}),
]
Currency = Annotated[
    str, BeforeValidator(normalize_currency), WithJsonSchema({"type": "string", "examples": ["USD"]})
]

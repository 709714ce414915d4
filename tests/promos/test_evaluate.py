"""``evaluate`` and ``allocate``: the discount math and its split across lines (pure, no database)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tixmo.errors import PromoCodeInvalid
from tixmo.promos.models import PromoCode
from tixmo.promos.service import allocate, discount_amount, evaluate
from tixmo.ticketing.lines import Line

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def promo(**overrides: Any) -> PromoCode:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "event_id": uuid.uuid4(),
        "code": "SAVE",
        "discount_type": "PERCENTAGE",
        "discount_value": 1000,
        "max_uses": None,
        "used_count": 0,
        "min_order_amount_minor": None,
        "valid_from": None,
        "valid_until": None,
        "ticket_type_ids": None,
        "status": "ACTIVE",
    }
    values.update(overrides)
    return PromoCode(**values)


def reason_of(code: PromoCode, lines: list[Line], now: datetime = NOW) -> str:
    with pytest.raises(PromoCodeInvalid) as caught:
        evaluate(code, lines, now)
    assert [error.field for error in caught.value.errors] == ["promoCode"]
    return caught.value.errors[0].message


# ------------------------------------------------------------------------------------------ amounts


@pytest.mark.parametrize(
    ("amount", "value", "expected"),
    [
        (999, 1250, 125),  # 124.875 → 125
        (100, 1250, 13),  # 12.5 → 13 (half-up)
        (300, 1250, 38),  # 37.5 → 38
        (400, 1250, 50),  # exact
        (1, 4999, 0),  # 0.4999 → 0
        (1, 5000, 1),  # 0.5 → 1
        (12345, 10_000, 12345),  # 100 %
        (0, 5000, 0),
    ],
)
def test_percentages_round_half_up(amount: int, value: int, expected: int) -> None:
    assert discount_amount(promo(discount_value=value), amount) == expected


@pytest.mark.parametrize(("amount", "expected"), [(10_000, 500), (500, 500), (499, 499), (0, 0)])
def test_a_fixed_discount_is_capped_at_the_eligible_amount(amount: int, expected: int) -> None:
    assert discount_amount(promo(discount_type="FIXED", discount_value=500), amount) == expected


# --------------------------------------------------------------------------------------- allocation


@pytest.mark.parametrize(
    ("total", "amounts", "expected"),
    [
        (100, [100, 100, 100], [34, 33, 33]),  # tie → the earlier line
        (100, [100, 200, 100], [25, 50, 25]),
        (2, [100, 300], [0, 2]),  # 0.5 / 1.5: remainders tie → the larger amount
        (10, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1000], [0, 0, 0, 0, 0, 0, 0, 0, 0, 10]),
        (7, [7], [7]),
        (0, [100, 200], [0, 0]),
        (5, [0, 5], [0, 5]),
        (0, [0, 0], [0, 0]),
    ],
)
def test_allocate_by_largest_remainder(total: int, amounts: list[int], expected: list[int]) -> None:
    assert allocate(total, amounts) == expected


@pytest.mark.parametrize("seed", range(25))
def test_allocated_shares_sum_to_the_total_and_never_exceed_a_line(seed: int) -> None:
    rng = random.Random(seed)
    amounts = [rng.randint(0, 50_000) for _ in range(rng.randint(1, 8))]
    total = rng.randint(0, sum(amounts))
    shares = allocate(total, amounts)
    assert sum(shares) == total
    assert all(0 <= share <= amount for share, amount in zip(shares, amounts, strict=True))
    assert allocate(total, amounts) == shares  # deterministic


def test_allocate_refuses_more_than_the_amounts() -> None:
    with pytest.raises(ValueError, match="more than"):
        allocate(301, [100, 200])


# ---------------------------------------------------------------------------------------- evaluate


def test_the_discount_is_split_across_eligible_lines_only() -> None:
    lines = [Line(A, 3, 333), Line(B, 2, 5000), Line(C, 1, 1000)]
    result = evaluate(promo(discount_value=1250, ticket_type_ids=[A, C]), lines, NOW)
    # Eligible: 9.99 + 10.00 = 19.99; 12.5 % = 2.49875 → 2.50.
    assert result.discount_minor == 250
    assert set(result.by_ticket_type) == {A, C}
    assert sum(result.by_ticket_type.values()) == 250
    assert result.by_ticket_type == {
        A: 125,
        C: 125,
    }  # 124.9375 / 125.0625 + the leftover to the larger remainder


def test_a_fixed_discount_on_several_lines() -> None:
    lines = [Line(A, 1, 1000), Line(B, 1, 3000)]
    result = evaluate(promo(discount_type="FIXED", discount_value=1000), lines, NOW)
    assert (result.discount_minor, result.by_ticket_type) == (1000, {A: 250, B: 750})

    everything = evaluate(promo(discount_type="FIXED", discount_value=99_999), lines, NOW)
    assert (everything.discount_minor, everything.by_ticket_type) == (4000, {A: 1000, B: 3000})


def test_free_lines_are_eligible_with_a_zero_discount() -> None:
    result = evaluate(promo(), [Line(A, 2, 0)], NOW)
    assert (result.discount_minor, result.by_ticket_type) == (0, {A: 0})


def test_the_window_is_inclusive_at_the_start_and_exclusive_at_the_end() -> None:
    lines = [Line(A, 1, 1000)]
    assert evaluate(promo(valid_from=NOW), lines, NOW).discount_minor == 100
    assert "expired" in reason_of(promo(valid_until=NOW), lines)
    assert "not valid yet" in reason_of(promo(valid_from=NOW + timedelta(microseconds=1)), lines)
    assert evaluate(promo(valid_until=NOW + timedelta(microseconds=1)), lines, NOW).discount_minor == 100


def test_each_reason() -> None:
    lines = [Line(A, 1, 1000)]
    assert "disabled" in reason_of(promo(status="DISABLED"), lines)
    assert "used up" in reason_of(promo(max_uses=2, used_count=2), lines)
    assert evaluate(promo(max_uses=2, used_count=1), lines, NOW).discount_minor == 100
    assert "10.01" in reason_of(promo(min_order_amount_minor=1001), lines)
    assert evaluate(promo(min_order_amount_minor=1000), lines, NOW).discount_minor == 100
    assert "does not apply" in reason_of(promo(ticket_type_ids=[B]), lines)


def test_the_minimum_counts_ineligible_lines_too() -> None:
    lines = [Line(A, 1, 1000), Line(B, 1, 500)]
    result = evaluate(promo(min_order_amount_minor=1500, ticket_type_ids=[B]), lines, NOW)
    assert (result.discount_minor, result.by_ticket_type) == (50, {B: 50})


def test_the_worked_example_of_the_docs() -> None:
    """docs/promo-codes.md: 3 x 3.33 and 1 x 50.00 at 12.5 %."""
    lines = [Line(A, 3, 333), Line(B, 1, 5000)]
    result = evaluate(promo(discount_value=1250), lines, NOW)
    assert (result.discount_minor, result.by_ticket_type) == (750, {A: 125, B: 625})
    fixed = evaluate(promo(discount_type="FIXED", discount_value=10_000), lines, NOW)
    assert fixed.discount_minor == 5999
    vip_only = evaluate(promo(discount_value=1250, ticket_type_ids=[B]), lines, NOW)
    assert (vip_only.discount_minor, vip_only.by_ticket_type) == (625, {B: 625})

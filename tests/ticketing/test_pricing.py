"""``tixmo.pricing``: plain function tests, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from tixmo.errors import ValidationFailed
from tixmo.pricing import (
    MAX_TIERS,
    TierKind,
    active_tier,
    current_price_minor,
    next_price_change,
    validate_tiers,
)
from tixmo.ticketing.models import TicketType

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
EARLY_END = datetime(2026, 3, 1, tzinfo=UTC)
SUPER_EARLY_END = datetime(2026, 2, 10, tzinfo=UTC)


def date_tier(until: datetime, price: int, name: str | None = None) -> dict[str, Any]:
    tier: dict[str, Any] = {"kind": "DATE", "until": until.isoformat(), "priceMinor": price}
    if name:
        tier["name"] = name
    return tier


def demand_tier(percent: int, price: int) -> dict[str, Any]:
    return {"kind": "DEMAND", "afterSoldPercent": percent, "priceMinor": price}


def ticket_type(
    *tiers: dict[str, Any], base: int = 3000, sold: int = 0, held: int = 0, total: int = 100
) -> TicketType:
    return TicketType(
        name="GA",
        price_minor=base,
        currency="USD",
        quantity_total=total,
        quantity_sold=sold,
        quantity_held=held,
        price_tiers=list(tiers),
    )


# ------------------------------------------------------------------------------------------ base


def test_no_tiers_is_the_base_price() -> None:
    assert current_price_minor(ticket_type(), NOW) == 3000
    assert active_tier(ticket_type(), NOW) is None
    assert next_price_change(ticket_type(), NOW) is None


def test_none_stored_as_tiers_is_the_base_price() -> None:
    tt = ticket_type()
    tt.price_tiers = None  # type: ignore[assignment]
    assert current_price_minor(tt, NOW) == 3000


# ------------------------------------------------------------------------------------------ DATE


def test_date_tier_applies_before_until() -> None:
    tt = ticket_type(date_tier(EARLY_END, 2000))
    assert current_price_minor(tt, NOW) == 2000
    assert current_price_minor(tt, EARLY_END - timedelta(microseconds=1)) == 2000


def test_date_tier_no_longer_applies_exactly_at_until() -> None:
    tt = ticket_type(date_tier(EARLY_END, 2000))
    assert current_price_minor(tt, EARLY_END) == 3000
    assert current_price_minor(tt, EARLY_END + timedelta(days=1)) == 3000


def test_earliest_matching_date_tier_wins_whatever_the_stored_order() -> None:
    tiers = (date_tier(EARLY_END, 2500), date_tier(SUPER_EARLY_END, 1500))
    tt = ticket_type(*tiers)
    assert current_price_minor(tt, NOW) == 1500
    assert current_price_minor(ticket_type(*reversed(tiers)), NOW) == 1500
    assert current_price_minor(tt, SUPER_EARLY_END) == 2500
    assert current_price_minor(tt, EARLY_END) == 3000


def test_date_tier_compares_instants_across_offsets() -> None:
    plus_two = timezone(timedelta(hours=2))
    until = datetime(2026, 3, 1, 2, 0, tzinfo=plus_two)  # == 2026-03-01T00:00Z
    tt = ticket_type(date_tier(until, 2000))
    assert current_price_minor(tt, datetime(2026, 2, 28, 23, 59, tzinfo=UTC)) == 2000
    assert current_price_minor(tt, datetime(2026, 3, 1, 0, 0, tzinfo=UTC)) == 3000


# ---------------------------------------------------------------------------------------- DEMAND


def test_demand_tier_applies_exactly_at_the_threshold() -> None:
    assert current_price_minor(ticket_type(demand_tier(80, 3500), sold=79), NOW) == 3000
    assert current_price_minor(ticket_type(demand_tier(80, 3500), sold=80), NOW) == 3500
    assert current_price_minor(ticket_type(demand_tier(80, 3500), sold=81), NOW) == 3500


def test_demand_threshold_uses_exact_integer_math() -> None:
    # 80 % of 7 = 5.6: five sold is below, six is above.
    assert current_price_minor(ticket_type(demand_tier(80, 3500), sold=5, total=7), NOW) == 3000
    assert current_price_minor(ticket_type(demand_tier(80, 3500), sold=6, total=7), NOW) == 3500
    # 1 % of 1000 = 10.
    assert current_price_minor(ticket_type(demand_tier(1, 3100), sold=9, total=1000), NOW) == 3000
    assert current_price_minor(ticket_type(demand_tier(1, 3100), sold=10, total=1000), NOW) == 3100


def test_held_tickets_do_not_count_as_demand() -> None:
    tt = ticket_type(demand_tier(50, 4000), sold=10, held=80)
    assert current_price_minor(tt, NOW) == 3000


def test_highest_reached_demand_threshold_wins() -> None:
    tiers = (demand_tier(90, 5000), demand_tier(50, 4000), demand_tier(75, 4500))
    assert current_price_minor(ticket_type(*tiers, sold=49), NOW) == 3000
    assert current_price_minor(ticket_type(*tiers, sold=50), NOW) == 4000
    assert current_price_minor(ticket_type(*tiers, sold=80), NOW) == 4500
    assert current_price_minor(ticket_type(*tiers, sold=100), NOW) == 5000


def test_hundred_percent_tier_applies_only_when_sold_out() -> None:
    assert current_price_minor(ticket_type(demand_tier(100, 9900), sold=99), NOW) == 3000
    assert current_price_minor(ticket_type(demand_tier(100, 9900), sold=100), NOW) == 9900


def test_zero_total_reaches_no_threshold() -> None:
    tt = ticket_type(demand_tier(1, 9900), sold=0, total=0)
    assert current_price_minor(tt, NOW) == 3000
    assert active_tier(tt, NOW) is None


# ------------------------------------------------------------------------------------ combinations


def test_demand_overrides_a_running_early_bird() -> None:
    tiers = (date_tier(EARLY_END, 2000), demand_tier(80, 3500))
    assert current_price_minor(ticket_type(*tiers, sold=79), NOW) == 2000
    tier = active_tier(ticket_type(*tiers, sold=80), NOW)
    assert tier is not None and tier.kind is TierKind.DEMAND
    assert current_price_minor(ticket_type(*tiers, sold=80), NOW) == 3500


def test_free_tier_is_a_price_not_a_missing_value() -> None:
    assert current_price_minor(ticket_type(date_tier(EARLY_END, 0)), NOW) == 0


# ----------------------------------------------------------------------------------- next change


def test_next_price_change_is_the_end_of_the_running_date_tier() -> None:
    tt = ticket_type(date_tier(SUPER_EARLY_END, 1500), date_tier(EARLY_END, 2500))
    assert next_price_change(tt, NOW) == SUPER_EARLY_END
    assert next_price_change(tt, SUPER_EARLY_END) == EARLY_END
    assert next_price_change(tt, EARLY_END) is None


def test_next_price_change_skips_a_boundary_that_changes_nothing() -> None:
    tt = ticket_type(date_tier(SUPER_EARLY_END, 2000), date_tier(EARLY_END, 2000))
    assert next_price_change(tt, NOW) == EARLY_END
    same_as_base = ticket_type(date_tier(EARLY_END, 3000))
    assert next_price_change(same_as_base, NOW) is None


def test_next_price_change_is_none_while_demand_sets_the_price() -> None:
    tt = ticket_type(date_tier(EARLY_END, 2000), demand_tier(50, 4000), sold=60)
    assert next_price_change(tt, NOW) is None


# ------------------------------------------------------------------------------------ validation


def raw_date(until: datetime | None, price: int = 2000, **kw: Any) -> dict[str, Any]:
    return {"kind": "DATE", "until": until, "price_minor": price, **kw}


def raw_demand(percent: int | None, price: int = 3500, **kw: Any) -> dict[str, Any]:
    return {"kind": "DEMAND", "after_sold_percent": percent, "price_minor": price, **kw}


def field_of(raw: list[dict[str, Any]]) -> str:
    with pytest.raises(ValidationFailed) as caught:
        validate_tiers(raw)
    return caught.value.errors[0].field


def test_valid_tiers_come_back_in_canonical_order_and_utc() -> None:
    plus_one = timezone(timedelta(hours=1))
    tiers = validate_tiers(
        [
            raw_demand(80),
            raw_date(datetime(2026, 3, 1, 1, 0, tzinfo=plus_one), name="Early bird"),
            raw_demand(50, 3200),
            raw_date(SUPER_EARLY_END, 1500),
        ]
    )
    assert [(t.kind, t.price_minor) for t in tiers] == [
        (TierKind.DATE, 1500),
        (TierKind.DATE, 2000),
        (TierKind.DEMAND, 3200),
        (TierKind.DEMAND, 3500),
    ]
    assert tiers[1].until == EARLY_END and tiers[1].until.utcoffset() == timedelta(0)
    assert tiers[1].to_json() == {
        "kind": "DATE",
        "priceMinor": 2000,
        "name": "Early bird",
        "until": "2026-03-01T00:00:00+00:00",
    }


def test_date_tier_needs_until() -> None:
    assert field_of([raw_demand(50), raw_date(None)]) == "priceTiers.1.until"


def test_date_tier_needs_an_offset() -> None:
    assert field_of([raw_date(datetime(2026, 3, 1))]) == "priceTiers.0.until"


def test_demand_tier_needs_a_percentage() -> None:
    assert field_of([raw_demand(None)]) == "priceTiers.0.afterSoldPercent"


@pytest.mark.parametrize("percent", [0, -5, 101])
def test_demand_percentage_must_be_in_range(percent: int) -> None:
    assert field_of([raw_demand(percent)]) == "priceTiers.0.afterSoldPercent"


def test_a_tier_cannot_mix_kinds() -> None:
    assert field_of([raw_date(EARLY_END, after_sold_percent=50)]) == "priceTiers.0.afterSoldPercent"
    assert field_of([{**raw_demand(50), "until": EARLY_END}]) == "priceTiers.0.until"


def test_duplicate_tiers_are_refused() -> None:
    same_instant = EARLY_END.astimezone(timezone(timedelta(hours=-5)))
    assert field_of([raw_date(EARLY_END), raw_date(same_instant, 1000)]) == "priceTiers.1.until"
    assert field_of([raw_demand(80), raw_date(EARLY_END), raw_demand(80, 9000)]) == (
        "priceTiers.2.afterSoldPercent"
    )


def test_kind_and_price_are_required_and_checked() -> None:
    assert field_of([{"until": EARLY_END, "price_minor": 100}]) == "priceTiers.0.kind"
    assert field_of([{"kind": "SEASON", "price_minor": 100}]) == "priceTiers.0.kind"
    assert field_of([{"kind": "DATE", "until": EARLY_END}]) == "priceTiers.0.price"
    assert field_of([raw_date(EARLY_END, -1)]) == "priceTiers.0.price"


def test_at_most_ten_tiers() -> None:
    tiers = [raw_demand(percent) for percent in range(1, MAX_TIERS + 1)]
    assert len(validate_tiers(tiers)) == MAX_TIERS
    assert field_of([*tiers, raw_demand(99)]) == "priceTiers"

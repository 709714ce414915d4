"""Pricing rules: what a ticket costs at a given moment. A pure module: no I/O, no clock.

A ticket type has a base price (``price_minor``) and up to ``MAX_TIERS`` price tiers, stored in
``TicketType.price_tiers`` as JSON:

* ``{"kind": "DATE", "until": "2026-03-01T00:00:00+00:00", "priceMinor": 2000, "name": "Early bird"}``
* ``{"kind": "DEMAND", "afterSoldPercent": 80, "priceMinor": 3500, "name": "Last tickets"}``

Semantics (the price at instant ``now``):

1. A DATE tier applies while ``now < until`` (the ``until`` instant itself already pays the next price).
   When several apply, the one with the earliest ``until`` wins: tiers step from cheapest-earliest on.
2. A DEMAND tier applies when ``quantity_sold * 100 >= afterSoldPercent * quantity_total`` (exact integer
   math, so "80 % of 10" is reached at exactly 8 sold). Only *sold* tickets count, not held ones: a hold is
   an unpaid cart that may expire, and counting it would let anyone push the price up for everybody by
   opening carts, and make the price jump back down when the carts expire. When several apply, the
   highest threshold reached wins. A ticket type with ``quantity_total == 0`` reaches no threshold.
3. When a DEMAND tier and a DATE tier both apply, the DEMAND tier wins: scarcity pricing is not undercut
   by an early-bird offer that is still running when the tickets are nearly gone.
4. Otherwise the base price applies.

``next_price_change`` is the earliest future instant at which the price changes by the clock alone
(a DATE tier ending), assuming no further sales; demand changes cannot be predicted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tixmo.errors import ValidationFailed
from tixmo.ticketing.models import TicketType

MAX_TIERS = 10


class TierKind(StrEnum):
    DATE = "DATE"
    DEMAND = "DEMAND"


@dataclass(frozen=True)
class PriceTier:
    kind: TierKind
    price_minor: int
    name: str | None = None
    until: datetime | None = None  # DATE tiers
    after_sold_percent: int | None = None  # DEMAND tiers

    def to_json(self) -> dict[str, Any]:
        """The stored (JSONB) form."""
        data: dict[str, Any] = {"kind": self.kind.value, "priceMinor": self.price_minor}
        if self.name is not None:
            data["name"] = self.name
        if self.until is not None:
            data["until"] = self.until.astimezone(UTC).isoformat()
        if self.after_sold_percent is not None:
            data["afterSoldPercent"] = self.after_sold_percent
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PriceTier:
        until = data.get("until")
        return cls(
            kind=TierKind(data["kind"]),
            price_minor=int(data["priceMinor"]),
            name=data.get("name"),
            until=datetime.fromisoformat(until) if until is not None else None,
            after_sold_percent=data.get("afterSoldPercent"),
        )


# --------------------------------------------------------------------------------------------- rules


def tiers_of(ticket_type: TicketType) -> list[PriceTier]:
    return [PriceTier.from_json(item) for item in ticket_type.price_tiers or []]


def demand_reached(tier: PriceTier, *, sold: int, total: int) -> bool:
    assert tier.after_sold_percent is not None
    return total > 0 and sold * 100 >= tier.after_sold_percent * total


def active_tier(ticket_type: TicketType, now: datetime) -> PriceTier | None:
    """The tier that sets the price at ``now`` (the module docstring's rules), ``None`` for the base price."""
    tiers = tiers_of(ticket_type)
    sold, total = ticket_type.quantity_sold, ticket_type.quantity_total
    demand = [t for t in tiers if t.kind is TierKind.DEMAND and demand_reached(t, sold=sold, total=total)]
    if demand:
        return max(demand, key=lambda t: t.after_sold_percent or 0)
    dated = [t for t in tiers if t.kind is TierKind.DATE and t.until is not None and now < t.until]
    return min(dated, key=lambda t: t.until or now) if dated else None


def current_price_minor(ticket_type: TicketType, now: datetime) -> int:
    """What one ticket of ``ticket_type`` costs at ``now`` (minor units). Orders pay this."""
    tier = active_tier(ticket_type, now)
    return tier.price_minor if tier is not None else ticket_type.price_minor


def next_price_change(ticket_type: TicketType, now: datetime) -> datetime | None:
    """The earliest instant after ``now`` at which the price changes by the clock alone (no new sales)."""
    tiers = tiers_of(ticket_type)
    current = current_price_minor(ticket_type, now)
    ends = sorted(
        {t.until for t in tiers if t.kind is TierKind.DATE and t.until is not None and t.until > now}
    )
    for moment in ends:
        if current_price_minor(ticket_type, moment) != current:
            return moment
    return None


# ---------------------------------------------------------------------------------------- validation


def validate_tiers(raw: Sequence[Mapping[str, Any]], *, field: str = "priceTiers") -> list[PriceTier]:
    """Check tiers given as plain mappings (snake_case keys, money in minor units) and normalise them.

    Raises ``ValidationFailed`` naming the offending item, e.g. ``priceTiers.1.until``. The result is in
    canonical order: DATE tiers by ``until``, then DEMAND tiers by threshold.
    """
    if len(raw) > MAX_TIERS:
        raise ValidationFailed(field, f"At most {MAX_TIERS} price tiers.")
    tiers: list[PriceTier] = []
    seen_until: set[datetime] = set()
    seen_percent: set[int] = set()
    for index, item in enumerate(raw):
        where = f"{field}.{index}"
        kind = item.get("kind")
        if kind is None:
            raise ValidationFailed(f"{where}.kind", "This field is required.")
        price = item.get("price_minor")
        if price is None:
            raise ValidationFailed(f"{where}.price", "This field is required.")
        if price < 0:
            raise ValidationFailed(f"{where}.price", "Must not be negative.")
        until: datetime | None = item.get("until")
        percent: int | None = item.get("after_sold_percent")
        name: str | None = item.get("name")
        if kind == TierKind.DATE:
            if until is None:
                raise ValidationFailed(f"{where}.until", "A DATE tier needs an `until` instant.")
            if until.tzinfo is None:
                raise ValidationFailed(f"{where}.until", "Needs a time zone offset.")
            if percent is not None:
                raise ValidationFailed(f"{where}.afterSoldPercent", "Only DEMAND tiers take a percentage.")
            until = until.astimezone(UTC)
            if until in seen_until:
                raise ValidationFailed(f"{where}.until", "Another DATE tier ends at the same instant.")
            seen_until.add(until)
            tiers.append(PriceTier(TierKind.DATE, price, name, until=until))
        elif kind == TierKind.DEMAND:
            if percent is None:
                raise ValidationFailed(f"{where}.afterSoldPercent", "A DEMAND tier needs `afterSoldPercent`.")
            if not 0 < percent <= 100:
                raise ValidationFailed(f"{where}.afterSoldPercent", "Must be greater than 0 and at most 100.")
            if until is not None:
                raise ValidationFailed(f"{where}.until", "Only DATE tiers take an `until` instant.")
            if percent in seen_percent:
                raise ValidationFailed(
                    f"{where}.afterSoldPercent", "Another DEMAND tier has the same threshold."
                )
            seen_percent.add(percent)
            tiers.append(PriceTier(TierKind.DEMAND, price, name, after_sold_percent=percent))
        else:
            raise ValidationFailed(f"{where}.kind", "Must be DATE or DEMAND.")
    return sorted(tiers, key=_canonical_key)


def _canonical_key(tier: PriceTier) -> tuple[int, float]:
    if tier.kind is TierKind.DATE:
        assert tier.until is not None
        return (0, tier.until.timestamp())
    return (1, float(tier.after_sold_percent or 0))

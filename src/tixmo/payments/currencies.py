"""Amounts as Stripe counts them: TixMo keeps every amount in hundredths of the currency (``money``), Stripe
in the currency's own smallest unit.

* **Zero-decimal** currencies (JPY, KRW, …) have no minor unit: Stripe's ``amount=1000`` is ¥1,000, which
  TixMo holds as 100000 hundredths. To Stripe: divide by 100, and an amount that is not whole (¥1,000.50)
  cannot be charged or refunded at all.
* **Three-decimal** currencies (KWD, BHD, …) count thousandths: KWD 1.250 is Stripe's ``1250`` and TixMo's
  125. To Stripe: multiply by 10 (Stripe asks that their last digit be 0, which this always gives).
* Every other currency counts hundredths, like TixMo.

https://docs.stripe.com/currencies#zero-decimal and #three-decimal.
"""

from __future__ import annotations

from tixmo.money import format_minor

ZERO_DECIMAL = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})


class NotRepresentable(ValueError):
    """An amount in hundredths that the currency cannot carry (a fraction of a yen)."""


def unit(currency: str) -> int:
    """The smallest amount that can move in ``currency``, in TixMo's hundredths (100 for the yen)."""
    return 100 if currency.upper() in ZERO_DECIMAL else 1


def is_whole(amount_minor: int, currency: str) -> bool:
    return amount_minor % unit(currency) == 0


def to_stripe(amount_minor: int, currency: str) -> int:
    """TixMo's hundredths → Stripe's ``amount``; ``NotRepresentable`` for a fraction of a yen."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        if amount_minor % 100:
            raise NotRepresentable(
                f"{code} has no minor unit at Stripe: {format_minor(amount_minor)} {code} is not a whole "
                "amount and cannot be charged or refunded."
            )
        return amount_minor // 100
    if code in THREE_DECIMAL:
        return amount_minor * 10
    return amount_minor


def from_stripe(amount: int, currency: str) -> int:
    """Stripe's ``amount`` → TixMo's hundredths, rounded down (never more than Stripe holds): a
    three-decimal amount whose last digit is not 0 loses it. Compare ``to_stripe`` of the result with
    ``amount`` to know whether it was exact."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return amount * 100
    if code in THREE_DECIMAL:
        return amount // 10
    return amount


def minor_units(amount_minor: int, currency: str) -> int:
    """The amount in the currency's own minor units, as Stripe counts it (for API answers: ¥1,000 is
    1000, KWD 1.25 is 1250). A fraction of a yen (only possible without Stripe) is rounded half up."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return (amount_minor + 50) // 100
    return to_stripe(amount_minor, code)

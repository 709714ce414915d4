"""What happens to orders that other domains react to (``tixmo.signals``; wired in ``tixmo.reactions``).

Both are sent where the order's lock order puts the payment row: after the order, before its ticket
types (``tixmo.locks``), so their handlers may lock the payment.
"""

from __future__ import annotations

from dataclasses import dataclass

from tixmo.accounts.models import User
from tixmo.orders.models import Order
from tixmo.signals import Signal


@dataclass(frozen=True)
class OrderPaidManually(Signal):
    """A non-free order confirmed without a payment provider (staff, the manual provider): the payments
    domain records its SUCCEEDED payment, so every paid order has a payment to refund."""

    order: Order


@dataclass(frozen=True)
class PaidOrderCancelled(Signal):
    """A CONFIRMED order was cancelled (by staff, or with its event): what is left of it is refunded."""

    order: Order
    actor: User | None
    reason: str

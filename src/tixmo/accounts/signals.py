"""What happens to accounts that other domains react to (``tixmo.signals``; wired in ``tixmo.reactions``)."""

from __future__ import annotations

from dataclasses import dataclass

from tixmo.accounts.models import User
from tixmo.signals import Signal


@dataclass(frozen=True)
class UserRegistered(Signal):
    """A new account, in the registering transaction (its tokens not issued yet)."""

    user: User

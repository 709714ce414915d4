"""Saved payment methods: a provider customer per user (a Stripe Customer, made lazily on the first
opt-in), the cards saved on it listed as brand, last 4 digits and expiry only, and removed on request.

The provider is called holding no row lock; the customer is made with an idempotency key derived from
the user (``tixmo-user-<id>-customer``), so concurrent first opt-ins make one customer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.errors import NotFound, PaymentProviderUnavailable
from tixmo.payments.models import PaymentCustomer
from tixmo.payments.providers import PaymentProvider, ProviderError, SavedMethod

METHOD_NOT_FOUND = "Payment method not found."


async def find(session: AsyncSession, provider: PaymentProvider, user: User) -> str | None:
    customer_id: str | None = await session.scalar(
        select(PaymentCustomer.provider_customer_id).where(
            PaymentCustomer.user_id == user.id, PaymentCustomer.provider == provider.name
        )
    )
    return customer_id


async def customer_for(session: AsyncSession, provider: PaymentProvider, user: User) -> str:
    """The user's customer at ``provider``, made on first use."""
    known = await find(session, provider, user)
    if known is not None:
        return known
    made = await provider.create_customer(
        user_id=user.id, email=user.email, idempotency_key=f"tixmo-user-{user.id}-customer"
    )
    await session.execute(
        insert(PaymentCustomer)
        .values(user_id=user.id, provider=provider.name, provider_customer_id=made)
        .on_conflict_do_nothing()
    )
    found = await find(session, provider, user)
    assert found is not None
    return found


async def list_methods(session: AsyncSession, provider: PaymentProvider, user: User) -> list[SavedMethod]:
    """The user's saved cards (none before their first opt-in)."""
    customer_id = await find(session, provider, user)
    if customer_id is None:
        return []
    try:
        return await provider.list_methods(customer_id)
    except ProviderError as exc:
        raise PaymentProviderUnavailable(f"{exc} Try again shortly.") from exc


async def remove_method(session: AsyncSession, provider: PaymentProvider, user: User, method_id: str) -> None:
    """Detach one of the user's saved cards; anyone else's (or an unknown id) is 404."""
    if method_id not in {method.id for method in await list_methods(session, provider, user)}:
        raise NotFound(METHOD_NOT_FOUND)
    try:
        await provider.detach_method(method_id)
    except ProviderError as exc:
        if exc.code == "resource_missing":
            raise NotFound(METHOD_NOT_FOUND) from exc
        raise PaymentProviderUnavailable(f"{exc} Nothing was removed; try again shortly.") from exc

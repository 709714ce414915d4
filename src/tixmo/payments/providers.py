"""Payment providers behind one interface: ``stripe`` (the official SDK) and ``manual`` (dev and demo).

``TIXMO_PAYMENT_PROVIDER`` picks the one new payments use; a payment keeps the provider it was made with,
so refunds of older payments still go where the money is. The Stripe SDK is called with its async methods
over httpx (``StripeClient`` + ``HTTPXClient``): the event loop is never blocked.

Every call that moves money carries an idempotency key chosen by the caller (derived from the order for a
PaymentIntent, the refund's id for a refund), so a retry after a timeout or a 500 never creates a second
intent or a second refund.

Amounts cross the interface in TixMo's hundredths; the Stripe provider converts them to and from Stripe's
units (``currencies``: ¥1,000 is Stripe's 1000, KWD 1.250 its 1250).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

import stripe

from tixmo.config import PaymentProviderName, Settings
from tixmo.payments import currencies

_MANUAL_NAMESPACE = uuid.UUID("5b0f7c8e-7f51-4d0e-9a57-6d2b2f1f0a11")


@dataclass(frozen=True)
class Intent:
    """A provider's payment intent, as TixMo needs it."""

    id: str
    client_secret: str | None
    status: str  # the provider's own word, e.g. Stripe's "requires_payment_method" or "succeeded"
    amount_minor: int
    currency: str  # ISO 4217, upper case
    # What the buyer must do next (Stripe's ``next_action``: a 3-D Secure redirect, …), or None.
    next_action: dict[str, Any] | None = None


@dataclass(frozen=True)
class SavedMethod:
    """A saved card as TixMo shows it: brand, last 4 digits and expiry — never more."""

    id: str
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None


@dataclass(frozen=True)
class ProviderRefund:
    id: str
    status: str  # "succeeded", "pending", "failed", …


class ProviderErrorKind(StrEnum):
    TRANSIENT = "transient"  # a timeout, a connection error, a 5xx or a rate limit: the same call may work
    REFUSED = "refused"  # the request itself was refused (invalid request, card error): retrying won't help
    CONFIGURATION = "configuration"  # the provider refused TixMo's credentials or permissions
    CONFLICT = "conflict"  # the idempotency key was used with other parameters


class ProviderError(Exception):
    """The provider refused or failed. ``transient``: a timeout, a connection error, a 5xx or a rate
    limit (the same call may succeed later); otherwise the provider said no (retrying will not help),
    and ``kind`` says why. ``param``: the request parameter the provider named (e.g. ``amount``)."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        kind: ProviderErrorKind | None = None,
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.kind = kind or (ProviderErrorKind.TRANSIENT if transient else ProviderErrorKind.REFUSED)
        self.param = param
        self.code = code


class PaymentProvider(Protocol):
    name: str

    async def create_intent(
        self,
        *,
        order_id: uuid.UUID,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        customer_id: str | None = None,
    ) -> Intent: ...

    async def retrieve_intent(self, intent_id: str) -> Intent: ...

    async def cancel_intent(self, intent_id: str, *, idempotency_key: str) -> Intent: ...

    async def create_customer(self, *, user_id: uuid.UUID, email: str, idempotency_key: str) -> str: ...

    async def list_methods(self, customer_id: str) -> list[SavedMethod]: ...

    async def detach_method(self, method_id: str) -> None: ...

    async def refund(
        self,
        *,
        intent_id: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        metadata: Mapping[str, str],
    ) -> ProviderRefund: ...

    async def retrieve_refund(self, refund_id: str) -> ProviderRefund: ...

    async def aclose(self) -> None: ...


class ManualProvider:
    """No money moves: an intent is a record, ``POST /orders/{id}/confirm`` is the payment, refunds
    succeed at once. Ids are derived from the idempotency keys, so retries give the same answer."""

    name = PaymentProviderName.MANUAL.value

    async def create_intent(
        self,
        *,
        order_id: uuid.UUID,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        customer_id: str | None = None,
    ) -> Intent:
        intent_id = f"manual_pi_{uuid.uuid5(_MANUAL_NAMESPACE, idempotency_key).hex}"
        return Intent(intent_id, f"{intent_id}_secret", "requires_confirmation", amount_minor, currency)

    async def retrieve_intent(self, intent_id: str) -> Intent:
        """The intent as made (amount and currency live on the payment, not here)."""
        return Intent(intent_id, f"{intent_id}_secret", "requires_confirmation", 0, "")

    async def cancel_intent(self, intent_id: str, *, idempotency_key: str) -> Intent:
        return Intent(intent_id, None, "canceled", 0, "")

    async def create_customer(self, *, user_id: uuid.UUID, email: str, idempotency_key: str) -> str:
        return f"manual_cus_{uuid.uuid5(_MANUAL_NAMESPACE, idempotency_key).hex}"

    async def list_methods(self, customer_id: str) -> list[SavedMethod]:
        return []  # the manual provider keeps no cards

    async def detach_method(self, method_id: str) -> None:
        raise ProviderError(
            "The manual provider keeps no payment methods.", transient=False, code="resource_missing"
        )

    async def refund(
        self,
        *,
        intent_id: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        metadata: Mapping[str, str],
    ) -> ProviderRefund:
        return ProviderRefund(f"manual_re_{uuid.uuid5(_MANUAL_NAMESPACE, idempotency_key).hex}", "succeeded")

    async def retrieve_refund(self, refund_id: str) -> ProviderRefund:
        return ProviderRefund(refund_id, "succeeded")

    async def aclose(self) -> None:
        return None


def _provider_error(exc: stripe.StripeError) -> ProviderError:
    """Stripe's exception as a ``ProviderError``: transient (retry) or which kind of refusal."""
    status = exc.http_status
    transient = isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError) or (
        status is not None and (status >= 500 or status == 429)
    )
    if isinstance(exc, stripe.APIError) and status is None:
        transient = True
    if transient:
        kind = ProviderErrorKind.TRANSIENT
    elif isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        kind = ProviderErrorKind.CONFIGURATION
    elif isinstance(exc, stripe.IdempotencyError):
        kind = ProviderErrorKind.CONFLICT
    else:  # InvalidRequestError, CardError, and any other 4xx
        kind = ProviderErrorKind.REFUSED
    param = getattr(exc, "param", None)
    return ProviderError(
        f"Stripe: {exc.user_message or exc.__class__.__name__}",
        transient=transient,
        kind=kind,
        param=param if isinstance(param, str) else None,
        code=exc.code,
    )


def _stripe_amount(amount_minor: int, currency: str) -> int:
    """The amount in Stripe's units (``currencies``); a fraction of a yen is refused before any call."""
    try:
        return currencies.to_stripe(amount_minor, currency)
    except currencies.NotRepresentable as exc:
        raise ProviderError(
            f"Stripe: {exc}",
            transient=False,
            kind=ProviderErrorKind.REFUSED,
            param="amount",
            code="amount_not_whole",
        ) from exc


class StripeProvider:
    """Stripe PaymentIntents and Refunds through ``stripe.StripeClient`` (async methods, httpx)."""

    name = PaymentProviderName.STRIPE.value

    def __init__(self, settings: Settings) -> None:
        if not settings.stripe_secret_key:
            raise ValueError("TIXMO_STRIPE_SECRET_KEY is not set")
        self._http = stripe.HTTPXClient(timeout=settings.stripe_timeout_seconds)
        self._client = stripe.StripeClient(
            settings.stripe_secret_key,
            http_client=self._http,
            base_addresses={"api": settings.stripe_api_base} if settings.stripe_api_base else None,
            max_network_retries=settings.stripe_max_network_retries,
        )

    @staticmethod
    def _intent(pi: stripe.PaymentIntent) -> Intent:
        currency = pi.currency.upper()
        next_action = getattr(pi, "next_action", None)
        return Intent(
            pi.id,
            pi.client_secret,
            pi.status,
            currencies.from_stripe(pi.amount, currency),
            currency,
            next_action.to_dict() if isinstance(next_action, stripe.StripeObject) else None,
        )

    async def create_intent(
        self,
        *,
        order_id: uuid.UUID,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        customer_id: str | None = None,
    ) -> Intent:
        """``customer_id``: the buyer opted in to save the method (``setup_future_usage``)."""
        amount = _stripe_amount(amount_minor, currency)
        params: dict[str, Any] = {
            "amount": amount,
            "currency": currency.lower(),
            "metadata": {"order_id": str(order_id)},
            "automatic_payment_methods": {"enabled": True},
        }
        if customer_id is not None:
            params["customer"] = customer_id
            params["setup_future_usage"] = "on_session"
        try:
            pi = await self._client.v1.payment_intents.create_async(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return self._intent(pi)

    async def cancel_intent(self, intent_id: str, *, idempotency_key: str) -> Intent:
        try:
            pi = await self._client.v1.payment_intents.cancel_async(
                intent_id,
                params={"cancellation_reason": "abandoned"},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return self._intent(pi)

    async def create_customer(self, *, user_id: uuid.UUID, email: str, idempotency_key: str) -> str:
        try:
            customer = await self._client.v1.customers.create_async(
                params={"email": email, "metadata": {"user_id": str(user_id)}},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return str(customer.id)

    async def list_methods(self, customer_id: str) -> list[SavedMethod]:
        """The customer's saved cards (brand, last 4, expiry only; the first 100)."""
        try:
            found = await self._client.v1.customers.payment_methods.list_async(
                customer_id, params={"limit": 100}
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        methods = []
        for method in found.data:
            card = getattr(method, "card", None)
            methods.append(
                SavedMethod(
                    id=method.id,
                    brand=getattr(card, "brand", None),
                    last4=getattr(card, "last4", None),
                    exp_month=getattr(card, "exp_month", None),
                    exp_year=getattr(card, "exp_year", None),
                )
            )
        return methods

    async def detach_method(self, method_id: str) -> None:
        try:
            await self._client.v1.payment_methods.detach_async(method_id)
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc

    async def retrieve_intent(self, intent_id: str) -> Intent:
        try:
            pi = await self._client.v1.payment_intents.retrieve_async(intent_id)
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return self._intent(pi)

    async def refund(
        self,
        *,
        intent_id: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        metadata: Mapping[str, str],
    ) -> ProviderRefund:
        amount = _stripe_amount(amount_minor, currency)
        try:
            refund = await self._client.v1.refunds.create_async(
                params={"payment_intent": intent_id, "amount": amount, "metadata": dict(metadata)},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return ProviderRefund(refund.id, refund.status or "pending")

    async def retrieve_refund(self, refund_id: str) -> ProviderRefund:
        """The refund as Stripe has it now (a ``pending`` one becomes ``succeeded`` or ``failed``)."""
        try:
            refund = await self._client.v1.refunds.retrieve_async(refund_id)
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return ProviderRefund(refund.id, refund.status or "pending")

    async def aclose(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]


class PaymentProviders:
    """The providers of one process: the configured one for new payments, any one by name for old ones.
    The Stripe client (and its connection pool) is made on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._manual = ManualProvider()
        self._stripe: StripeProvider | None = None

    @property
    def default_name(self) -> str:
        return self.settings.payment_provider.value

    @property
    def default(self) -> PaymentProvider:
        return self.get(self.default_name)

    def get(self, name: str) -> PaymentProvider:
        if name == PaymentProviderName.MANUAL.value:
            return self._manual
        if name == PaymentProviderName.STRIPE.value:
            if self._stripe is None:
                self._stripe = StripeProvider(self.settings)
            return self._stripe
        raise ValueError(f"unknown payment provider {name!r}")

    async def aclose(self) -> None:
        if self._stripe is not None:
            await self._stripe.aclose()
            self._stripe = None


@asynccontextmanager
async def open_providers(settings: Settings) -> AsyncIterator[PaymentProviders]:
    providers = PaymentProviders(settings)
    try:
        yield providers
    finally:
        await providers.aclose()

"""Payments: tenant scoping, the history, intents, the manual provider's payment, and the reads.

Locks: every change takes the order row first (``FOR UPDATE``), then its payment row, so payments join
the global lock order (event → order → promo code → ticket types → seats) and every change to one
order's money is serialised (refunds: ``payments.refunds``).

``create_intent`` calls the provider before it writes anything, holding no row lock, with an idempotency
key derived from the order: a timeout or a 500 changes nothing here (502 to the client, the order stays
PENDING), and a retry gets the same PaymentIntent.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import structlog
from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import locks
from tixmo.accounts.models import Role, User
from tixmo.audit import service as audit
from tixmo.config import PaymentProviderName
from tixmo.db import fetch_page, utcnow
from tixmo.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidState,
    NotFound,
    OrderExpired,
    PaymentProviderUnavailable,
    PaymentRefused,
    TixmoError,
)
from tixmo.events.models import Event
from tixmo.orders import service as orders
from tixmo.orders.models import Order, OrderStatus
from tixmo.organizations import service as organizations
from tixmo.payments import customers
from tixmo.payments.models import (
    OPEN_STATUSES,
    Dispute,
    Payment,
    PaymentEvent,
    PaymentStatus,
    Refund,
)
from tixmo.payments.providers import (
    Intent,
    ManualProvider,
    PaymentProvider,
    PaymentProviders,
    ProviderError,
    ProviderErrorKind,
)

PAYMENT_NOT_FOUND = "Payment not found."

log = structlog.get_logger(__name__)


@dataclass
class PaymentDetails:
    """A payment with what its response shows."""

    payment: Payment
    order_status: str
    refunds: list[Refund] = field(default_factory=list)
    history: list[PaymentEvent] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)


def intent_key(order_id: uuid.UUID, attempt: int = 0) -> str:
    """The provider idempotency key of an order's PaymentIntent: one intent per order, however often
    create-intent is retried (``attempt``: the n-th replacement of a canceled one)."""
    base = f"tixmo-order-{order_id}-intent"
    return base if attempt == 0 else f"{base}-{attempt}"


# ------------------------------------------------------------------------------------ tenant scoping


def _visible_to(user: User) -> ColumnElement[bool] | None:
    """Payments a caller may read: of their own orders, and of their organizations' events (ADMIN: all)."""
    scope = organizations.staff_events_scope(user, Payment.event_id)
    return None if scope is None else or_(Payment.user_id == user.id, scope)


async def get_visible(
    session: AsyncSession, viewer: User, payment_id: uuid.UUID
) -> tuple[Payment, uuid.UUID]:
    query = (
        select(Payment, Event.organization_id)
        .join(Event, Event.id == Payment.event_id)
        .where(Payment.id == payment_id)
    )
    scope = _visible_to(viewer)
    if scope is not None:
        query = query.where(scope)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(PAYMENT_NOT_FOUND)
    return row[0], row[1]


async def lock_payment(session: AsyncSession, order_id: uuid.UUID) -> Payment | None:
    """The order's payment, ``FOR UPDATE`` (after the order's own lock; ``tixmo.locks``)."""
    await locks.payments_of(session, [order_id])
    payment: Payment | None = await session.scalar(
        select(Payment).where(Payment.order_id == order_id).execution_options(populate_existing=True)
    )
    return payment


# -------------------------------------------------------------------------------------------- history


async def record(
    session: AsyncSession,
    payment: Payment,
    type_: str,
    *,
    amount_minor: int | None = None,
    refund_id: uuid.UUID | None = None,
    provider_event_id: str | None = None,
    message: str | None = None,
    code: str | None = None,
) -> None:
    """Append an entry to the payment's history with the status it has now."""
    session.add(
        PaymentEvent(
            payment_id=payment.id,
            type=type_,
            status=payment.status,
            amount_minor=amount_minor,
            currency=payment.currency if amount_minor is not None else None,
            refund_id=refund_id,
            provider_event_id=provider_event_id,
            message=message,
            code=code[:64] if code else None,
            created_at=utcnow(),
        )
    )
    payment.updated_at = utcnow()
    await session.flush()


# ---------------------------------------------------------------------------------------- intents


async def _payable(session: AsyncSession, buyer: User, order_id: uuid.UUID) -> Order:
    """The buyer's PENDING order (a past-due one is expired on the spot, and that expiry kept)."""
    details = await orders.get(session, buyer, order_id)
    order = details.order
    if order.user_id != buyer.id:
        raise Forbidden("Only the buyer can pay for an order.")
    if order.status == OrderStatus.EXPIRED.value:
        error = OrderExpired(
            "The order's hold has expired; its tickets went back on sale. Place a new order."
        )
        error.commit_before_raise = True  # keep the expiry ``orders.get`` may just have made
        raise error
    if order.status != OrderStatus.PENDING.value:
        raise InvalidState(f"Only a PENDING order can be paid; this one is {order.status}.")
    return order


async def _provider_intent(
    session: AsyncSession,
    provider: PaymentProvider,
    buyer: User,
    order: Order,
    existing: Payment | None,
    save_payment_method: bool,
) -> tuple[Intent, str | None]:
    """The provider's intent for the order: the existing one, a new one in place of a ``canceled`` one
    (and the id it replaces), or the first one (made for the buyer's saved customer when asked)."""
    replaced: str | None = None
    try:
        if existing is not None:
            intent = await provider.retrieve_intent(existing.provider_payment_id)
            if intent.status == "canceled":  # it can never charge: a new one replaces it
                replaced = intent.id
                intent = await provider.create_intent(
                    order_id=order.id,
                    amount_minor=order.total_minor,
                    currency=order.currency,
                    idempotency_key=intent_key(order.id, existing.intent_attempt + 1),
                )
        else:
            customer_id = None
            if save_payment_method:
                customer_id = await customers.customer_for(session, provider, buyer)
            intent = await provider.create_intent(
                order_id=order.id,
                amount_minor=order.total_minor,
                currency=order.currency,
                idempotency_key=intent_key(order.id),
                customer_id=customer_id,
            )
    except ProviderError as exc:
        raise _client_error(exc) from exc
    return intent, replaced


async def create_intent(
    session: AsyncSession,
    providers: PaymentProviders,
    buyer: User,
    order_id: uuid.UUID,
    *,
    save_payment_method: bool = False,
) -> tuple[Payment, str | None]:
    """The order's PaymentIntent (created once, then the same one again) and its client secret.

    Never two live intents for one order: a retry answers the same intent (a live one is reused, after a
    failed attempt too); only an intent that can no longer charge — ``canceled`` at the provider — is
    replaced by a new one (``intent_replaced``), with the next ``…-intent-<n>`` idempotency key, so
    concurrent retries make the same replacement."""
    order = await _payable(session, buyer, order_id)
    existing = await session.scalar(select(Payment).where(Payment.order_id == order.id))
    if existing is not None and existing.status not in OPEN_STATUSES:
        raise InvalidState(f"This order's payment is already {existing.status}.")
    provider = providers.get(existing.provider if existing is not None else providers.default_name)
    intent, replaced = await _provider_intent(session, provider, buyer, order, existing, save_payment_method)
    if existing is not None:
        if replaced is not None:
            return await _replace_intent(session, order.id, replaced, intent.id), intent.client_secret
        return existing, intent.client_secret
    now = utcnow()
    payment_id = await session.scalar(
        insert(Payment)
        .values(
            id=uuid.uuid4(),
            order_id=order.id,
            user_id=order.user_id,
            event_id=order.event_id,
            provider=provider.name,
            provider_payment_id=intent.id,
            status=PaymentStatus.REQUIRES_PAYMENT.value,
            currency=order.currency,
            amount_minor=order.total_minor,
            amount_received_minor=0,
            amount_refunded_minor=0,
            intent_attempt=0,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=[Payment.order_id])
        .returning(Payment.id)
    )
    payment = await session.scalar(
        select(Payment).where(Payment.order_id == order.id).execution_options(populate_existing=True)
    )
    assert payment is not None
    if payment_id is not None:  # this request made it (a concurrent one may have made it first)
        await record(session, payment, "intent_created", amount_minor=payment.amount_minor)
        await audit.record(
            session,
            action="payment.created",
            entity_type="payment",
            entity_id=payment.id,
            actor_id=buyer.id,
            organization_id=await organization_of(session, order.event_id),
            after={"orderId": order.id, "provider": provider.name, "amount": payment.amount_minor},
        )
    return payment, intent.client_secret


async def _replace_intent(session: AsyncSession, order_id: uuid.UUID, old: str, new: str) -> Payment:
    """The payment takes the new intent in place of the canceled one — once: under the order's and the
    payment's locks, only if it still has the old one (a concurrent retry made the same replacement,
    with the same idempotency key, and finds it done)."""
    locked = await orders.lock_for_change(session, order_id)
    payment = await lock_payment(session, order_id)
    assert locked is not None and payment is not None
    if payment.provider_payment_id == old and payment.status in OPEN_STATUSES:
        payment.provider_payment_id = new
        payment.intent_attempt += 1
        payment.status = PaymentStatus.REQUIRES_PAYMENT.value
        payment.next_action = None
        await record(
            session,
            payment,
            "intent_replaced",
            message=f"The intent {old} was canceled; {new} replaces it.",
        )
    return payment


# The provider's parameter names that are the order's fields in TixMo's API.
_FIELDS = {"amount": "amount", "currency": "currency"}


def _client_error(exc: ProviderError) -> TixmoError:
    """What the client is told when the provider failed: only a transient failure says "retry"."""
    nothing = "Nothing was charged; the order stays PENDING"
    if exc.kind == ProviderErrorKind.TRANSIENT:
        return PaymentProviderUnavailable(f"{exc} {nothing} — retry shortly.")
    if exc.kind == ProviderErrorKind.CONFIGURATION:
        log.error("payments.provider_configuration_refused", error=str(exc))
        return PaymentProviderUnavailable(
            f"The payment provider refused TixMo's credentials. {nothing}; the organizer must fix the "
            "payment configuration (retrying will not help until then)."
        )
    if exc.kind == ProviderErrorKind.CONFLICT:
        return Conflict(f"{exc} {nothing}.")
    name = _FIELDS.get(exc.param or "")
    errors = [FieldError(field=name, message=str(exc))] if name is not None else []
    return PaymentRefused(f"{exc} {nothing}; retrying the same request will not help.", errors=errors)


async def organization_of(session: AsyncSession, event_id: uuid.UUID) -> uuid.UUID | None:
    organization_id: uuid.UUID | None = await session.scalar(
        select(Event.organization_id).where(Event.id == event_id)
    )
    return organization_id


async def capture_manual(session: AsyncSession, order: Order) -> None:
    """``POST /orders/{id}/confirm`` with the manual provider: the order's payment is SUCCEEDED (made
    now, or the manual intent made by create-intent). The caller holds the order's lock."""
    payment = await lock_payment(session, order.id)
    now = utcnow()
    if payment is None:
        intent = await ManualProvider().create_intent(
            order_id=order.id,
            amount_minor=order.total_minor,
            currency=order.currency,
            idempotency_key=intent_key(order.id),
        )
        payment = Payment(
            id=uuid.uuid4(),
            order_id=order.id,
            user_id=order.user_id,
            event_id=order.event_id,
            provider=PaymentProviderName.MANUAL.value,
            provider_payment_id=intent.id,
            status=PaymentStatus.REQUIRES_PAYMENT.value,
            currency=order.currency,
            amount_minor=order.total_minor,
            amount_received_minor=0,
            amount_refunded_minor=0,
            created_at=now,
            updated_at=now,
        )
        session.add(payment)
        await session.flush()
    elif payment.provider != PaymentProviderName.MANUAL.value:
        raise InvalidState(f"This order is being paid through {payment.provider}; it confirms when paid.")
    if payment.status not in OPEN_STATUSES:
        raise InvalidState(f"This order's payment is already {payment.status}.")
    payment.status = PaymentStatus.SUCCEEDED.value
    payment.amount_received_minor = payment.amount_minor
    payment.succeeded_at = now
    payment.method = PaymentProviderName.MANUAL.value
    await record(
        session,
        payment,
        "succeeded",
        amount_minor=payment.amount_minor,
        message="Confirmed (manual provider).",
    )


# --------------------------------------------------------------------------------------------- reads


async def load_details(session: AsyncSession, payments: Sequence[Payment]) -> list[PaymentDetails]:
    """Order status, refunds, disputes and history of ``payments``: four queries for any number."""
    ids = [payment.id for payment in payments]
    disputes: dict[uuid.UUID, list[Dispute]] = defaultdict(list)
    refunds: dict[uuid.UUID, list[Refund]] = defaultdict(list)
    history: dict[uuid.UUID, list[PaymentEvent]] = defaultdict(list)
    statuses: dict[uuid.UUID, str] = {}
    if ids:
        for refund_row in await session.scalars(
            select(Refund).where(Refund.payment_id.in_(ids)).order_by(Refund.created_at, Refund.id)
        ):
            refunds[refund_row.payment_id].append(refund_row)
        for dispute in await session.scalars(
            select(Dispute).where(Dispute.payment_id.in_(ids)).order_by(Dispute.created_at, Dispute.id)
        ):
            disputes[dispute.payment_id].append(dispute)
        for entry in await session.scalars(
            select(PaymentEvent)
            .where(PaymentEvent.payment_id.in_(ids))
            .order_by(PaymentEvent.created_at, PaymentEvent.id)
        ):
            history[entry.payment_id].append(entry)
        rows = await session.execute(
            select(Order.id, Order.status).where(Order.id.in_([payment.order_id for payment in payments]))
        )
        statuses = {row[0]: row[1] for row in rows.all()}
    return [
        PaymentDetails(
            payment,
            statuses.get(payment.order_id, ""),
            refunds.get(payment.id, []),
            history.get(payment.id, []),
            disputes.get(payment.id, []),
        )
        for payment in payments
    ]


async def get(session: AsyncSession, viewer: User, payment_id: uuid.UUID) -> PaymentDetails:
    payment, _ = await get_visible(session, viewer, payment_id)
    return (await load_details(session, [payment]))[0]


async def list_payments(
    session: AsyncSession,
    viewer: User,
    *,
    event_id: uuid.UUID | None,
    order_id: uuid.UUID | None,
    status: PaymentStatus | None,
    offset: int,
    limit: int,
    disputed: bool | None = None,
) -> tuple[list[PaymentDetails], int]:
    """ADMIN: all; org staff with ``eventId``: that event's payments; ``disputed=true``: every disputed
    payment the caller may see (their organizations' events' for staff); everyone else: their own."""
    query = select(Payment)
    sees_all = viewer.role == Role.ADMIN or (
        event_id is not None and await organizations.is_event_staff(session, viewer, event_id)
    )
    if disputed and not sees_all:
        scope = _visible_to(viewer)
        if scope is not None:
            query = query.where(scope)
    elif not sees_all:
        query = query.where(Payment.user_id == viewer.id)
    if disputed is not None:
        has_dispute = exists().where(Dispute.payment_id == Payment.id)
        query = query.where(has_dispute if disputed else ~has_dispute)
    if event_id is not None:
        query = query.where(Payment.event_id == event_id)
    if order_id is not None:
        query = query.where(Payment.order_id == order_id)
    if status is not None:
        query = query.where(Payment.status == status.value)
    payments, total = await fetch_page(
        session, query, Payment.created_at.desc(), Payment.id.desc(), offset=offset, limit=limit
    )
    return await load_details(session, payments), total

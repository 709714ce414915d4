"""Staff refunds (``POST /payments/{id}/refund``): all that is left, an amount, and/or tickets.

Above ``refunds`` (the money side: reserving a refund, the provider call after the commit) and
``ticket_refunds`` (which tickets may be refunded and their shares), which it combines.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts.models import User
from tixmo.db import utcnow
from tixmo.errors import Forbidden, InvalidState, ValidationFailed
from tixmo.money import format_minor
from tixmo.orders import settlement
from tixmo.organizations import service as organizations
from tixmo.payments import currencies, refunds, ticket_refunds
from tixmo.payments import service as payment_service
from tixmo.payments.models import DISPUTE_CLOSED, REFUNDABLE_STATUSES, Dispute
from tixmo.payments.schemas import RefundCreate


async def refund(
    session: AsyncSession, actor: User, payment_id: uuid.UUID, data: RefundCreate
) -> payment_service.PaymentDetails:
    """Staff: refund all that is left, an amount, and/or tickets (cancelled, back on sale). The order
    ends REFUNDED when everything was refunded or no ticket is left, else PARTIALLY_REFUNDED."""
    found, organization_id = await payment_service.get_visible(session, actor, payment_id)
    if not await organizations.is_staff(session, actor, organization_id):
        raise Forbidden("Only the event's organization staff can refund.")
    locked = await settlement.lock(session, found.order_id)
    assert locked is not None
    order = locked.order
    payment = await payment_service.lock_payment(session, order.id)
    assert payment is not None
    left = refunds.refundable(payment)
    if payment.status not in REFUNDABLE_STATUSES or left == 0:
        raise InvalidState(
            f"Nothing to refund: the payment is {payment.status}"
            + (f" and {format_minor(payment.amount_refunded_minor)} was refunded." if left == 0 else ".")
        )
    disputed = await session.scalar(
        select(Dispute.provider_dispute_id).where(
            Dispute.payment_id == payment.id, Dispute.status.not_in(DISPUTE_CLOSED)
        )
    )
    if disputed is not None:  # Stripe refuses to refund a disputed charge: the bank decides now
        raise InvalidState(
            f"The payment is disputed ({disputed}): it cannot be refunded until the dispute is closed."
        )
    ticket_ids = data.ticket_ids or []
    shares = await ticket_refunds.check_refundable_tickets(session, order, ticket_ids, field="ticketIds")
    amount = data.amount
    if amount is None:
        amount = min(sum(shares.values()), left) if ticket_ids else left
    elif amount > left:
        raise ValidationFailed("amount", f"At most {format_minor(left)} {payment.currency} can be refunded.")
    elif not currencies.is_whole(amount, payment.currency):
        raise ValidationFailed("amount", f"{payment.currency} has no minor unit: refund a whole amount.")
    fully = payment.amount_refunded_minor + amount >= payment.amount_received_minor
    now = utcnow()
    if ticket_ids:
        await settlement.cancel_tickets(session, order, ticket_ids)
    if fully:  # a full refund cancels the order's tickets
        await settlement.cancel_tickets(session, order, None)
    if amount > 0:
        await refunds.reserve_refund(
            session, payment, amount, actor=actor, reason=data.reason, ticket_ids=ticket_ids
        )
    await settlement.after_refund(
        session,
        order,
        now,
        fully_refunded=fully,
        actor=actor,
        organization_id=organization_id,
        refunded_minor=amount,
    )
    return (await payment_service.load_details(session, [payment]))[0]

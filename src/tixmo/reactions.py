"""Who reacts to what: the one list of cross-domain reactions (docs/architecture.md, "Reactions"), and
the owners of images (events, venues) registered with media, which sits below them.

A domain sends a signal where something happened (``tixmo.signals``); this module — above every domain,
below the web layer — connects each signal to the handlers of the domains that react, so no domain
imports one above it. Handlers run in the sender's transaction, in the order listed here.

``install()`` is called once per process before any request or job runs: by ``app.build_context`` (the
API, and every test app), by ``tixmo worker`` and by the CLI's seeding.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tixmo import signals
from tixmo.accounts.signals import UserRegistered
from tixmo.checkin import history as scan_history
from tixmo.events import service as events
from tixmo.events.signals import EventCancelled
from tixmo.media import owners
from tixmo.media.service import OwnerKind
from tixmo.notifications import triggers as notify
from tixmo.orders import service as orders
from tixmo.orders.signals import OrderPaidManually, PaidOrderCancelled
from tixmo.payments import refunds
from tixmo.payments import service as payments
from tixmo.tickets.signals import TicketCheckedInManually, TicketTransferred
from tixmo.venues import service as venues
from tixmo.waitlist import service as waitlist


async def welcome(session: AsyncSession, registered: UserRegistered) -> None:
    await notify.welcome(session, registered.user)


async def cancel_everything_of_event(session: AsyncSession, cancelled: EventCancelled) -> None:
    """Its PENDING orders are cancelled (holds released) and its paid orders cancelled and refunded in
    full (they end REFUNDED, API.md "Orders and payments"); its waitlist entries end CANCELLED. Every
    ticket holder, buyer of a live order and person waiting gets one "event cancelled" notification (and
    email, queued in this transaction: sent only if the cancellation commits) instead of one per order."""
    event = cancelled.event
    people = await notify.people_of_event(session, event.id)  # read before their statuses change
    await orders.cancel_for_event(session, event, cancelled.actor)
    waiting = await waitlist.cancel_for_event(session, event)
    await notify.event_cancelled(session, event, sorted({*people, *waiting}))


async def record_manual_payment(session: AsyncSession, paid: OrderPaidManually) -> None:
    await payments.capture_manual(session, paid.order)


async def refund_cancelled_order(session: AsyncSession, cancelled: PaidOrderCancelled) -> None:
    await refunds.refund_rest(session, cancelled.order, cancelled.actor, reason=cancelled.reason)


async def count_manual_entry(session: AsyncSession, checked_in: TicketCheckedInManually) -> None:
    await scan_history.record_manual_entry(
        session,
        event_id=checked_in.event_id,
        ticket_id=checked_in.ticket_id,
        actor_id=checked_in.actor_id,
        at=checked_in.at,
    )


def install() -> None:
    """Connect every reaction (idempotent: a second call changes nothing)."""
    signals.connect(UserRegistered, welcome)
    signals.connect(EventCancelled, cancel_everything_of_event)
    signals.connect(OrderPaidManually, record_manual_payment)
    signals.connect(PaidOrderCancelled, refund_cancelled_order)
    signals.connect(TicketCheckedInManually, count_manual_entry)
    signals.connect(TicketTransferred, notify.ticket_transferred)
    # Whose images: events and venues tell media who their staff and viewers are.
    owners.register(
        OwnerKind.EVENT, owners.OwnerRules(events.image_owner_for_staff, events.image_owner_visible)
    )
    owners.register(
        OwnerKind.VENUE, owners.OwnerRules(venues.image_owner_for_staff, venues.image_owner_visible)
    )
    signals.mark_wired()

"""Promo codes: who may manage them, the rules of a code, the discount math, and counting uses.

Rules (API.md "Promo codes"): codes are unique per event case-insensitively (the unique index on
``(event_id, lower(code))`` decides under concurrency); PERCENTAGE is 0 < v <= 100, FIXED > 0 and never
makes a total negative; ``validFrom < validUntil``; ``maxUses`` is never exceeded; only DRAFT and
PUBLISHED events accept changes; a code that was ever used cannot be deleted (disable it instead).

Money math: ``discount_value`` is in hundredths for both kinds. A percentage discount is computed in minor
units on the eligible lines and rounded half-up; the discount is then split across the eligible lines in
proportion to their amounts (largest remainder), so the lines' shares always sum to the discount.

Concurrency: ``used_count`` moves only by conditional UPDATEs (``claim_use``/``release_use``, and PUT's
``maxUses`` check), never read-then-write; the CHECK ``used_count <= max_uses`` backs the rule. Writes lock
the event ``EventLock.SHARE`` (``tixmo.locks``), so its status cannot change under them, while orders
(which take the same lock) and other promo writes proceed; then the promo code's row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from tixmo import locks
from tixmo.accounts.models import User
from tixmo.audit import service as audit
from tixmo.db import fetch_page
from tixmo.errors import (
    Conflict,
    FieldError,
    InvalidState,
    NotFound,
    PromoCodeInvalid,
    ValidationFailed,
)
from tixmo.events.models import Event, EventStatus
from tixmo.money import format_minor
from tixmo.orders.models import Order
from tixmo.organizations import service as organizations
from tixmo.promos.models import DiscountType, PromoCode, PromoStatus
from tixmo.promos.schemas import PromoCodeCreate, PromoCodeUpdate, PromoCodeValidate
from tixmo.schemas import partial_changes
from tixmo.ticketing import lines as order_lines
from tixmo.ticketing.lines import Line
from tixmo.ticketing.models import TicketType

HUNDREDTHS = 100
MAX_PERCENTAGE = 100 * HUNDREDTHS  # 100 % in hundredths of a percent
PERCENT_DIVISOR = 100 * HUNDREDTHS  # amount * value / 10000 (value in hundredths of a percent)
EDITABLE_EVENT_STATUSES = frozenset({EventStatus.DRAFT.value, EventStatus.PUBLISHED.value})
REQUIRED_ON_UPDATE = ("code", "discount_type", "discount_value", "status")
FIELD = "promoCode"
PROMO_NOT_FOUND = "Promo code not found."
EVENT_NOT_FOUND = "Event not found."

UNKNOWN = "No such promo code for this event."
DISABLED = "This promo code is disabled."
NOT_YET_VALID = "This promo code is not valid yet."
EXPIRED = "This promo code has expired."
USED_UP = "This promo code has been used up."
NOT_APPLICABLE = "This promo code does not apply to these tickets."


def snapshot(promo: PromoCode) -> dict[str, Any]:
    """The audited fields, camelCase, amounts as two-decimal strings."""
    return {
        "code": promo.code,
        "discountType": promo.discount_type,
        "discountValue": format_minor(promo.discount_value),
        "maxUses": promo.max_uses,
        "minOrderAmount": (
            format_minor(promo.min_order_amount_minor) if promo.min_order_amount_minor is not None else None
        ),
        "validFrom": promo.valid_from,
        "validUntil": promo.valid_until,
        "ticketTypeIds": promo.ticket_type_ids,
        "status": promo.status,
    }


def invalid(reason: str) -> PromoCodeInvalid:
    return PromoCodeInvalid(reason, errors=[FieldError(field=FIELD, message=reason)])


# ------------------------------------------------------------------------------------ tenant scoping


def _staff_scope(actor: User) -> ColumnElement[bool] | None:
    """Events whose promo codes ``actor`` manages: ``None`` for ADMIN (all), else their organizations'."""
    return organizations.staff_scope(actor, Event.organization_id)


def visible_promos(actor: User) -> Select[PromoCode]:
    """The promo codes ``actor`` may see and manage: those of events of their organizations (ADMIN: all)."""
    query = select(PromoCode).join(Event, Event.id == PromoCode.event_id)
    scope = _staff_scope(actor)
    return query if scope is None else query.where(scope)


async def _event_for_staff(
    session: AsyncSession, actor: User, event_id: uuid.UUID, *, lock: bool = False, field: str | None = None
) -> Event:
    """The event when ``actor`` is its staff; ``lock``: ``EventLock.SHARE`` (its status cannot change
    meanwhile; orders, which take the same lock, and other promo writes proceed).

    Not visible: 404, naming ``field`` when the id came from the body.
    """
    query = select(Event).where(Event.id == event_id)
    scope = _staff_scope(actor)
    if scope is not None:
        query = query.where(scope)
    if lock:
        locks.note(session, locks.Kind.EVENT, [event_id])
        query = locks.clause(query, locks.Kind.EVENT, mode=locks.EventLock.SHARE)
    event = await session.scalar(query)
    if event is None:
        errors = [FieldError(field=field, message="No such event.")] if field else None
        raise NotFound(EVENT_NOT_FOUND, errors=errors)
    return event


async def get_for_staff(session: AsyncSession, actor: User, promo_id: uuid.UUID) -> PromoCode:
    promo = await session.scalar(visible_promos(actor).where(PromoCode.id == promo_id))
    if promo is None:
        raise NotFound(PROMO_NOT_FOUND)
    return promo


async def _get_for_change(session: AsyncSession, actor: User, promo_id: uuid.UUID) -> tuple[PromoCode, Event]:
    """The promo code and its event (FOR SHARE), for staff of a DRAFT or PUBLISHED event."""
    promo = await get_for_staff(session, actor, promo_id)
    event = await _event_for_staff(session, actor, promo.event_id, lock=True)
    _require_editable(event)
    locks.note(session, locks.Kind.PROMO, [promo.id])  # its row is locked by the UPDATE that changes it
    # Re-read after the lock: a concurrent change may have committed meanwhile.
    await session.refresh(promo)
    return promo, event


def _require_editable(event: Event) -> None:
    if event.status not in EDITABLE_EVENT_STATUSES:
        raise InvalidState(f"The promo codes of a {event.status} event cannot be changed.")


# ------------------------------------------------------------------------------------------- rules


def _check_value(discount_type: str, value: int) -> None:
    if value <= 0:
        raise ValidationFailed("discountValue", "Must be greater than 0.")
    if discount_type == DiscountType.PERCENTAGE.value and value > MAX_PERCENTAGE:
        raise ValidationFailed("discountValue", "A percentage must be at most 100.")


def _check_window(valid_from: datetime | None, valid_until: datetime | None) -> None:
    if valid_from is not None and valid_until is not None and valid_until <= valid_from:
        raise ValidationFailed("validUntil", "Must be after validFrom.")


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


async def _ticket_type_ids(
    session: AsyncSession, event: Event, ids: Sequence[uuid.UUID] | None
) -> list[uuid.UUID] | None:
    """The ids de-duplicated (first occurrence wins), all of ``event``; ``None`` (= all) for null or []."""
    if not ids:
        return None
    unique = list(dict.fromkeys(ids))
    rows = await session.scalars(
        select(TicketType.id).where(TicketType.event_id == event.id, TicketType.id.in_(unique))
    )
    known = set(rows)
    errors = [
        FieldError(field=f"ticketTypeIds.{index}", message="No such ticket type for this event.")
        for index, ticket_type_id in enumerate(ids)
        if ticket_type_id not in known
    ]
    if errors:
        failure = ValidationFailed(errors[0].field, errors[0].message, detail="Unknown ticket types.")
        failure.errors = errors
        raise failure
    return unique


def _duplicate(code: str) -> Conflict:
    return Conflict(
        f"This event already has the promo code {code!r} (codes are case-insensitive).",
        errors=[FieldError(field="code", message="Already used for this event.")],
    )


# -------------------------------------------------------------------------------------------- reads


async def list_for(
    session: AsyncSession,
    actor: User,
    *,
    event_id: uuid.UUID | None,
    status: PromoStatus | None,
    offset: int,
    limit: int,
) -> tuple[list[PromoCode], int]:
    """The caller's promo codes, newest first. An ``event_id`` the caller does not staff is a 404."""
    query = visible_promos(actor)
    if event_id is not None:
        await _event_for_staff(session, actor, event_id)
        query = query.where(PromoCode.event_id == event_id)
    if status is not None:
        query = query.where(PromoCode.status == status.value)
    return await fetch_page(
        session, query, PromoCode.created_at.desc(), PromoCode.id, offset=offset, limit=limit
    )


# ------------------------------------------------------------------------------------------- writes


async def create(session: AsyncSession, actor: User, data: PromoCodeCreate) -> PromoCode:
    event = await _event_for_staff(session, actor, data.event_id, lock=True, field="eventId")
    _require_editable(event)
    _check_value(data.discount_type.value, data.discount_value)
    valid_from, valid_until = _utc(data.valid_from), _utc(data.valid_until)
    _check_window(valid_from, valid_until)
    promo = PromoCode(
        event_id=event.id,
        code=data.code,
        discount_type=data.discount_type.value,
        discount_value=data.discount_value,
        max_uses=data.max_uses,
        used_count=0,
        min_order_amount_minor=data.min_order_amount,
        valid_from=valid_from,
        valid_until=valid_until,
        ticket_type_ids=await _ticket_type_ids(session, event, data.ticket_type_ids),
        status=data.status.value,
    )
    session.add(promo)
    try:
        await session.flush()
    except IntegrityError as exc:  # uq_promo_codes_event_id_code: the same code, any case
        raise _duplicate(data.code) from exc
    await audit.record(
        session,
        action="promo_code.created",
        entity_type="promo_code",
        entity_id=promo.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        after={"eventId": event.id, **snapshot(promo)},
    )
    return promo


async def update_promo(
    session: AsyncSession, actor: User, promo_id: uuid.UUID, data: PromoCodeUpdate
) -> PromoCode:
    promo, event = await _get_for_change(session, actor, promo_id)
    changes = partial_changes(data, REQUIRED_ON_UPDATE)
    values: dict[str, Any] = {}
    if "code" in changes:
        values["code"] = changes["code"]
    if "discount_type" in changes:
        values["discount_type"] = changes["discount_type"].value
    if "discount_value" in changes:
        values["discount_value"] = changes["discount_value"]
    if "status" in changes:
        values["status"] = changes["status"].value
    if "max_uses" in changes:
        values["max_uses"] = changes["max_uses"]
    if "min_order_amount" in changes:
        values["min_order_amount_minor"] = changes["min_order_amount"]
    for name in ("valid_from", "valid_until"):
        if name in changes:
            values[name] = _utc(changes[name])
    if "ticket_type_ids" in changes:
        values["ticket_type_ids"] = await _ticket_type_ids(session, event, changes["ticket_type_ids"])

    _check_value(
        values.get("discount_type", promo.discount_type), values.get("discount_value", promo.discount_value)
    )
    _check_window(values.get("valid_from", promo.valid_from), values.get("valid_until", promo.valid_until))
    if not values:
        return promo

    before = snapshot(promo)
    statement = update(PromoCode).where(PromoCode.id == promo.id)
    max_uses = values.get("max_uses")
    if max_uses is not None:
        # Decided by the row as it is when the UPDATE runs: a concurrent claim cannot slip in between.
        statement = statement.where(PromoCode.used_count <= max_uses)
    try:
        changed = await session.scalar(
            statement.values(**values).returning(PromoCode.id).execution_options(synchronize_session=False)
        )
    except IntegrityError as exc:
        raise _duplicate(str(values.get("code", promo.code))) from exc
    await session.refresh(promo)
    if changed is None:
        raise Conflict(
            f"maxUses cannot drop below the {promo.used_count} uses already made.",
            errors=[FieldError(field="maxUses", message=f"At least {promo.used_count}.")],
            extra={"usedCount": promo.used_count},
        )
    await audit.record_changes(
        session,
        action="promo_code.updated",
        entity_type="promo_code",
        entity_id=promo.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before=before,
        after=snapshot(promo),
    )
    return promo


async def delete_promo(session: AsyncSession, actor: User, promo_id: uuid.UUID) -> None:
    """Only a code never used (no use counted, no order referring to it) can be deleted."""
    promo, event = await _get_for_change(session, actor, promo_id)
    before = snapshot(promo)
    deleted = await session.scalar(
        sql_delete(PromoCode)
        .where(
            PromoCode.id == promo.id,
            PromoCode.used_count == 0,
            ~exists().where(Order.promo_code_id == PromoCode.id),
        )
        .returning(PromoCode.id)
        .execution_options(synchronize_session=False)
    )
    if deleted is None:
        still_there = await session.scalar(select(PromoCode.id).where(PromoCode.id == promo.id))
        if still_there is None:  # deleted by a concurrent request
            raise NotFound(PROMO_NOT_FOUND)
        raise Conflict(
            "This promo code has been used and cannot be deleted; set its status to DISABLED instead."
        )
    session.expunge(promo)
    await audit.record(
        session,
        action="promo_code.deleted",
        entity_type="promo_code",
        entity_id=promo.id,
        actor_id=actor.id,
        organization_id=event.organization_id,
        before={"eventId": event.id, **before},
    )


# ------------------------------------------------------------------------------ applying a code


@dataclass(frozen=True)
class Discount:
    """What ``promo`` takes off an order: in all, and each eligible line's share (they sum to the total)."""

    promo: PromoCode
    discount_minor: int
    by_ticket_type: dict[uuid.UUID, int]


async def find_for_event(session: AsyncSession, event_id: uuid.UUID, code: str) -> PromoCode:
    """The event's promo code ``code``, case-insensitively; unknown → ``PromoCodeInvalid``."""
    promo = await session.scalar(
        select(PromoCode).where(
            PromoCode.event_id == event_id, func.lower(PromoCode.code) == code.strip().lower()
        )
    )
    if promo is None:
        raise invalid(UNKNOWN)
    return promo


def _is_eligible(promo: PromoCode, line: Line) -> bool:
    return promo.ticket_type_ids is None or line.ticket_type_id in promo.ticket_type_ids


def discount_amount(promo: PromoCode, eligible_minor: int) -> int:
    """The discount on ``eligible_minor``: a percentage rounded half-up, or a fixed amount capped there."""
    if promo.discount_type == DiscountType.PERCENTAGE.value:
        # value is in hundredths of a percent: amount * value / 10000, half-up (all terms non-negative).
        return min(
            eligible_minor, (eligible_minor * promo.discount_value + PERCENT_DIVISOR // 2) // PERCENT_DIVISOR
        )
    return min(promo.discount_value, eligible_minor)


def allocate(total: int, amounts: Sequence[int]) -> list[int]:
    """Split ``total`` (<= sum of ``amounts``) in proportion to ``amounts`` by largest remainder.

    Each share is at most its amount and the shares sum to ``total``. Ties go to the larger amount,
    then to the earlier position: the same input always gives the same split.
    """
    whole = sum(amounts)
    if whole <= 0 or total <= 0:
        return [0] * len(amounts)
    if total > whole:
        raise ValueError("Cannot allocate more than the amounts sum to.")
    shares = [total * amount // whole for amount in amounts]
    remainders = [total * amount % whole for amount in amounts]
    left = total - sum(shares)
    order = sorted(range(len(amounts)), key=lambda index: (-remainders[index], -amounts[index], index))
    for index in order[:left]:
        shares[index] += 1
    return shares


def evaluate(promo: PromoCode, lines: Sequence[Line], now: datetime) -> Discount:
    """The discount ``promo`` gives ``lines`` at ``now`` (pure: no database, nothing counted).

    Raises ``PromoCodeInvalid`` (field ``promoCode``) when the code is disabled, outside its validity
    window, used up, the subtotal is below ``minOrderAmount``, or no line is eligible.
    """
    if promo.status != PromoStatus.ACTIVE.value:
        raise invalid(DISABLED)
    if promo.valid_from is not None and now < promo.valid_from:
        raise invalid(NOT_YET_VALID)
    if promo.valid_until is not None and now >= promo.valid_until:
        raise invalid(EXPIRED)
    if promo.max_uses is not None and promo.used_count >= promo.max_uses:
        raise invalid(USED_UP)
    subtotal = sum(line.amount_minor for line in lines)
    if promo.min_order_amount_minor is not None and subtotal < promo.min_order_amount_minor:
        raise invalid(
            f"This promo code needs an order of at least {format_minor(promo.min_order_amount_minor)}."
        )
    eligible = [line for line in lines if _is_eligible(promo, line)]
    if not eligible:
        raise invalid(NOT_APPLICABLE)
    amount = discount_amount(promo, sum(line.amount_minor for line in eligible))
    by_ticket_type: dict[uuid.UUID, int] = {}
    for line, share in zip(eligible, allocate(amount, [line.amount_minor for line in eligible]), strict=True):
        by_ticket_type[line.ticket_type_id] = by_ticket_type.get(line.ticket_type_id, 0) + share
    return Discount(promo=promo, discount_minor=amount, by_ticket_type=by_ticket_type)


def _sync_used_count(session: AsyncSession, promo_id: uuid.UUID, used_count: int) -> None:
    """Keep a loaded copy of the row in step with a conditional UPDATE, without marking it changed."""
    loaded = session.sync_session.identity_map.get(session.sync_session.identity_key(PromoCode, promo_id))
    if isinstance(loaded, PromoCode):
        set_committed_value(loaded, "used_count", used_count)


async def claim_use(session: AsyncSession, promo: PromoCode) -> None:
    """Count one use with ONE conditional UPDATE: refused when the code is disabled or used up.

    Concurrent claims queue on the row lock and each re-checks the committed ``used_count``, so
    ``maxUses`` is never exceeded. ``updatedAt`` keeps meaning "last edited".
    """
    locks.note(session, locks.Kind.PROMO, [promo.id])
    used_count = await session.scalar(
        update(PromoCode)
        .where(
            PromoCode.id == promo.id,
            PromoCode.status == PromoStatus.ACTIVE.value,
            (PromoCode.max_uses.is_(None)) | (PromoCode.used_count < PromoCode.max_uses),
        )
        .values(used_count=PromoCode.used_count + 1, updated_at=PromoCode.updated_at)
        .returning(PromoCode.used_count)
        .execution_options(synchronize_session=False)
    )
    if used_count is None:
        # Only to word the refusal; the decision above was the UPDATE's.
        status = await session.scalar(select(PromoCode.status).where(PromoCode.id == promo.id))
        if status is None:
            raise invalid(UNKNOWN)
        raise invalid(DISABLED if status != PromoStatus.ACTIVE.value else USED_UP)
    _sync_used_count(session, promo.id, used_count)


async def release_use(session: AsyncSession, promo_id: uuid.UUID, uses: int = 1) -> None:
    """Give ``uses`` back (cancelled or expired orders); never below 0. The caller calls it once per order
    (or once for a batch of orders, with their number)."""
    locks.note(session, locks.Kind.PROMO, [promo_id])
    used_count = await session.scalar(
        update(PromoCode)
        .where(PromoCode.id == promo_id, PromoCode.used_count > 0)
        .values(used_count=func.greatest(PromoCode.used_count - uses, 0), updated_at=PromoCode.updated_at)
        .returning(PromoCode.used_count)
        .execution_options(synchronize_session=False)
    )
    if used_count is not None:
        _sync_used_count(session, promo_id, used_count)


# ------------------------------------------------------------------------------ the validate endpoint


@dataclass(frozen=True)
class Quote:
    """What an order of the given items with a code would cost now."""

    valid: bool
    code: str
    discount_minor: int
    subtotal_minor: int
    currency: str
    reason: str | None

    @property
    def total_minor(self) -> int:
        return self.subtotal_minor - self.discount_minor


async def quote(
    session: AsyncSession,
    viewer: User | None,
    data: PromoCodeValidate,
    now: datetime,
    *,
    max_tickets: int,
) -> Quote:
    """Price ``data.items`` as an order would and apply the code; nothing is held or counted.

    Bad items raise what order creation raises (404, 409 ``SALES_CLOSED``, 422); a code that does not
    apply is an answer (``valid: false`` with the reason), not an error.
    """
    priced = await order_lines.price_items(
        session, viewer, data.event_id, data.items, now, max_tickets=max_tickets
    )
    subtotal = priced.subtotal_minor
    try:
        promo = await find_for_event(session, priced.event.id, data.code)
        discount = evaluate(promo, priced.lines, now)
    except PromoCodeInvalid as exc:
        reason = exc.errors[0].message if exc.errors else exc.detail
        return Quote(False, data.code, 0, subtotal, priced.event.currency, reason)
    return Quote(True, promo.code, discount.discount_minor, subtotal, priced.event.currency, None)

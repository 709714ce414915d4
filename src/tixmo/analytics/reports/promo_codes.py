"""``/analytics/promo-codes``: per code of the scope's events, its uses in the range (orders paid with it),
the discount it gave, the revenue it brought (after discounts and refunds), and how many of the orders
placed with it in the range were paid (conversion)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.analytics.filters import Scope
from tixmo.analytics.models import Report
from tixmo.analytics.reports.common import heading, ratio
from tixmo.analytics.schemas import PromoCodeFigures, PromoCodesReport

_CODES = text(
    """
    WITH used AS (
        SELECT o.promo_code_id, count(*) AS uses, sum(o.discount_minor) AS discount,
               sum(o.subtotal_minor - o.discount_minor) - coalesce(sum(p.amount_refunded_minor), 0) AS revenue
        FROM orders o
        LEFT JOIN payments p ON p.order_id = o.id AND p.event_id = ANY(CAST(:ids AS uuid[]))
             AND p.amount_refunded_minor > 0
        WHERE o.event_id = ANY(CAST(:ids AS uuid[])) AND o.confirmed_at IS NOT NULL
          AND o.confirmed_at >= :start AND o.confirmed_at < :end AND o.promo_code_id IS NOT NULL
        GROUP BY o.promo_code_id
    ), started AS (
        SELECT promo_code_id, count(*) AS started, count(confirmed_at) AS paid
        FROM orders
        WHERE event_id = ANY(CAST(:ids AS uuid[])) AND created_at >= :start AND created_at < :end
          AND promo_code_id IS NOT NULL
        GROUP BY promo_code_id
    )
    SELECT c.id, c.code, c.event_id, c.status, c.used_count, c.max_uses,
           coalesce(u.uses, 0), coalesce(u.discount, 0), coalesce(u.revenue, 0),
           coalesce(s.started, 0), coalesce(s.paid, 0)
    FROM promo_codes c
    LEFT JOIN used u ON u.promo_code_id = c.id
    LEFT JOIN started s ON s.promo_code_id = c.id
    WHERE c.event_id = ANY(CAST(:ids AS uuid[]))
    """
)


async def build(session: AsyncSession, scope: Scope) -> PromoCodesReport:
    head = await heading(session, Report.PROMO_CODES, scope)
    params = {"ids": scope.event_ids, "start": scope.start, "end": scope.end}
    rows = []
    for row in (await session.execute(_CODES, params)).all():
        code_id, code, event_id, status, used_count, max_uses, uses, discount, revenue, started, paid = row
        event = scope.events[event_id]
        rows.append(
            PromoCodeFigures(
                promo_code_id=code_id,
                code=code,
                event_id=event_id,
                event_name=event.name,
                status=status,
                currency=event.currency,
                uses=int(uses),
                discount_given=int(discount),
                revenue=int(revenue),
                orders_started=int(started),
                orders_paid=int(paid),
                conversion=ratio(int(paid), int(started)),
                used_count=int(used_count),
                max_uses=max_uses,
            )
        )
    rows.sort(key=lambda row: (-row.uses, -row.orders_started, row.event_name, row.code.lower()))
    return PromoCodesReport(**head, codes=rows)

"""``/analytics/customers``: who bought in the range — how many, new or returning, repeat buyers, average
order value, tickets per order, and the biggest spenders.

"New" and "returning" look at the buyer's paid orders for the same events (the scope) before the range,
so the first query reads the scope's paid orders up to ``to`` (index-only): its cost grows with the
history, not only with the range.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.analytics.filters import Scope
from tixmo.analytics.models import Report
from tixmo.analytics.reports.common import heading
from tixmo.analytics.schemas import AverageOrder, CustomersReport, TicketsPerOrder, TopCustomer

TOP = 10

_PAID = (
    "event_id = ANY(CAST(:ids AS uuid[])) AND confirmed_at IS NOT NULL "
    "AND confirmed_at >= :start AND confirmed_at < :end"
)

_BUYERS = text(
    """
    SELECT count(*) FILTER (WHERE orders_in_range > 0),
           count(*) FILTER (WHERE orders_in_range > 0 AND first_paid >= :start),
           count(*) FILTER (WHERE orders_in_range > 0 AND first_paid < :start),
           count(*) FILTER (WHERE orders_in_range >= 2)
    FROM (
        SELECT user_id, min(confirmed_at) AS first_paid,
               count(*) FILTER (WHERE confirmed_at >= :start) AS orders_in_range
        FROM orders
        WHERE event_id = ANY(CAST(:ids AS uuid[])) AND confirmed_at IS NOT NULL AND confirmed_at < :end
        GROUP BY user_id
    ) buyers
    """
)

_SHAPES = text(
    f"""
    SELECT grouping(currency, ticket_count), currency, ticket_count, count(*),
           sum(subtotal_minor - discount_minor)
    FROM orders WHERE {_PAID}
    GROUP BY GROUPING SETS ((currency), (ticket_count))
    """  # noqa: S608 (a constant)
)

# Spend per buyer and currency (refunds subtracted), then the first TOP of each currency by a top-N sort;
# only those few are looked up in ``users``.
_TOP = text(
    f"""
    WITH spend AS MATERIALIZED (
        SELECT o.user_id, o.currency, count(*) AS orders, sum(o.ticket_count) AS tickets,
               (sum(o.subtotal_minor - o.discount_minor) - coalesce(sum(p.amount_refunded_minor), 0))::bigint
                 AS spent
        FROM orders o
        LEFT JOIN payments p ON p.order_id = o.id AND p.event_id = ANY(CAST(:ids AS uuid[]))
             AND p.amount_refunded_minor > 0
        WHERE o.event_id = ANY(CAST(:ids AS uuid[])) AND o.confirmed_at IS NOT NULL
          AND o.confirmed_at >= :start AND o.confirmed_at < :end
        GROUP BY o.user_id, o.currency
    )
    SELECT t.user_id, u.first_name, u.last_name, u.email, t.currency, t.orders, t.tickets, t.spent
    FROM (SELECT DISTINCT currency FROM spend) c
    CROSS JOIN LATERAL (
        SELECT * FROM spend s WHERE s.currency = c.currency ORDER BY s.spent DESC, s.user_id LIMIT {TOP}
    ) t
    JOIN users u ON u.id = t.user_id
    ORDER BY t.currency, t.spent DESC, t.user_id
    """  # noqa: S608 (constants)
)


async def build(session: AsyncSession, scope: Scope) -> CustomersReport:
    head = await heading(session, Report.CUSTOMERS, scope)
    params = {"ids": scope.event_ids, "start": scope.start, "end": scope.end}
    buyers, new, returning, repeat = (int(v) for v in (await session.execute(_BUYERS, params)).one())
    averages, distribution = [], []
    for level, currency, tickets, orders, paid in (await session.execute(_SHAPES, params)).all():
        if level == 1:  # by currency
            averages.append(
                AverageOrder(currency=currency, orders=int(orders), value=_round_div(paid, orders))
            )
        else:
            distribution.append(TicketsPerOrder(tickets=int(tickets), orders=int(orders)))
    top = [
        TopCustomer(
            user_id=row.user_id,
            name=f"{row.first_name} {row.last_name}".strip(),
            email=row.email,
            currency=row.currency,
            orders=int(row.orders),
            tickets=int(row.tickets),
            spent=int(row.spent),
        )
        for row in (await session.execute(_TOP, params)).all()
    ]
    return CustomersReport(
        **head,
        buyers=buyers,
        new_buyers=new,
        returning_buyers=returning,
        repeat_buyers=repeat,
        average_order_value=sorted(averages, key=lambda row: row.currency),
        tickets_per_order=sorted(distribution, key=lambda row: row.tickets),
        top_customers=top,
    )


def _round_div(total: int, count: int) -> int:
    """``total / count`` in minor units, rounded half up."""
    return (2 * int(total) + int(count)) // (2 * int(count)) if count else 0

"""``/analytics/payments``: what happened to the payments of the scope's events in the range — successes,
failed attempts, disputes opened, refunds recorded (a lost dispute is a refund with ``origin: dispute``,
so it is counted here as in every figure) — per currency, by day (each event's time zone, or ``tz``) and
by payment method, and the decline reasons of the failed attempts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.analytics.filters import Scope
from tixmo.analytics.models import Report
from tixmo.analytics.reports.common import heading
from tixmo.analytics.schemas import (
    DeclineReason,
    PaymentDay,
    PaymentFigures,
    PaymentMethodFigures,
    PaymentsReport,
)

# One row per (what happened, currency, local day, method): count and amount.
_FACTS = text(
    """
    WITH facts AS (
        SELECT 'succeeded' AS kind, p.event_id, p.currency, p.method, p.provider,
               p.succeeded_at AS at, p.amount_received_minor AS amount
        FROM payments p
        WHERE p.event_id = ANY(CAST(:ids AS uuid[])) AND p.succeeded_at >= :start AND p.succeeded_at < :end
        UNION ALL
        SELECT 'failed', p.event_id, p.currency, p.method, p.provider, e.created_at, p.amount_minor
        FROM payment_events e JOIN payments p ON p.id = e.payment_id
        WHERE p.event_id = ANY(CAST(:ids AS uuid[])) AND e.type = 'payment_failed'
          AND e.created_at >= :start AND e.created_at < :end
        UNION ALL
        SELECT 'disputed', p.event_id, p.currency, p.method, p.provider, d.created_at, d.amount_minor
        FROM payment_disputes d JOIN payments p ON p.id = d.payment_id
        WHERE p.event_id = ANY(CAST(:ids AS uuid[])) AND d.created_at >= :start AND d.created_at < :end
        UNION ALL
        SELECT 'refunded', p.event_id, p.currency, p.method, p.provider, r.created_at, r.amount_minor
        FROM refunds r JOIN payments p ON p.id = r.payment_id
        WHERE p.event_id = ANY(CAST(:ids AS uuid[])) AND r.status IN ('PENDING', 'SUCCEEDED')
          AND r.created_at >= :start AND r.created_at < :end
    )
    SELECT f.kind, f.currency,
           (f.at AT TIME ZONE coalesce(CAST(:tz AS text), ev.timezone))::date AS day,
           coalesce(f.method, CASE WHEN f.provider = 'manual' THEN 'manual' END, 'unknown') AS method,
           count(*), coalesce(sum(f.amount), 0)
    FROM facts f JOIN events ev ON ev.id = f.event_id
    GROUP BY 1, 2, 3, 4
    """
)

_DECLINES = text(
    """
    SELECT coalesce(e.code, 'unknown') AS code, count(*) AS n
    FROM payment_events e JOIN payments p ON p.id = e.payment_id
    WHERE p.event_id = ANY(CAST(:ids AS uuid[])) AND e.type = 'payment_failed'
      AND e.created_at >= :start AND e.created_at < :end
    GROUP BY 1
    ORDER BY n DESC, code
    """
)


class _Sums:
    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        self.amounts: dict[str, int] = defaultdict(int)

    def add(self, kind: str, count: int, amount: int) -> None:
        self.counts[kind] += count
        self.amounts[kind] += amount

    def fields(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for kind in ("succeeded", "failed", "disputed", "refunded"):
            result[kind] = self.counts[kind]
            result[f"{kind}_amount"] = self.amounts[kind]
        return result


async def build(session: AsyncSession, scope: Scope) -> PaymentsReport:
    head = await heading(session, Report.PAYMENTS, scope)
    params = {"ids": scope.event_ids, "start": scope.start, "end": scope.end}
    totals: dict[str, _Sums] = defaultdict(_Sums)
    days: dict[tuple[date, str], _Sums] = defaultdict(_Sums)
    methods: dict[tuple[str, str], _Sums] = defaultdict(_Sums)
    for kind, currency, day, method, count, amount in (
        await session.execute(_FACTS, {**params, "tz": scope.tz})
    ).all():
        for sums in (totals[currency], days[(day, currency)], methods[(method, currency)]):
            sums.add(kind, int(count), int(amount))
    declines = (await session.execute(_DECLINES, params)).all()
    return PaymentsReport(
        **head,
        totals=[PaymentFigures(currency=c, **totals[c].fields()) for c in sorted(totals)],
        by_day=[PaymentDay(date=d, currency=c, **days[(d, c)].fields()) for d, c in sorted(days)],
        by_method=[
            PaymentMethodFigures(method=m, currency=c, **methods[(m, c)].fields()) for m, c in sorted(methods)
        ],
        decline_reasons=[DeclineReason(code=str(code), count=int(n)) for code, n in declines],
    )

"""What every report shares: the session settings of a report, its heading, money rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.analytics import figures, rollup
from tixmo.analytics.filters import Scope
from tixmo.analytics.models import Report
from tixmo.analytics.schemas import Money, ReportFiltersRead

M = TypeVar("M", bound=Money)

# Aggregates hash tens of thousands of rows: enough memory to do it without spilling; no JIT (its compile
# time would cost more than it saves on a query of tens of milliseconds); and a plan made for the very
# scope and range of each query (asyncpg prepares every statement, and after five runs PostgreSQL's generic
# plan, blind to how many events and days are asked for, made the sales sums ten times slower).
_SETTINGS = text(
    "SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true), "
    "set_config('plan_cache_mode', 'force_custom_plan', true), now()"
)


async def begin(session: AsyncSession) -> datetime:
    """Settings for this transaction's report queries; returns the transaction's time (``asOf``)."""
    row = (await session.execute(_SETTINGS)).one()
    as_of: datetime = row[3]
    return as_of


async def heading(session: AsyncSession, report: Report, scope: Scope) -> dict[str, Any]:
    """The fields of ``ReportBase``, by name."""
    as_of = await begin(session)
    return {
        "report": report,
        "filters": ReportFiltersRead(
            organization_id=scope.filters.organization_id,
            event_id=scope.filters.event_id,
            from_=scope.start,
            to=scope.end,
            tz=scope.tz,
        ),
        "as_of": as_of,
        "rollup_covered_until": await rollup.covered_until(session),
    }


def money(currency: str, figures_: figures.Money, cls: type[M] = Money, **extra: Any) -> M:  # type: ignore[assignment]
    """``figures_`` as ``cls`` (``Money`` or a subclass with the ``extra`` fields)."""
    return cls(
        **extra,
        currency=currency,
        orders=figures_.orders,
        tickets=figures_.tickets,
        gross=figures_.gross,
        discounts=figures_.discounts,
        refunds=figures_.refunds,
        net=figures_.net,
        refunded_orders=figures_.refunded_orders,
    )


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def average(total: int, count: int) -> int:
    """``total / count`` in minor units, rounded half up (0 for no count)."""
    return (2 * int(total) + int(count)) // (2 * int(count)) if count else 0

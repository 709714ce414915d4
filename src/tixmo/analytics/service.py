"""Reports: resolve the caller's scope (``analytics.filters``), then build the report (``analytics.reports``).

A report reads; it never writes. It runs in one read-only ``REPEATABLE READ`` transaction (``snapshot``), so
its several queries (and an export's) see the same committed data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tixmo.accounts.models import User
from tixmo.analytics import filters as scoping
from tixmo.analytics.filters import ReportFilters, Scope
from tixmo.analytics.models import Report
from tixmo.analytics.reports import customers, dashboard, events, funnel, payments, promo_codes, sales
from tixmo.analytics.schemas import AnyReport

# The reports by the last segment of their path (``/analytics/promo-codes``).
PATHS: dict[str, Report] = {
    "sales": Report.SALES,
    "events": Report.EVENTS,
    "customers": Report.CUSTOMERS,
    "promo-codes": Report.PROMO_CODES,
    "dashboard": Report.DASHBOARD,
    "funnel": Report.FUNNEL,
    "payments": Report.PAYMENTS,
}
PATH_OF = {report: path for path, report in PATHS.items()}

DEFAULT_VIEWS_LAG = 10.0

_BUILDERS: dict[Report, Callable[[AsyncSession, Scope], Awaitable[AnyReport]]] = {
    Report.SALES: sales.build,
    Report.EVENTS: events.build,
    Report.CUSTOMERS: customers.build,
    Report.PROMO_CODES: promo_codes.build,
    Report.DASHBOARD: dashboard.build,
    Report.PAYMENTS: payments.build,
}


@asynccontextmanager
async def snapshot(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A read-only ``REPEATABLE READ`` transaction for one report; rolled back at the end."""
    async with sessionmaker() as session:
        await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        await session.execute(text("SET TRANSACTION READ ONLY"))
        try:
            yield session
        finally:
            await session.rollback()


async def build(
    session: AsyncSession, report: Report, scope: Scope, *, views_lag_seconds: float = DEFAULT_VIEWS_LAG
) -> AnyReport:
    """The report for an already resolved scope."""
    if report == Report.FUNNEL:
        return await funnel.build(session, scope, views_lag_seconds=views_lag_seconds)
    return await _BUILDERS[report](session, scope)


async def compute(
    session: AsyncSession,
    user: User,
    report: Report | str,
    filters: ReportFilters,
    *,
    views_lag_seconds: float = DEFAULT_VIEWS_LAG,
) -> AnyReport:
    """``report`` (a ``Report`` or its path, ``promo-codes``) for ``user`` with ``filters``: 403 for a
    caller who is staff of no organization, 404 for ids they may not see, 422 for bad filters."""
    kind = report if isinstance(report, Report) else PATHS[report]
    scope = await scoping.resolve(session, user, filters)
    return await build(session, kind, scope, views_lag_seconds=views_lag_seconds)

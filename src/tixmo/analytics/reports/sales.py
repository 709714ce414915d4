"""``/analytics/sales``: gross, discounts, refunds and net of the orders paid in the range, in total, by day,
by event and by ticket type, per currency (``analytics.figures`` does the sums)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.analytics import figures
from tixmo.analytics.filters import Scope
from tixmo.analytics.models import Report
from tixmo.analytics.reports.common import heading, money
from tixmo.analytics.schemas import SalesDay, SalesEvent, SalesReport, SalesTicketType
from tixmo.ticketing.models import TicketType


async def build(session: AsyncSession, scope: Scope) -> SalesReport:
    head = await heading(session, Report.SALES, scope)
    sums = await figures.figures(session, scope)
    lines = await figures.lines(session, scope)
    names = await _ticket_type_names(session, [line.ticket_type_id for line in lines])
    events = scope.events
    return SalesReport(
        **head,
        totals=[money(currency, sums.totals[currency]) for currency in sorted(sums.totals)],
        by_day=[
            money(currency, value, SalesDay, date=day)
            for (currency, day), value in sorted(
                sums.by_day.items(), key=lambda item: (item[0][1], item[0][0])
            )
        ],
        by_event=sorted(
            (
                money(currency, value, SalesEvent, event_id=event_id, event_name=events[event_id].name)
                for (currency, event_id), value in sums.by_event.items()
            ),
            key=lambda row: (row.event_name, str(row.event_id), row.currency),
        ),
        by_ticket_type=sorted(
            (
                SalesTicketType(
                    event_id=line.event_id,
                    ticket_type_id=line.ticket_type_id,
                    ticket_type_name=names.get(line.ticket_type_id, ""),
                    currency=line.currency,
                    tickets=line.tickets,
                    gross=line.gross,
                    discounts=line.discounts,
                    revenue=line.revenue,
                )
                for line in lines
            ),
            key=lambda row: (
                events[row.event_id].name,
                str(row.event_id),
                row.ticket_type_name,
                row.currency,
            ),
        ),
    )


async def _ticket_type_names(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await session.execute(select(TicketType.id, TicketType.name).where(TicketType.id.in_(ids)))
    return {row.id: row.name for row in rows}

"""``/analytics``: the reports (JSON, ``?format=csv`` streamed, ``?format=pdf``) and report subscriptions.

A report runs in a read-only snapshot transaction of its own (``service.snapshot``), the caller included:
one pooled connection per request. A CSV export is computed, then streamed: the transaction has ended
before the first byte is sent, so an error is still a problem+json answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status
from fastapi.responses import StreamingResponse

from tixmo.analytics import export_csv, pageviews, pdf, service, subscriptions
from tixmo.analytics.filters import ReportFilters
from tixmo.analytics.models import Report
from tixmo.analytics.schemas import (
    AnyReport,
    CustomersReport,
    DashboardReport,
    EventsReport,
    FunnelReport,
    PaymentsReport,
    PromoCodesReport,
    SalesReport,
    SubscriptionCreate,
    SubscriptionRead,
    SubscriptionUpdate,
)
from tixmo.deps import AccessToken, Context, CurrentUser, DbSession, user_of
from tixmo.errors import problems
from tixmo.schemas import FilterInstant, Page, Pagination

router = APIRouter(prefix="/analytics", tags=["analytics"], lifespan=pageviews.lifespan)


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    PDF = "pdf"


MODELS: dict[Report, type[AnyReport]] = {
    Report.SALES: SalesReport,
    Report.EVENTS: EventsReport,
    Report.CUSTOMERS: CustomersReport,
    Report.PROMO_CODES: PromoCodesReport,
    Report.DASHBOARD: DashboardReport,
    Report.FUNNEL: FunnelReport,
    Report.PAYMENTS: PaymentsReport,
}

SUMMARIES = {
    Report.SALES: "Sales: gross, discounts, refunds, net; orders and tickets; by day, event and ticket type",
    Report.EVENTS: "Events: sold against capacity, sales, order statuses, check-ins, no-shows, peak hour",
    Report.CUSTOMERS: "Customers: buyers, new and returning, average order value, top customers",
    Report.PROMO_CODES: "Promo codes: uses, discount given, revenue, conversion",
    Report.DASHBOARD: "Dashboard: the range beside the same length of time before it, with the change",
    Report.FUNNEL: "Funnel: event page views, orders started, orders paid, per event and day",
    Report.PAYMENTS: "Payments: succeeded, failed, disputed, refunded per day and method; decline reasons",
}

DESCRIPTION = (
    "Org staff for their organizations (without `organizationId`: all of them); ADMIN for every "
    "organization. A caller who is staff of no organization: 403. An `organizationId` or `eventId` the "
    "caller may not see: 404 (an ADMIN naming one that does not exist: 422). `from` (inclusive) and `to` "
    "(exclusive) select orders by the time they were paid (default: the 30 days before now); days are cut "
    "in each event's time zone unless `tz` names another. Money never adds up two currencies. "
    "`format=csv` streams the same figures as one long table (`section,key,label,currency,metric,value`); "
    "`format=pdf` renders one page with the key figures and a chart. See docs/analytics.md."
)

EXPORTS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


async def _filters(
    organization_id: Annotated[uuid.UUID | None, Query(alias="organizationId")] = None,
    event_id: Annotated[uuid.UUID | None, Query(alias="eventId")] = None,
    start: Annotated[
        FilterInstant | None, Query(alias="from", description="Paid at or after (UTC without an offset).")
    ] = None,
    end: Annotated[
        FilterInstant | None, Query(alias="to", description="Paid before (UTC without an offset).")
    ] = None,
    tz: Annotated[
        str | None, Query(max_length=64, description="IANA time zone that cuts the days, e.g. Europe/Berlin.")
    ] = None,
) -> ReportFilters:
    return ReportFilters(organization_id=organization_id, event_id=event_id, start=start, end=end, tz=tz)


def _disposition(report: Report, computed: AnyReport, extension: str) -> dict[str, str]:
    day: datetime = computed.filters.to
    return {
        "Content-Disposition": f'attachment; filename="{service.PATH_OF[report]}-{day:%Y%m%d}.{extension}"'
    }


def _endpoint(report: Report) -> Callable[..., Awaitable[Any]]:
    async def endpoint(
        claims: AccessToken,
        context: Context,
        filters: Annotated[ReportFilters, Depends(_filters)],
        format: Annotated[ExportFormat, Query(description="json (default), csv or pdf.")] = ExportFormat.JSON,
    ) -> Any:
        async with service.snapshot(context.database.sessionmaker) as session:
            user = await user_of(session, claims)
            computed = await service.compute(
                session, user, report, filters, views_lag_seconds=context.settings.page_view_flush_seconds
            )
        if format == ExportFormat.CSV:
            return StreamingResponse(
                export_csv.stream(computed),
                media_type="text/csv; charset=utf-8",
                headers=_disposition(report, computed, "csv"),
            )
        if format == ExportFormat.PDF:
            content = await pdf.pdf_bytes(computed, font=context.settings.pdf_font)
            return Response(
                content,
                media_type="application/pdf",
                headers=_disposition(report, computed, "pdf"),
            )
        return computed

    endpoint.__name__ = f"{service.PATH_OF[report].replace('-', '_')}_report"
    return endpoint


for _report, _model in MODELS.items():
    router.add_api_route(
        f"/{service.PATH_OF[_report]}",
        _endpoint(_report),
        methods=["GET"],
        response_model=_model,
        responses={**problems(401, 403, 404), **EXPORTS},
        summary=SUMMARIES[_report],
        description=DESCRIPTION,
    )


# ------------------------------------------------------------------------------------- subscriptions

SubscriptionIdPath = Annotated[uuid.UUID, Path(alias="subscriptionId")]


@router.post(
    "/subscriptions",
    status_code=status.HTTP_201_CREATED,
    response_model=SubscriptionRead,
    responses=problems(401, 404),
    summary="Subscribe members of an organization to a report mailed daily or weekly (org staff)",
    description="The report (PDF and CSV attached) goes to `recipients`, members of the organization, after "
    "every finished local day or ISO week in `timezone` (UTC without one). A recipient who is not a member "
    "is 422 naming `recipients.N`.",
)
async def create_subscription(
    body: SubscriptionCreate, actor: CurrentUser, session: DbSession
) -> SubscriptionRead:
    subscription = await subscriptions.create(session, actor, body)
    return await subscriptions.view(session, subscription)


@router.get(
    "/subscriptions",
    response_model=Page[SubscriptionRead],
    responses=problems(401, 404),
    summary="List report subscriptions (of your organizations; ADMIN: all)",
)
async def list_subscriptions(
    actor: CurrentUser,
    session: DbSession,
    paging: Pagination,
    organization_id: Annotated[uuid.UUID | None, Query(alias="organizationId")] = None,
) -> Page[SubscriptionRead]:
    items, total = await subscriptions.list_subscriptions(
        session, actor, organization_id, offset=paging.offset, limit=paging.limit
    )
    return paging.build(items, total)


@router.get(
    "/subscriptions/{subscriptionId}",
    response_model=SubscriptionRead,
    responses=problems(401, 404),
    summary="Get a report subscription (org staff)",
)
async def get_subscription(
    subscription_id: SubscriptionIdPath, actor: CurrentUser, session: DbSession
) -> SubscriptionRead:
    return await subscriptions.view(session, await subscriptions.get(session, actor, subscription_id))


@router.put(
    "/subscriptions/{subscriptionId}",
    response_model=SubscriptionRead,
    responses=problems(401, 404),
    summary="Change a report subscription (org staff; partial)",
)
async def update_subscription(
    subscription_id: SubscriptionIdPath, body: SubscriptionUpdate, actor: CurrentUser, session: DbSession
) -> SubscriptionRead:
    await body.check_read_only(lambda: get_subscription(subscription_id, actor, session))
    subscription = await subscriptions.update(session, actor, subscription_id, body)
    return await subscriptions.view(session, subscription)


@router.delete(
    "/subscriptions/{subscriptionId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 404),
    summary="Delete a report subscription (org staff)",
)
async def delete_subscription(
    subscription_id: SubscriptionIdPath, actor: CurrentUser, session: DbSession
) -> Response:
    await subscriptions.delete(session, actor, subscription_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

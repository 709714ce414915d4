"""Answers of the reports, and the bodies of report subscriptions.

Money is a decimal string per currency: figures in two currencies are never added together.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints

from tixmo.analytics.models import Frequency, Report
from tixmo.money import MoneyOutput
from tixmo.schemas import CamelModel, ReadModel, UpdateModel

# ------------------------------------------------------------------------------------------- common


class ReportFiltersRead(ReadModel):
    organization_id: uuid.UUID | None
    event_id: uuid.UUID | None
    from_: datetime = Field(alias="from", description="Start of the range (inclusive), UTC.")
    to: datetime = Field(description="End of the range (exclusive), UTC.")
    tz: str | None = Field(description="The zone that cuts the days; null: each event's own time zone.")


class ReportBase(ReadModel):
    report: Report
    filters: ReportFiltersRead
    as_of: datetime = Field(description="The figures include every change committed before this instant.")
    rollup_covered_until: datetime | None = Field(
        description="Orders paid before this instant are read from the daily rollups, later ones from the "
        "orders themselves (docs/analytics.md); it does not make the figures older than `asOf`."
    )


class Money(ReadModel):
    """Paid orders in one currency: ``net = gross - discounts - refunds``."""

    currency: str
    orders: int
    tickets: int
    gross: MoneyOutput
    discounts: MoneyOutput
    refunds: MoneyOutput
    net: MoneyOutput
    refunded_orders: int = Field(description="Orders with any money refunded (fully or in part).")


# -------------------------------------------------------------------------------------------- sales


class SalesDay(Money):
    date: date


class SalesEvent(Money):
    event_id: uuid.UUID
    event_name: str


class SalesTicketType(ReadModel):
    event_id: uuid.UUID
    ticket_type_id: uuid.UUID
    ticket_type_name: str
    currency: str
    tickets: int
    gross: MoneyOutput
    discounts: MoneyOutput
    revenue: MoneyOutput = Field(description="gross - discounts; refunds belong to orders, not lines.")


class SalesReport(ReportBase):
    totals: list[Money]
    by_day: list[SalesDay]
    by_event: list[SalesEvent]
    by_ticket_type: list[SalesTicketType]


# ------------------------------------------------------------------------------------------- events


class CheckIn(ReadModel):
    checked_in: int = Field(description="Tickets used (scanned in or checked in by staff).")
    not_checked_in: int = Field(description="VALID tickets not used yet.")
    rate: float | None = Field(description="checkedIn / (checkedIn + notCheckedIn).")
    no_shows: int | None = Field(description="VALID tickets once the event has ended; null before.")


class PeakHour(ReadModel):
    hour: datetime = Field(description="Start of the hour (UTC).")
    hour_local: str = Field(description="The same in the event's time zone (or `tz`), ISO 8601 with offset.")
    entries: int


class EventFigures(ReadModel):
    event_id: uuid.UUID
    name: str
    status: str
    starts_at: datetime
    timezone: str
    capacity: int | None = Field(description="The event's capacity, else its venue's, else tickets offered.")
    tickets_sold: int = Field(description="Tickets sold now (all time), from the live inventory.")
    sell_through: float | None = Field(description="ticketsSold / capacity.")
    sales: list[Money] = Field(description="Orders paid in the range, per currency.")
    order_statuses: dict[str, int] = Field(description="Orders placed in the range, by their status now.")
    check_in: CheckIn
    peak_entry_hour: PeakHour | None


class TopEvent(ReadModel):
    event_id: uuid.UUID
    name: str
    tickets: int
    orders: int


class EventsReport(ReportBase):
    events: list[EventFigures] = Field(description="Best-selling in the range first.")
    top_selling: list[TopEvent] = Field(description="The ten events that sold most tickets in the range.")


# ---------------------------------------------------------------------------------------- customers


class AverageOrder(ReadModel):
    currency: str
    orders: int
    value: MoneyOutput = Field(description="Amount paid per order (after discounts, before refunds).")


class TicketsPerOrder(ReadModel):
    tickets: int
    orders: int


class TopCustomer(ReadModel):
    user_id: uuid.UUID
    name: str
    email: str
    currency: str
    orders: int
    tickets: int
    spent: MoneyOutput = Field(description="Paid after discounts, minus refunds.")


class CustomersReport(ReportBase):
    buyers: int = Field(description="People with a paid order in the range.")
    new_buyers: int = Field(description="Buyers whose first paid order (for these events) is in the range.")
    returning_buyers: int = Field(description="Buyers who had paid for an order before the range.")
    repeat_buyers: int = Field(description="Buyers with two or more paid orders in the range.")
    average_order_value: list[AverageOrder]
    tickets_per_order: list[TicketsPerOrder]
    top_customers: list[TopCustomer] = Field(description="Up to ten per currency, biggest spenders first.")


# -------------------------------------------------------------------------------------- promo codes


class PromoCodeFigures(ReadModel):
    promo_code_id: uuid.UUID
    code: str
    event_id: uuid.UUID
    event_name: str
    status: str
    currency: str
    uses: int = Field(description="Orders paid in the range with this code.")
    discount_given: MoneyOutput
    revenue: MoneyOutput = Field(description="Those orders' gross - discounts - refunds.")
    orders_started: int = Field(description="Orders placed in the range with this code.")
    orders_paid: int = Field(description="Of those, the ones paid (by now).")
    conversion: float | None = Field(description="ordersPaid / ordersStarted.")
    used_count: int = Field(description="The code's live use counter (all time).")
    max_uses: int | None


class PromoCodesReport(ReportBase):
    codes: list[PromoCodeFigures] = Field(description="Most used first.")


# ---------------------------------------------------------------------------------------- dashboard


class Period(ReadModel):
    from_: datetime = Field(alias="from")
    to: datetime


class MoneyChange(ReadModel):
    metric: str
    currency: str
    current: MoneyOutput
    previous: MoneyOutput
    change_percent: float | None = Field(
        description="(current - previous) / previous * 100; null if 0 before."
    )


class CountChange(ReadModel):
    metric: str
    current: int
    previous: int
    change_percent: float | None


class DashboardReport(ReportBase):
    current: Period
    previous: Period = Field(description="The same length of time right before `current`.")
    money: list[MoneyChange] = Field(
        description="gross, discounts, refunds, net, averageOrderValue per currency."
    )
    counts: list[CountChange] = Field(description="orders, tickets, buyers, pageViews, orderStarts.")


# ------------------------------------------------------------------------------------------- funnel


class FunnelFigures(ReadModel):
    views: int
    order_starts: int
    paid_orders: int
    view_to_start: float | None
    start_to_paid: float | None
    view_to_paid: float | None


class FunnelDay(FunnelFigures):
    date: date


class FunnelEvent(FunnelFigures):
    event_id: uuid.UUID
    name: str


class FunnelReport(ReportBase):
    views_lag_seconds: float = Field(
        description="Page views reach the database in batches: the last this many seconds may be missing."
    )
    totals: FunnelFigures
    by_day: list[FunnelDay]
    by_event: list[FunnelEvent]


# ----------------------------------------------------------------------------------------- payments


class PaymentFigures(ReadModel):
    """Payments of one currency in the range: each figure counts what happened in it (a success, a
    failed attempt, a dispute opened, a refund recorded — a lost dispute's included)."""

    currency: str
    succeeded: int = Field(description="Payments that succeeded.")
    succeeded_amount: MoneyOutput
    failed: int = Field(description="Failed attempts (one payment may fail several times).")
    failed_amount: MoneyOutput = Field(description="What the failed attempts tried to charge.")
    disputed: int = Field(description="Disputes opened.")
    disputed_amount: MoneyOutput
    refunded: int = Field(description="Refunds recorded (PENDING or SUCCEEDED), lost disputes included.")
    refunded_amount: MoneyOutput


class PaymentDay(PaymentFigures):
    date: date


class PaymentMethodFigures(PaymentFigures):
    method: str = Field(description="`card`, `sepa_debit`, … as the provider named it; `manual`; `unknown`.")


class DeclineReason(ReadModel):
    code: str = Field(description="The decline code (`insufficient_funds`, `card_declined`, …) or `unknown`.")
    count: int


class PaymentsReport(ReportBase):
    totals: list[PaymentFigures]
    by_day: list[PaymentDay]
    by_method: list[PaymentMethodFigures]
    decline_reasons: list[DeclineReason]


AnyReport = (
    SalesReport
    | EventsReport
    | CustomersReport
    | PromoCodesReport
    | DashboardReport
    | FunnelReport
    | PaymentsReport
)

# ------------------------------------------------------------------------------------- subscriptions

ZoneName = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class SubscriptionRead(ReadModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    report: Report
    frequency: Frequency
    event_id: uuid.UUID | None
    timezone: str | None = Field(description="Cuts the days and the periods; null: UTC periods.")
    recipients: list[uuid.UUID] = Field(description="Members of the organization who receive it.")
    is_active: bool
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    last_period_sent: datetime | None = Field(description="Start of the latest period mailed.")


class SubscriptionCreate(CamelModel):
    organization_id: uuid.UUID
    report: Report
    frequency: Frequency
    event_id: uuid.UUID | None = None
    timezone: ZoneName | None = None
    recipients: list[uuid.UUID] = Field(min_length=1, max_length=50)


class SubscriptionUpdate(UpdateModel):
    read_model: ClassVar[type[ReadModel]] = SubscriptionRead

    report: Report | None = None
    frequency: Frequency | None = None
    event_id: uuid.UUID | None = None
    timezone: ZoneName | None = None
    recipients: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=50)
    is_active: bool | None = None

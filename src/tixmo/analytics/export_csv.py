"""Reports as CSV: one long table, the same for every report, that spreadsheets pivot and programs parse.

Columns: ``section, key, label, currency, metric, value``. Every figure of the JSON answer is one line:
``section`` names the list it is in (``totals``, ``byDay``, ``byEvent``, …; ``report`` for the heading),
``key`` the row (a date, an id, a metric name), ``label`` a readable name for it, ``currency`` the
currency of money rows, ``metric`` the field (camelCase, as in the JSON) and ``value`` its JSON value
(money as a decimal string, empty for null; text that a spreadsheet would take for a formula starts with
``'``). Lines are produced one at a time and sent in chunks
(``stream``), so an export is never held in memory as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from tixmo.analytics.schemas import (
    AnyReport,
    CustomersReport,
    DashboardReport,
    EventsReport,
    FunnelReport,
    PaymentsReport,
    PromoCodesReport,
    SalesReport,
)

HEADER = ("section", "key", "label", "currency", "metric", "value")
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Section:
    """A list of the JSON answer: each row gives ``key`` (and maybe ``label`` and ``currency``) and the
    figures ``metrics`` (dotted names reach into nested objects; a dict spreads into one metric per key)."""

    name: str
    key: str | None
    label: str | None
    metrics: tuple[str, ...]
    currency: bool = True
    # Rows of a list inside each row of another section (``source``), keyed by their parent row.
    source: str | None = None
    nested: str | None = None

    def rows(self, data: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(the row that gives key and label, the row that gives currency and figures)."""
        for row in data[self.source or self.name]:
            if self.nested is None:
                yield row, row
            else:
                for child in row[self.nested]:
                    yield row, child


_MONEY = ("orders", "tickets", "gross", "discounts", "refunds", "net", "refundedOrders")
_PAYMENTS = (
    "succeeded",
    "succeededAmount",
    "failed",
    "failedAmount",
    "disputed",
    "disputedAmount",
    "refunded",
    "refundedAmount",
)
_FUNNEL = ("views", "orderStarts", "paidOrders", "viewToStart", "startToPaid", "viewToPaid")

SECTIONS: dict[type[Any], tuple[Section, ...]] = {
    SalesReport: (
        Section("totals", None, None, _MONEY),
        Section("byDay", "date", None, _MONEY),
        Section("byEvent", "eventId", "eventName", _MONEY),
        Section(
            "byTicketType", "ticketTypeId", "ticketTypeName", ("tickets", "gross", "discounts", "revenue")
        ),
    ),
    EventsReport: (
        Section(
            "events",
            "eventId",
            "name",
            (
                "status",
                "startsAt",
                "capacity",
                "ticketsSold",
                "sellThrough",
                "checkIn.checkedIn",
                "checkIn.notCheckedIn",
                "checkIn.rate",
                "checkIn.noShows",
                "peakEntryHour.hour",
                "peakEntryHour.entries",
                "orderStatuses",
            ),
            currency=False,
        ),
        Section("eventSales", "eventId", "name", _MONEY, source="events", nested="sales"),
        Section("topSelling", "eventId", "name", ("tickets", "orders"), currency=False),
    ),
    CustomersReport: (
        Section("averageOrderValue", None, None, ("orders", "value")),
        Section("ticketsPerOrder", "tickets", None, ("orders",), currency=False),
        Section("topCustomers", "userId", "name", ("email", "orders", "tickets", "spent")),
    ),
    PromoCodesReport: (
        Section(
            "codes",
            "promoCodeId",
            "code",
            (
                "eventId",
                "status",
                "uses",
                "discountGiven",
                "revenue",
                "ordersStarted",
                "ordersPaid",
                "conversion",
                "usedCount",
                "maxUses",
            ),
        ),
    ),
    DashboardReport: (
        Section("money", "metric", None, ("current", "previous", "changePercent")),
        Section("counts", "metric", None, ("current", "previous", "changePercent"), currency=False),
    ),
    FunnelReport: (
        Section("byDay", "date", None, _FUNNEL, currency=False),
        Section("byEvent", "eventId", "name", _FUNNEL, currency=False),
    ),
    PaymentsReport: (
        Section("totals", None, None, _PAYMENTS),
        Section("byDay", "date", None, _PAYMENTS),
        Section("byMethod", "method", None, _PAYMENTS),
        Section("declineReasons", "code", None, ("count",), currency=False),
    ),
}
# Scalar figures at the top of a report (besides the heading), written in the section ``summary``.
SUMMARY: dict[type[Any], tuple[str, ...]] = {
    CustomersReport: ("buyers", "newBuyers", "returningBuyers", "repeatBuyers"),
    FunnelReport: (
        "viewsLagSeconds",
        "totals.views",
        "totals.orderStarts",
        "totals.paidOrders",
        "totals.viewToStart",
        "totals.startToPaid",
        "totals.viewToPaid",
    ),
}


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: Any) -> str:
    """A JSON value as a cell. Text that a spreadsheet would run as a formula (an event named
    ``=HYPERLINK(…)``) gets a leading ``'``; numbers, negative ones included, stay as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _get(row: dict[str, Any], dotted: str) -> Any:
    value: Any = row
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def lines(report: AnyReport) -> Iterator[tuple[str, ...]]:
    """Every figure of ``report`` as a CSV line (header first)."""
    data = report.model_dump(mode="json", by_alias=True)
    yield HEADER
    for name in ("report", "asOf", "rollupCoveredUntil"):
        yield ("report", "", "", "", name, _text(data[name]))
    for name, value in data["filters"].items():
        yield ("report", "", "", "", name, _text(value))
    for dotted in SUMMARY.get(type(report), ()):
        yield ("summary", "", "", "", dotted.rpartition(".")[2], _text(_get(data, dotted)))
    for section in SECTIONS[type(report)]:
        for parent, row in section.rows(data):
            key = _text(parent.get(section.key)) if section.key else ""
            label = _text(parent.get(section.label)) if section.label else ""
            currency = _text(row.get("currency")) if section.currency else ""
            for metric in section.metrics:
                value = _get(row, metric)
                if isinstance(value, dict):
                    for sub, sub_value in value.items():
                        yield (section.name, key, label, currency, f"{metric}.{sub}", _text(sub_value))
                else:
                    yield (section.name, key, label, currency, metric, _text(value))


def _render(rows: list[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def chunks(report: AnyReport, size: int = CHUNK) -> Iterator[str]:
    """The CSV text in chunks of about ``size`` characters."""
    pending: list[tuple[str, ...]] = []
    length = 0
    for line in lines(report):
        pending.append(line)
        length += sum(len(cell) + 1 for cell in line)
        if length >= size:
            yield _render(pending)
            pending, length = [], 0
    if pending:
        yield _render(pending)


async def stream(report: AnyReport) -> AsyncIterator[bytes]:
    for chunk in chunks(report):
        yield chunk.encode()


def to_bytes(report: AnyReport) -> bytes:
    """The whole CSV (for an email attachment)."""
    return "".join(chunks(report)).encode()

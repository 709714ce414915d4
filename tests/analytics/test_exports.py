"""Exports: the CSV holds every figure of the JSON answer and parses back to it; the PDF is one page that
opens and shows the totals."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pypdf
import pytest

from tests.analytics.dataset import World
from tests.analytics.helpers import REPORTS, build_rollup, params, report
from tixmo.analytics import export_csv
from tixmo.analytics.schemas import SalesReport
from tixmo.deps import AppContext

MONEY = ("orders", "tickets", "gross", "discounts", "refunds", "net", "refundedOrders")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _rows(
    body: dict[str, Any], section: str, key: str | None, metrics: tuple[str, ...], currency: bool = True
) -> dict:
    cells = {}
    for row in body[section]:
        for metric in metrics:
            cells[(section, _cell(row[key]) if key else "", row["currency"] if currency else "", metric)] = (
                _cell(row[metric])
            )
    return cells


def json_cells(name: str, body: dict[str, Any]) -> dict[tuple[str, str, str, str], str]:
    """Every figure of a JSON answer, keyed as the CSV keys it: (section, key, currency, metric)."""
    cells: dict[tuple[str, str, str, str], str] = {}
    if name == "sales":
        cells |= _rows(body, "totals", None, MONEY)
        cells |= _rows(body, "byDay", "date", MONEY)
        cells |= _rows(body, "byEvent", "eventId", MONEY)
        cells |= _rows(body, "byTicketType", "ticketTypeId", ("tickets", "gross", "discounts", "revenue"))
    elif name == "events":
        for row in body["events"]:
            key = row["eventId"]
            for metric in ("status", "startsAt", "capacity", "ticketsSold", "sellThrough"):
                cells[("events", key, "", metric)] = _cell(row[metric])
            for metric, value in row["checkIn"].items():
                cells[("events", key, "", f"checkIn.{metric}")] = _cell(value)
            peak = row["peakEntryHour"] or {}
            cells[("events", key, "", "peakEntryHour.hour")] = _cell(peak.get("hour"))
            cells[("events", key, "", "peakEntryHour.entries")] = _cell(peak.get("entries"))
            for status, count in row["orderStatuses"].items():
                cells[("events", key, "", f"orderStatuses.{status}")] = _cell(count)
            for sales in row["sales"]:
                for metric in MONEY:
                    cells[("eventSales", key, sales["currency"], metric)] = _cell(sales[metric])
        cells |= _rows(body, "topSelling", "eventId", ("tickets", "orders"), currency=False)
    elif name == "customers":
        for metric in ("buyers", "newBuyers", "returningBuyers", "repeatBuyers"):
            cells[("summary", "", "", metric)] = _cell(body[metric])
        cells |= _rows(body, "averageOrderValue", None, ("orders", "value"))
        cells |= _rows(body, "ticketsPerOrder", "tickets", ("orders",), currency=False)
        cells |= _rows(body, "topCustomers", "userId", ("email", "orders", "tickets", "spent"))
    elif name == "promo-codes":
        metrics = ("eventId", "status", "uses", "discountGiven", "revenue", "ordersStarted", "ordersPaid",
                   "conversion", "usedCount", "maxUses")  # fmt: skip
        cells |= _rows(body, "codes", "promoCodeId", metrics)
    elif name == "dashboard":
        cells |= _rows(body, "money", "metric", ("current", "previous", "changePercent"))
        cells |= _rows(body, "counts", "metric", ("current", "previous", "changePercent"), currency=False)
    elif name == "funnel":
        metrics = ("views", "orderStarts", "paidOrders", "viewToStart", "startToPaid", "viewToPaid")
        for metric in metrics:
            cells[("summary", "", "", metric)] = _cell(body["totals"][metric])
        cells[("summary", "", "", "viewsLagSeconds")] = _cell(body["viewsLagSeconds"])
        cells |= _rows(body, "byDay", "date", metrics, currency=False)
        cells |= _rows(body, "byEvent", "eventId", metrics, currency=False)
    for metric in ("report", "asOf", "rollupCoveredUntil"):
        cells[("report", "", "", metric)] = _cell(body[metric])
    for metric, value in body["filters"].items():
        cells[("report", "", "", metric)] = _cell(value)
    return cells


def parse_csv(text: str) -> dict[tuple[str, str, str, str], str]:
    reader = csv.reader(io.StringIO(text))
    assert next(reader) == ["section", "key", "label", "currency", "metric", "value"]
    cells = {}
    for section, key, _label, currency, metric, value in reader:
        assert (section, key, currency, metric) not in cells, (section, key, currency, metric)
        cells[(section, key, currency, metric)] = value
    return cells


@pytest.mark.parametrize("name", REPORTS)
async def test_csv_parses_back_to_the_json_figures(
    client: httpx.AsyncClient, context: AppContext, world: World, name: str
) -> None:
    await build_rollup(context)
    query = params(world)
    body = await report(client, name, world.headers["a_staff"], query)
    response = await client.get(
        f"/analytics/{name}", params={**query, "format": "csv"}, headers=world.headers["a_staff"]
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith(f'attachment; filename="{name}-')
    cells = parse_csv(response.text)
    expected = json_cells(name, body)
    assert len(expected) > 10
    # asOf is the time of each request's own transaction; everything else is the same figure.
    assert cells.pop(("report", "", "", "asOf")) and expected.pop(("report", "", "", "asOf"))
    assert cells == expected


async def test_a_large_export_is_produced_in_pieces(context: AppContext, world: World) -> None:
    from tixmo.analytics import service

    async with service.snapshot(context.database.sessionmaker) as session:
        computed = await service.compute(session, world.users["a_staff"], "sales", params_filters(world))
    assert isinstance(computed, SalesReport)
    pieces = list(export_csv.chunks(computed, size=200))
    assert len(pieces) > 5
    assert all(piece.endswith("\r\n") for piece in pieces)  # whole lines per piece
    assert "".join(pieces) == export_csv.to_bytes(computed).decode()


def params_filters(world: World) -> Any:
    from tests.analytics.dataset import FROM, TO
    from tixmo.analytics.filters import ReportFilters

    return ReportFilters(organization_id=world.orgs["A"], start=FROM, end=TO)


async def test_cells_that_a_spreadsheet_would_run_are_quoted() -> None:
    assert export_csv._text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert export_csv._text("-12.5") == "-12.5"
    assert export_csv._text(-3) == "-3"
    assert export_csv._text("@SUM(A1)") == "'@SUM(A1)"


FIGURES = {
    "sales": ["Sales report", "154.95", "49.00"],  # EUR and USD net
    "events": ["Events report", "Event E1", "16"],  # 16 tickets sold in all, now
    "customers": ["Customers report", "Alice Buyer", "89.95"],
    "promo-codes": ["Promo codes report", "QUARTER", "36.75"],
    "dashboard": ["Dashboard report", "154.95", "24.50"],
    "funnel": ["Funnel report", "Page views"],
}


@pytest.mark.parametrize("name", REPORTS)
async def test_pdf_opens_and_shows_the_totals(
    client: httpx.AsyncClient, context: AppContext, world: World, name: str
) -> None:
    await build_rollup(context)
    response = await client.get(
        f"/analytics/{name}", params={**params(world), "format": "pdf"}, headers=world.headers["a_staff"]
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    document = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(document.pages) == 1
    content = document.pages[0].extract_text()
    for figure in FIGURES[name]:
        assert figure in content, (figure, content)

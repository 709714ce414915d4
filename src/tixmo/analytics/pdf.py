"""Reports as PDF (fpdf2): one A4 page per report, rendered in a worker thread.

A page holds the heading (report, range, time zone, ``asOf``), the key figures, a bar chart and the first
rows of the main table; what does not fit is counted at the bottom ("… more rows in the CSV export").
Text is printed with the PDF's Helvetica (Latin-1, other characters transliterated as on tickets) unless
``TIXMO_PDF_FONT`` names a TrueType font.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import anyio.to_thread
from fpdf import FPDF
from fpdf.enums import XPos, YPos

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
from tixmo.money import format_minor
from tixmo.tickets.pdf import latin1

MARGIN = 14
INK = (20, 20, 30)
MUTED = (110, 110, 120)
ACCENT = (40, 70, 160)
BAR = (70, 110, 200)
BAR_PREVIOUS = (175, 185, 205)
CHART_HEIGHT = 52
ROW_HEIGHT = 5.2
PAGE_BOTTOM = 297 - MARGIN

TITLES = {
    SalesReport: "Sales",
    EventsReport: "Events",
    CustomersReport: "Customers",
    PromoCodesReport: "Promo codes",
    DashboardReport: "Dashboard",
    FunnelReport: "Funnel",
    PaymentsReport: "Payments",
}


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # fractions of the page width


@dataclass
class Chart:
    title: str
    labels: list[str]
    values: list[float]
    previous: list[float] | None = None  # a second, lighter bar per label (the dashboard's)


@dataclass
class Page:
    key_figures: Table
    chart: Chart | None
    detail: Table | None
    notes: list[str] = field(default_factory=list)


def _money(value: int) -> str:
    return format_minor(value)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f} %"


def _change(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f} %"


def _sales(report: SalesReport) -> Page:
    key = Table(
        ["Currency", "Orders", "Tickets", "Gross", "Discounts", "Refunds", "Net"],
        [
            [
                m.currency,
                str(m.orders),
                str(m.tickets),
                _money(m.gross),
                _money(m.discounts),
                _money(m.refunds),
                _money(m.net),
            ]
            for m in report.totals
        ],
        [0.12, 0.12, 0.12, 0.16, 0.16, 0.16, 0.16],
    )
    main = report.totals[0].currency if report.totals else None
    days = [day for day in report.by_day if day.currency == main]
    chart = Chart(f"Net sales per day ({main})", [str(d.date) for d in days], [d.net / 100 for d in days])
    detail = Table(
        ["Event", "Currency", "Orders", "Tickets", "Net"],
        [
            [e.event_name, e.currency, str(e.orders), str(e.tickets), _money(e.net)]
            for e in sorted(report.by_event, key=lambda e: -e.net)
        ],
        [0.46, 0.12, 0.12, 0.12, 0.18],
    )
    return Page(key, chart if days else None, detail)


def _events(report: EventsReport) -> Page:
    sold = sum(e.tickets_sold for e in report.events)
    key = Table(
        ["Events", "Tickets sold (now)", "Checked in", "Not checked in"],
        [
            [
                str(len(report.events)),
                str(sold),
                str(sum(e.check_in.checked_in for e in report.events)),
                str(sum(e.check_in.not_checked_in for e in report.events)),
            ]
        ],
        [0.25, 0.25, 0.25, 0.25],
    )
    chart = Chart(
        "Tickets sold in the range, top events",
        [t.name for t in report.top_selling],
        [float(t.tickets) for t in report.top_selling],
    )
    detail = Table(
        ["Event", "Sold", "Capacity", "Sell-through", "Check-in", "Peak hour"],
        [
            [
                e.name,
                str(e.tickets_sold),
                "" if e.capacity is None else str(e.capacity),
                _pct(e.sell_through),
                _pct(e.check_in.rate),
                e.peak_entry_hour.hour_local[:16] if e.peak_entry_hour else "",
            ]
            for e in report.events
        ],
        [0.34, 0.1, 0.12, 0.14, 0.12, 0.18],
    )
    return Page(key, chart if report.top_selling else None, detail)


def _customers(report: CustomersReport) -> Page:
    key = Table(
        ["Buyers", "New", "Returning", "Repeat"],
        [
            [
                str(report.buyers),
                str(report.new_buyers),
                str(report.returning_buyers),
                str(report.repeat_buyers),
            ]
        ],
        [0.25, 0.25, 0.25, 0.25],
    )
    chart = Chart(
        "Orders by tickets per order",
        [str(t.tickets) for t in report.tickets_per_order],
        [float(t.orders) for t in report.tickets_per_order],
    )
    detail = Table(
        ["Top customer", "Currency", "Orders", "Tickets", "Spent"],
        [[c.name, c.currency, str(c.orders), str(c.tickets), _money(c.spent)] for c in report.top_customers],
        [0.46, 0.12, 0.12, 0.12, 0.18],
    )
    notes = [
        f"Average order value: {a.currency} {_money(a.value)} ({a.orders} orders)"
        for a in report.average_order_value
    ]
    return Page(key, chart if report.tickets_per_order else None, detail, notes)


def _promo_codes(report: PromoCodesReport) -> Page:
    key = Table(
        ["Codes", "Uses", "Orders started", "Orders paid"],
        [
            [
                str(len(report.codes)),
                str(sum(c.uses for c in report.codes)),
                str(sum(c.orders_started for c in report.codes)),
                str(sum(c.orders_paid for c in report.codes)),
            ]
        ],
        [0.25, 0.25, 0.25, 0.25],
    )
    used = [c for c in report.codes if c.uses][:15]
    chart = Chart("Uses per code", [c.code for c in used], [float(c.uses) for c in used])
    detail = Table(
        ["Code", "Event", "Uses", "Discount", "Revenue", "Conversion"],
        [
            [
                c.code,
                c.event_name,
                str(c.uses),
                f"{c.currency} {_money(c.discount_given)}",
                f"{c.currency} {_money(c.revenue)}",
                _pct(c.conversion),
            ]
            for c in report.codes
        ],
        [0.16, 0.3, 0.08, 0.17, 0.17, 0.12],
    )
    return Page(key, chart if used else None, detail)


def _dashboard(report: DashboardReport) -> Page:
    key = Table(
        ["Metric", "Currency", "Current", "Previous", "Change"],
        [
            [m.metric, m.currency, _money(m.current), _money(m.previous), _change(m.change_percent)]
            for m in report.money
        ],
        [0.3, 0.14, 0.2, 0.2, 0.16],
    )
    chart = Chart(
        "Current period (dark) against the previous one",
        [c.metric for c in report.counts],
        [float(c.current) for c in report.counts],
        [float(c.previous) for c in report.counts],
    )
    detail = Table(
        ["Count", "Current", "Previous", "Change"],
        [[c.metric, str(c.current), str(c.previous), _change(c.change_percent)] for c in report.counts],
        [0.4, 0.2, 0.2, 0.2],
    )
    return Page(key, chart, detail)


def _funnel(report: FunnelReport) -> Page:
    t = report.totals
    key = Table(
        ["Page views", "Orders started", "Orders paid", "View to paid"],
        [[str(t.views), str(t.order_starts), str(t.paid_orders), _pct(t.view_to_paid)]],
        [0.25, 0.25, 0.25, 0.25],
    )
    chart = Chart(
        "Views, orders started, orders paid",
        ["Views", "Started", "Paid"],
        [float(t.views), float(t.order_starts), float(t.paid_orders)],
    )
    detail = Table(
        ["Event", "Views", "Started", "Paid", "View to paid"],
        [
            [e.name, str(e.views), str(e.order_starts), str(e.paid_orders), _pct(e.view_to_paid)]
            for e in report.by_event
        ],
        [0.44, 0.14, 0.14, 0.14, 0.14],
    )
    return Page(key, chart, detail)


def _payments(report: PaymentsReport) -> Page:
    key = Table(
        ["Currency", "Succeeded", "Failed", "Disputed", "Refunded"],
        [
            [
                m.currency,
                f"{m.succeeded} ({_money(m.succeeded_amount)})",
                f"{m.failed} ({_money(m.failed_amount)})",
                f"{m.disputed} ({_money(m.disputed_amount)})",
                f"{m.refunded} ({_money(m.refunded_amount)})",
            ]
            for m in report.totals
        ],
        [0.12, 0.22, 0.22, 0.22, 0.22],
    )
    main = report.totals[0].currency if report.totals else None
    days = [day for day in report.by_day if day.currency == main]
    chart = Chart(
        f"Succeeded payments per day ({main})",
        [str(d.date) for d in days],
        [d.succeeded_amount / 100 for d in days],
    )
    detail = Table(
        ["Method", "Currency", "Succeeded", "Failed", "Disputed", "Refunded"],
        [
            [
                m.method,
                m.currency,
                str(m.succeeded),
                str(m.failed),
                str(m.disputed),
                _money(m.refunded_amount),
            ]
            for m in report.by_method
        ],
        [0.26, 0.12, 0.14, 0.14, 0.14, 0.2],
    )
    notes = (
        ["Decline reasons: " + ", ".join(f"{r.code} {r.count}" for r in report.decline_reasons[:8])]
        if report.decline_reasons
        else []
    )
    return Page(key, chart if days else None, detail, notes)


PAGES: dict[type[AnyReport], Callable[..., Page]] = {
    SalesReport: _sales,
    EventsReport: _events,
    CustomersReport: _customers,
    PromoCodesReport: _promo_codes,
    DashboardReport: _dashboard,
    FunnelReport: _funnel,
    PaymentsReport: _payments,
}


class _ReportPdf(FPDF):
    def __init__(self, font: Path | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=False)
        self.text_of: Callable[[str], str] = latin1
        self.family = "helvetica"
        if font is not None:
            self.add_font("report", "", str(font))
            self.add_font("report", "B", str(font))
            self.family, self.text_of = "report", str

    def line_of_text(
        self, text: str, *, size: float, bold: bool = False, color: tuple[int, int, int] = INK
    ) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(self.epw, size * 0.5, self.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def draw_table(self, table: Table, *, max_bottom: float) -> int:
        """Draw as many rows as fit above ``max_bottom``; returns how many did not fit."""
        widths = [self.epw * w for w in table.widths]
        first = table.rows[0] if table.rows else [""] * len(widths)
        aligns = ["L" if i == 0 or not value[:1].isdigit() else "R" for i, value in enumerate(first)]
        self.set_font(self.family, "B", 8)
        self.set_text_color(*MUTED)
        for header, width, align in zip(table.headers, widths, aligns, strict=True):
            self.cell(width, ROW_HEIGHT, self.text_of(header), border="B", align=align)
        self.ln(ROW_HEIGHT)
        self.set_font(self.family, "", 8)
        self.set_text_color(*INK)
        shown = 0
        for row in table.rows:
            if self.get_y() + ROW_HEIGHT > max_bottom:
                break
            for index, (value, width) in enumerate(zip(row, widths, strict=True)):
                text = self.text_of(value)
                while text and self.get_string_width(text) > width - 1.5:
                    text = text[:-2] + "…" if self.family != "helvetica" else text[:-2] + "."
                self.cell(
                    width, ROW_HEIGHT, text, align="L" if index == 0 else "R" if value[:1].isdigit() else "L"
                )
            self.ln(ROW_HEIGHT)
            shown += 1
        return len(table.rows) - shown

    def bar_chart(self, chart: Chart) -> None:
        self.line_of_text(chart.title, size=9, bold=True, color=MUTED)
        top = self.get_y() + 2
        left, width = self.l_margin, self.epw
        peak = max([*chart.values, *(chart.previous or []), 0.0]) or 1.0
        self.set_draw_color(*MUTED)
        self.line(left, top + CHART_HEIGHT, left + width, top + CHART_HEIGHT)
        count = max(1, len(chart.values))
        slot = width / count
        bar = max(0.2, slot * (0.4 if chart.previous else 0.75))
        for index, value in enumerate(chart.values):
            x = left + index * slot + (slot - bar * (2 if chart.previous else 1)) / 2
            if chart.previous is not None:
                height = CHART_HEIGHT * max(chart.previous[index], 0) / peak
                self.set_fill_color(*BAR_PREVIOUS)
                self.rect(x + bar, top + CHART_HEIGHT - height, bar, height, style="F")
            height = CHART_HEIGHT * max(value, 0) / peak
            self.set_fill_color(*BAR)
            self.rect(x, top + CHART_HEIGHT - height, bar, height, style="F")
        self.set_font(self.family, "", 6)
        self.set_text_color(*MUTED)
        if count <= 20:  # labels under each bar; a long series shows its first and last label only
            for index, label in enumerate(chart.labels):
                self.set_xy(left + index * slot, top + CHART_HEIGHT + 1)
                self.cell(slot, 3, self.text_of(label)[: max(3, int(slot / 1.3))], align="C")
        elif chart.labels:
            self.set_xy(left, top + CHART_HEIGHT + 1)
            self.cell(width / 2, 3, self.text_of(chart.labels[0]))
            self.cell(width / 2, 3, self.text_of(chart.labels[-1]), align="R")
        self.set_xy(left, top)
        self.cell(width, 3, f"max {peak:,.2f}".rstrip("0").rstrip("."), align="R")
        self.set_xy(left, top + CHART_HEIGHT + 6)


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def render_pdf(report: AnyReport, subtitle: str = "", font: Path | None = None) -> bytes:
    """The report as a one-page A4 PDF."""
    page = PAGES[type(report)](report)
    title = f"{TITLES[type(report)]} report"
    pdf = _ReportPdf(font)
    pdf.set_title(pdf.text_of(f"TixMo - {title}"))
    pdf.set_creator("TixMo")
    pdf.add_page()
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, 210, 6, style="F")
    pdf.set_y(MARGIN)
    pdf.line_of_text(title, size=18, bold=True)
    if subtitle:
        pdf.line_of_text(subtitle, size=10, color=MUTED)
    filters = report.filters
    zone = filters.tz or "each event's own time zone"
    pdf.line_of_text(
        f"{_utc(filters.from_)} to {_utc(filters.to)} - days in {zone} - figures as of {_utc(report.as_of)}",
        size=8,
        color=MUTED,
    )
    pdf.ln(3)
    pdf.draw_table(page.key_figures, max_bottom=PAGE_BOTTOM)
    for note in page.notes:
        pdf.line_of_text(note, size=8)
    pdf.ln(4)
    if page.chart is not None:
        pdf.bar_chart(page.chart)
    if page.detail is not None:
        pdf.ln(2)
        left_out = pdf.draw_table(page.detail, max_bottom=PAGE_BOTTOM - 8)
        if left_out:
            pdf.ln(2)
            pdf.line_of_text(f"... and {left_out} more rows in the CSV export.", size=8, color=MUTED)
    return bytes(pdf.output())


async def pdf_bytes(report: AnyReport, subtitle: str = "", font: Path | None = None) -> bytes:
    """``render_pdf`` in a worker thread (fpdf2 is CPU work; the event loop keeps serving)."""
    return await anyio.to_thread.run_sync(render_pdf, report, subtitle, font)

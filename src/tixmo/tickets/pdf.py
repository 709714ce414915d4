"""Printable PDF tickets (fpdf2), rendered in a worker thread.

The PDF's built-in Helvetica covers Latin-1 only; other characters are transliterated where Unicode
allows (``ő`` → ``o``) and shown as ``?`` otherwise. ``TIXMO_PDF_FONT`` names a TrueType font (for
example DejaVuSans.ttf) to print every script it covers instead.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import anyio.to_thread
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tixmo.tickets import qr

PAGE_WIDTH = 210  # A4, millimetres
MARGIN = 18
QR_SIZE = 62
INK = (20, 20, 30)
MUTED = (110, 110, 120)
ACCENT = (40, 70, 160)


@dataclass(frozen=True)
class PrintableTicket:
    """Everything printed on a ticket. ``code`` is the signed ``qrData``."""

    ticket_id: str
    event_name: str
    organizer: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue_name: str | None
    venue_address: list[str]
    ticket_type: str
    seat: str | None
    holder: str
    barcode: str
    code: str
    status: str


def latin1(text: str) -> str:
    """``text`` in the characters the built-in PDF fonts have."""
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
            continue
        ascii_part = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        out.append(ascii_part or "?")
    return "".join(out)


def when(moment: datetime, zone: str) -> tuple[str, str]:
    """The date and the time of ``moment`` in the event's time zone, e.g. ("Saturday, 5 July 2031",
    "20:30 CEST")."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%A}, {local.day} {local:%B %Y}", f"{local:%H:%M} {local.tzname() or zone}"


class _TicketPdf(FPDF):
    def __init__(self, font: Path | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=False)
        self.ticket_text: Callable[[str], str] = latin1
        if font is not None:
            self.add_font("ticket", "", str(font))
            self.add_font("ticket", "B", str(font))
            self.ticket_font = "ticket"
            self.ticket_text = str
        else:
            self.ticket_font = "helvetica"

    def write_line(
        self,
        text: str,
        *,
        size: float,
        bold: bool = False,
        color: tuple[int, int, int] = INK,
        width: float = 0,
        height: float | None = None,
    ) -> None:
        self.set_font(self.ticket_font, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(
            width or self.epw,
            height or size * 0.5,
            self.ticket_text(text),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def render_pdf(ticket: PrintableTicket, font: Path | None = None) -> bytes:
    """The ticket as a one-page A4 PDF."""
    pdf = _TicketPdf(font)
    pdf.set_title(pdf.ticket_text(f"Ticket - {ticket.event_name}"))
    pdf.set_author(pdf.ticket_text(ticket.organizer))
    pdf.set_creator("TixMo")
    pdf.add_page()

    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, PAGE_WIDTH, 8, style="F")
    pdf.set_y(MARGIN)
    pdf.write_line(ticket.organizer.upper(), size=9, color=MUTED)
    pdf.ln(2)
    pdf.write_line(ticket.event_name, size=24, bold=True, height=10)
    pdf.ln(3)

    text_width = pdf.epw - QR_SIZE - 8
    top = pdf.get_y()
    day, time = when(ticket.starts_at, ticket.timezone)
    end_day, end_time = when(ticket.ends_at, ticket.timezone)
    pdf.write_line(day, size=13, bold=True, width=text_width, height=6)
    ends = end_time if end_day == day else f"{end_day}, {end_time}"
    pdf.write_line(f"{time} until {ends}", size=11, width=text_width, height=6)
    pdf.write_line(f"Time zone: {ticket.timezone}", size=9, color=MUTED, width=text_width, height=5)
    pdf.ln(4)
    if ticket.venue_name:
        pdf.write_line(ticket.venue_name, size=12, bold=True, width=text_width, height=6)
        for line in ticket.venue_address:
            pdf.write_line(line, size=10, width=text_width, height=5)
        pdf.ln(4)
    for label, value in (
        ("Ticket", ticket.ticket_type),
        ("Seat", ticket.seat),
        ("Holder", ticket.holder),
        ("Ticket number", ticket.ticket_id),
    ):
        if value:
            pdf.write_line(label.upper(), size=8, color=MUTED, width=text_width, height=4)
            pdf.write_line(value, size=11, bold=label != "Ticket number", width=text_width, height=6)
            pdf.ln(1.5)

    text_bottom = pdf.get_y()

    png = qr.render_png(ticket.code, qr.PRINT_PIXELS)
    qr_x = PAGE_WIDTH - MARGIN - QR_SIZE
    pdf.image(io.BytesIO(png), x=qr_x, y=top, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(qr_x, top + QR_SIZE + 1)
    pdf.set_font(pdf.ticket_font, "", 7)
    pdf.set_text_color(*MUTED)
    pdf.cell(QR_SIZE, 4, ticket.barcode, align="C")

    pdf.set_xy(MARGIN, max(text_bottom, top + QR_SIZE + 6) + 6)
    if ticket.status != "VALID":
        pdf.write_line(f"This ticket is {ticket.status}.", size=12, bold=True, color=(170, 30, 30))
    pdf.set_draw_color(*MUTED)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.line(MARGIN, pdf.get_y() + 2, PAGE_WIDTH - MARGIN, pdf.get_y() + 2)
    pdf.set_dash_pattern()
    pdf.ln(6)
    pdf.write_line(
        "Show this code at the entrance, printed or on screen. It admits one person once. "
        "If the ticket is transferred or its code regenerated, this print no longer admits anyone: "
        "only the latest code does.",
        size=8,
        color=MUTED,
        height=4,
    )
    return bytes(pdf.output())


async def pdf_bytes(ticket: PrintableTicket, font: Path | None = None) -> bytes:
    """``render_pdf`` in a worker thread (a page takes tens of milliseconds of CPU)."""
    return await anyio.to_thread.run_sync(render_pdf, ticket, font)

"""PDF tickets: a valid PDF with the event, venue, local date, holder and a QR code that scans."""

from __future__ import annotations

import io
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pypdf
import pytest
from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.tickets.helpers import assert_problem, buy_one, decode_qr_png, make_buyer, make_shop
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.tickets import pdf
from tixmo.tickets.models import Ticket

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core
HAS_DEJAVU = DEJAVU.is_file()


def _text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def _qr_in(content: bytes) -> str:
    """The QR code printed on the PDF's page, read back with zxing-cpp."""
    page = pypdf.PdfReader(io.BytesIO(content)).pages[0]
    [image] = page.images
    buffer = io.BytesIO()
    image.image.save(buffer, format="PNG")
    return decode_qr_png(buffer.getvalue())


async def test_the_pdf_ticket_shows_the_event_and_its_qr_code_scans(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop(
        session,
        context,
        name="Midsummer Jazz Festival",
        starts_at=datetime(2031, 7, 5, 18, 30, tzinfo=UTC),
        ends_at=datetime(2031, 7, 5, 22, 0, tzinfo=UTC),
    )
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)
    threads: list[int] = []
    real = pdf.render_pdf

    def recording(*args: object) -> bytes:
        threads.append(threading.get_ident())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf, "render_pdf", recording)

    response = await client.get(f"/tickets/{ticket['id']}/pdf", headers=buyer.headers)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="ticket-{ticket["id"]}.pdf"' in response.headers["content-disposition"]
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    text = _text(response.content)
    for expected in (
        "Midsummer Jazz Festival",
        "Blue Hall",  # the venue
        "Saturday, 5 July 2031",  # in the event's time zone (Europe/Berlin): 20:30 CEST
        "20:30 CEST",
        "General admission",
        f"{buyer.user.first_name} {buyer.user.last_name}",
        ticket["id"],
    ):
        assert expected in text, (expected, text)
    qr = (await client.get(f"/tickets/{ticket['id']}/qr", headers=buyer.headers)).json()["qrData"]
    assert _qr_in(response.content) == qr
    assert threads and threads[0] != threading.get_ident()  # rendered off the event loop


async def test_names_outside_latin_1_print_without_a_font_and_with_one(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop(session, context, name="Őszi Fesztivál — Ελληνικά")
    buyer = await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)

    plain = await client.get(f"/tickets/{ticket['id']}/pdf", headers=buyer.headers)

    assert plain.status_code == 200, plain.text
    assert "Oszi Fesztivál" in _text(plain.content)  # transliterated where Unicode allows
    if not HAS_DEJAVU:
        pytest.skip(f"no TrueType font at {DEJAVU} to test TIXMO_PDF_FONT with")
    monkeypatch.setattr(context.settings, "pdf_font", DEJAVU)
    with_font = await client.get(f"/tickets/{ticket['id']}/pdf", headers=buyer.headers)
    assert with_font.status_code == 200
    assert "Ελληνικά" in _text(with_font.content)


async def test_a_cancelled_ticket_has_no_pdf_and_others_see_none(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer, stranger = await make_buyer(session, context), await make_buyer(session, context)
    ticket = await buy_one(client, shop, buyer)

    assert_problem(
        await client.get(f"/tickets/{ticket['id']}/pdf", headers=stranger.headers), 404, "NOT_FOUND"
    )
    await session.execute(
        update(Ticket).where(Ticket.id == uuid.UUID(ticket["id"])).values(status="CANCELLED")
    )
    await session.commit()
    assert_problem(
        await client.get(f"/tickets/{ticket['id']}/pdf", headers=buyer.headers), 409, "INVALID_STATE"
    )


def test_the_pdf_font_setting_must_name_a_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no font file"):
        Settings(pdf_font=tmp_path / "missing.ttf")
    font = tmp_path / "font.ttf"
    font.write_bytes(b"not checked until a PDF is made")
    assert Settings(pdf_font=font).pdf_font == font

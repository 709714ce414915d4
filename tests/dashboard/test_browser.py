"""The dashboard in a real browser: Debian's Chromium driven by Playwright against a real uvicorn server.

Scans go through the API (a scanner device's token); the page must show them within seconds, over the
SSE stream. The server is stopped and started again while the page is open: the page says it lost the
connection, reconnects by itself and catches up on the scans made while it was away.

Screenshots go to ``TIXMO_SCREENSHOT_DIR`` (default ``.tixmo-data/dashboard-screenshots``); the path is
printed in the test log. ``docs/img/`` holds the ones shown in docs/dashboard.md.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import Device, Shop, make_shop, register, tickets_for
from tests.conftest import ROOT
from tests.dashboard.browser import LiveServer, chromium_or_skip
from tests.factories import DEFAULT_PASSWORD, create_user
from tixmo.accounts.models import Role
from tixmo.deps import AppContext

SECONDS = 1000  # Playwright's timeouts are milliseconds
TABLET = {"width": 1024, "height": 1366}  # a tablet held upright at the gate


@pytest.fixture(scope="session")
def screenshots() -> Path:
    path = Path(os.environ.get("TIXMO_SCREENSHOT_DIR", ROOT / ".tixmo-data" / "dashboard-screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


@pytest.fixture
async def server(database_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    live = LiveServer(database_url, tmp_path)
    await live.start()
    yield live
    if live.running:
        await live.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    executable = chromium_or_skip()
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=executable, headless=True)
        yield chromium
        await chromium.close()


class Watched:
    """A page with what it reported: console errors, CSP violations, dialogs (alert() would be one)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

        async def dismiss(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            await dialog.dismiss()

        page.on("dialog", dismiss)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "pageerror" in m]


async def _open(browser: Browser, server: LiveServer) -> Watched:
    context = await browser.new_context(viewport=TABLET, base_url=server.base)
    page = await context.new_page()
    page.set_default_timeout(15 * SECONDS)
    return Watched(page)


async def _sign_in(page: Page, email: str, next_path: str | None = None) -> None:
    await page.goto("/dashboard/login" + (f"?next={next_path}" if next_path else ""))
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()


async def _scan(http: httpx.AsyncClient, device: Device, code: str, direction: str = "ENTRY") -> str:
    answer = await http.post(
        "/api/v1/scanners/scan", json={"barcode": code, "direction": direction}, headers=device.headers
    )
    assert answer.status_code == 200, answer.text
    status: str = answer.json()["status"]
    return status


async def _shop_with_tickets(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, quantity: int, **event: Any
) -> tuple[Shop, list[dict[str, Any]], Device]:
    shop = await make_shop(session, context, **event)
    tickets = await tickets_for(client, session, context, shop, quantity)
    device = await register(client, shop, "Gate A")
    return shop, tickets, device


async def test_the_live_page_shows_scans_within_seconds_and_recovers_from_a_restart(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    server: LiveServer,
    browser: Browser,
    screenshots: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    shop, tickets, gate = await _shop_with_tickets(
        client, session, context, 4, name="Summer Jam", capacity=10
    )
    watched = await _open(browser, server)
    page = watched.page

    await _sign_in(page, shop.staff.email)
    await expect(page).to_have_url(re.compile(r"/dashboard$"))
    await expect(page.get_by_role("link", name="Summer Jam")).to_be_visible()
    await page.screenshot(path=screenshots / "dashboard-events.png", full_page=True)

    await page.get_by_role("link", name="Summer Jam").click()
    await expect(page).to_have_url(re.compile(rf"/dashboard/events/{shop.event.id}$"))
    occupancy = page.get_by_test_id("occupancy")
    recent = page.get_by_test_id("recent-scans")
    connection = page.locator("#connection")
    await expect(connection).to_have_text("Live")
    await expect(occupancy).to_have_text(re.compile(r"^0 inside of 10 \("))

    async with httpx.AsyncClient(base_url=server.base, timeout=10) as http:
        # Scans through the API, as a device at the gate makes them: the page follows within seconds.
        assert await _scan(http, gate, tickets[0]["barcode"]) == "VALID"
        await expect(occupancy).to_have_text(re.compile(r"^1 inside of 10 \("), timeout=5 * SECONDS)
        first_row = recent.locator("tr").first
        await expect(first_row).to_contain_text("Gate A")
        await expect(first_row).to_contain_text("ENTRY")
        await expect(first_row).to_contain_text("VALID")
        assert await _scan(http, gate, tickets[0]["barcode"]) == "DUPLICATE"
        await expect(recent.locator("tr").first).to_contain_text("DUPLICATE", timeout=5 * SECONDS)
        await expect(page.locator("#success-rate")).to_have_text("50.0 %")
        await expect(page.get_by_test_id("scanners")).to_contain_text("online")
        assert await _scan(http, gate, tickets[1]["barcode"]) == "VALID"
        await expect(occupancy).to_have_text(re.compile(r"^2 inside of 10 \("), timeout=5 * SECONDS)
        await page.screenshot(path=screenshots / "dashboard-live.png", full_page=True)

    # The server stops: the page says so and keeps trying.
    await server.stop()
    await expect(connection).to_have_attribute("data-state", "reconnecting", timeout=10 * SECONDS)
    # Meanwhile the gate goes on scanning (through another API process on the same database).
    assert (
        await client.post(
            "/scanners/scan",
            json={"barcode": tickets[2]["barcode"], "direction": "ENTRY"},
            headers=gate.headers,
        )
    ).json()["status"] == "VALID"
    assert (
        await client.post(
            "/scanners/scan",
            json={"barcode": tickets[3]["barcode"], "direction": "ENTRY"},
            headers=gate.headers,
        )
    ).json()["status"] == "VALID"
    await expect(occupancy).to_have_text(re.compile(r"^2 inside"))  # nothing new reached the page

    await server.start()
    # Back by itself, caught up on what happened while it was away, without a reload.
    await expect(connection).to_have_text("Live", timeout=20 * SECONDS)
    await expect(occupancy).to_have_text(re.compile(r"^4 inside of 10 \("), timeout=5 * SECONDS)
    await expect(recent.locator("tr")).to_have_count(5)
    async with httpx.AsyncClient(base_url=server.base, timeout=10) as http:
        assert await _scan(http, gate, tickets[3]["barcode"], "EXIT") == "VALID"
        await expect(occupancy).to_have_text(re.compile(r"^3 inside of 10 \("), timeout=5 * SECONDS)
        await expect(recent.locator("tr").first).to_contain_text("EXIT")
    await expect(page.locator("#entries")).to_have_text("4")
    await expect(page.locator("#exits")).to_have_text("1")

    await page.get_by_role("link", name="Sales reports").click()
    await expect(page.get_by_test_id("sales-by-type")).to_contain_text("General admission")
    await expect(page.locator("#sales")).to_have_attribute("data-charts", "drawn")
    await page.screenshot(path=screenshots / "dashboard-sales.png", full_page=True)

    # Nothing was refused by the Content-Security-Policy, no script failed.
    assert watched.csp_violations() == []
    # No secret reached the logs: not the live tickets (in the stream's URL), the session, the password.
    cookies = {c["name"]: c["value"] for c in await page.context.cookies()}
    assert "request" in caplog.text and f"/api/v1/events/{shop.event.id}/live" in caplog.text
    assert "tmlive" not in caplog.text and "ticket=" not in caplog.text
    assert cookies["tixmo_dashboard"] not in caplog.text
    assert DEFAULT_PASSWORD not in caplog.text
    with capsys.disabled():
        print(f"\ndashboard screenshots: {screenshots}")


async def test_a_user_who_is_not_staff_cannot_open_the_page(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    server: LiveServer,
    browser: Browser,
) -> None:
    shop, _, _ = await _shop_with_tickets(client, session, context, 1, name="Staff Only")
    other = await make_shop(session, context, name="Their Own Gig")
    customer = await create_user(session, context, role=Role.CUSTOMER)
    for user in (other.staff, customer):
        watched = await _open(browser, server)
        page = watched.page
        target = f"/dashboard/events/{shop.event.id}"
        await _sign_in(page, user.email, next_path=target)
        await expect(page).to_have_url(re.compile(rf"{target}$"))  # sent on to the page it asked for ...
        await expect(page.get_by_role("heading", name="Not found")).to_be_visible()  # ... which is not there
        await expect(page.get_by_test_id("occupancy")).to_have_count(0)
        assert "Staff Only" not in await page.content()
        answer = await page.request.get(f"{target}/live.json")
        assert answer.status == 404
        ticket = await page.request.post(f"{target}/live-ticket")
        assert ticket.status in (403, 404)  # no CSRF token from that page, and not theirs anyway
        await page.context.close()


async def test_names_with_markup_render_as_text_in_the_browser(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    server: LiveServer,
    browser: Browser,
) -> None:
    name = "<script>alert(1)</script>"
    shop, tickets, _ = await _shop_with_tickets(client, session, context, 1, name=name)
    sneaky = await register(client, shop, "<img src=x onerror=alert(2)>")
    watched = await _open(browser, server)
    page = watched.page
    await _sign_in(page, shop.staff.email)
    await expect(page.get_by_role("link", name=name)).to_be_visible()
    await page.get_by_role("link", name=name).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await expect(page.locator("#connection")).to_have_text("Live")
    async with httpx.AsyncClient(base_url=server.base, timeout=10) as http:
        assert await _scan(http, sneaky, tickets[0]["barcode"]) == "VALID"
    await expect(page.get_by_test_id("recent-scans")).to_contain_text("<img src=x onerror=alert(2)>")
    await expect(page.get_by_test_id("scanners")).to_contain_text("<img src=x onerror=alert(2)>")
    assert await page.locator("main img").count() == 0
    assert watched.dialogs == []
    assert watched.csp_violations() == []


async def test_a_burst_of_concurrent_scans_adds_up_on_the_page_as_in_the_api(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    server: LiveServer,
    browser: Browser,
) -> None:
    """The page counts scans as they stream in; after a burst from several gates at once its figures
    must equal the API's (nothing dropped or counted twice)."""
    shop, tickets, gate = await _shop_with_tickets(client, session, context, 40, name="Rush Hour")
    other_gate = await register(client, shop, "Gate B")
    watched = await _open(browser, server)
    page = watched.page
    await _sign_in(page, shop.staff.email, next_path=f"/dashboard/events/{shop.event.id}")
    await expect(page.locator("#connection")).to_have_text("Live")

    async with httpx.AsyncClient(base_url=server.base, timeout=30) as http:
        entries = [_scan(http, (gate, other_gate)[i % 2], t["barcode"]) for i, t in enumerate(tickets)]
        again = [_scan(http, other_gate, t["barcode"]) for t in tickets[:10]]  # duplicates, racing
        results = await asyncio.gather(*entries, *again)
        assert results.count("VALID") == 40 and results.count("DUPLICATE") == 10
        stats = (await http.get(f"/api/v1/events/{shop.event.id}/stats", headers=shop.staff_headers)).json()
    assert (stats["occupancy"], stats["scans"]["total"], stats["scans"]["valid"]) == (40, 50, 40)

    await expect(page.get_by_test_id("occupancy")).to_have_text(
        re.compile(r"^40 inside of 500"), timeout=10 * SECONDS
    )
    await expect(page.locator("#scan-counts")).to_have_text("50 scans: 40 valid, 10 rejected")
    await expect(page.locator("#success-rate")).to_have_text("80.0 %")
    await expect(page.locator("#entries")).to_have_text("40")
    await expect(page.get_by_test_id("recent-scans").locator("tr")).to_have_count(20)
    scanners = page.get_by_test_id("scanners")
    await expect(scanners.locator("tr", has_text="Gate A")).to_contain_text("20")
    await expect(scanners.locator("tr", has_text="Gate B")).to_contain_text("30")
    # A reload reads the same figures from the server: the streamed counting did not drift.
    await page.reload()
    await expect(page.locator("#connection")).to_have_text("Live")
    await expect(page.locator("#scan-counts")).to_have_text("50 scans: 40 valid, 10 rejected")
    assert watched.csp_violations() == []


async def test_signing_in_by_keyboard_alone_and_the_live_page_fits_a_phone(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    server: LiveServer,
    browser: Browser,
) -> None:
    shop, _, _ = await _shop_with_tickets(
        client, session, context, 1, name="A rather long event name for a phone"
    )
    await register(client, shop, "Main entrance, north side")
    watched = await _open(browser, server)
    page = watched.page
    await page.goto("/dashboard/login")
    # Tab from the top of the page: the skip link first, then on to the email field.
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    for _ in range(5):
        if await page.evaluate("document.activeElement && document.activeElement.id") == "email":
            break
        await page.keyboard.press("Tab")
    await expect(page.get_by_label("Email")).to_be_focused()
    await page.keyboard.type(shop.staff.email)
    await page.keyboard.press("Tab")
    await expect(page.get_by_label("Password")).to_be_focused()
    await page.keyboard.type(DEFAULT_PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/dashboard$"))

    await page.set_viewport_size({"width": 375, "height": 812})
    for path in (
        f"/dashboard/events/{shop.event.id}",
        f"/dashboard/events/{shop.event.id}/sales",
        "/dashboard",
    ):
        await page.goto(path)
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
        if path.endswith(str(shop.event.id)):
            await expect(page.locator("#connection")).to_have_text("Live")
            await expect(page.get_by_test_id("scanners")).to_contain_text("Main entrance")
        # Nothing wider than the screen: tables scroll inside their own box, not the page.
        overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)
    assert watched.csp_violations() == []


async def test_the_page_stops_when_the_user_leaves_the_organization(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    server: LiveServer,
    browser: Browser,
) -> None:
    shop, _, _ = await _shop_with_tickets(client, session, context, 1, name="Team Event")
    member = await create_user(session, context, role=Role.CUSTOMER)
    added = await client.post(
        f"/organizations/{shop.org.id}/members",
        json={"userId": str(member.id), "role": "MEMBER"},
        headers=shop.staff_headers,
    )
    assert added.status_code == 201, added.text
    watched = await _open(browser, server)
    page = watched.page
    await _sign_in(page, member.email, next_path=f"/dashboard/events/{shop.event.id}")
    connection = page.locator("#connection")
    await expect(connection).to_have_text("Live")
    removed = await client.delete(
        f"/organizations/{shop.org.id}/members/{member.id}", headers=shop.staff_headers
    )
    assert removed.status_code == 204, removed.text
    await server.stop()  # the stream drops; the next live ticket is refused: not theirs any more
    await server.start()
    await expect(connection).to_have_attribute("data-state", "ended", timeout=20 * SECONDS)
    await expect(connection).to_contain_text("no longer available")
    answer = await page.request.get(f"/dashboard/events/{shop.event.id}/live.json")
    assert answer.status == 404

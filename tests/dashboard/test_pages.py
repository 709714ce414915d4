"""The dashboard's pages and the JSON their scripts read: who may see what, escaping, CSP, figures."""

from __future__ import annotations

import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.checkin.helpers import Shop, make_shop, register, scan, tickets_for
from tests.dashboard.helpers import signed_in
from tests.factories import create_event, create_organization, create_user
from tixmo.accounts.models import Role
from tixmo.checkin import live
from tixmo.dashboard import auth
from tixmo.deps import AppContext
from tixmo.organizations.models import MemberRole

XSS = "<script>alert(1)</script>"


def _strict(response: httpx.Response) -> None:
    """A page under the strict policy, with nothing inline for it to block."""
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe-inline" not in csp
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text), "an inline script"
    assert " style=" not in response.text and "<style" not in response.text
    assert not re.search(r"<[^>]*\son[a-z]+=", response.text), "an inline event handler"


async def _staff_web(web: httpx.AsyncClient, shop: Shop) -> str:
    return await signed_in(web, shop.staff.email)


async def test_the_events_page_lists_the_callers_events_with_sold_and_capacity(
    web: httpx.AsyncClient, client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, name="Gate Night")
    await tickets_for(client, session, context, shop, 3)
    stranger = await make_shop(session, context, name="Someone Else's Gig")
    await _staff_web(web, shop)
    page = await web.get("/dashboard")
    assert page.status_code == 200
    _strict(page)
    assert "Gate Night" in page.text and "Someone Else&#39;s Gig" not in page.text
    assert "Someone Else" not in page.text
    assert re.search(r"3 / 500", page.text), "sold / the venue's capacity"
    local = shop.event.starts_at.astimezone(ZoneInfo("Europe/Berlin"))  # the venue's time zone
    assert f"{local:%Y-%m-%d %H:%M}</time>" in page.text and "Europe/Berlin" in page.text
    assert f'href="/dashboard/events/{shop.event.id}"' in page.text
    assert f'href="/dashboard/events/{shop.event.id}/sales"' in page.text
    assert "PUBLISHED" in page.text
    assert str(stranger.event.id) not in page.text


async def test_an_admin_sees_every_organizations_events(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    one = await make_shop(session, context, name="First Show")
    two = await make_shop(session, context, name="Second Show")
    admin = await create_user(session, context, role=Role.ADMIN)
    await signed_in(web, admin.email)
    page = await web.get("/dashboard")
    assert "First Show" in page.text and "Second Show" in page.text
    assert (await web.get(f"/dashboard/events/{one.event.id}")).status_code == 200
    assert (await web.get(f"/dashboard/events/{two.event.id}/sales")).status_code == 200


async def test_a_customer_has_no_events_and_no_pages(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    customer = await create_user(session, context, role=Role.CUSTOMER)
    await signed_in(web, customer.email)
    listing = await web.get("/dashboard")
    assert listing.status_code == 200 and "No events yet" in listing.text
    for path in ("", "/sales"):
        page = await web.get(f"/dashboard/events/{shop.event.id}{path}")
        assert page.status_code == 404
        assert shop.event.name not in page.text
    assert (await web.get(f"/dashboard/events/{shop.event.id}/live.json")).status_code == 404


@pytest.mark.parametrize("path", ["", "/sales", "/live.json", "/sales.json", "/reports/sales.csv"])
async def test_staff_of_another_organization_get_404_everywhere(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext, path: str
) -> None:
    shop = await make_shop(session, context, name="Private Party")
    other = await make_shop(session, context)
    await _staff_web(web, other)
    answer = await web.get(f"/dashboard/events/{shop.event.id}{path}")
    assert answer.status_code == 404
    assert "Private Party" not in answer.text
    missing = await web.get(f"/dashboard/events/{uuid.uuid4()}{path}")
    assert missing.status_code == 404


async def test_a_member_of_the_organization_sees_the_pages(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    member = await create_user(session, context, role=Role.CUSTOMER)
    org = await create_organization(session, owner=owner, members={member: MemberRole.MEMBER})
    event = await create_event(session, organization=org, name="Members Only")
    await signed_in(web, member.email)
    page = await web.get(f"/dashboard/events/{event.id}")
    assert page.status_code == 200 and "Members Only" in page.text


async def test_a_malformed_event_id_is_refused(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    await _staff_web(web, shop)
    assert (await web.get("/dashboard/events/not-a-uuid")).status_code == 422
    assert (await web.get("/dashboard/events/1' OR 1=1/live.json")).status_code in (404, 422)


async def test_user_strings_render_as_text_on_every_page(
    web: httpx.AsyncClient, client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, name=XSS)
    shop.ticket_type.name = '"><img src=x onerror=alert(2)>'
    session.add(shop.ticket_type)
    await session.commit()
    await tickets_for(client, session, context, shop, 1)
    await _staff_web(web, shop)
    for path in (
        "/dashboard",
        f"/dashboard/events/{shop.event.id}",
        f"/dashboard/events/{shop.event.id}/sales",
    ):
        page = await web.get(path)
        assert page.status_code == 200, path
        assert XSS not in page.text, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, path
        assert "<img src=x" not in page.text, path
        _strict(page)
    # The JSON for the scripts carries the raw strings; the script puts them in as text (browser test).
    data = (await web.get(f"/dashboard/events/{shop.event.id}/live.json")).json()
    assert data["event"]["name"] == XSS


async def test_the_live_page_has_the_test_hooks_and_its_scripts(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    await _staff_web(web, shop)
    page = await web.get(f"/dashboard/events/{shop.event.id}")
    assert page.status_code == 200
    _strict(page)
    assert 'data-testid="occupancy"' in page.text and 'data-testid="recent-scans"' in page.text
    assert '<script src="/dashboard/static/vendor/chart.umd.min.js" defer></script>' in page.text
    assert '<script src="/dashboard/static/live.js" defer></script>' in page.text
    assert f'data-stream-url="/api/v1/events/{shop.event.id}/live"' in page.text
    assert page.headers["cache-control"] == "no-store"
    for asset in (
        "/dashboard/static/vendor/chart.umd.min.js",
        "/dashboard/static/live.js",
        "/dashboard/static/dashboard.css",
    ):
        served = await web.get(asset)
        assert served.status_code == 200, asset
        assert served.headers["x-content-type-options"] == "nosniff"
    license_text = await web.get("/dashboard/static/vendor/chart.js-LICENSE.md")
    assert "MIT" in license_text.text


async def test_the_live_snapshot_holds_attendance_scanners_scans_and_sales(
    web: httpx.AsyncClient, client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    tickets = await tickets_for(client, session, context, shop, 3)
    gate = await register(client, shop, "Gate <A>")
    idle = await register(client, shop, "Gate B")
    assert (await scan(client, gate, tickets[0]["barcode"]))["status"] == "VALID"
    assert (await scan(client, gate, tickets[1]["barcode"]))["status"] == "VALID"
    assert (await scan(client, gate, tickets[1]["barcode"]))["status"] == "DUPLICATE"
    assert (await scan(client, gate, tickets[0]["barcode"], "EXIT"))["status"] == "VALID"
    assert (await scan(client, gate, "not-a-ticket"))["status"] == "INVALID"
    await _staff_web(web, shop)
    answer = await web.get(f"/dashboard/events/{shop.event.id}/live.json")
    assert answer.status_code == 200
    data: dict[str, Any] = answer.json()
    assert data["occupancy"] == {
        "occupancy": 1,
        "entries": 2,
        "exits": 1,
        "capacity": 500,
        "utilization": 0.002,
    }
    assert data["scans"] == {"total": 5, "valid": 3, "rejected": 2, "successRate": 0.6}
    assert data["ticketsSold"] == 3
    by_name = {s["name"]: s for s in data["scanners"]}
    assert by_name["Gate <A>"]["scans"] == 5 and by_name["Gate <A>"]["online"] is True
    assert by_name["Gate B"]["scans"] == 0 and by_name["Gate B"]["scannerId"] == idle.id
    recent = data["recentScans"]
    assert [s["status"] for s in recent] == ["INVALID", "VALID", "DUPLICATE", "VALID", "VALID"]
    assert [s["direction"] for s in recent][:2] == ["ENTRY", "EXIT"]
    assert {s["scannerName"] for s in recent} == {"Gate <A>"}
    assert data["lastScanId"] == recent[0]["id"]
    assert len(data["perMinute"]) == 60
    assert sum(b["scans"] for b in data["perMinute"]) == 5
    assert sum(b["valid"] for b in data["perMinute"]) == 3
    [ticket_type] = data["ticketTypes"]
    assert (ticket_type["sold"], ticket_type["total"], ticket_type["price"]) == (3, 100, "25.00")
    [total] = data["sales"]["totals"]
    assert (total["currency"], total["tickets"], total["net"]) == ("USD", 3, "75.00")
    [line] = data["sales"]["byTicketType"]
    assert line["revenue"] == "75.00"


async def test_the_live_ticket_needs_the_csrf_header_and_opens_the_stream_once(
    web: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    token = await _staff_web(web, shop)
    url = f"/dashboard/events/{shop.event.id}/live-ticket"
    assert (await web.post(url)).status_code == 403
    assert (await web.post(url, headers={auth.CSRF_HEADER: "f" * 64})).status_code == 403
    issued = await web.post(url, headers={auth.CSRF_HEADER: token})
    assert issued.status_code == 200, issued.text
    ticket = issued.json()["ticket"]
    assert ticket.startswith("tmlive")
    async with context.database.sessionmaker() as db:
        user = await live.redeem_ticket(db, shop.event.id, ticket)
        assert user.id == shop.staff.id
        await db.commit()
    async with context.database.sessionmaker() as db:
        with pytest.raises(Exception, match="unknown, used or expired"):
            await live.redeem_ticket(db, shop.event.id, ticket)
    other = await make_shop(session, context)
    assert (
        await web.post(f"/dashboard/events/{other.event.id}/live-ticket", headers={auth.CSRF_HEADER: token})
    ).status_code == 404


async def test_the_sales_page_shows_the_reports_and_links_their_files(
    web: httpx.AsyncClient, client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    await tickets_for(client, session, context, shop, 2)
    await _staff_web(web, shop)
    page = await web.get(f"/dashboard/events/{shop.event.id}/sales")
    assert page.status_code == 200
    _strict(page)
    assert "50.00" in page.text  # net USD
    assert "General admission" in page.text
    assert "2 / 500" in page.text
    for name in ("sales", "events", "customers", "promo-codes", "funnel"):
        for fmt in ("csv", "pdf"):
            assert f'href="/dashboard/events/{shop.event.id}/reports/{name}.{fmt}"' in page.text
    csv = await web.get(f"/dashboard/events/{shop.event.id}/reports/sales.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "section,key,label,currency,metric,value"
    assert "50.00" in csv.text
    assert "attachment" in csv.headers["content-disposition"]
    pdf = await web.get(f"/dashboard/events/{shop.event.id}/reports/events.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for bad in ("users.csv", "sales.xlsx", "sales.html"):
        assert (await web.get(f"/dashboard/events/{shop.event.id}/reports/{bad}")).status_code == 404
    data = (await web.get(f"/dashboard/events/{shop.event.id}/sales.json")).json()
    assert data["byTicketType"][0]["tickets"] == 2
    assert data["totals"][0]["net"] == "50.00"


async def test_the_dashboard_is_not_in_the_api_document(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert not [path for path in document["paths"] if path.startswith("/dashboard")]

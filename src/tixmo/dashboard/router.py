"""``/dashboard``: the organizer pages (server-rendered, a little JavaScript) and the JSON they read.

Pages answer HTML with a strict Content-Security-Policy (only this app's scripts and styles, nothing
inline). Signed out: a page redirects to the sign-in form, a JSON call answers 401. An event the
signed-in user is not staff of: 404 (a page, or problem+json for the JSON calls), as in the API.
The live page's script reads ``live.json``, then follows the API's SSE stream
(``/api/v1/events/{id}/live``) with a single-use ticket from ``POST live-ticket``. See docs/dashboard.md.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, FastAPI, Form, Header, Path, Query, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from tixmo.accounts import service as accounts
from tixmo.accounts.models import User
from tixmo.accounts.router import login as api_login
from tixmo.accounts.schemas import LoginRequest
from tixmo.analytics import export_csv, pdf
from tixmo.analytics import service as analytics
from tixmo.analytics.models import Report
from tixmo.analytics.schemas import EventsReport, SalesReport
from tixmo.checkin import live
from tixmo.dashboard import auth
from tixmo.dashboard import service as dashboard
from tixmo.db import utcnow
from tixmo.deps import AppContext, ClientIP, Context, DbSession
from tixmo.errors import Forbidden, NotFound, RateLimited, Unauthorized
from tixmo.events import service as events
from tixmo.events.models import Event

HERE = FilePath(__file__).parent
PREFIX = "/dashboard"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# The reports offered for download on the sales page, by the last segment of their API path.
DOWNLOADS = ("sales", "events", "customers", "promo-codes", "funnel")
FORMATS = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every value is escaped, whatever the template's name
    undefined=jinja2.StrictUndefined,
)

router = APIRouter(prefix=PREFIX, include_in_schema=False)
EventId = Annotated[uuid.UUID, Path(alias="eventId")]


def install(app: FastAPI) -> None:
    """Mount the pages and their static files (the chart library among them) on ``app``."""
    app.include_router(router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="dashboard-static")


# -------------------------------------------------------------------------------------------- helpers


def _page(
    request: Request,
    template: str,
    csrf: auth.Csrf,
    user: User | None,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    body = templates.get_template(template).render(user=user, csrf=csrf.token(), **values)
    response = HTMLResponse(body, status_code=status_code)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Cache-Control"] = "no-store"
    csrf.keep(request, response)
    return response


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a dashboard path only (no other site, no protocol-relative URL)."""
    if (
        not target
        or not target.startswith(PREFIX)
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 0x20 for c in target)
    ):
        return PREFIX
    return target


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(
        f"{PREFIX}/login?next={quote(target, safe='')}", status_code=status.HTTP_303_SEE_OTHER
    )


def _not_found(request: Request, csrf: auth.Csrf, user: User) -> HTMLResponse:
    return _page(request, "not_found.html", csrf, user, status_code=404, title="Not found")


async def _user_or_401(session: AsyncSession, request: Request) -> User:
    found = await auth.signed_in_user(session, request)
    if found is None:
        raise Unauthorized("Sign in to the dashboard first.")
    return found[0]


# ------------------------------------------------------------------------------------------- sign-in


@router.get("/login", response_class=HTMLResponse)
async def login_form(
    request: Request, context: Context, next: Annotated[str | None, Query(max_length=2000)] = None
) -> HTMLResponse:
    csrf = auth.Csrf(context.secret_key, request)
    return _page(
        request, "login.html", csrf, None, title="Sign in", next=_safe_next(next), error=None, email=""
    )


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    context: Context,
    ip: ClientIP,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form(alias="csrf", max_length=128)] = "",
    next: Annotated[str, Form(max_length=2000)] = PREFIX,
) -> Response:
    csrf = auth.Csrf(context.secret_key, request)
    target = _safe_next(next)

    def again(message: str, status_code: int) -> HTMLResponse:
        return _page(
            request,
            "login.html",
            csrf,
            None,
            status_code,
            title="Sign in",
            next=target,
            error=message,
            email=email,
        )

    if not csrf.check(csrf_token):
        return again("Your session expired; please sign in again.", status.HTTP_403_FORBIDDEN)
    try:
        if "\x00" in email or "\x00" in password:  # PostgreSQL cannot hold it; no account has one
            raise ValueError("NUL")
        body = LoginRequest(email=email, password=password)
    except (ValidationError, ValueError):
        return again("Enter your email and password.", 422)
    try:
        # The API's own login: the same rate limits, turns and password checks (accounts/router.py).
        answer = await api_login(body, context, ip)
    except Unauthorized:
        return again(accounts.INVALID_CREDENTIALS, status.HTTP_401_UNAUTHORIZED)
    except RateLimited as exc:
        refused = again(f"Too many attempts. {exc.detail}", status.HTTP_429_TOO_MANY_REQUESTS)
        refused.headers.update(exc.headers)  # Retry-After
        return refused
    response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    max_age = int(context.refresh_token_lifetime.total_seconds())
    auth.set_cookie(request, response, auth.SESSION_COOKIE, answer.refresh_token, max_age=max_age)
    return response


@router.post("/logout")
async def logout(
    request: Request,
    context: Context,
    session: DbSession,
    csrf_token: Annotated[str, Form(alias="csrf", max_length=128)] = "",
) -> Response:
    csrf = auth.Csrf(context.secret_key, request)
    if not csrf.check(csrf_token):
        raise Forbidden("The form's CSRF token is missing or wrong; reload the page.")
    found = await auth.signed_in_user(session, request)
    if found is not None:
        await accounts.logout(session, found[0], found[1])  # revokes this login: the cookie is dead
    response = RedirectResponse(f"{PREFIX}/login", status_code=status.HTTP_303_SEE_OTHER)
    auth.clear_cookie(request, response, auth.SESSION_COOKIE)
    return response


# --------------------------------------------------------------------------------------------- pages


@router.get("", response_class=HTMLResponse)
async def events_page(
    request: Request,
    context: Context,
    session: DbSession,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    found = await auth.signed_in_user(session, request)
    if found is None:
        return _to_login(request)
    user = found[0]
    rows, total = await dashboard.events_of(session, user, page)
    pages = max(1, -(-total // dashboard.PAGE_SIZE))
    return _page(
        request,
        "events.html",
        auth.Csrf(context.secret_key, request),
        user,
        title="Your events",
        events=rows,
        page=page,
        pages=pages,
        total=total,
    )


async def _staff_page(
    request: Request, event_id: uuid.UUID, context: AppContext, session: AsyncSession
) -> Response | tuple[User, auth.Csrf, Event]:
    """The signed-in user, their CSRF helper and the event they are staff of; else the answer to send
    (the sign-in redirect, or the not-found page)."""
    found = await auth.signed_in_user(session, request)
    if found is None:
        return _to_login(request)
    user, csrf = found[0], auth.Csrf(context.secret_key, request)
    try:
        event = await events.get_for_staff(session, user, event_id)
    except NotFound:
        return _not_found(request, csrf, user)
    return user, csrf, event


@router.get("/events/{eventId}", response_class=HTMLResponse)
async def live_page(request: Request, event_id: EventId, context: Context, session: DbSession) -> Response:
    staff = await _staff_page(request, event_id, context, session)
    if isinstance(staff, Response):
        return staff
    user, csrf, event = staff
    return _page(request, "live.html", csrf, user, title=event.name, event=event)


@router.get("/events/{eventId}/sales", response_class=HTMLResponse)
async def sales_page(request: Request, event_id: EventId, context: Context, session: DbSession) -> Response:
    staff = await _staff_page(request, event_id, context, session)
    if isinstance(staff, Response):
        return staff
    user, csrf, event = staff
    now = utcnow()
    sales = await dashboard.report(session, user, event, Report.SALES, now)
    figures = await dashboard.report(session, user, event, Report.EVENTS, now)
    assert isinstance(figures, EventsReport) and isinstance(sales, SalesReport)
    return _page(
        request,
        "sales.html",
        csrf,
        user,
        title=f"Sales · {event.name}",
        event=event,
        sales=sales.model_dump(mode="json", by_alias=True),
        figures=figures.events[0].model_dump(mode="json", by_alias=True) if figures.events else None,
        downloads=DOWNLOADS,
    )


# ------------------------------------------------------------------------------ JSON for the scripts


@router.get("/events/{eventId}/live.json")
async def live_data(
    request: Request, event_id: EventId, context: Context, session: DbSession
) -> JSONResponse:
    user = await _user_or_401(session, request)
    online = _online_window(context)
    data = await dashboard.live_snapshot(session, user, event_id, online)
    return JSONResponse(data, headers={"Cache-Control": "no-store"})


@router.post("/events/{eventId}/live-ticket")
async def live_ticket(
    request: Request,
    event_id: EventId,
    context: Context,
    session: DbSession,
    csrf_token: Annotated[str | None, Header(alias=auth.CSRF_HEADER, max_length=128)] = None,
) -> JSONResponse:
    """A single-use, 60-second ticket to the event's SSE stream, for the signed-in user."""
    if not auth.Csrf(context.secret_key, request).check(csrf_token):
        raise Forbidden("The CSRF token is missing or wrong; reload the page.")
    user = await _user_or_401(session, request)
    token, expires_at = await live.issue_ticket(session, user, event_id)
    return JSONResponse(
        {"ticket": token, "expiresAt": expires_at.isoformat().replace("+00:00", "Z")},
        headers={"Cache-Control": "no-store"},
    )


@router.get("/events/{eventId}/sales.json")
async def sales_data(request: Request, event_id: EventId, session: DbSession) -> JSONResponse:
    user = await _user_or_401(session, request)
    event = await events.get_for_staff(session, user, event_id)
    sales = await dashboard.report(session, user, event, Report.SALES, utcnow())
    return JSONResponse(
        sales.model_dump(mode="json", by_alias=True, include={"totals", "by_day", "by_ticket_type"}),
        headers={"Cache-Control": "no-store"},
    )


@router.get("/events/{eventId}/reports/{report}.{fmt}")
async def download(
    request: Request,
    event_id: EventId,
    context: Context,
    session: DbSession,
    report: Annotated[str, Path(max_length=20)],
    fmt: Annotated[str, Path(max_length=5)],
) -> Response:
    """A report of the event as CSV or PDF: the same files as ``/api/v1/analytics/…?format=``."""
    user = await _user_or_401(session, request)
    if report not in DOWNLOADS or fmt not in FORMATS:
        raise NotFound("No such report.")
    event = await events.get_for_staff(session, user, event_id)
    computed = await dashboard.report(session, user, event, analytics.PATHS[report], utcnow())
    if fmt == "csv":
        content = export_csv.to_bytes(computed)
    else:
        content = await pdf.pdf_bytes(computed, font=context.settings.pdf_font)
    day = computed.filters.to
    return Response(
        content,
        media_type=FORMATS[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{report}-{day:%Y%m%d}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


def _online_window(context: AppContext) -> timedelta:
    return timedelta(seconds=context.settings.scanner_online_seconds)

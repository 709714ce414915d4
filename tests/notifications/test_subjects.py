"""Email subjects are one safe header line whatever the stored names hold; header-unsafe names are refused at
input (the names that end up in subjects: events', and every other single-line name)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.events.helpers import make_tenant
from tests.factories import auth, create_event
from tests.notifications.helpers import MailSink, messages, parts, run_worker
from tests.problems import assert_problem, error_fields
from tests.tickets.helpers import buy, make_buyer, make_shop
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.notifications import emails
from tixmo.notifications.models import EmailMessage

# Everything PostgreSQL stores that a header must not carry: CR LF (header injection), a bare LF, a tab, ESC,
# DEL, a C1 control (NEL), the Unicode line separator. (NUL cannot be stored at all.)
STORED_NAME = "Jazz\r\nBcc: victim@evil.example\r\n\tNight\x1b\x7f\x85\u2028Live"


async def test_a_stored_event_name_with_line_breaks_and_controls_still_sends_one_safe_subject(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    sink: MailSink,
    mail_settings: Settings,
) -> None:
    shop = await make_shop(session, context)
    # Written straight into the database, as rows stored before the input refused such names are.
    await session.execute(update(Event).where(Event.id == shop.event.id).values(name=STORED_NAME))
    await session.commit()
    buyer = await make_buyer(session, context)
    await buy(client, shop, buyer)

    await run_worker(context, mail_settings)

    [sent] = await messages(session, buyer.user.id)
    assert (sent.kind, sent.status, sent.last_error) == ("order.confirmed", "SENT", None)
    [received] = sink.received
    assert received.recipients == [buyer.user.email]  # no Bcc smuggled in
    mail = received.message
    assert mail["Subject"] == "Your tickets for Jazz Bcc: victim@evil.example Night Live"
    assert mail["Bcc"] is None
    assert list(mail.keys()).count("Subject") == 1
    plain, _, attachments = parts(mail)
    assert "Bcc: victim@evil.example" in plain  # the body still shows the name as stored
    assert len(attachments) == 1


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Tickets for A\r\nB", "Tickets for A B"),
        ("A\n\n\nB", "A B"),
        ("A\x0bB\x0cC\x1cD", "A B C D"),
        ("A\u2029B\u0085C", "A B C"),
        ("  \r\n  ", ""),
        ("Café Zürich \u2013 🎷", "Café Zürich \u2013 🎷"),
    ],
)
def test_header_text_is_one_line(subject: str, expected: str) -> None:
    assert emails.header_text(subject) == expected


def test_mime_encodes_the_safe_subject_on_one_logical_header(settings: Settings) -> None:
    message = EmailMessage(
        id=uuid.uuid4(), user_id=uuid.uuid4(), kind="order.confirmed", to="a@example.com", subject="x"
    )
    rendered = emails.Rendered(
        subject="A\r\nBcc: b@example.com\x1b " + "é" * 200, text="hi", html="<p>hi</p>"
    )
    raw = emails.mime(settings, message, rendered).as_bytes()
    head = raw.split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in head
    assert head.count(b"\nSubject:") + head.startswith(b"Subject:") == 1


# -------------------------------------------------------------------------------- refused at input

UNSAFE = [
    "Jazz\r\nBcc: x@evil.example",
    "Jazz\nNight",
    "Jazz\tNight",
    "Jazz\x1bNight",
    "Jazz\u2028Night",
    "A\x85B",
]


@pytest.mark.parametrize("name", UNSAFE)
async def test_an_event_name_with_a_line_break_or_control_character_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, name: str
) -> None:
    tenant = await make_tenant(session, context)
    body = {
        "organizationId": str(tenant.org.id),
        "name": name,
        "category": "CONCERT",
        "startsAt": "2031-07-05T19:30:00Z",
        "endsAt": "2031-07-05T23:00:00Z",
    }
    created = await client.post("/events", json=body, headers=tenant.headers)
    assert error_fields(assert_problem(created, 422, "VALIDATION_ERROR")) == {"name"}
    event = await create_event(session, organization=tenant.org)
    updated = await client.put(f"/events/{event.id}", json={"name": name}, headers=tenant.headers)
    assert error_fields(assert_problem(updated, 422, "VALIDATION_ERROR")) == {"name"}
    assert (await session.get(Event, event.id, populate_existing=True)).name == "Jazz Night"  # type: ignore[union-attr]


def _names(world: dict[str, str]) -> list[tuple[str, str, dict[str, Any], str]]:
    """(method, path, body, field) for each single-line name of the API, with a line break in it."""
    bad = "A\r\nB"
    address = {"line1": "Main Street 1", "city": "Berlin", "postalCode": "10115", "country": "DE"}
    venue = {
        "organizationId": world["org"],
        "name": "Hall",
        "address": address,
        "capacity": 10,
        "timezone": "UTC",
    }
    return [
        (
            "POST",
            "/auth/register",
            {"email": "n@example.com", "password": "Passw0rd!", "firstName": bad, "lastName": "B"},
            "firstName",
        ),
        ("PUT", f"/users/{world['user']}", {"lastName": bad}, "lastName"),
        ("POST", "/organizations", {"name": bad, "type": "OTHER"}, "name"),
        ("PUT", f"/organizations/{world['org']}", {"name": bad}, "name"),
        ("POST", "/venues", {**venue, "name": bad}, "name"),
        ("POST", "/venues", {**venue, "address": {**address, "city": bad}}, "address.city"),
        (
            "POST",
            "/venues",
            {**venue, "seatingChart": {"sections": [{"name": bad, "rows": [{"name": "A", "seats": ["1"]}]}]}},
            "seatingChart.sections.0.name",
        ),
        (
            "POST",
            f"/events/{world['event']}/ticket-types",
            {"name": bad, "price": "1", "quantityTotal": 1},
            "name",
        ),
        ("PUT", f"/events/{world['event']}", {"tags": ["jazz", bad]}, "tags.1"),
        ("POST", "/scanners/register", {"eventId": world["event"], "name": bad}, "name"),
    ]


async def test_every_single_line_name_refuses_line_breaks(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    tenant = await make_tenant(session, context)
    event = await create_event(session, organization=tenant.org)
    world = {"org": str(tenant.org.id), "user": str(tenant.user.id), "event": str(event.id)}
    headers = auth(context, tenant.user)
    for method, path, body, field in _names(world):
        response = await client.request(method, path, json=body, headers=headers)
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {field}, (path, body)

"""``/notifications``: listing (unread, pages), marking read, preferences, and isolation between users."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_settings
from tests.notifications.helpers import messages, parts, run_worker
from tests.orders.helpers import Buyer, make_buyer
from tests.problems import assert_problem, error_fields
from tixmo.deps import AppContext
from tixmo.notifications import service
from tixmo.notifications.models import NotificationPreference

DEFAULTS = {
    "emailEnabled": True,
    "orderUpdates": True,
    "ticketTransfers": True,
    "eventReminders": True,
    "marketing": False,
}


async def _notices(session: AsyncSession, buyer: Buyer, count: int) -> list[uuid.UUID]:
    ids = []
    for n in range(count):
        notice = await service.notify(
            session,
            user_id=buyer.user.id,
            kind="test.notice",
            title=f"Notice {n}",
            body="Hello",
            data={"n": n},
        )
        ids.append(notice.id)
    await session.commit()
    return ids


async def test_list_pages_newest_first_and_unread_filter(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    buyer = await make_buyer(session, context)
    ids = await _notices(session, buyer, 3)
    page = await client.get("/notifications", params={"limit": 2}, headers=buyer.headers)
    assert page.status_code == 200
    body = page.json()
    assert body["meta"] == {"page": 1, "limit": 2, "total": 3, "totalPages": 2}
    assert [n["title"] for n in body["data"]] == ["Notice 2", "Notice 1"]
    first = body["data"][0]
    assert set(first) == {"id", "kind", "title", "body", "data", "read", "readAt", "createdAt"}
    assert (first["read"], first["readAt"], first["data"]) == (False, None, {"n": 2})

    read = await client.put(f"/notifications/{ids[0]}/read", headers=buyer.headers)
    assert read.status_code == 200 and read.json()["read"] is True
    read_at = read.json()["readAt"]
    again = await client.put(f"/notifications/{ids[0]}/read", headers=buyer.headers)
    assert again.json()["readAt"] == read_at  # the first reading time stays

    unread = (await client.get("/notifications?unread=true", headers=buyer.headers)).json()
    assert {n["id"] for n in unread["data"]} == {str(ids[1]), str(ids[2])}
    assert unread["meta"]["total"] == 2

    done = await client.put("/notifications/read-all", headers=buyer.headers)
    assert done.status_code == 200 and done.json() == {"updated": 2}
    assert (await client.get("/notifications?unread=true", headers=buyer.headers)).json()["meta"][
        "total"
    ] == 0
    assert (await client.get("/notifications", headers=buyer.headers)).json()["meta"]["total"] == 3


async def test_users_only_see_and_mark_their_own(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    alice, bob = await make_buyer(session, context), await make_buyer(session, context)
    [alices] = await _notices(session, alice, 1)
    await _notices(session, bob, 2)

    listed = (await client.get("/notifications", headers=alice.headers)).json()
    assert [n["id"] for n in listed["data"]] == [str(alices)]
    assert_problem(await client.put(f"/notifications/{alices}/read", headers=bob.headers), 404, "NOT_FOUND")
    assert_problem(
        await client.put(f"/notifications/{uuid.uuid4()}/read", headers=bob.headers), 404, "NOT_FOUND"
    )
    assert (await client.put("/notifications/read-all", headers=bob.headers)).json() == {"updated": 2}
    # Bob's read-all left Alice's notification unread.
    assert (await client.get("/notifications?unread=true", headers=alice.headers)).json()["meta"][
        "total"
    ] == 1
    assert_problem(await client.get("/notifications"), 401, "UNAUTHORIZED")


async def test_preferences_defaults_and_partial_update(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    buyer = await make_buyer(session, context)
    got = await client.get("/notifications/preferences", headers=buyer.headers)
    assert got.status_code == 200
    assert {k: v for k, v in got.json().items() if k != "updatedAt"} == DEFAULTS

    changed = await client.put(
        "/notifications/preferences", json={"eventReminders": False, "marketing": True}, headers=buyer.headers
    )
    assert changed.status_code == 200, changed.text
    expected = {**DEFAULTS, "eventReminders": False, "marketing": True}
    assert {k: v for k, v in changed.json().items() if k != "updatedAt"} == expected
    again = await client.put(
        "/notifications/preferences", json={"emailEnabled": False}, headers=buyer.headers
    )
    assert {k: v for k, v in again.json().items() if k != "updatedAt"} == {**expected, "emailEnabled": False}
    stored = await session.get(NotificationPreference, buyer.user.id)
    assert stored is not None and (stored.event_reminders, stored.email_enabled) == (False, False)


async def test_bad_preferences_name_the_field_and_change_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    buyer = await make_buyer(session, context)
    for body, field in (
        ({"marketing": "yes"}, "marketing"),
        ({"eventReminders": None}, "eventReminders"),
        ({"emailEnabled": False, "orderUpdates": 1}, "orderUpdates"),
        ({"unknownSwitch": True}, "unknownSwitch"),
    ):
        response = await client.put("/notifications/preferences", json=body, headers=buyer.headers)
        problem = assert_problem(response, 422, "VALIDATION_ERROR")
        assert field in error_fields(problem), problem
    assert (
        await session.scalar(
            select(NotificationPreference).where(NotificationPreference.user_id == buyer.user.id)
        )
        is None
    )
    got = (await client.get("/notifications/preferences", headers=buyer.headers)).json()
    assert {k: v for k, v in got.items() if k != "updatedAt"} == DEFAULTS


async def test_file_backend_writes_eml_files_into_the_data_dir(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, tmp_path: Path
) -> None:
    """The embedded default: no SMTP server, each email is ``<data dir>/mail/<message id>.eml``."""
    import email
    import email.policy
    from email.message import EmailMessage as MimeMessage

    settings = make_settings(tmp_path)
    assert settings.email_backend == "file" and settings.mail_dir == tmp_path / "mail"
    address = f"file-{uuid.uuid4().hex[:8]}@example.com"
    response = await client.post(
        "/auth/register",
        json={"email": address, "password": "Passw0rd!", "firstName": "Grace", "lastName": "Hopper"},
    )
    assert response.status_code == 201
    await run_worker(context, settings)
    [message] = await messages(session)
    path = tmp_path / "mail" / f"{message.id}.eml"
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(parsed, MimeMessage)
    assert (parsed["To"], parsed["Subject"]) == (address, "Welcome to TixMo")
    assert "Hello Grace," in parts(parsed)[0]
    assert message.status == "SENT"

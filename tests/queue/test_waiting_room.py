"""The flash-sale waiting room through the HTTP API, on real PostgreSQL (docs/waiting-room.md)."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_organization, create_user
from tests.orders.helpers import make_buyer, make_shop
from tests.problems import assert_problem, error_fields
from tests.queue.helpers import buyers, held_and_sold, join, open_room, order_with, poll, set_room
from tixmo.accounts.models import Role
from tixmo.app import create_app
from tixmo.config import Settings
from tixmo.deps import AppContext
from tixmo.jobs import run_worker
from tixmo.notifications.models import EmailMessage, Notification
from tixmo.queue.models import QueueEntry
from tixmo.queue.service import TELL_CLOSED


@pytest.fixture(autouse=True)
def _generous_join_limit(context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context.settings, "rate_limit_queue_join", "10000/minute")


# ------------------------------------------------------------------------------------- staff settings


async def test_staff_create_read_and_change_the_room(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    path = f"/events/{shop.event.id}/waiting-room"
    missing = await client.get(path, headers=shop.staff_headers)
    assert_problem(missing, 404, "NOT_FOUND")

    no_open = await client.put(path, json={"admitPerMinute": 10}, headers=shop.staff_headers)
    assert "opensAt" in error_fields(assert_problem(no_open, 422, "VALIDATION_ERROR"))

    room = await open_room(client, shop, admitPerMinute=120, passMinutes=5)
    assert (room["enabled"], room["admitPerMinute"], room["passMinutes"]) == (True, 120, 5)
    assert room["joined"] == 0 and room["drawnAt"] is None

    auto = await client.put(path, json={"admitPerMinute": None}, headers=shop.staff_headers)
    assert auto.status_code == 200 and auto.json()["admitPerMinute"] is None
    assert auto.json()["passMinutes"] == 5  # a partial update

    # GET-modify-PUT: the read body goes back with one change.
    current = (await client.get(path, headers=shop.staff_headers)).json()
    sent_back = await client.put(path, json={**current, "enabled": False}, headers=shop.staff_headers)
    assert sent_back.status_code == 200, sent_back.text
    assert sent_back.json()["enabled"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"opensAt": "2030-01-01T10:00:00Z", "admitPerMinute": 0}, "admitPerMinute"),
        ({"opensAt": "2030-01-01T10:00:00Z", "passMinutes": 1441}, "passMinutes"),
        ({"opensAt": "2030-01-01T10:00:00Z", "enabled": "yes"}, "enabled"),
        ({"opensAt": "tomorrow"}, "opensAt"),
        ({"opensAt": "2030-01-01T10:00:00"}, "opensAt"),  # no time zone
        ({"opensAt": "2030-01-01T10:00:00Z", "color": "red"}, "color"),
    ],
)
async def test_bad_room_settings_are_refused_and_change_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, body: dict[str, object], field: str
) -> None:
    shop = await make_shop(session, context)
    response = await client.put(
        f"/events/{shop.event.id}/waiting-room", json=body, headers=shop.staff_headers
    )
    assert field in error_fields(assert_problem(response, 422, "VALIDATION_ERROR"))
    assert (await session.execute(text("SELECT count(*) FROM waiting_rooms"))).scalar_one() == 0


async def test_other_organizations_and_buyers_cannot_see_or_set_the_room(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    await open_room(client, shop)
    stranger = await create_user(session, context, role=Role.PROMOTER)
    await create_organization(session, owner=stranger, name="Other org")
    buyer = await make_buyer(session, context)
    path = f"/events/{shop.event.id}/waiting-room"
    for headers in (auth(context, stranger), buyer.headers):
        assert_problem(await client.get(path, headers=headers), 404, "NOT_FOUND")
        put = await client.put(path, json={"enabled": False}, headers=headers)
        assert_problem(put, 404, "NOT_FOUND")
    assert (await client.get(path, headers=shop.staff_headers)).json()["enabled"] is True
    assert (await client.put(path, json={"enabled": False})).status_code == 401


# ------------------------------------------------------------------------------------ joining, passes


async def test_join_poll_admit_and_order_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    await open_room(client, shop)
    buyer = await make_buyer(session, context)

    joined = await join(client, shop, buyer)
    again = await client.post(f"/events/{shop.event.id}/queue", headers=buyer.headers)
    assert again.status_code == 200 and again.json()["token"] == joined["token"]  # one place per account

    state = await poll(client, shop, joined["token"])
    assert state["status"] == "ADMITTED" and state["position"] == 1 and state["pass"]
    assert state["passExpiresAt"] is not None

    ordered = await order_with(client, shop, buyer, state["pass"], quantity=2)
    assert ordered.status_code == 201, ordered.text
    assert await held_and_sold(session, shop) == (2, 0)

    spent = await poll(client, shop, joined["token"])
    assert spent["status"] == "EXPIRED" and spent["passUsedAt"] is not None and spent["pass"] is None
    replay = await order_with(client, shop, buyer, state["pass"])
    assert_problem(replay, 403, "ADMISSION_REQUIRED")
    assert await held_and_sold(session, shop) == (2, 0)


async def test_orders_without_a_valid_pass_are_refused_and_change_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=10)
    await open_room(client, shop)
    owner, other = await buyers(session, context, 2)
    admitted = await poll(client, shop, (await join(client, shop, owner))["token"])
    other_shop = await make_shop(session, context)
    await open_room(client, other_shop)

    for who, admission in [
        (owner, None),  # no header
        (owner, "nonsense"),
        (owner, admitted["pass"][:-2] + "xx"),  # forged MAC
        (other, admitted["pass"]),  # someone else's pass
    ]:
        response = await order_with(client, shop, who, admission)
        assert_problem(response, 403, "ADMISSION_REQUIRED")
    response = await client.post(
        "/orders",
        json={
            "eventId": str(other_shop.event.id),
            "items": [{"ticketTypeId": str(other_shop.ticket_type.id), "quantity": 1}],
        },
        headers={**owner.headers, "TixMo-Admission": admitted["pass"]},
    )
    assert_problem(response, 403, "ADMISSION_REQUIRED")  # a pass for another event
    assert await held_and_sold(session, shop) == (0, 0)
    assert (await order_with(client, other_shop, owner, None)).status_code == 403
    # Without a room, nothing is asked.
    plain = await make_shop(session, context)
    assert (await order_with(client, plain, owner, None)).status_code == 201


async def test_a_pass_places_one_order_even_when_sent_many_times_at_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "order_gate", asyncio.Semaphore(50))
    shop = await make_shop(session, context, quantity=100)
    await open_room(client, shop)
    buyer = await make_buyer(session, context)
    admitted = await poll(client, shop, (await join(client, shop, buyer))["token"])
    answers = await asyncio.gather(*(order_with(client, shop, buyer, admitted["pass"]) for _ in range(20)))
    codes = sorted(response.status_code for response in answers)
    assert codes == [201] + [403] * 19, codes
    assert await held_and_sold(session, shop) == (1, 0)


async def test_an_expired_pass_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    await open_room(client, shop)
    buyer = await make_buyer(session, context)
    token = (await join(client, shop, buyer))["token"]
    admitted = await poll(client, shop, token)
    await session.execute(
        text("UPDATE queue_entries SET pass_expires_at = now() - interval '1 second' WHERE user_id = :u"),
        {"u": buyer.user.id},
    )
    await session.commit()
    assert (await poll(client, shop, token))["status"] == "EXPIRED"
    assert_problem(await order_with(client, shop, buyer, admitted["pass"]), 403, "ADMISSION_REQUIRED")
    assert await held_and_sold(session, shop) == (0, 0)


async def test_joining_bad_cases(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    buyer = await make_buyer(session, context)
    no_room = await client.post(f"/events/{shop.event.id}/queue", headers=buyer.headers)
    assert_problem(no_room, 409, "CONFLICT")
    await open_room(client, shop)
    assert (await client.post(f"/events/{shop.event.id}/queue")).status_code == 401

    draft = await create_event(session, organization=shop.org, status="DRAFT")
    hidden = await client.post(f"/events/{draft.id}/queue", headers=buyer.headers)
    assert_problem(hidden, 404, "NOT_FOUND")

    token = (await join(client, shop, buyer))["token"]
    other = await make_shop(session, context)
    for path in (
        f"/events/{other.event.id}/queue/{token}",  # another event's room
        f"/events/{shop.event.id}/queue/{token[:-3]}abc",  # forged
        f"/events/{shop.event.id}/queue/not-a-token",
    ):
        assert_problem(await client.get(path), 404, "NOT_FOUND")
    assert (await session.execute(select(func.count()).select_from(QueueEntry))).scalar_one() == 1


async def test_joining_is_rate_limited(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context.settings, "rate_limit_queue_join", "3/minute")
    shop = await make_shop(session, context)
    await open_room(client, shop)
    people = await buyers(session, context, 4)
    answers = [await client.post(f"/events/{shop.event.id}/queue", headers=p.headers) for p in people]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert (await session.execute(select(func.count()).select_from(QueueEntry))).scalar_one() == 3


# --------------------------------------------------------------------------------- order of the room


async def test_early_arrivals_are_shuffled_and_later_ones_queue_in_order(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "queue_draw", random.Random(20261205))
    shop = await make_shop(session, context)
    await open_room(client, shop, opens_in=timedelta(hours=1), admitPerMinute=1)
    early = await buyers(session, context, 12)
    tokens = [(await join(client, shop, b))["token"] for b in early]
    before = await poll(client, shop, tokens[0])
    assert before["status"] == "WAITING" and before["position"] is None
    assert 3500 <= before["estimatedWaitSeconds"] <= 3600  # until the opening

    await set_room(session, shop, "opens_at = now() - interval '1 second'")
    positions = [(await poll(client, shop, t))["position"] for t in tokens]
    assert sorted(positions) == list(range(1, 13))
    assert positions != list(range(1, 13))  # shuffled, not in the order they came

    late = await buyers(session, context, 5)
    late_positions = [(await join(client, shop, b))["position"] for b in late]
    assert late_positions == list(range(13, 18))  # first come, first served after the opening


async def test_concurrent_joins_get_distinct_consecutive_positions(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    await open_room(client, shop, admitPerMinute=1)
    people = await buyers(session, context, 50)
    joined = await asyncio.gather(*(join(client, shop, b) for b in people))
    assert sorted(j["position"] for j in joined) == list(range(1, 51))
    room = (await client.get(f"/events/{shop.event.id}/waiting-room", headers=shop.staff_headers)).json()
    assert room["joined"] == 50


async def test_admission_follows_the_rate(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=1000)
    await open_room(client, shop, admitPerMinute=60)
    people = await buyers(session, context, 40)
    tokens = [(await join(client, shop, b))["token"] for b in people]
    # 10 seconds of admission at 60 a minute: about 10 people.
    await set_room(session, shop, "admitted = 0, advanced_at = now() - interval '10 seconds'")
    states = [await poll(client, shop, t) for t in tokens]
    admitted = [s for s in states if s["status"] == "ADMITTED"]
    assert 10 <= len(admitted) <= 12, len(admitted)
    assert [s["position"] for s in admitted] == list(range(1, len(admitted) + 1))
    waiting = states[30]
    assert waiting["status"] == "WAITING" and waiting["ahead"] == 30 - len(admitted)
    assert waiting["estimatedWaitSeconds"] == waiting["ahead"]  # one a second


async def test_admission_never_outruns_the_stock(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=3)
    await open_room(client, shop, admitPerMinute=10000)
    tokens = [(await join(client, shop, b))["token"] for b in await buyers(session, context, 10)]
    await set_room(session, shop, "advanced_at = now() - interval '1 minute'")
    states = [await poll(client, shop, t) for t in tokens]
    assert [s["status"] for s in states].count("ADMITTED") == 3


async def test_polling_answers_304_while_nothing_changed_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    await open_room(client, shop, admitPerMinute=1)
    people = await buyers(session, context, 5)
    token = [(await join(client, shop, b))["token"] for b in people][-1]
    first = await client.get(f"/events/{shop.event.id}/queue/{token}")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "private, no-cache"
    await set_room(session, shop, "advanced_at = now() + interval '1 hour'")  # the watermark stays put
    entry_row = text("SELECT xmin::text FROM queue_entries WHERE user_id = :u")
    before = (await session.execute(entry_row, {"u": people[-1].user.id})).scalar_one()
    await session.commit()
    for _ in range(5):
        again = await client.get(
            f"/events/{shop.event.id}/queue/{token}", headers={"If-None-Match": first.headers["ETag"]}
        )
        assert again.status_code == 304 and again.content == b""
    weak = await client.get(
        f"/events/{shop.event.id}/queue/{token}", headers={"If-None-Match": "W/" + first.headers["ETag"]}
    )
    assert weak.status_code == 304  # If-None-Match compares weakly
    other = await client.get(f"/events/{shop.event.id}/queue/{token}", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.json()["status"] == "WAITING"
    after = (await session.execute(entry_row, {"u": people[-1].user.id})).scalar_one()
    assert before == after


async def test_positions_survive_a_restart(
    client: httpx.AsyncClient,
    session: AsyncSession,
    context: AppContext,
    settings: Settings,
    database_url: str,
) -> None:
    shop = await make_shop(session, context)
    await open_room(client, shop, admitPerMinute=1)
    tokens = [(await join(client, shop, b))["token"] for b in await buyers(session, context, 4)]
    before = [await poll(client, shop, t) for t in tokens]

    restarted = create_app(settings, database_url=database_url)
    async with restarted.router.lifespan_context(restarted):
        transport = httpx.ASGITransport(app=restarted)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as fresh:
            after = [await poll(fresh, shop, t) for t in tokens]
    assert [s["position"] for s in after] == [s["position"] for s in before] == [1, 2, 3, 4]
    assert [s["status"] for s in after] == [s["status"] for s in before]


# ------------------------------------------------------------------------------------------ sold out


async def test_a_sold_out_event_closes_the_room_and_tells_those_waiting_once(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, settings: Settings
) -> None:
    shop = await make_shop(session, context, quantity=2)
    await open_room(client, shop, admitPerMinute=1)
    people = await buyers(session, context, 4)
    tokens = [(await join(client, shop, b))["token"] for b in people]
    first = await poll(client, shop, tokens[0])
    assert first["status"] == "ADMITTED"
    assert (await order_with(client, shop, people[0], first["pass"], quantity=2)).status_code == 201
    await session.execute(
        text("UPDATE ticket_types SET quantity_sold = 2, quantity_held = 0 WHERE id = :t"),
        {"t": shop.ticket_type.id},
    )
    await session.commit()
    await set_room(session, shop, "advanced_at = now() - interval '2 seconds'")

    states = [await poll(client, shop, t) for t in tokens[1:]]
    assert {s["status"] for s in states} == {"CLOSED"}
    refused = await client.post(
        f"/events/{shop.event.id}/queue", headers=(await make_buyer(session, context)).headers
    )
    assert_problem(refused, 409, "CONFLICT")

    await run_worker(context.database, settings=settings, wait=False, install_signal_handlers=False)
    await run_worker(context.database, settings=settings, wait=False, install_signal_handlers=False)
    told = (
        (await session.execute(select(Notification.user_id).where(Notification.kind == "queue.closed")))
        .scalars()
        .all()
    )
    assert sorted(told) == sorted(p.user.id for p in people[1:])  # the admitted buyer is not told
    mails = (
        (await session.execute(select(EmailMessage.status).where(EmailMessage.kind == "queue.closed")))
        .scalars()
        .all()
    )
    assert len(mails) == 3
    jobs = (
        await session.execute(
            text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t"), {"t": TELL_CLOSED}
        )
    ).scalar_one()
    assert jobs == 1


async def test_automatic_admission_starts_at_its_floor_and_follows_checkouts(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context, quantity=1000)
    await open_room(client, shop, admitPerMinute=None)
    tokens = [(await join(client, shop, b))["token"] for b in await buyers(session, context, 60)]
    await set_room(session, shop, "admitted = 0, advanced_at = now() - interval '10 seconds'")
    states = [await poll(client, shop, t) for t in tokens]
    floor = [s["status"] for s in states].count("ADMITTED")
    assert 10 <= floor <= 12, floor  # 60 a minute with no checkouts yet

    # 150 orders in the last 5 minutes: 30 a minute, so twice that is still the floor; 600 make 240.
    await session.execute(
        text(
            "INSERT INTO orders (id, user_id, event_id, status, subtotal_minor, discount_minor, total_minor,"
            " currency, ticket_count, expires_at, created_at, updated_at)"
            " SELECT gen_random_uuid(), :u, :e, 'CANCELLED', 0, 0, 0, 'USD', 1, now(), now(), now()"
            " FROM generate_series(1, 600)"
        ),
        {"u": shop.staff.id, "e": shop.event.id},
    )
    await session.commit()
    await set_room(session, shop, "admitted = 0, advanced_at = now() - interval '10 seconds'")
    await session.execute(text("UPDATE queue_entries SET pass_issued_at = NULL, pass_expires_at = NULL"))
    await session.commit()
    states = [await poll(client, shop, t) for t in tokens]
    fast = [s["status"] for s in states].count("ADMITTED")
    assert 40 <= fast <= 42, fast  # 240 a minute for 10 seconds


async def test_joins_racing_the_opening_draw_all_get_one_distinct_position(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    """Early joins, the opening and the draw (made by a poll), and later joins, all at once: whichever way
    they interleave, every person ends with one position and the positions are 1..n."""
    shop = await make_shop(session, context)
    await open_room(client, shop, opens_in=timedelta(hours=1), admitPerMinute=1)
    first = await make_buyer(session, context)
    first_token = (await join(client, shop, first))["token"]
    people = await buyers(session, context, 40)

    async def open_and_poll() -> dict[str, object]:
        async with context.database.sessionmaker() as own:
            await set_room(own, shop, "opens_at = now()")
        return await poll(client, shop, first_token)

    racing = [join(client, shop, b) for b in people[:20]] + [open_and_poll()]
    racing += [join(client, shop, b) for b in people[20:]]
    joined = await asyncio.gather(*racing)
    tokens = [first_token] + [j["token"] for j in joined if "token" in j]
    assert len(tokens) == 41
    positions = [(await poll(client, shop, t))["position"] for t in tokens]
    assert sorted(positions) == list(range(1, 42))


@pytest.mark.parametrize("opens_in", [timedelta(minutes=-1), timedelta(hours=1)], ids=["open", "early"])
async def test_one_person_joining_many_times_at_once_gets_one_place(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, opens_in: timedelta
) -> None:
    """Early (the insert's conflict waits for the first) and after the opening (the room row's lock)."""
    shop = await make_shop(session, context)
    await open_room(client, shop, opens_in=opens_in, admitPerMinute=1)
    buyer = await make_buyer(session, context)
    answers = await asyncio.gather(
        *(client.post(f"/events/{shop.event.id}/queue", headers=buyer.headers) for _ in range(10))
    )
    assert sorted(a.status_code for a in answers) == [200] * 9 + [201]
    assert len({a.json()["token"] for a in answers}) == 1
    assert (await session.execute(select(func.count()).select_from(QueueEntry))).scalar_one() == 1
    room = (await client.get(f"/events/{shop.event.id}/waiting-room", headers=shop.staff_headers)).json()
    assert room["joined"] == 1

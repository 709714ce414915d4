"""Races through the HTTP API on real PostgreSQL: one ticket, many hands."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.tickets.helpers import buy_one, count, make_buyer, make_shop, ticket_row
from tixmo.audit.models import AuditEntry
from tixmo.db import utcnow
from tixmo.deps import AppContext
from tixmo.notifications.models import Notification
from tixmo.tickets import service
from tixmo.tickets.models import Ticket, TicketRevocation, TicketTransfer


def _outcomes(responses: list[httpx.Response]) -> Counter[str]:
    return Counter("ok" if r.status_code == 200 else r.json()["code"] for r in responses)


async def test_concurrent_transfers_of_one_ticket_exactly_one_wins(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    holder = await make_buyer(session, context)
    recipients = [await make_buyer(session, context) for _ in range(6)]
    ticket = await buy_one(client, shop, holder)

    responses = list(
        await asyncio.gather(
            *(
                client.post(
                    f"/tickets/{ticket['id']}/transfer", json={"email": r.user.email}, headers=holder.headers
                )
                for r in recipients
            )
        )
    )

    assert _outcomes(responses) == {"ok": 1, "CONFLICT": 5}, [r.text for r in responses]
    winner = next(r.json() for r in responses if r.status_code == 200)
    row = await ticket_row(session, ticket["id"])
    assert str(row.owner_id) == winner["toUserId"]
    assert (row.version, row.status) == (2, "VALID")
    assert row.barcode != ticket["barcode"]
    assert await count(session, TicketTransfer) == 1
    assert await count(session, TicketRevocation) == 1
    assert await count(session, Notification, Notification.kind.like("ticket.transfer.%")) == 2
    losers = [r.json()["detail"] for r in responses if r.status_code != 200]
    assert all("transferred" in detail for detail in losers)


async def test_transfers_and_regenerations_racing_keep_the_history_consistent(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    holder = await make_buyer(session, context)
    recipient = await make_buyer(session, context)
    ticket = await buy_one(client, shop, holder)
    path = f"/tickets/{ticket['id']}"

    responses = list(
        await asyncio.gather(
            client.post(f"{path}/regenerate-qr", headers=holder.headers),
            client.post(f"{path}/transfer", json={"email": recipient.user.email}, headers=holder.headers),
            client.post(f"{path}/regenerate-qr", headers=holder.headers),
        )
    )

    outcomes = _outcomes(responses)
    assert responses[1].status_code == 200  # nothing stops the transfer; regenerations after it lose
    assert set(outcomes) <= {"ok", "CONFLICT"}
    row = await ticket_row(session, ticket["id"])
    assert row.owner_id == recipient.user.id
    # Every successful change revoked exactly the barcode it replaced: versions and history add up.
    assert row.version == 1 + outcomes["ok"]
    assert await count(session, TicketRevocation) == outcomes["ok"]
    assert await count(session, TicketTransfer) == 1


async def test_a_transfer_racing_the_orders_cancellation_one_of_them_wins(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    holder = await make_buyer(session, context)
    recipient = await make_buyer(session, context)
    ticket = await buy_one(client, shop, holder)

    transfer, cancel = await asyncio.gather(
        client.post(
            f"/tickets/{ticket['id']}/transfer", json={"email": recipient.user.email}, headers=holder.headers
        ),
        client.post(f"/orders/{ticket['orderId']}/cancel", headers=holder.headers),
    )

    assert sorted([transfer.status_code, cancel.status_code]) == [200, 409], (transfer.text, cancel.text)
    row = await ticket_row(session, ticket["id"])
    if transfer.status_code == 200:  # the recipient keeps a live ticket; the buyer got no refund
        assert (row.owner_id, row.status) == (recipient.user.id, "VALID")
    else:  # cancelled and refunded first: nothing was handed on
        assert (row.owner_id, row.status) == (holder.user.id, "CANCELLED")
        assert await count(session, TicketTransfer) == 0


async def test_concurrent_check_ins_of_one_ticket_exactly_one_succeeds(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    holder = await make_buyer(session, context)
    ticket = await buy_one(client, shop, holder)

    responses = list(
        await asyncio.gather(
            *(client.post(f"/tickets/{ticket['id']}/check-in", headers=shop.staff_headers) for _ in range(8))
        )
    )

    assert _outcomes(responses) == {"ok": 1, "INVALID_STATE": 7}
    row = await ticket_row(session, ticket["id"])
    assert row.status == "USED" and row.checked_in_at is not None
    entries = list(await session.scalars(select(AuditEntry).where(AuditEntry.action == "ticket.checked_in")))
    await session.commit()
    assert len(entries) == 1


# ----------------------------------------------------------------------------------- negative controls
# The same races with the guards taken out: the tests above would fail, so they test the guards.


async def _no_lock(session: AsyncSession, ticket: Ticket, **_: object) -> Ticket:
    return ticket


async def _no_revocation(*_: object) -> None:
    return None


async def test_negative_control_transfers_without_the_row_lock_all_win(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the lock (and the revocation row, whose UNIQUE barcode hash would turn the race into 500s).
    monkeypatch.setattr(service, "_lock", _no_lock)
    monkeypatch.setattr(service, "revoke", _no_revocation)
    shop = await make_shop(session, context)
    holder = await make_buyer(session, context)
    recipients = [await make_buyer(session, context) for _ in range(4)]
    ticket = await buy_one(client, shop, holder)

    responses = list(
        await asyncio.gather(
            *(
                client.post(
                    f"/tickets/{ticket['id']}/transfer", json={"email": r.user.email}, headers=holder.headers
                )
                for r in recipients
            )
        )
    )

    # Every request believed it held the ticket: several "won", and the history shows each of them.
    assert _outcomes(responses)["ok"] > 1
    assert await count(session, TicketTransfer) > 1


async def _naive_mark_used(session: AsyncSession, ticket: Ticket, **_: object) -> bool:
    if ticket.status != "VALID":
        return False
    await session.execute(
        update(Ticket).where(Ticket.id == ticket.id).values(status="USED", checked_in_at=utcnow())
    )
    return True


async def test_negative_control_check_then_update_checks_in_twice(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "_lock", _no_lock)
    monkeypatch.setattr(service, "mark_used", _naive_mark_used)
    shop = await make_shop(session, context)
    holder = await make_buyer(session, context)
    ticket = await buy_one(client, shop, holder)

    responses = list(
        await asyncio.gather(
            *(client.post(f"/tickets/{ticket['id']}/check-in", headers=shop.staff_headers) for _ in range(8))
        )
    )

    assert _outcomes(responses)["ok"] > 1

"""Who may call ``POST /tickets/validate``: org staff only (API.md). A caller who is staff of no
organization is refused (403); staff of another organization get the "unknown code" answer (nothing
leaks); a platform ADMIN checks any code."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_organization, create_user
from tests.tickets.helpers import assert_problem, buy_one, make_buyer, make_shop
from tixmo.accounts.models import Role
from tixmo.deps import AppContext


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.PROMOTER])
async def test_a_caller_who_is_staff_of_no_organization_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext, role: Role
) -> None:
    shop = await make_shop(session, context)
    ticket = await buy_one(client, shop, await make_buyer(session, context))
    caller = await create_user(session, context, role=role)
    # A former organization does not count: a deleted one makes nobody staff.
    gone = await create_organization(session, owner=caller, name="Gone")
    deleted = await client.delete(f"/organizations/{gone.id}", headers=auth(context, caller))
    assert deleted.status_code == 204, deleted.text
    for body in ({"barcode": ticket["barcode"]}, {"barcode": "NOSUCHBARCODE"}, {"qrData": "TM1.x.y"}):
        answer = await client.post("/tickets/validate", json=body, headers=auth(context, caller))
        assert_problem(answer, 403, "FORBIDDEN")


async def test_staff_of_another_organization_get_the_unknown_code_answer(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    ticket = await buy_one(client, shop, await make_buyer(session, context))
    # Staff of an organization with no events at all are still staff: they get answers, not 403.
    lonely = await create_user(session, context)
    await create_organization(session, owner=lonely, name="No events")
    other = await make_shop(session, context, name="Other")
    for headers in (other.staff_headers, auth(context, lonely)):
        foreign = await client.post("/tickets/validate", json={"barcode": ticket["barcode"]}, headers=headers)
        unknown = await client.post("/tickets/validate", json={"barcode": "NOSUCHBARCODE"}, headers=headers)
        assert foreign.status_code == unknown.status_code == 200, foreign.text
        assert foreign.json() == unknown.json()
        assert (foreign.json()["valid"], foreign.json()["reason"]) == (False, "NOT_FOUND")


async def test_a_platform_admin_validates_any_code(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    shop = await make_shop(session, context)
    ticket = await buy_one(client, shop, await make_buyer(session, context))
    admin = await create_user(session, context, role=Role.ADMIN)
    answer = await client.post(
        "/tickets/validate", json={"barcode": ticket["barcode"]}, headers=auth(context, admin)
    )
    assert answer.status_code == 200, answer.text
    assert (answer.json()["valid"], answer.json()["status"], answer.json()["ticket"]["id"]) == (
        True,
        "VALID",
        ticket["id"],
    )

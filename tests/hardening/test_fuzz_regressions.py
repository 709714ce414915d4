"""Regression tests for the failures the schema fuzzing (test_schema_fuzz.py) found."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_organization, create_ticket_type, create_user
from tixmo.accounts.models import Role
from tixmo.deps import AppContext


async def test_the_funnel_of_events_with_no_views_and_no_orders_is_all_zeros(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    # Found by fuzzing: with nothing to count, the grand-total row summed to NULL and the report answered 500.
    organizer = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=organizer)
    event = await create_event(session, organization=org, status="PUBLISHED")
    await create_ticket_type(session, event=event)
    admin = await create_user(session, context, role=Role.ADMIN)
    for headers in (auth(context, organizer), auth(context, admin)):
        response = await client.get("/analytics/funnel", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        totals = body["totals"]
        assert totals["views"] == 0 and totals["orderStarts"] == 0 and totals["paidOrders"] == 0, body

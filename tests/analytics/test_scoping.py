"""Who sees which figures, and filters refused with a 422 naming the field (reports write nothing)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.analytics.dataset import World, expected_sales
from tests.analytics.helpers import REPORTS, params, report
from tests.problems import assert_problem, error_fields


@pytest.mark.parametrize("name", REPORTS)
async def test_roles(client: httpx.AsyncClient, world: World, name: str) -> None:
    # A customer, a member of no organization: 403, whatever the filters.
    for query in (params(world), params(world, org=None)):
        assert_problem(
            await client.get(f"/analytics/{name}", params=query, headers=world.headers["customer"]),
            403,
            "FORBIDDEN",
        )
    assert_problem(await client.get(f"/analytics/{name}", params=params(world)), 401, "UNAUTHORIZED")
    # Staff of another organization: 404, for its organization and for its event alike.
    other = world.headers["b_staff"]
    missing = assert_problem(
        await client.get(f"/analytics/{name}", params=params(world), headers=other), 404, "NOT_FOUND"
    )
    assert error_fields(missing) == {"organizationId"}
    event_query = params(world, org=None, eventId=str(world.events["E1"]))
    missing = assert_problem(
        await client.get(f"/analytics/{name}", params=event_query, headers=other), 404, "NOT_FOUND"
    )
    assert error_fields(missing) == {"eventId"}
    # ... and the same 404 for an id that exists nowhere: nothing tells one from the other.
    unknown = params(world, org=None, organizationId=str(uuid.uuid4()))
    assert error_fields(
        assert_problem(
            await client.get(f"/analytics/{name}", params=unknown, headers=other), 404, "NOT_FOUND"
        )
    ) == {"organizationId"}
    # A plain member (platform role CUSTOMER) of the organization is org staff.
    await report(client, name, world.headers["a_member"], params(world))
    # ADMIN: any organization.
    await report(client, name, world.headers["admin"], params(world, org="B"))


async def test_admin_sees_every_organization_staff_their_own(client: httpx.AsyncClient, world: World) -> None:
    def totals(body: dict) -> dict:
        return {row["currency"]: (row["orders"], row["net"]) for row in body["totals"]}

    everyone = await report(client, "sales", world.headers["admin"], params(world, org=None))
    both = expected_sales(world, {"A", "B"})["totals"]
    assert totals(everyone) == {c: (v["orders"], v["net"]) for c, v in both.items()}
    assert totals(everyone)["USD"] == (3, "99.00")  # o5, o6 of A and o10 of B
    own = await report(client, "sales", world.headers["a_staff"], params(world, org=None))
    only_a = expected_sales(world, {"A"})["totals"]
    assert totals(own) == {c: (v["orders"], v["net"]) for c, v in only_a.items()}
    just_b = await report(client, "sales", world.headers["b_staff"], params(world, org=None))
    assert totals(just_b) == {"USD": (1, "50.00")}
    one_event = await report(
        client, "sales", world.headers["a_staff"], params(world, eventId=str(world.events["E2"]))
    )
    assert totals(one_event) == {"USD": (2, "49.00")}
    events = await report(client, "events", world.headers["admin"], params(world, org=None))
    assert {row["name"] for row in events["events"]} == {"Event E1", "Event E2", "Event E3"}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"from": "2026-04-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}, "from"),
        ({"from": "2026-04-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}, "from"),
        ({"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "from"),  # longer than 3 years
        ({"tz": "Mars/Olympus_Mons"}, "tz"),
        ({"tz": "../../etc/passwd"}, "tz"),
        ({"organizationId": "not-a-uuid"}, "organizationId"),
        ({"eventId": "42"}, "eventId"),
        ({"from": "yesterday"}, "from"),
        ({"format": "xlsx"}, "format"),
    ],
)
async def test_bad_filters_are_422_naming_the_field(
    client: httpx.AsyncClient, world: World, extra: dict[str, str], field: str
) -> None:
    for name in ("sales", "customers"):
        response = await client.get(
            f"/analytics/{name}", params=params(world, **extra), headers=world.headers["a_staff"]
        )
        assert field in error_fields(assert_problem(response, 422, "VALIDATION_ERROR"))


async def test_ids_that_do_not_fit(client: httpx.AsyncClient, world: World) -> None:
    admin = world.headers["admin"]
    # For an ADMIN, who sees every organization, an id that exists nowhere is a bad filter.
    for field in ("organizationId", "eventId"):
        response = await client.get(
            "/analytics/sales", params=params(world, org=None, **{field: str(uuid.uuid4())}), headers=admin
        )
        assert error_fields(assert_problem(response, 422, "VALIDATION_ERROR")) == {field}
    # An event of another organization than the one asked for.
    mixed = params(world, eventId=str(world.events["E3"]))
    assert error_fields(
        assert_problem(
            await client.get("/analytics/sales", params=mixed, headers=admin), 422, "VALIDATION_ERROR"
        )
    ) == {"eventId"}
    # The funnel's days are the events' own.
    funnel = await client.get(
        "/analytics/funnel", params=params(world, tz="UTC"), headers=world.headers["a_staff"]
    )
    assert error_fields(assert_problem(funnel, 422, "VALIDATION_ERROR")) == {"tz"}

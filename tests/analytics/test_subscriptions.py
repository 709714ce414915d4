"""``/analytics/subscriptions``: org staff subscribe members of their organization to a report."""

from __future__ import annotations

from typing import Any

import httpx

from tests.analytics.dataset import World
from tests.problems import assert_problem, error_fields


def body(world: World, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "organizationId": str(world.orgs["A"]),
        "report": "SALES",
        "frequency": "DAILY",
        "timezone": "Europe/Berlin",
        "recipients": [str(world.users["a_staff"].id), str(world.users["a_member"].id)],
    }
    values.update(extra)
    return values


async def test_lifecycle(client: httpx.AsyncClient, world: World) -> None:
    staff = world.headers["a_staff"]
    created = await client.post("/analytics/subscriptions", json=body(world), headers=staff)
    assert created.status_code == 201, created.text
    subscription = created.json()
    assert (subscription["report"], subscription["frequency"], subscription["isActive"]) == (
        "SALES",
        "DAILY",
        True,
    )
    assert subscription["recipients"] == [str(world.users["a_staff"].id), str(world.users["a_member"].id)]
    assert subscription["lastPeriodSent"] is None
    path = f"/analytics/subscriptions/{subscription['id']}"
    assert (await client.get(path, headers=world.headers["a_member"])).json()["id"] == subscription["id"]
    listed = await client.get("/analytics/subscriptions", headers=staff)
    assert [s["id"] for s in listed.json()["data"]] == [subscription["id"]]
    assert listed.json()["meta"]["total"] == 1
    # GET-modify-PUT: the resource sent back with one change.
    changed = {**(await client.get(path, headers=staff)).json(), "frequency": "WEEKLY", "report": "EVENTS"}
    updated = await client.put(path, json=changed, headers=staff)
    assert updated.status_code == 200, updated.text
    assert (updated.json()["frequency"], updated.json()["report"]) == ("WEEKLY", "EVENTS")
    audit = await client.get(f"/organizations/{world.orgs['A']}/audit-log", headers=staff)
    actions = [entry["action"] for entry in audit.json()["data"]]
    assert "analytics.subscription.created" in actions and "analytics.subscription.updated" in actions
    assert (await client.delete(path, headers=staff)).status_code == 204
    assert_problem(await client.get(path, headers=staff), 404, "NOT_FOUND")


async def test_other_organizations_see_nothing(client: httpx.AsyncClient, world: World) -> None:
    created = await client.post(
        "/analytics/subscriptions", json=body(world), headers=world.headers["a_staff"]
    )
    path = f"/analytics/subscriptions/{created.json()['id']}"
    for who in ("b_staff", "customer"):
        headers = world.headers[who]
        assert_problem(await client.get(path, headers=headers), 404, "NOT_FOUND")
        assert_problem(
            await client.put(path, json={"frequency": "WEEKLY"}, headers=headers), 404, "NOT_FOUND"
        )
        assert_problem(await client.delete(path, headers=headers), 404, "NOT_FOUND")
        assert_problem(
            await client.post("/analytics/subscriptions", json=body(world), headers=headers), 404, "NOT_FOUND"
        )
        assert (await client.get("/analytics/subscriptions", headers=headers)).json()["data"] == []
    admin = await client.get("/analytics/subscriptions", headers=world.headers["admin"])
    assert [s["id"] for s in admin.json()["data"]] == [created.json()["id"]]


async def test_bad_subscriptions_are_422_naming_the_field(client: httpx.AsyncClient, world: World) -> None:
    staff = world.headers["a_staff"]
    cases = [
        (
            body(world, recipients=[str(world.users["a_staff"].id), str(world.users["b_staff"].id)]),
            "recipients.1",
        ),
        (body(world, recipients=[]), "recipients"),
        (body(world, eventId=str(world.events["E3"])), "eventId"),
        (body(world, timezone="Nowhere/Special"), "timezone"),
        (body(world, report="REVENUE"), "report"),
        (body(world, frequency="HOURLY"), "frequency"),
        (body(world, colour="blue"), "colour"),
    ]
    for payload, field in cases:
        response = await client.post("/analytics/subscriptions", json=payload, headers=staff)
        assert field in error_fields(assert_problem(response, 422, "VALIDATION_ERROR")), payload
    assert (await client.get("/analytics/subscriptions", headers=staff)).json()["meta"]["total"] == 0
    created = (await client.post("/analytics/subscriptions", json=body(world), headers=staff)).json()
    path = f"/analytics/subscriptions/{created['id']}"
    bad = await client.put(path, json={"recipients": [str(world.users["customer"].id)]}, headers=staff)
    assert error_fields(assert_problem(bad, 422, "VALIDATION_ERROR")) == {"recipients.0"}
    bad = await client.put(path, json={"frequency": None}, headers=staff)
    assert error_fields(assert_problem(bad, 422, "VALIDATION_ERROR")) == {"frequency"}
    assert (await client.get(path, headers=staff)).json()["recipients"] == created["recipients"]

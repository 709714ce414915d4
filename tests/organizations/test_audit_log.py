"""``/organizations/{id}/audit-log`` and the ``tixmo.audit.service`` helpers."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import httpx
import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_organization, create_user
from tests.problems import assert_problem
from tixmo.accounts.models import Role
from tixmo.audit import service as audit
from tixmo.audit.models import AuditEntry
from tixmo.deps import AppContext
from tixmo.organizations.models import MemberRole, OrganizationType


async def test_audit_log_records_organization_lifecycle(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    newcomer = await create_user(session, context)
    headers = auth(context, owner)

    created = await client.post(
        "/organizations",
        json={"name": "Audited", "type": "PROMOTER", "description": "First"},
        headers={**headers, "X-Request-ID": "req-create-1"},
    )
    assert created.status_code == 201, created.text
    assert created.headers["X-Request-ID"] == "req-create-1"
    org_id = created.json()["id"]

    updated = await client.put(
        f"/organizations/{org_id}",
        json={"name": "Audited Again", "description": "First", "type": "VENUE"},
        headers={**headers, "X-Request-ID": "req-update-2"},
    )
    assert updated.status_code == 200, updated.text
    added = await client.post(
        f"/organizations/{org_id}/members",
        json={"userId": str(newcomer.id), "role": "ADMIN"},
        headers={**headers, "X-Request-ID": "req-add-3"},
    )
    assert added.status_code == 201, added.text
    removed = await client.delete(
        f"/organizations/{org_id}/members/{newcomer.id}", headers={**headers, "X-Request-ID": "req-remove-4"}
    )
    assert removed.status_code == 204, removed.text
    # A no-op update writes no entry.
    noop = await client.put(f"/organizations/{org_id}", json={"name": "Audited Again"}, headers=headers)
    assert noop.status_code == 200

    response = await client.get(f"/organizations/{org_id}/audit-log", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"] == {"page": 1, "limit": 20, "total": 4, "totalPages": 1}
    entries: list[dict[str, Any]] = body["data"]
    assert [e["action"] for e in entries] == [
        "organization.member_removed",
        "organization.member_added",
        "organization.updated",
        "organization.created",
    ]
    assert [e["requestId"] for e in entries] == ["req-remove-4", "req-add-3", "req-update-2", "req-create-1"]
    assert {e["actorId"] for e in entries} == {str(owner.id)}
    assert {e["actorType"] for e in entries} == {"user"}
    stamps = [e["createdAt"] for e in entries]
    assert stamps == sorted(stamps, reverse=True)

    removed_entry, added_entry, updated_entry, created_entry = entries
    assert created_entry["entityType"] == "organization"
    assert created_entry["entityId"] == org_id
    assert created_entry["before"] is None
    assert created_entry["after"] == {
        "name": "Audited",
        "type": "PROMOTER",
        "description": "First",
        "email": None,
        "website": None,
    }
    # Only the changed fields, not the unchanged description.
    assert updated_entry["before"] == {"name": "Audited", "type": "PROMOTER"}
    assert updated_entry["after"] == {"name": "Audited Again", "type": "VENUE"}
    assert added_entry["entityType"] == "membership"
    assert added_entry["before"] is None
    assert added_entry["after"] == {"userId": str(newcomer.id), "role": "ADMIN"}
    assert removed_entry["entityType"] == "membership"
    assert removed_entry["entityId"] == added_entry["entityId"]
    assert removed_entry["before"] == {"userId": str(newcomer.id), "role": "ADMIN"}
    assert removed_entry["after"] is None


async def test_audit_log_generates_a_request_id_when_none_is_sent(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    created = await client.post(
        "/organizations", json={"name": "No id", "type": "OTHER"}, headers=auth(context, owner)
    )
    assert created.status_code == 201
    log = await client.get(f"/organizations/{created.json()['id']}/audit-log", headers=auth(context, owner))
    (entry,) = log.json()["data"]
    assert entry["requestId"] == created.headers["X-Request-ID"]
    assert entry["requestId"]


async def test_audit_log_pagination_and_failed_changes_leave_no_entry(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    headers = auth(context, owner)
    org_id = (
        await client.post("/organizations", json={"name": "N0", "type": "OTHER"}, headers=headers)
    ).json()["id"]
    for i in range(1, 5):
        response = await client.put(f"/organizations/{org_id}", json={"name": f"N{i}"}, headers=headers)
        assert response.status_code == 200
    # Refused changes are rolled back together with their audit entries.
    last_owner = await client.delete(f"/organizations/{org_id}/members/{owner.id}", headers=headers)
    assert last_owner.status_code == 409
    bad = await client.put(f"/organizations/{org_id}", json={"name": None}, headers=headers)
    assert bad.status_code == 422

    first = await client.get(f"/organizations/{org_id}/audit-log", params={"limit": 2}, headers=headers)
    assert first.json()["meta"] == {"page": 1, "limit": 2, "total": 5, "totalPages": 3}
    assert [e["after"]["name"] for e in first.json()["data"]] == ["N4", "N3"]
    third = await client.get(
        f"/organizations/{org_id}/audit-log", params={"limit": 2, "page": 3}, headers=headers
    )
    assert [e["action"] for e in third.json()["data"]] == ["organization.created"]
    assert_problem(
        await client.get(f"/organizations/{org_id}/audit-log", params={"limit": 101}, headers=headers),
        422,
        "VALIDATION_ERROR",
    )


async def test_audit_log_visibility(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    member = await create_user(session, context)
    stranger = await create_user(session, context, role=Role.PROMOTER)
    admin = await create_user(session, context, role=Role.ADMIN)
    org = await create_organization(session, owner=owner, members={member: MemberRole.MEMBER})
    url = f"/organizations/{org.id}/audit-log"

    for user in (owner, member, admin):
        response = await client.get(url, headers=auth(context, user))
        assert response.status_code == 200, response.text
        assert response.json()["data"] == []
    assert_problem(await client.get(url, headers=auth(context, stranger)), 404, "NOT_FOUND")
    assert_problem(
        await client.get(f"/organizations/{uuid.uuid4()}/audit-log", headers=auth(context, admin)),
        404,
        "NOT_FOUND",
    )
    assert_problem(await client.get(url), 401, "UNAUTHORIZED")


async def test_delete_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner, name="Doomed")
    response = await client.delete(
        f"/organizations/{org.id}", headers={**auth(context, owner), "X-Request-ID": "req-delete"}
    )
    assert response.status_code == 204
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "organization.deleted"))
    assert entry is not None
    assert entry.organization_id == org.id
    assert entry.actor_id == owner.id
    assert entry.request_id == "req-delete"
    assert entry.before is not None
    assert entry.before["name"] == "Doomed"


# ------------------------------------------------------------------------------------ service helpers


def test_diff_keeps_only_changed_fields() -> None:
    before = {"name": "A", "type": "VENUE", "email": None, "website": "https://a.example/"}
    after = {"name": "B", "type": "VENUE", "email": "x@example.com", "website": "https://a.example/"}
    assert audit.diff(before, after) == (
        {"name": "A", "email": None},
        {"name": "B", "email": "x@example.com"},
    )
    assert audit.diff(before, dict(before)) == ({}, {})


async def test_record_writes_jsonable_entry_in_callers_transaction(
    session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner)
    entity_id = uuid.uuid4()
    structlog.contextvars.bind_contextvars(request_id="direct-req")
    try:
        entry = await audit.record(
            session,
            action="test.changed",
            entity_type="thing",
            entity_id=entity_id,
            actor_id=owner.id,
            organization_id=org.id,
            before={"price": Decimal("1.50"), "kind": OrganizationType.VENUE},
            after={"price": Decimal("2.00"), "ref": entity_id, "tags": ("a", "b")},
        )
    finally:
        structlog.contextvars.unbind_contextvars("request_id")
    await session.commit()

    stored = await session.scalar(select(AuditEntry).where(AuditEntry.id == entry.id))
    assert stored is not None
    assert stored.before == {"price": "1.50", "kind": "VENUE"}
    assert stored.after == {"price": "2.00", "ref": str(entity_id), "tags": ["a", "b"]}
    assert stored.request_id == "direct-req"
    assert stored.actor_type == "user"
    assert stored.created_at is not None

    system = await audit.record(session, action="test.system", entity_type="thing", entity_id=None)
    await session.rollback()  # never committed: the entry belongs to the caller's transaction
    assert system.actor_type == "system"
    assert system.request_id is None
    assert await session.scalar(select(AuditEntry).where(AuditEntry.action == "test.system")) is None


async def test_entries_of_one_transaction_list_newest_first(
    session: AsyncSession, context: AppContext
) -> None:
    owner = await create_user(session, context, role=Role.PROMOTER)
    org = await create_organization(session, owner=owner)
    for step in range(6):
        await audit.record(
            session, action=f"test.step{step}", entity_type="thing", entity_id=None, organization_id=org.id
        )
    await session.commit()
    entries, total = await audit.list_for_organization(session, org.id, offset=0, limit=10)
    assert total == 6
    assert [entry.action for entry in entries] == [f"test.step{step}" for step in reversed(range(6))]

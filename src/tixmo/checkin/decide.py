"""The online scan's decision in one SQL statement: lock the ticket, apply the entry/exit rule, insert
the scan, update the ticket, write the audit entry and announce the scan.

Both doors of ``POST /scanners/scan`` send it: the express path (``express.py``, straight through the
driver, its own transaction) and the full path (``scanning.py``, in the request's transaction, for the
codes the express path leaves to it). So the rule lives in one place.

The statement, in the order PostgreSQL runs it:

* ``dev``: the device is usable (enabled, not deleted, of an organization not deleted) and of the event
  (a disabled or deleted device stops at once, as with ``service.active_scanner``);
* ``ev``: the event's row ``FOR KEY SHARE`` (``locks.EventLock.SHARE``), only for a usable device. The
  ticket CTE tests its status in an uncorrelated sub-select, which PostgreSQL runs once before it reads the
  ticket (a one-time filter), so the event is locked before the ticket, as on every other path;
* ``t``: the ticket ``FOR UPDATE``, only when the event is PUBLISHED and the ``clientScanId`` is not known
  yet. A row lock that waited returns the row as the other transaction left it (READ COMMITTED re-reads
  it), so the decision sees the door state (``tickets.inside``, ``entry_scan_id``) the previous scan of the
  ticket committed — the statement's snapshot, taken before the wait, could miss that scan's row in
  ``scans``; that is why the state is kept on the ticket row;
* ``d``: the verdict (CANCELLED, INVALID for a ticket suspended by a payment dispute, or the entry/exit
  rule of ``history``) and the time, taken after the lock;
* ``i``: the scan row (``ON CONFLICT DO NOTHING`` on the device's ``clientScanId``: a retry that raced this
  one and committed first leaves nothing inserted, and nothing below happens);
* ``u``: a VALID scan moves the door state, and a first entry marks a VALID ticket USED (``mark_used``);
* ``a``: the ``ticket.checked_in`` audit entry of a ticket marked USED;
* ``sc``, ``tc`` (the express path's statement only, ``counts_itself``): the scan and the ticket's status
  change added to the attendance counters (``scan_counters``, ``ticket_counts``), with the counter
  triggers told to stand aside (``KEPT``, migration 0022): about 12 % less PostgreSQL CPU per scan than
  two statement-level triggers with transition tables. The full path's statement runs inside the
  request's transaction, where such a setting would outlive it: there the triggers count;
* the final SELECT answers the scan, the ticket (with its seat) and the scan it conflicts with, and runs
  ``pg_notify`` for the live stream: it is delivered only when the statement's transaction commits.

``hand_over_hooked`` (the express path): no row while the device's organization has a webhook endpoint
for ``ticket.checked_in``, whose event the full path emits in its transaction (docs/webhooks.md).

No row: the device is not usable, the event is not PUBLISHED, the code does not name a ticket of the
device's event as asked, or the ``clientScanId`` is known (a replay): the caller answers those.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    Boolean,
    DateTime,
    Integer,
    String,
    Table,
    TextClause,
    Uuid,
    bindparam,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from tixmo.audit import service as audit
from tixmo.audit.models import AuditEntry
from tixmo.checkin.history import NOTIFY_CHANNEL
from tixmo.checkin.models import Direction, ScanStatus
from tixmo.tickets import validation
from tixmo.tickets.codes import InvalidReason
from tixmo.tickets.models import TicketStatus

MESSAGES = {
    (ScanStatus.VALID, Direction.ENTRY): "Valid: entry recorded.",
    (ScanStatus.VALID, Direction.EXIT): "Valid: exit recorded.",
    (ScanStatus.DUPLICATE, Direction.ENTRY): "Already inside: this ticket entered and has not left.",
    (ScanStatus.NOT_INSIDE, Direction.EXIT): "Not inside: this ticket has no entry to leave from.",
}
CANCELLED_MESSAGE = validation.MESSAGES[InvalidReason.CANCELLED]
# A VALID ticket suspended while its payment is disputed (payments.disputes) admits nobody.
SUSPENDED_MESSAGE = validation.MESSAGES[InvalidReason.SUSPENDED]

# The audit entry's columns, in the order ``audit.entry_values`` gives them.
_AUDIT_COLUMNS = tuple(
    audit.entry_values(action="", entity_type="", entity_id=None, actor_type="scanner").keys()
)

# The SQL both statements (one scan, many) share, spliced in where they say ``@NAME@`` or
# ``@NAME:(direction)@`` (the scan's direction: a parameter, or each request's column).
_SHARED = {
    "SCANS_INSERT": """INSERT INTO scans (event_id, scanner_id, ticket_id, actor_id, direction, status,
                       source, message, scanned_at, client_scanned_at, received_at, client_scan_id,
                       conflict, conflicts_with_scan_id)""",
    "MESSAGE": """CASE d.verdict WHEN 'CANCELLED' THEN :m_cancelled
                          WHEN 'INVALID' THEN :m_suspended
                          WHEN 'DUPLICATE' THEN :m_duplicate
                          WHEN 'NOT_INSIDE' THEN :m_not_inside
                          WHEN 'VALID' THEN CASE WHEN {direction} = 'ENTRY' THEN :m_entry ELSE :m_exit END
           END""",
    "DOOR_STATE": """UPDATE tickets SET
        inside = ({direction} = 'ENTRY'),
        entry_scan_id = CASE WHEN {direction} = 'ENTRY' THEN i.id END,
        status = CASE WHEN d.status = 'VALID' AND {direction} = 'ENTRY' THEN 'USED' ELSE d.status END,
        checked_in_at = CASE WHEN d.status = 'VALID' AND {direction} = 'ENTRY' THEN i.scanned_at
                             ELSE d.checked_in_at END,
        updated_at = CASE WHEN d.status = 'VALID' AND {direction} = 'ENTRY' THEN i.scanned_at
                          ELSE tickets.updated_at END""",
    "SCAN_COUNTERS_UPSERT": """ON CONFLICT (event_id, shard) DO UPDATE SET
        total = c.total + excluded.total,
        valid = c.valid + excluded.valid,
        entries = c.entries + excluded.entries,
        exits = c.exits + excluded.exits,
        last_scan_at = greatest(c.last_scan_at, excluded.last_scan_at)""",
    "TICKET_COUNTS_UPSERT": (
        "ON CONFLICT (event_id, status, backend) DO UPDATE SET tickets = c.tickets + excluded.tickets"
    ),
}
_SPLICE = re.compile(r"@([A-Z_]+)(?::\(([^)]*)\))?@")


def _spliced(sql: str) -> str:
    return _SPLICE.sub(lambda m: _SHARED[m[1]].replace("{direction}", m[2] or ""), sql)


_SQL = """
WITH dev AS MATERIALIZED (
    SELECT s.organization_id,
           EXISTS (
               SELECT FROM webhook_endpoints w
               WHERE w.organization_id = s.organization_id AND w.enabled
                 AND w.events @> ARRAY['ticket.checked_in']::varchar[]
           ) AS hooked
    FROM scanners s JOIN organizations o ON o.id = s.organization_id
    WHERE s.id = :scanner_id AND s.event_id = :event_id AND s.is_enabled
      AND s.deleted_at IS NULL AND o.deleted_at IS NULL
),
ev AS MATERIALIZED (
    SELECT e.status FROM events e WHERE e.id = :event_id AND EXISTS (SELECT FROM dev) FOR KEY SHARE
),
t AS MATERIALIZED (
    SELECT tk.id, tk.order_id, tk.event_id, tk.ticket_type_id, tk.owner_id, tk.seat_id, tk.barcode,
           tk.status, tk.checked_in_at, tk.inside, tk.entry_scan_id, tk.suspended_at
    FROM tickets tk
    WHERE {ticket} AND tk.event_id = :event_id
      AND (SELECT ev.status FROM ev) = 'PUBLISHED'
      AND NOT (:hand_over_hooked AND (SELECT dev.hooked FROM dev))
      AND NOT EXISTS (
          SELECT FROM scans p WHERE p.scanner_id = :scanner_id AND p.client_scan_id = :client_scan_id
      ){key_check}
    FOR UPDATE OF tk
),
d AS MATERIALIZED (
    SELECT t.*, clock_timestamp() AS now,
           CASE WHEN t.status = 'CANCELLED' THEN 'CANCELLED'
                WHEN t.status = 'VALID' AND t.suspended_at IS NOT NULL THEN 'INVALID'
                WHEN :direction = 'ENTRY' THEN CASE WHEN t.inside THEN 'DUPLICATE' ELSE 'VALID' END
                WHEN t.inside THEN 'VALID' ELSE 'NOT_INSIDE' END AS verdict
    FROM t
),
i AS (
    @SCANS_INSERT@
    SELECT :event_id, :scanner_id, d.id, NULL, :direction, d.verdict, 'ONLINE',
           @MESSAGE:(:direction)@,
           d.now, :client_scanned_at, d.now, :client_scan_id, false,
           CASE WHEN d.verdict = 'DUPLICATE' THEN d.entry_scan_id END
    FROM d{kept}
    ON CONFLICT (scanner_id, client_scan_id) WHERE client_scan_id IS NOT NULL DO NOTHING
    RETURNING id, ticket_id, status, message, scanned_at, client_scanned_at, conflicts_with_scan_id
),
u AS (
    @DOOR_STATE:(:direction)@
    FROM i JOIN d ON d.id = i.ticket_id
    WHERE tickets.id = i.ticket_id AND i.status = 'VALID'
    RETURNING tickets.status, tickets.checked_in_at
),
a AS (
    INSERT INTO audit_log ({audit_columns})
    SELECT {audit_values}
    FROM d JOIN i ON i.ticket_id = d.id
    WHERE i.status = 'VALID' AND d.status = 'VALID' AND :direction = 'ENTRY'
){counters}
SELECT i.id AS scan_id, i.status, i.message, i.scanned_at, i.client_scanned_at,
       i.conflicts_with_scan_id,
       d.id AS ticket_id, d.order_id, d.event_id, d.ticket_type_id, d.owner_id, d.barcode,
       coalesce(u.status, d.status) AS ticket_status,
       coalesce(u.checked_in_at, d.checked_in_at) AS checked_in_at,
       es.section, es.row, es.label,
       c.scanner_id AS conflict_scanner_id, c.scanned_at AS conflict_scanned_at,
       pg_notify(:channel, json_build_object(
           'eventId', CAST(:event_id AS text), 'ids', json_build_array(i.id)
       )::text)
FROM i JOIN d ON d.id = i.ticket_id
LEFT JOIN u ON true
LEFT JOIN event_seats es ON es.id = d.seat_id
LEFT JOIN scans c ON c.id = i.conflicts_with_scan_id
"""
_SQL = _spliced(_SQL)

# The counters kept by the statement itself (``counts_itself``), as the triggers of migrations 0015 and
# 0021 would: the scan in its event's shard of the backend (``scan_counters``), and the ticket moved from
# one status to another (``ticket_counts``). ``KEPT`` tells those triggers to stand aside (migration 0022):
# it is set for each scan row the statement inserts (so before any trigger fires) and is local to the
# transaction, which the express path's statement is.
KEPT = "set_config('tixmo.counters', 'kept', true) = 'kept'"
_COUNTERS = """,
sc AS (
    INSERT INTO scan_counters AS c (event_id, shard, total, valid, entries, exits, last_scan_at)
    SELECT :event_id, pg_backend_pid() % 16, 1,
           CASE WHEN i.status = 'VALID' THEN 1 ELSE 0 END,
           CASE WHEN i.status = 'VALID' AND :direction = 'ENTRY' THEN 1 ELSE 0 END,
           CASE WHEN i.status = 'VALID' AND :direction = 'EXIT' THEN 1 ELSE 0 END,
           i.scanned_at
    FROM i
    @SCAN_COUNTERS_UPSERT@
),
tc AS (
    INSERT INTO ticket_counts AS c (event_id, status, backend, tickets)
    SELECT d.event_id, moved.status, pg_backend_pid(), moved.tickets
    FROM u JOIN d ON true,
         LATERAL (VALUES (d.status, -1), (u.status, 1)) AS moved (status, tickets)
    WHERE u.status <> d.status
    @TICKET_COUNTS_UPSERT@
)"""
_COUNTERS = _spliced(_COUNTERS)

_TICKET_BY = {
    "barcode": "tk.barcode = :barcode",
    "id": "tk.id = :ticket_id",
    # An authentic qrData: its ticket, still with the barcode and version it was signed for, and the key
    # that signed it still verifying, one of the device's event's.
    "qr": "tk.id = :ticket_id AND tk.barcode = :barcode AND tk.version = :version",
}
_KEY_CHECK = """
      AND EXISTS (
          SELECT FROM ticket_signing_keys k
          WHERE k.key_id = :key_id AND k.event_id = :event_id AND k.status <> 'RETIRED'
      )"""


def _constant_binds() -> list[BindParameter[Any]]:
    """The binds both statements give a value of their own: the notification channel, the messages."""
    return [
        bindparam("channel", NOTIFY_CHANNEL, type_=String()),
        bindparam("m_cancelled", CANCELLED_MESSAGE, type_=String()),
        bindparam("m_suspended", SUSPENDED_MESSAGE, type_=String()),
        bindparam("m_duplicate", MESSAGES[(ScanStatus.DUPLICATE, Direction.ENTRY)], type_=String()),
        bindparam("m_not_inside", MESSAGES[(ScanStatus.NOT_INSIDE, Direction.EXIT)], type_=String()),
        bindparam("m_entry", MESSAGES[(ScanStatus.VALID, Direction.ENTRY)], type_=String()),
        bindparam("m_exit", MESSAGES[(ScanStatus.VALID, Direction.EXIT)], type_=String()),
    ]


def _statement(by: str, *, counts_itself: bool = False) -> TextClause:
    """The statement finding the ticket ``by`` its barcode, id or qrData; ``counts_itself``: it keeps the
    counters (only where it is its own transaction: the express path)."""
    audit_values = ", ".join(
        {
            "entity_id": "d.id",
            "organization_id": "(SELECT dev.organization_id FROM dev)",
        }.get(name, f":audit_{name}")
        for name in _AUDIT_COLUMNS
    )
    sql = _SQL.format(
        ticket=_TICKET_BY[by],
        key_check=_KEY_CHECK if by == "qr" else "",
        audit_columns=", ".join(_AUDIT_COLUMNS),
        audit_values=audit_values,
        kept=f"\n    WHERE {KEPT}" if counts_itself else "",
        counters=_COUNTERS if counts_itself else "",
    )
    binds: list[BindParameter[Any]] = [
        bindparam("scanner_id", type_=Uuid()),
        bindparam("event_id", type_=Uuid()),
        bindparam("direction", type_=String()),
        bindparam("client_scan_id", type_=String()),
        bindparam("client_scanned_at", type_=DateTime(timezone=True)),
        bindparam("hand_over_hooked", False, type_=Boolean()),
        *_constant_binds(),
        bindparam("audit_id", type_=Uuid()),
        bindparam("audit_actor_id", type_=Uuid()),
        bindparam("audit_actor_type", type_=String()),
        bindparam("audit_action", type_=String()),
        bindparam("audit_entity_type", type_=String()),
        bindparam("audit_before", type_=JSONB()),
        bindparam("audit_after", type_=JSONB()),
        bindparam("audit_request_id", type_=String()),
        bindparam("audit_created_at", type_=DateTime(timezone=True)),
    ]
    if by in ("barcode", "qr"):
        binds.append(bindparam("barcode", type_=String()))
    if by in ("id", "qr"):
        binds.append(bindparam("ticket_id", type_=Uuid()))
    if by == "qr":
        binds += [bindparam("version", type_=Integer()), bindparam("key_id", type_=String())]
    return text(sql).bindparams(*binds)


# The full path's (in the request's transaction: the triggers count), and the express path's.
BY_TICKET_ID = _statement("id")
COUNTING_BY_BARCODE = _statement("barcode", counts_itself=True)
COUNTING_BY_QR = _statement("qr", counts_itself=True)


def params(
    *,
    scanner_id: uuid.UUID,
    event_id: uuid.UUID,
    direction: Direction,
    client_scan_id: str | None,
    client_scanned_at: datetime | None,
    via: str,
) -> dict[str, Any]:
    """The parameters every variant takes (add ``barcode``, ``ticket_id``, ``version``, ``key_id``)."""
    entry = audit.entry_values(
        action="ticket.checked_in",
        entity_type="ticket",
        entity_id=None,
        actor_id=None,  # audit actors are users; `via` names the device
        actor_type="scanner",
        before={"status": TicketStatus.VALID.value},
        after={"status": TicketStatus.USED.value, "via": via},
    )
    values: dict[str, Any] = {
        "scanner_id": scanner_id,
        "event_id": event_id,
        "direction": direction.value,
        "client_scan_id": client_scan_id,
        "client_scanned_at": client_scanned_at,
    }
    # entity_id and organization_id come from the statement (the ticket, the device's organization).
    values.update({f"audit_{k}": v for k, v in entry.items() if k not in ("entity_id", "organization_id")})
    return values


@dataclass
class Decided:
    """The statement's answer row."""

    scan_id: int
    status: str
    message: str
    scanned_at: datetime
    client_scanned_at: datetime | None
    conflicts_with_scan_id: int | None
    ticket_id: uuid.UUID
    order_id: uuid.UUID
    event_id: uuid.UUID
    ticket_type_id: uuid.UUID
    owner_id: uuid.UUID
    barcode: str
    ticket_status: str
    checked_in_at: datetime | None
    section: str | None
    row: str | None
    label: str | None
    conflict_scanner_id: uuid.UUID | None
    conflict_scanned_at: datetime | None

    @classmethod
    def of(cls, row: Any) -> Decided:
        return cls(*(row[i] for i in range(len(fields(cls)))))


# --------------------------------------------------------------------------- many scans, one statement

# The batch statement (``checkin/batch.py``): the express statement for many scans of one event at once,
# each its own request (``n``), every array one value per request. The same steps and the same rule, set
# by set: the devices, the event ``FOR KEY SHARE``, the tickets ``FOR UPDATE`` in id order (``tixmo.locks``:
# event, then tickets by id), the verdicts, the scans (inserted in request order), the door states and
# statuses, the audit entries, the counters (kept by the statement, as ``counts_itself``), one
# notification for all. Its caller guarantees one scan per ticket and per (device, clientScanId) in a batch,
# so no two requests of one statement meet at a row. A request with no answer row is the full path's, as
# with the one-scan statement. ``n`` is the answer's last column, after ``Decided``'s.
_BATCH_SQL = """
WITH r AS MATERIALIZED (
    SELECT * FROM unnest(
        :scanner_ids, :directions, :client_scan_ids, :client_scanned_ats, :barcodes, :ticket_ids, :versions,
        :key_ids, {audit_arrays}
    ) WITH ORDINALITY AS r (scanner_id, direction, client_scan_id, client_scanned_at, barcode, ticket_id,
                            version, key_id, {audit_names}, n)
),
dev AS MATERIALIZED (
    SELECT s.id, s.organization_id,
           EXISTS (
               SELECT FROM webhook_endpoints w
               WHERE w.organization_id = s.organization_id AND w.enabled
                 AND w.events @> ARRAY['ticket.checked_in']::varchar[]
           ) AS hooked
    FROM scanners s JOIN organizations o ON o.id = s.organization_id
    WHERE s.id IN (SELECT r.scanner_id FROM r) AND s.event_id = :event_id AND s.is_enabled
      AND s.deleted_at IS NULL AND o.deleted_at IS NULL
),
ev AS MATERIALIZED (
    SELECT e.status FROM events e WHERE e.id = :event_id AND EXISTS (SELECT FROM dev) FOR KEY SHARE
),
t AS MATERIALIZED (
    SELECT tk.id, tk.order_id, tk.event_id, tk.ticket_type_id, tk.owner_id, tk.seat_id, tk.barcode,
           tk.status, tk.checked_in_at, tk.inside, tk.entry_scan_id, tk.suspended_at,
           r.n, r.scanner_id, r.direction, r.client_scan_id, r.client_scanned_at, dev.organization_id,
           {audit_r}
    FROM r
    JOIN dev ON dev.id = r.scanner_id AND NOT dev.hooked
    JOIN tickets tk ON tk.barcode = r.barcode AND tk.event_id = :event_id
    WHERE (SELECT ev.status FROM ev) = 'PUBLISHED'
      AND (r.ticket_id IS NULL OR (
          tk.id = r.ticket_id AND tk.version = r.version
          AND EXISTS (
              SELECT FROM ticket_signing_keys k
              WHERE k.key_id = r.key_id AND k.event_id = :event_id AND k.status <> 'RETIRED'
          )
      ))
      AND NOT EXISTS (
          SELECT FROM scans p WHERE p.scanner_id = r.scanner_id AND p.client_scan_id = r.client_scan_id
      )
    ORDER BY tk.id
    FOR UPDATE OF tk
),
d AS MATERIALIZED (
    SELECT t.*, clock_timestamp() AS now,
           CASE WHEN t.status = 'CANCELLED' THEN 'CANCELLED'
                WHEN t.status = 'VALID' AND t.suspended_at IS NOT NULL THEN 'INVALID'
                WHEN t.direction = 'ENTRY' THEN CASE WHEN t.inside THEN 'DUPLICATE' ELSE 'VALID' END
                WHEN t.inside THEN 'VALID' ELSE 'NOT_INSIDE' END AS verdict
    FROM t
),
i AS (
    @SCANS_INSERT@
    SELECT :event_id, d.scanner_id, d.id, NULL, d.direction, d.verdict, 'ONLINE',
           @MESSAGE:(d.direction)@,
           d.now, d.client_scanned_at, d.now, d.client_scan_id, false,
           CASE WHEN d.verdict = 'DUPLICATE' THEN d.entry_scan_id END
    FROM d
    WHERE {kept}
    ORDER BY d.n
    ON CONFLICT (scanner_id, client_scan_id) WHERE client_scan_id IS NOT NULL DO NOTHING
    RETURNING id, ticket_id, status, message, scanned_at, client_scanned_at, conflicts_with_scan_id
),
u AS (
    @DOOR_STATE:(d.direction)@
    FROM i JOIN d ON d.id = i.ticket_id
    WHERE tickets.id = i.ticket_id AND i.status = 'VALID'
    RETURNING tickets.id, tickets.status, tickets.checked_in_at
),
a AS (
    INSERT INTO audit_log ({audit_columns})
    SELECT {audit_values}
    FROM d JOIN i ON i.ticket_id = d.id
    WHERE i.status = 'VALID' AND d.status = 'VALID' AND d.direction = 'ENTRY'
),
sc AS (
    INSERT INTO scan_counters AS c (event_id, shard, total, valid, entries, exits, last_scan_at)
    SELECT :event_id, pg_backend_pid() % 16, count(*),
           count(*) FILTER (WHERE i.status = 'VALID'),
           count(*) FILTER (WHERE i.status = 'VALID' AND d.direction = 'ENTRY'),
           count(*) FILTER (WHERE i.status = 'VALID' AND d.direction = 'EXIT'),
           max(i.scanned_at)
    FROM i JOIN d ON d.id = i.ticket_id
    HAVING count(*) > 0
    @SCAN_COUNTERS_UPSERT@
),
tc AS (
    INSERT INTO ticket_counts AS c (event_id, status, backend, tickets)
    SELECT :event_id, moved.status, pg_backend_pid(), sum(moved.tickets)
    FROM u JOIN d ON d.id = u.id,
         LATERAL (VALUES (d.status, -1), (u.status, 1)) AS moved (status, tickets)
    WHERE u.status <> d.status
    GROUP BY moved.status
    HAVING sum(moved.tickets) <> 0
    @TICKET_COUNTS_UPSERT@
),
announced AS (
    SELECT pg_notify(:channel, json_build_object(
        'eventId', CAST(:event_id AS text), 'ids', json_agg(i.id ORDER BY i.id)
    )::text)
    FROM i
    HAVING count(*) > 0
)
SELECT i.id AS scan_id, i.status, i.message, i.scanned_at, i.client_scanned_at,
       i.conflicts_with_scan_id,
       d.id AS ticket_id, d.order_id, d.event_id, d.ticket_type_id, d.owner_id, d.barcode,
       coalesce(u.status, d.status) AS ticket_status,
       coalesce(u.checked_in_at, d.checked_in_at) AS checked_in_at,
       es.section, es.row, es.label,
       c.scanner_id AS conflict_scanner_id, c.scanned_at AS conflict_scanned_at,
       d.n
FROM i JOIN d ON d.id = i.ticket_id
LEFT JOIN u ON u.id = d.id
LEFT JOIN event_seats es ON es.id = d.seat_id
LEFT JOIN scans c ON c.id = i.conflicts_with_scan_id
LEFT JOIN announced ON true
"""
_BATCH_SQL = _spliced(_BATCH_SQL)

# The audit entry's columns that come from each request (the rest: the ticket, the device's organization).
_AUDIT_PER_REQUEST = tuple(name for name in _AUDIT_COLUMNS if name not in ("entity_id", "organization_id"))


def _batch_statement() -> TextClause:
    audit_table = cast(Table, AuditEntry.__table__)
    audit_values = ", ".join(
        {"entity_id": "d.id", "organization_id": "d.organization_id"}.get(
            name, f"CAST(d.audit_{name} AS jsonb)" if _is_json(audit_table, name) else f"d.audit_{name}"
        )
        for name in _AUDIT_COLUMNS
    )
    sql = _BATCH_SQL.format(
        audit_arrays=", ".join(f":audit_{name}s" for name in _AUDIT_PER_REQUEST),
        audit_names=", ".join(f"audit_{name}" for name in _AUDIT_PER_REQUEST),
        audit_r=", ".join(f"r.audit_{name}" for name in _AUDIT_PER_REQUEST),
        audit_columns=", ".join(_AUDIT_COLUMNS),
        audit_values=audit_values,
        kept=KEPT,
    )
    binds: list[BindParameter[Any]] = [
        bindparam("event_id", type_=Uuid()),
        bindparam("scanner_ids", type_=ARRAY(Uuid())),
        bindparam("directions", type_=ARRAY(String())),
        bindparam("client_scan_ids", type_=ARRAY(String())),
        bindparam("client_scanned_ats", type_=ARRAY(DateTime(timezone=True))),
        bindparam("barcodes", type_=ARRAY(String())),
        bindparam("ticket_ids", type_=ARRAY(Uuid())),
        bindparam("versions", type_=ARRAY(Integer())),
        bindparam("key_ids", type_=ARRAY(String())),
        *_constant_binds(),
    ]
    for name in _AUDIT_PER_REQUEST:
        column_type = String() if _is_json(audit_table, name) else audit_table.c[name].type
        binds.append(bindparam(f"audit_{name}s", type_=ARRAY(column_type)))
    return text(sql).bindparams(*binds)


def _is_json(table: Table, name: str) -> bool:
    return isinstance(table.c[name].type, JSONB)


BATCH = _batch_statement()
BATCH_COLUMNS = len(fields(Decided)) + 1  # Decided's columns, then the request number ``n``


def batch_params(event_id: uuid.UUID, scans: list[dict[str, Any]]) -> dict[str, Any]:
    """The batch statement's parameters from each scan's ``params`` (plus ``barcode``, and for a qrData
    ``ticket_id``, ``version``, ``key_id``), in request order."""
    values: dict[str, Any] = {
        "event_id": event_id,
        "scanner_ids": [s["scanner_id"] for s in scans],
        "directions": [s["direction"] for s in scans],
        "client_scan_ids": [s["client_scan_id"] for s in scans],
        "client_scanned_ats": [s["client_scanned_at"] for s in scans],
        "barcodes": [s["barcode"] for s in scans],
        "ticket_ids": [s.get("ticket_id") for s in scans],
        "versions": [s.get("version") for s in scans],
        "key_ids": [s.get("key_id") for s in scans],
    }
    audit_table = cast(Table, AuditEntry.__table__)
    for name in _AUDIT_PER_REQUEST:
        column = [s[f"audit_{name}"] for s in scans]
        if _is_json(audit_table, name):
            column = [None if v is None else json.dumps(v) for v in column]
        values[f"audit_{name}s"] = column
    return values

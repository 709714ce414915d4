"""The coalescer: concurrent express orders for one event reserved together, one commit for all.

A flash sale's orders all update the same ``ticket_types`` rows, so one order per transaction can never go
faster than those rows can be committed (each commit waits for its WAL flush while the row stays locked).
The coalescer gives each API process one queue per event. An express order (``orders/express.py``) that
passed its read and checks joins the queue of its event, whatever ticket types it orders; when no batch
of that event is in flight, the queue is written at once (after at most ``max_wait``, to let a few more
join), otherwise it fills while the batch in flight commits — natural batching, no timer needed under
load. One queue per event rather than per set of ticket types: every order of the event shares the next
commit (a mixed load of one-type and two-type orders makes one batch, not one per combination), and no
two batches of one process queue on the same hot row inside PostgreSQL.

One batch is one statement, its own transaction (``synchronous_commit`` unchanged):

1. the event's row ``FOR KEY SHARE`` and its status checked under the lock, then the promo codes of the
   batch's requests ``FOR NO KEY UPDATE`` in id order, then the ticket types its requests order ``FOR NO
   KEY UPDATE`` in id order (``tixmo.locks``: event → promo code → ticket type);
2. the tickets left, granted in arrival order, first come first served: a request is granted when each
   of its lines fits in what the requests before it left over of that ticket type (the grant state is a
   vector of counters, one per ticket type; a request that does not fit is skipped, and a later, smaller
   one may still fit — exactly what placing them one after the other would do) and its promo code, if
   any, is ACTIVE with a use left after those granted before it (``promos.claim_use``'s rule:
   ``maxUses`` never exceeded);
3. one conditional UPDATE per promo code for its uses granted and one per ticket type for its tickets
   granted (DESIGN rule 6: ``left >= granted``, so even a wrong grant could never oversell — it would
   reserve nothing), then the orders, items and audit entries of the granted requests inserted from
   arrays, all in the same round trip.

Each request learns whether it was granted. A granted request's answer is sent only after the statement
returned, that is after its commit. A request not granted (sold out, the event no longer on sale, the
batch failed) goes on to the full path, which answers it exactly as without the coalescer (409
``INSUFFICIENT_INVENTORY`` with the tickets left, and every other error). One request's failure never
fails the others: requests whose checks fail never join a batch, and a request not granted costs the
others nothing.

A request cancelled (its client went away) while it waits in the queue leaves the queue and nothing is
written for it. One cancelled while its batch is in flight cannot be taken out of that statement: its
order is committed like the others, PENDING, and its hold expires with it (``expiresAt``), the same as an
order whose client went away after the answer was sent. A hold never exists without its order.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql

from tixmo import metrics, transient
from tixmo.audit.models import AuditEntry
from tixmo.db import Database
from tixmo.events.models import EventStatus
from tixmo.idempotency.models import IdempotencyRecord
from tixmo.orders.models import Order, OrderItem
from tixmo.promos.models import PromoStatus
from tixmo.rawsql import driver_connection

PUBLISHED = EventStatus.PUBLISHED.value
ACTIVE = PromoStatus.ACTIVE.value
UNLIMITED = 2**31 - 1  # the uses left of a promo code without ``maxUses``
_PG = postgresql.dialect()  # type: ignore[no-untyped-call]
_TABLES: tuple[tuple[str, Table], ...] = (
    ("order", cast(Table, Order.__table__)),
    ("item", cast(Table, OrderItem.__table__)),
    ("audit", cast(Table, AuditEntry.__table__)),
    ("key", cast(Table, IdempotencyRecord.__table__)),
)


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.c]


def _batch_sql(
    *,
    guarded: bool = True,
    promo_guarded: bool = True,
    event_first: bool = True,
    promo_first: bool = True,
    unguarded_type: int | None = None,
) -> str:
    """The batch statement (one SQL text, kept whole so that it reads as the statement PostgreSQL runs: the
    one function of ``src/`` over 80 lines, on purpose): ``$1`` event, ``$2`` the batch's ticket types in
    id order, ``$3`` now, ``$4`` what each request needs of each of them (request by request, one count
    per ticket type of ``$2``, 0 for those it does not order), ``$5``-``$7`` each request's
    ``Idempotency-Key`` lock name, user and key (``NULL`` without a key), ``$8`` each request's promo code
    id (``NULL`` without one), then one array per column of the orders, the items (led by each item's
    request number), the audit entries and the key records (a request without a key has ``NULL`` there
    and no record is inserted).

    Rows are locked in the global order (``tixmo.locks``): the event ``FOR KEY SHARE``, then the batch's
    promo codes ``FOR NO KEY UPDATE`` in id order, then its ticket types ``FOR NO KEY UPDATE`` in id
    order. Both later locks sit behind one-time filters (uncorrelated sub-queries, which PostgreSQL runs
    before it reads the rows of the query they filter): the promo codes' on the event's lock, the ticket
    types' on the event's and on the promo codes' (``SELECT count(*) FROM pro``), so each row is locked
    only after those before it, whatever order the planner evaluates the filters in.

    A request is granted when every one of its lines fits in what the requests before it left of that
    ticket type (the grant state is a vector of counters, one per ticket type), its key (if any) is free,
    and its promo code (if any) is ACTIVE and has a use left after the uses granted before it —
    ``maxUses`` never exceeded, as ``promos.claim_use``. A request with a key is eligible only if it gets
    the key's advisory lock without waiting and no record of the key exists (as the single-order keyed
    statement, ``express._write_statement(keyed=True)``); if not, it is not granted and the full path
    replays or refuses it. A record committed meanwhile trips the unique index and the whole statement
    rolls back (every request then takes the full path).

    Nothing is written unless the grant fits what the locked rows hold (``fits``: the tickets granted of
    each ticket type within what it has left, every promo code's uses within what it has left); then the
    promo codes' UPDATE (conditional, as ``claim_use``: ACTIVE and ``used_count + uses <= max_uses``),
    each ticket type's (conditional, each with its own guard: ``left >= granted``, and only if every
    promo code claimed its uses), and the orders and their items only if every ticket type reserved. As
    the rows are locked by then, the conditions agree with ``fits``: all of it or none of it is written.

    ``guarded=False`` grants every request and leaves out the ticket guards, ``promo_guarded=False``
    ignores the promo codes' uses left and leaves out their guards, ``unguarded_type=i`` ignores the
    counter of the batch's ``i``-th ticket type (1-based, in id order) in the grant, ``fits`` and its
    guard: only the negative-control tests build them, to show the tests catch a batch that grants more
    than is left. ``event_first=False`` leaves out the event's lock (the lock-order tests' negative
    control, as ``express._write_statement``); ``promo_first=False`` locks the promo codes after the
    ticket types (the promo lock-order test's)."""
    params = 8
    inserts: list[str] = []
    for prefix, table in _TABLES:
        arrays = []
        if prefix == "item":  # an order has one item per ticket type: each item names its request first
            params += 1
            arrays.append(f"${params}::bigint[]")
        for column in table.c:
            params += 1
            arrays.append(f"${params}::{column.type.compile(dialect=_PG)}[]")
        names = ", ".join(f'"{c}"' for c in _columns(table))
        if prefix == "item":
            source = f"unnest({', '.join(arrays)}) AS x(n, {names})"
        else:  # one row per request, in request order
            source = f"unnest({', '.join(arrays)}) WITH ORDINALITY AS x({names}, n)"
        inserts.append(
            f"new_{prefix} AS (INSERT INTO {table.name} ({names}) "  # noqa: S608 - names from the models
            f"SELECT {names} FROM {source} "
            f'JOIN won USING (n) WHERE (SELECT ok FROM reserved) AND x."id" IS NOT NULL RETURNING 1)'
        )
    # A line "fits" when what it needs of ticket type i is within what is left of it (-1: the row is gone).
    checked = "" if unguarded_type is None else f"AND s.i <> {int(unguarded_type)} "
    overdrawn = f"q.need[s.i] > 0 AND q.need[s.i] > g.lefts[s.i] {checked}"
    conditions = ["q.eligible"]
    fits = ["true"]
    if guarded:
        conditions.append(
            f"NOT EXISTS (SELECT 1 FROM generate_subscripts(q.need, 1) AS s(i) WHERE {overdrawn})"  # noqa: S608
        )
        fits.append(
            f"NOT EXISTS (SELECT 1 FROM takes s WHERE (s.left_ IS NULL OR s.total > s.left_) {checked})"  # noqa: S608
        )
    if promo_guarded:
        conditions.append("(q.promo IS NULL OR g.uses[q.idx] > 0)")
        fits.append(
            "NOT EXISTS (SELECT 1 FROM claims c LEFT JOIN pro p ON p.id = c.id "
            "WHERE p.id IS NULL OR NOT p.active OR c.uses > p.uses_left)"
        )
    else:
        conditions.append("(q.promo IS NULL OR q.idx IS NOT NULL)")
    grant = f"coalesce({' AND '.join(conditions)}, false)" if guarded else "true"
    guard = ""
    if guarded:
        spared = "" if unguarded_type is None else f"c.i = {int(unguarded_type)} OR "
        guard = f"AND ({spared}t.quantity_total - t.quantity_sold - t.quantity_held >= c.total)"
    promo_guard = (
        "AND p.status = '%s' AND (p.max_uses IS NULL OR p.used_count + c.uses <= p.max_uses)" % ACTIVE  # noqa: UP031
        if promo_guarded
        else ""
    )
    ctes = ",\n".join(inserts)
    event = (
        "EXISTS (SELECT 1 FROM events e WHERE e.id = $1 AND e.status = '%s' FOR KEY SHARE)" % PUBLISHED  # noqa: S608, UP031
        if event_first
        else "$1::uuid IS NOT NULL"
    )
    promos_locked = "AND (SELECT count(*) FROM pro) >= 0" if promo_first else ""
    # Only the models' own table and column names are formatted in; every value is a parameter. ``won``
    # (the requests granted) comes first so that it shows in pg_stat_activity's first 1,024 characters of
    # the query; WITH RECURSIVE lets a query name one defined after it, and PostgreSQL runs each when
    # first read, whatever their order in the text.
    return f"""
WITH RECURSIVE
won AS MATERIALIZED (
    SELECT req.n, req.need, req.promo FROM g JOIN req USING (n) WHERE g.granted
),
pro AS MATERIALIZED (
    SELECT p.id, p.status = '{ACTIVE}' AS active,
           CASE WHEN p.max_uses IS NULL THEN {UNLIMITED} ELSE p.max_uses - p.used_count END AS uses_left
    FROM promo_codes p
    WHERE p.id = ANY($8::uuid[]) AND {event}
    ORDER BY p.id
    FOR NO KEY UPDATE
),
tix AS MATERIALIZED (
    SELECT t.id, t.quantity_total - t.quantity_sold - t.quantity_held AS left_
    FROM ticket_types t
    WHERE t.id = ANY($2::uuid[]) AND {event} {promos_locked}
    ORDER BY t.id
    FOR NO KEY UPDATE
),
typ AS MATERIALIZED (
    SELECT u.i::integer AS i, u.id, tix.left_
    FROM unnest($2::uuid[]) WITH ORDINALITY AS u(id, i) LEFT JOIN tix USING (id)
),
pix AS MATERIALIZED (
    SELECT pro.*, (row_number() OVER (ORDER BY pro.id))::integer AS idx FROM pro
),
req AS MATERIALIZED (
    SELECT q.n, q.promo, pix.idx,
           ($4::integer[])[(q.n - 1) * cardinality($2::uuid[]) + 1 : q.n * cardinality($2::uuid[])] AS need,
           q.lock IS NULL OR (
               pg_try_advisory_xact_lock(hashtextextended(q.lock, 0))
               AND NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.user_id = q.uid AND k.key = q.key)
           ) AS eligible
    FROM unnest($5::text[], $6::uuid[], $7::text[], $8::uuid[]) WITH ORDINALITY AS q(lock, uid, key, promo, n)
    LEFT JOIN pix ON pix.id = q.promo
),
g(n, lefts, uses, granted) AS (
    SELECT 0::bigint,
           (SELECT array_agg(coalesce(typ.left_, -1) ORDER BY typ.i) FROM typ),
           (SELECT coalesce(array_agg(CASE WHEN pix.active THEN pix.uses_left ELSE 0 END ORDER BY pix.idx),
                            '{{}}'::integer[]) FROM pix),
           false
    UNION ALL
    SELECT g.n + 1,
           CASE WHEN d.ok
                THEN ARRAY(SELECT g.lefts[s.i] - q.need[s.i] FROM generate_subscripts(g.lefts, 1) AS s(i)
                           ORDER BY s.i)
                ELSE g.lefts END,
           CASE WHEN d.ok AND q.idx IS NOT NULL
                THEN g.uses[:q.idx - 1] || (g.uses[q.idx] - 1) || g.uses[q.idx + 1:]
                ELSE g.uses END,
           d.ok
    FROM g JOIN req q ON q.n = g.n + 1 CROSS JOIN LATERAL (SELECT {grant} AS ok) d
),
claims AS MATERIALIZED (
    SELECT won.promo AS id, count(*)::integer AS uses FROM won WHERE won.promo IS NOT NULL GROUP BY won.promo
),
takes AS MATERIALIZED (
    SELECT typ.i, typ.id, typ.left_, sum(won.need[typ.i])::integer AS total
    FROM typ CROSS JOIN won GROUP BY typ.i, typ.id, typ.left_ HAVING sum(won.need[typ.i]) > 0
),
fits AS MATERIALIZED (SELECT {" AND ".join(fits)} AS ok),
pu AS (
    UPDATE promo_codes p SET used_count = p.used_count + c.uses
    FROM claims c
    WHERE p.id = c.id AND (SELECT ok FROM fits) {promo_guard}
    RETURNING p.id
),
r AS (
    UPDATE ticket_types t SET quantity_held = t.quantity_held + c.total, updated_at = $3
    FROM takes c
    WHERE t.id = c.id AND (SELECT ok FROM fits) {guard}
      AND (SELECT count(*) FROM pu) = (SELECT count(*) FROM claims)
    RETURNING t.id
),
reserved AS MATERIALIZED (
    SELECT count(*) > 0 AND count(*) = (SELECT count(*) FROM takes) AS ok FROM r
),
{ctes}
SELECT coalesce(array_agg(n ORDER BY n), '{{}}') AS granted
FROM won WHERE (SELECT ok FROM reserved)
"""  # noqa: S608


STATEMENTS: dict[bool, str] = {}  # built on first use, when every model's column types are known
UNGUARDED_PROMOS: dict[bool, str] = {}  # the promo negative control's


def _statement(guarded: bool, promo_guarded: bool = True) -> str:
    statements = STATEMENTS if promo_guarded else UNGUARDED_PROMOS
    if guarded not in statements:
        statements[guarded] = _batch_sql(guarded=guarded, promo_guarded=promo_guarded)
    return statements[guarded]


@dataclass(eq=False)
class Pending:
    """One express order waiting for its batch: what it orders of each ticket type (in the order's item
    order, each ticket type once) and its rows (column → value, as ``express`` builds them)."""

    lines: tuple[tuple[uuid.UUID, int], ...]  # (ticket type, quantity)
    rows: dict[str, Any]  # "order", "audit", "key" (all None without a key): a row; "items": one per line
    lock: str | None = None  # the Idempotency-Key's advisory lock name
    promo_id: uuid.UUID | None = None  # the promo code whose use the order claims
    future: asyncio.Future[bool] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


def _argument(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


class Coalescer:
    """One per API process: a queue and at most one batch in flight per event (a batch locks the ticket
    types its requests order, in id order)."""

    def __init__(
        self,
        database: Database,
        *,
        max_wait: float,
        max_batch: int = 500,
        guarded: bool = True,
        promo_guarded: bool = True,
    ) -> None:
        self.database = database
        self.max_wait = max_wait
        self.max_batch = max_batch
        self.stats = metrics.BatchSizes(metrics.ORDER_BATCH_SIZE)
        self._guarded = guarded
        self._promo_guarded = promo_guarded
        self._queues: dict[uuid.UUID, list[Pending]] = {}
        self._runners: dict[uuid.UUID, asyncio.Task[None]] = {}

    async def reserve(self, event_id: uuid.UUID, pending: Pending) -> bool:
        """Whether ``pending`` was reserved and its order committed (``False``: the full path decides)."""
        queue = self._queues.setdefault(event_id, [])
        queue.append(pending)
        if event_id not in self._runners:
            self._runners[event_id] = asyncio.create_task(self._run(event_id), context=contextvars.Context())
        try:
            # The batch's commit is this request's: a connection lost in it leaves the request in doubt
            # (not run again, tixmo.retry), as with its own statement.
            with transient.committing():
                return await pending.future
        except asyncio.CancelledError:
            # The client went away: out of the queue if its batch has not started (nothing written).
            if pending in queue:
                queue.remove(pending)
            raise

    async def _run(self, key: uuid.UUID) -> None:
        idle = True  # the first batch after an idle spell waits; later ones filled up during the last
        try:
            while self._queues.get(key):
                if idle and self.max_wait > 0 and len(self._queues[key]) < self.max_batch:
                    await asyncio.sleep(self.max_wait)  # let a few more join (the one tunable)
                idle = False
                queue = self._queues[key]
                batch = [p for p in queue[: self.max_batch] if not p.future.done()]
                del queue[: self.max_batch]
                if batch:
                    await self._write(key, batch)
        finally:
            del self._runners[key]
            if not self._queues.get(key):
                self._queues.pop(key, None)
            else:  # requests that joined while this runner was stopping
                self._runners[key] = asyncio.create_task(self._run(key), context=contextvars.Context())

    async def _write(self, event_id: uuid.UUID, batch: Sequence[Pending]) -> None:
        try:
            arguments = self._arguments(event_id, batch)
        except Exception as exc:  # never leave a request waiting for an answer
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_exception(exc)
            return
        granted: set[int] = set()
        try:
            async with driver_connection(self.database) as connection:  # one statement, one transaction
                row = await connection.fetchrow(_statement(self._guarded, self._promo_guarded), *arguments)
            if row is not None:
                granted = set(row["granted"])
        except asyncpg.UniqueViolationError:
            granted = set()  # a key answered after the statement's snapshot: nothing kept, full path
        except asyncio.CancelledError:
            for pending in batch:
                if not pending.future.done():
                    pending.future.cancel()
            raise
        except Exception as exc:
            # Not committed, or unknown whether (the connection broke at COMMIT): each request fails as
            # its own express statement would have, and the request-level retry decides (tixmo.retry).
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_exception(exc)
            return
        self.stats.record(len(batch))
        for number, pending in enumerate(batch, start=1):
            if not pending.future.done():
                pending.future.set_result(number in granted)

    @staticmethod
    def _arguments(event_id: uuid.UUID, batch: Sequence[Pending]) -> list[Any]:
        """The statement's parameters (see ``_batch_sql``): the ticket types in id order, then each
        request's need of each of them, one flat array (request by request)."""
        types = sorted({ticket_type_id for pending in batch for ticket_type_id, _ in pending.lines})
        position = {ticket_type_id: i for i, ticket_type_id in enumerate(types)}
        need = [0] * (len(batch) * len(types))
        for number, pending in enumerate(batch):
            for ticket_type_id, quantity in pending.lines:
                need[number * len(types) + position[ticket_type_id]] += quantity
        now: datetime = batch[0].rows["order"]["created_at"]
        arguments: list[Any] = [
            event_id,
            types,
            now,
            need,
            [p.lock for p in batch],
            [p.rows["key"]["user_id"] for p in batch],
            [p.rows["key"]["key"] for p in batch],
            [p.promo_id for p in batch],
        ]
        for prefix, table in _TABLES:
            if prefix == "item":
                items = [(n, item) for n, p in enumerate(batch, start=1) for item in p.rows["items"]]
                arguments.append([n for n, _ in items])
                for column in _columns(table):
                    arguments.append([_argument(item[column]) for _, item in items])
                continue
            for column in _columns(table):
                arguments.append([_argument(p.rows[prefix][column]) for p in batch])
        return arguments

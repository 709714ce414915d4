"""A small, fully known world for the report tests, built through the API, and the figures it must give —
summed here in Python from what each order is, never with the reports' SQL.

Two organizations. A sells two events: E1 in Europe/Berlin (EUR; 2026-03-29 is its 23-hour DST day) and
E2 in America/New_York (USD; DST from 2026-03-08). B sells E3 (UTC, USD). Orders are placed, paid,
refunded (in full and in part), cancelled and expired through the API, then moved back in time to the
instants of ``PLAN`` (``created_at``, ``confirmed_at``): the report range ``FROM``..``TO`` cuts mid-day on
both ends so whole days (rollup) and partial ones (orders) both count.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import auth, create_event, create_organization, create_ticket_type, create_user
from tests.promos.helpers import create_promo
from tixmo.accounts.models import Role, User
from tixmo.deps import AppContext
from tixmo.events.models import Event
from tixmo.orders import service as orders_service
from tixmo.orders.models import Order
from tixmo.organizations.models import MemberRole

FROM = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TO = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)
ZONES = {"E1": "Europe/Berlin", "E2": "America/New_York", "E3": "UTC"}
CURRENCIES = {"E1": "EUR", "E2": "USD", "E3": "USD"}
ORGS = {"E1": "A", "E2": "A", "E3": "B"}


def at(text_: str) -> datetime:
    return datetime.fromisoformat(text_).replace(tzinfo=UTC)


@dataclass(frozen=True)
class Plan:
    name: str
    event: str
    buyer: str
    lines: tuple[tuple[str, int], ...]  # (ticket type, quantity)
    created: datetime
    paid: datetime | None = None
    promo: str | None = None
    refund: str | None = None  # "full" (the buyer cancels: REFUNDED) or an amount ("15.00")
    unpaid: str | None = None  # "cancel", "expire", or None (still pending)


PLAN = (
    Plan("o1", "E1", "alice", (("T1", 2),), at("2026-03-05T09:55"), at("2026-03-05T10:00")),
    # 2026-03-29 in Berlin: 00:30 CET is 23:30 UTC the day before; 23:59 CEST is 21:59 UTC.
    Plan(
        "o2", "E1", "alice", (("T2", 1), ("T1", 1)), at("2026-03-28T23:25"), at("2026-03-28T23:30"), "SAVE10"
    ),
    Plan(
        "o3", "E1", "bob", (("T2", 2),), at("2026-03-29T21:54"), at("2026-03-29T21:59"), "FIVE", refund="full"
    ),
    Plan("o4", "E1", "carol", (("T1", 3),), at("2026-03-29T22:25"), at("2026-03-29T22:30"), refund="15.00"),
    # New York moves to EDT at 2026-03-08 07:00 UTC: 06:30 UTC is 01:30 EST, 03:30 UTC on the 9th 23:30 EDT.
    Plan("o5", "E2", "bob", (("T3", 4),), at("2026-03-08T06:25"), at("2026-03-08T06:30"), "QUARTER"),
    Plan("o6", "E2", "dave", (("T3", 1),), at("2026-03-09T03:25"), at("2026-03-09T03:30")),
    Plan("o7", "E2", "carol", (("T3", 2),), at("2026-03-02T08:55"), at("2026-03-02T09:00")),  # before FROM
    Plan("o8", "E2", "alice", (("T3", 1),), at("2026-04-15T12:55"), at("2026-04-15T13:00")),  # after TO
    Plan("o9", "E1", "dave", (("T1", 1),), at("2026-03-02T09:55"), at("2026-03-02T10:00")),  # paid at FROM
    Plan("o10", "E3", "alice", (("T4", 1),), at("2026-03-10T11:55"), at("2026-03-10T12:00")),  # org B
    Plan("o11", "E1", "bob", (("T1", 1),), at("2026-03-10T08:00"), unpaid="cancel"),
    Plan("o12", "E2", "dave", (("T3", 2),), at("2026-03-11T08:00"), promo="QUARTER", unpaid="expire"),
    Plan("o13", "E1", "carol", (("T2", 1),), at("2026-03-12T08:00")),  # still pending
)


@dataclass
class Placed:
    """An order as the API answered it, with its plan."""

    plan: Plan
    id: str
    event_id: uuid.UUID
    currency: str
    subtotal: int
    discount: int
    tickets: int
    lines: list[tuple[uuid.UUID, int, int, int]]  # (ticket type id, quantity, unit price, line discount)
    refunded: int = 0
    promo_code_id: uuid.UUID | None = None
    buyer_id: uuid.UUID | None = None

    @property
    def paid_amount(self) -> int:
        return self.subtotal - self.discount


@dataclass
class World:
    users: dict[str, User]
    headers: dict[str, dict[str, str]]
    orgs: dict[str, uuid.UUID]
    events: dict[str, uuid.UUID]
    ticket_types: dict[str, uuid.UUID]
    promos: dict[str, uuid.UUID]
    orders: dict[str, Placed] = field(default_factory=dict)
    ticket_ids: dict[str, list[str]] = field(default_factory=dict)

    def event_name(self, event_id: uuid.UUID) -> str:
        return {v: k for k, v in self.events.items()}[event_id]


def _minor(amount: str) -> int:
    return round(float(amount) * 100)


async def build(client: httpx.AsyncClient, session: AsyncSession, context: AppContext) -> World:
    users = {
        "a_staff": await create_user(
            session, context, role=Role.PROMOTER, first_name="Ann", last_name="Staff"
        ),
        "a_member": await create_user(
            session, context, role=Role.CUSTOMER, first_name="Max", last_name="Member"
        ),
        "b_staff": await create_user(
            session, context, role=Role.PROMOTER, first_name="Ben", last_name="Other"
        ),
        "admin": await create_user(session, context, role=Role.ADMIN),
        "customer": await create_user(session, context, role=Role.CUSTOMER),
    }
    for buyer in ("alice", "bob", "carol", "dave"):
        users[buyer] = await create_user(session, context, first_name=buyer.title(), last_name="Buyer")
    org_a = await create_organization(
        session, owner=users["a_staff"], name="Org A", members={users["a_member"]: MemberRole.MEMBER}
    )
    org_b = await create_organization(session, owner=users["b_staff"], name="Org B")
    orgs = {"A": org_a.id, "B": org_b.id}
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    events, ticket_types, promos = {}, {}, {}
    for key, org in (("E1", org_a), ("E2", org_a), ("E3", org_b)):
        event = await create_event(
            session,
            organization=org,
            status="PUBLISHED",
            name=f"Event {key}",
            starts_at=starts,
            timezone=ZONES[key],
            currency=CURRENCIES[key],
        )
        events[key] = event.id
    for key, event_key, price in (
        ("T1", "E1", 2000),
        ("T2", "E1", 3550),
        ("T3", "E2", 1225),
        ("T4", "E3", 5000),
    ):
        event = await session.get(Event, events[event_key])
        assert event is not None
        ticket_types[key] = (await create_ticket_type(session, event=event, price_minor=price)).id
    for code, event_key, kind, value in (
        ("SAVE10", "E1", "PERCENTAGE", 1000),
        ("FIVE", "E1", "FIXED", 500),
        ("QUARTER", "E2", "PERCENTAGE", 2500),
    ):
        event = await session.get(Event, events[event_key])
        assert event is not None
        promos[code] = (
            await create_promo(session, event=event, code=code, discount_type=kind, discount_value=value)
        ).id
    world = World(
        users=users,
        headers={name: auth(context, user) for name, user in users.items()},
        orgs=orgs,
        events=events,
        ticket_types=ticket_types,
        promos=promos,
    )
    for plan in PLAN:
        await _place(client, session, world, plan)
    await _time_travel(session, world)
    await _doors(client, session, world)
    return world


async def _place(client: httpx.AsyncClient, session: AsyncSession, world: World, plan: Plan) -> None:
    buyer = world.headers[plan.buyer]
    body: dict[str, Any] = {
        "eventId": str(world.events[plan.event]),
        "items": [{"ticketTypeId": str(world.ticket_types[t]), "quantity": q} for t, q in plan.lines],
    }
    if plan.promo:
        body["promoCode"] = plan.promo.lower()  # codes are case-insensitive
    response = await client.post("/orders", json=body, headers=buyer)
    assert response.status_code == 201, response.text
    order = response.json()
    placed = Placed(
        plan=plan,
        id=order["id"],
        event_id=world.events[plan.event],
        currency=order["currency"],
        subtotal=_minor(order["subtotal"]),
        discount=_minor(order["discount"]),
        tickets=sum(q for _, q in plan.lines),
        lines=[
            (uuid.UUID(i["ticketTypeId"]), i["quantity"], _minor(i["unitPrice"]), _minor(i["discount"]))
            for i in order["items"]
        ],
        promo_code_id=world.promos[plan.promo] if plan.promo else None,
        buyer_id=world.users[plan.buyer].id,
    )
    world.orders[plan.name] = placed
    if plan.paid is not None:
        confirmed = await client.post(f"/orders/{placed.id}/confirm", headers=buyer)
        assert confirmed.status_code == 200, confirmed.text
        world.ticket_ids[plan.name] = [t["id"] for t in confirmed.json()["tickets"]]
    if plan.refund == "full":
        cancelled = await client.post(f"/orders/{placed.id}/cancel", headers=buyer)
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["status"] == "REFUNDED"
        placed.refunded = placed.paid_amount
    elif plan.refund is not None:
        staff = world.headers["a_staff" if ORGS[plan.event] == "A" else "b_staff"]
        payments = await client.get(f"/payments?orderId={placed.id}", headers=buyer)
        payment_id = payments.json()["data"][0]["id"]
        refunded = await client.post(
            f"/payments/{payment_id}/refund", json={"amount": plan.refund}, headers=staff
        )
        assert refunded.status_code in (200, 201), refunded.text
        placed.refunded = _minor(plan.refund)
    if plan.unpaid == "cancel":
        cancelled = await client.post(f"/orders/{placed.id}/cancel", headers=buyer)
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["status"] == "CANCELLED"
    elif plan.unpaid == "expire":
        await session.execute(
            update(Order)
            .where(Order.id == uuid.UUID(placed.id))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await session.commit()
        assert await orders_service.expire_due(session) == 1
        await session.commit()


async def _time_travel(session: AsyncSession, world: World) -> None:
    """Each order to its planned instants (the API stamped them with the present)."""
    for placed in world.orders.values():
        await session.execute(
            text("UPDATE orders SET created_at = :created, confirmed_at = :paid WHERE id = :id"),
            {"created": placed.plan.created, "paid": placed.plan.paid, "id": uuid.UUID(placed.id)},
        )
    await session.commit()


# Check-ins: o1's two tickets (E1) enter at 20:10 and 20:40 CEST on 2026-04-20; one of o5's (E2) at 18:45
# EDT on 2026-04-01, and E2 is then over (its other tickets are no-shows).
ENTRIES = {"o1": [at("2026-04-20T18:10"), at("2026-04-20T18:40")], "o5": [at("2026-04-01T22:45")]}
E2_ENDED = (at("2026-04-01T23:00"), at("2026-04-02T03:00"))


async def _doors(client: httpx.AsyncClient, session: AsyncSession, world: World) -> None:
    for name, instants in ENTRIES.items():
        for ticket_id, instant in zip(world.ticket_ids[name], instants, strict=False):
            staff = world.headers["a_staff"]
            checked = await client.post(f"/tickets/{ticket_id}/check-in", headers=staff)
            assert checked.status_code == 200, checked.text
            await session.execute(
                text("UPDATE scans SET scanned_at = :at WHERE ticket_id = :ticket"),
                {"at": instant, "ticket": uuid.UUID(ticket_id)},
            )
    await session.execute(
        text("UPDATE events SET starts_at = :starts, ends_at = :ends WHERE id = :id"),
        {"starts": E2_ENDED[0], "ends": E2_ENDED[1], "id": world.events["E2"]},
    )
    await session.commit()


# ------------------------------------------------------------------------------ expected figures


@dataclass
class Sums:
    orders: int = 0
    tickets: int = 0
    gross: int = 0
    discounts: int = 0
    refunds: int = 0
    refunded_orders: int = 0

    @property
    def net(self) -> int:
        return self.gross - self.discounts - self.refunds

    def add(self, order: Placed) -> None:
        self.orders += 1
        self.tickets += order.tickets
        self.gross += order.subtotal
        self.discounts += order.discount
        self.refunds += order.refunded
        self.refunded_orders += 1 if order.refunded else 0

    def as_json(self, currency: str) -> dict[str, Any]:
        return {
            "currency": currency,
            "orders": self.orders,
            "tickets": self.tickets,
            "gross": f"{self.gross / 100:.2f}",
            "discounts": f"{self.discounts / 100:.2f}",
            "refunds": f"{self.refunds / 100:.2f}",
            "net": f"{self.net / 100:.2f}",
            "refundedOrders": self.refunded_orders,
        }


def paid_in(world: World, orgs: set[str], start: datetime, end: datetime) -> list[Placed]:
    return [
        o
        for o in world.orders.values()
        if ORGS[o.plan.event] in orgs and o.plan.paid is not None and start <= o.plan.paid < end
    ]


def local_day(order: Placed, tz: str | None) -> date:
    assert order.plan.paid is not None
    return order.plan.paid.astimezone(ZoneInfo(tz or ZONES[order.plan.event])).date()


def expected_sales(
    world: World, orgs: set[str], start: datetime = FROM, end: datetime = TO, tz: str | None = None
) -> dict[str, Any]:
    totals: dict[str, Sums] = defaultdict(Sums)
    by_day: dict[tuple[str, date], Sums] = defaultdict(Sums)
    by_event: dict[tuple[str, uuid.UUID], Sums] = defaultdict(Sums)
    lines: dict[tuple[uuid.UUID, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for order in paid_in(world, orgs, start, end):
        totals[order.currency].add(order)
        by_day[(order.currency, local_day(order, tz))].add(order)
        by_event[(order.currency, order.event_id)].add(order)
        for type_id, quantity, unit, discount in order.lines:
            line = lines[(type_id, order.currency)]
            line[0] += quantity
            line[1] += quantity * unit
            line[2] += discount
    return {
        "totals": {c: s.as_json(c) for c, s in totals.items()},
        "byDay": {(c, d.isoformat()): s.as_json(c) for (c, d), s in by_day.items()},
        "byEvent": {(c, str(e)): s.as_json(c) for (c, e), s in by_event.items()},
        "byTicketType": {
            (str(t), c): {
                "tickets": v[0],
                "gross": f"{v[1] / 100:.2f}",
                "discounts": f"{v[2] / 100:.2f}",
                "revenue": f"{(v[1] - v[2]) / 100:.2f}",
            }
            for (t, c), v in lines.items()
        },
    }


def money_fields(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("currency", "orders", "tickets", "gross", "discounts", "refunds", "net", "refundedOrders")
    return {key: row[key] for key in keys}


def status_of(order: Placed) -> str:
    plan = order.plan
    if plan.paid is not None:
        return {"full": "REFUNDED", None: "CONFIRMED"}.get(plan.refund, "PARTIALLY_REFUNDED")
    return {"cancel": "CANCELLED", "expire": "EXPIRED"}.get(plan.unpaid or "", "PENDING")


def live_tickets(world: World, event: str) -> int:
    """Tickets sold and not refunded away (a full refund cancels them; a partial one by amount does not)."""
    return sum(
        o.tickets
        for o in world.orders.values()
        if o.plan.event == event and o.plan.paid is not None and o.plan.refund != "full"
    )


def started_in(world: World, orgs: set[str], start: datetime = FROM, end: datetime = TO) -> list[Placed]:
    return [o for o in world.orders.values() if ORGS[o.plan.event] in orgs and start <= o.plan.created < end]


def expected_customers(
    world: World, orgs: set[str], start: datetime = FROM, end: datetime = TO
) -> dict[str, Any]:
    in_range = paid_in(world, orgs, start, end)
    before = {o.plan.buyer for o in world.orders.values()
              if ORGS[o.plan.event] in orgs and o.plan.paid is not None and o.plan.paid < start}  # fmt: skip
    buyers: dict[str, int] = defaultdict(int)
    for order in in_range:
        buyers[order.plan.buyer] += 1
    averages: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    tickets: dict[int, int] = defaultdict(int)
    spend: dict[tuple[str, str], int] = defaultdict(int)
    for order in in_range:
        averages[order.currency][0] += 1
        averages[order.currency][1] += order.paid_amount
        tickets[order.tickets] += 1
        spend[(order.currency, order.plan.buyer)] += order.paid_amount - order.refunded
    return {
        "buyers": len(buyers),
        "newBuyers": len([b for b in buyers if b not in before]),
        "returningBuyers": len([b for b in buyers if b in before]),
        "repeatBuyers": len([b for b, n in buyers.items() if n >= 2]),
        "averageOrderValue": {
            c: (n, f"{(2 * total + n) // (2 * n) / 100:.2f}") for c, (n, total) in averages.items()
        },
        "ticketsPerOrder": dict(tickets),
        "spend": dict(spend),
    }


def expected_promos(
    world: World, orgs: set[str], start: datetime = FROM, end: datetime = TO
) -> dict[str, Any]:
    figures: dict[str, dict[str, Any]] = {}
    for code in world.promos:
        used = [o for o in paid_in(world, orgs, start, end) if o.plan.promo == code]
        started = [o for o in started_in(world, orgs, start, end) if o.plan.promo == code]
        paid = [o for o in started if o.plan.paid is not None]
        figures[code] = {
            "uses": len(used),
            "discountGiven": f"{sum(o.discount for o in used) / 100:.2f}",
            "revenue": f"{sum(o.paid_amount - o.refunded for o in used) / 100:.2f}",
            "ordersStarted": len(started),
            "ordersPaid": len(paid),
            "conversion": round(len(paid) / len(started), 4) if started else None,
        }
    return figures

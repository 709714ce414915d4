"""Scanner devices, the scan history (the authority on who is inside), and live-stream tickets."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Identity, Index, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import Base, IdMixin, TimestampMixin, utcnow


class Direction(StrEnum):
    ENTRY = "ENTRY"
    EXIT = "EXIT"


class ScanStatus(StrEnum):
    VALID = "VALID"
    DUPLICATE = "DUPLICATE"  # an entry while already inside
    NOT_INSIDE = "NOT_INSIDE"  # an exit while outside
    INVALID = "INVALID"  # unknown, forged, revoked code; event not open
    WRONG_EVENT = "WRONG_EVENT"
    CANCELLED = "CANCELLED"


# The verdicts that depend on the ticket's history (re-judged when an offline batch is merged).
HISTORY_STATUSES = (ScanStatus.VALID.value, ScanStatus.DUPLICATE.value, ScanStatus.NOT_INSIDE.value)


class ScanSource(StrEnum):
    ONLINE = "ONLINE"  # POST /scanners/scan: answered at once, the answer is kept
    OFFLINE = "OFFLINE"  # POST /scanners/sync: judged (and re-judged) by the merge
    MANUAL = "MANUAL"  # POST /tickets/{id}/check-in by org staff


class Scanner(IdMixin, TimestampMixin, Base):
    """A door device of one event. Its API key is stored as a SHA-256 hash (see service.py)."""

    __tablename__ = "scanners"
    __table_args__ = (
        Index("ix_scanners_event_id", "event_id"),
        Index("ix_scanners_organization_id", "organization_id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    api_key_prefix: Mapped[str] = mapped_column(String(16))
    is_enabled: Mapped[bool] = mapped_column(server_default=text("true"), default=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_seen_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]


class Scan(Base):
    """One scan attempt. ``id`` grows with every insert: the live stream's event id.

    ``conflict``: an entry that met the ticket already inside (a DUPLICATE found by the merge, or an
    online VALID answer that an earlier offline entry overtook); ``conflicts_with_scan_id`` names the
    entry it collided with. Entries and exits count VALID scans without ``conflict``: people, not
    duplicate admissions.
    """

    __tablename__ = "scans"
    __table_args__ = (
        CheckConstraint("direction IN ('ENTRY', 'EXIT')", name="direction_valid"),
        CheckConstraint(
            "status IN ('VALID', 'DUPLICATE', 'NOT_INSIDE', 'INVALID', 'WRONG_EVENT', 'CANCELLED')",
            name="status_valid",
        ),
        CheckConstraint("source IN ('ONLINE', 'OFFLINE', 'MANUAL')", name="source_valid"),
        Index(
            "uq_scans_scanner_id_client_scan_id",
            "scanner_id",
            "client_scan_id",
            unique=True,
            postgresql_where=text("client_scan_id IS NOT NULL"),
        ),
        Index("ix_scans_ticket_id_scanned_at", "ticket_id", "scanned_at"),
        Index("ix_scans_event_id_scanned_at", "event_id", "scanned_at"),
        Index("ix_scans_event_id_id", "event_id", "id"),
        Index("ix_scans_scanner_id_id", "scanner_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    scanner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scanners.id", ondelete="CASCADE"))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(String(200))
    scanned_at: Mapped[datetime]
    # The device's clock as it sent it (``scannedAt``): kept for the record; ``scanned_at`` orders the
    # history (the server's time for online scans, the clamped device time for offline ones).
    client_scanned_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=lambda: utcnow())
    client_scan_id: Mapped[str | None] = mapped_column(String(64))
    conflict: Mapped[bool] = mapped_column(server_default=text("false"), default=False)
    conflicts_with_scan_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("scans.id", ondelete="SET NULL")
    )


class ScanCounter(Base):
    """The attendance counts of an event, in 16 shards (sum them): kept by statement-level triggers on
    ``scans`` (migration 0015), so every writer — online scans, offline merges re-judging verdicts,
    manual check-ins — keeps them, and ``/stats`` and ``/occupancy`` read 16 rows instead of the whole
    history. The same definitions as ``stats``: ``valid``, ``entries`` and ``exits`` count VALID scans
    without ``conflict``. ``last_scan_at`` only grows (a deleted scan does not move it back)."""

    __tablename__ = "scan_counters"

    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    total: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    valid: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    entries: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    exits: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    last_scan_at: Mapped[datetime | None]


class LiveTicket(IdMixin, Base):
    """A single-use, 60-second pass to ``GET /events/{id}/live`` for browsers' EventSource."""

    __tablename__ = "live_tickets"
    __table_args__ = (Index("ix_live_tickets_expires_at", "expires_at"),)

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

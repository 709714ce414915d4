from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import DEFERRED, Base, IdMixin, TimestampMixin, utcnow


class TicketStatus(StrEnum):
    VALID = "VALID"
    USED = "USED"
    CANCELLED = "CANCELLED"


class RevocationReason(StrEnum):
    REGENERATED = "REGENERATED"
    TRANSFERRED = "TRANSFERRED"


class SigningKeyStatus(StrEnum):
    ACTIVE = "ACTIVE"  # signs new ticket codes (one per event)
    ROTATED = "ROTATED"  # signs nothing new; codes it signed still verify
    RETIRED = "RETIRED"  # codes it signed no longer verify


class Ticket(IdMixin, TimestampMixin, Base):
    """One admission, issued when its order is confirmed. ``barcode`` is random (128 bits) and unique.

    ``version`` counts the ticket's codes: a new barcode (regenerated, transferred) is a new version, and
    the signed ``qrData`` carries it.
    """

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint("status IN ('VALID', 'USED', 'CANCELLED')", name="status_valid"),
        Index("ix_tickets_order_id", "order_id"),
        Index("ix_tickets_owner_id_event_id", "owner_id", "event_id"),
        Index("ix_tickets_event_id_status", "event_id", "status"),
        Index("ix_tickets_ticket_type_id", "ticket_type_id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"))
    # Deferred like the orders' (see orders/models.py): confirm updates the ticket type it references.
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="RESTRICT", **DEFERRED))
    ticket_type_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ticket_types.id", ondelete="RESTRICT", **DEFERRED)
    )
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    seat_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("event_seats.id", ondelete="SET NULL"))
    barcode: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(server_default=text("1"), default=1)
    status: Mapped[str] = mapped_column(String(16), default=TicketStatus.VALID.value)
    checked_in_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Suspended while its order's payment is disputed (the event's ``suspend_tickets_on_dispute``): a
    # VALID ticket that does not admit anyone until the dispute is won (``payments.disputes``).
    suspended_at: Mapped[datetime | None]
    # Door state, kept by the check-in domain (checkin/history.py) in step with the scan history, which
    # stays the authority: inside after its latest VALID, non-conflict scan if that is an ENTRY, and that
    # entry's scan id (what a DUPLICATE names). On the ticket row so that an online scan, which locks the
    # row, reads the latest state in the same statement (checkin/express.py). No foreign key: scans.id.
    inside: Mapped[bool] = mapped_column(server_default=text("false"), default=False)
    entry_scan_id: Mapped[int | None] = mapped_column(BigInteger)


class TicketTransfer(IdMixin, Base):
    """One change of a ticket's owner: the ticket's transfer history."""

    __tablename__ = "ticket_transfers"
    __table_args__ = (
        CheckConstraint("from_user_id <> to_user_id", name="to_someone_else"),
        Index("ix_ticket_transfers_ticket_id_created_at", "ticket_id", "created_at"),
        Index("ix_ticket_transfers_from_user_id", "from_user_id"),
        Index("ix_ticket_transfers_to_user_id", "to_user_id"),
    )

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    from_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    to_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=lambda: utcnow())


class TicketRevocation(IdMixin, Base):
    """A barcode that no longer admits anyone (replaced by a new one), by its SHA-256 hex digest.

    Scanners download the revocations of their event since their last sync, so a replaced code also
    scans INVALID offline.
    """

    __tablename__ = "ticket_revocations"
    __table_args__ = (
        CheckConstraint("reason IN ('REGENERATED', 'TRANSFERRED')", name="reason_valid"),
        Index("ix_ticket_revocations_event_id_revoked_at", "event_id", "revoked_at"),
        Index("ix_ticket_revocations_ticket_id", "ticket_id"),
    )

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    barcode_hash: Mapped[str] = mapped_column(String(64), unique=True)
    reason: Mapped[str] = mapped_column(String(16))
    revoked_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=lambda: utcnow())


class SigningKey(IdMixin, Base):
    """An event's Ed25519 key pair for ticket codes; the private key is encrypted (see ``keys.py``)."""

    __tablename__ = "ticket_signing_keys"
    __table_args__ = (
        CheckConstraint("status IN ('ACTIVE', 'ROTATED', 'RETIRED')", name="status_valid"),
        CheckConstraint("octet_length(public_key) = 32", name="public_key_length"),
        # At most one key signs for an event at a time.
        Index(
            "uq_ticket_signing_keys_one_active_per_event",
            "event_id",
            unique=True,
            postgresql_where=text("status = 'ACTIVE'"),
        ),
        Index("ix_ticket_signing_keys_event_id_created_at", "event_id", "created_at"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    # Derived from the public key (``codes.key_id``), carried in every code it signs.
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    # AES-256-GCM: 12-byte nonce || ciphertext and tag, under a key derived from the app secret.
    private_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default=SigningKeyStatus.ACTIVE.value)
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"), default=lambda: utcnow())
    rotated_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]


class TicketCount(Base):
    """How many of an event's tickets are in each status, kept by statement-level triggers on ``tickets``
    (migration 0021: insert, update, delete; transition tables, so a statement changing many tickets costs
    one upsert, and a statement changing no status none). Every writer keeps it without knowing it, and
    ``/events/{id}/stats`` sums a few rows instead of counting the event's tickets.

    One row per event, status and database backend (``backend``: the ``pg_backend_pid()`` that wrote it;
    sum over it): a backend runs one transaction at a time, so no two transactions ever wait for each
    other on a counter row, whatever they changed before or after. The rows of backends that have ended are
    folded into backend 0's by a periodic task (``tickets.counts``)."""

    __tablename__ = "ticket_counts"

    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    backend: Mapped[int] = mapped_column(primary_key=True)
    tickets: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))

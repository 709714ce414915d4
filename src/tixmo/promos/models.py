from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, func, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from tixmo.db import Base, IdMixin, TimestampMixin


class DiscountType(StrEnum):
    PERCENTAGE = "PERCENTAGE"
    FIXED = "FIXED"


class PromoStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"


class PromoCode(IdMixin, TimestampMixin, Base):
    """A discount code for one event. Codes are unique per event, case-insensitively.

    ``discount_value`` is in hundredths for both kinds: a PERCENTAGE of 12.5 % is 1250, a FIXED discount
    of 5.00 is 500 minor units. ``used_count`` moves only by conditional UPDATEs, and the CHECK constraint
    ``used_count <= max_uses`` backs the rule that ``maxUses`` is never exceeded.
    """

    __tablename__ = "promo_codes"
    __table_args__ = (
        CheckConstraint("discount_type IN ('PERCENTAGE', 'FIXED')", name="discount_type_valid"),
        CheckConstraint("status IN ('ACTIVE', 'DISABLED')", name="status_valid"),
        CheckConstraint(
            "discount_value > 0 AND (discount_type <> 'PERCENTAGE' OR discount_value <= 10000)",
            name="discount_value_valid",
        ),
        CheckConstraint("used_count >= 0", name="used_count_non_negative"),
        CheckConstraint("max_uses IS NULL OR max_uses >= 1", name="max_uses_positive"),
        CheckConstraint("max_uses IS NULL OR used_count <= max_uses", name="max_uses_not_exceeded"),
        CheckConstraint(
            "min_order_amount_minor IS NULL OR min_order_amount_minor >= 0", name="min_order_valid"
        ),
        CheckConstraint(
            "valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until", name="validity_window"
        ),
        Index("uq_promo_codes_event_id_code", "event_id", func.lower(text("code")), unique=True),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(50))
    discount_type: Mapped[str] = mapped_column(String(16))
    discount_value: Mapped[int] = mapped_column(BigInteger)
    max_uses: Mapped[int | None]
    used_count: Mapped[int] = mapped_column(server_default=text("0"), default=0)
    min_order_amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    # ``None``: every ticket type of the event is eligible.
    ticket_type_ids: Mapped[list[uuid.UUID] | None] = mapped_column(ARRAY(UUID(as_uuid=True)))
    status: Mapped[str] = mapped_column(String(16), default=PromoStatus.ACTIVE.value)

from enum import StrEnum

class OrderStatus(StrEnum):
    CANCELLED = "CANCELLED"
    CONFIRMED = "CONFIRMED"
    EXPIRED = "EXPIRED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    PENDING = "PENDING"
    REFUNDED = "REFUNDED"

    def __str__(self) -> str:
        return str(self.value)

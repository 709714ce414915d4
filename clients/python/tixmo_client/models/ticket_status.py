from enum import StrEnum

class TicketStatus(StrEnum):
    CANCELLED = "CANCELLED"
    USED = "USED"
    VALID = "VALID"

    def __str__(self) -> str:
        return str(self.value)

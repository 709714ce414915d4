from enum import StrEnum

class WaitlistStatus(StrEnum):
    CANCELLED = "CANCELLED"
    CLAIMED = "CLAIMED"
    EXPIRED = "EXPIRED"
    OFFERED = "OFFERED"
    WAITING = "WAITING"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum

class SeatStatus(StrEnum):
    AVAILABLE = "AVAILABLE"
    HELD = "HELD"
    SOLD = "SOLD"

    def __str__(self) -> str:
        return str(self.value)

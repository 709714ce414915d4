from enum import StrEnum

class Frequency(StrEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"

    def __str__(self) -> str:
        return str(self.value)

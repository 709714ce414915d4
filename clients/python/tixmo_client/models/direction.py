from enum import StrEnum

class Direction(StrEnum):
    ENTRY = "ENTRY"
    EXIT = "EXIT"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum

class ScanStatus(StrEnum):
    CANCELLED = "CANCELLED"
    DUPLICATE = "DUPLICATE"
    INVALID = "INVALID"
    NOT_INSIDE = "NOT_INSIDE"
    VALID = "VALID"
    WRONG_EVENT = "WRONG_EVENT"

    def __str__(self) -> str:
        return str(self.value)

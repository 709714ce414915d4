from enum import StrEnum

class ValidationStatus(StrEnum):
    CANCELLED = "CANCELLED"
    INVALID = "INVALID"
    USED = "USED"
    VALID = "VALID"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum

class RefundPolicy(StrEnum):
    FULL = "FULL"
    NONE = "NONE"

    def __str__(self) -> str:
        return str(self.value)

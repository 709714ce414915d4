from enum import StrEnum

class DiscountType(StrEnum):
    FIXED = "FIXED"
    PERCENTAGE = "PERCENTAGE"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum

class PriceTierInputKind(StrEnum):
    DATE = "DATE"
    DEMAND = "DEMAND"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum

class PriceTierReadKind(StrEnum):
    DATE = "DATE"
    DEMAND = "DEMAND"

    def __str__(self) -> str:
        return str(self.value)

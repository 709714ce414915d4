from enum import StrEnum

class SigningKeyStatus(StrEnum):
    ACTIVE = "ACTIVE"
    RETIRED = "RETIRED"
    ROTATED = "ROTATED"

    def __str__(self) -> str:
        return str(self.value)

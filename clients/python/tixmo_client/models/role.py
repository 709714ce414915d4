from enum import StrEnum

class Role(StrEnum):
    ADMIN = "ADMIN"
    CUSTOMER = "CUSTOMER"
    PROMOTER = "PROMOTER"

    def __str__(self) -> str:
        return str(self.value)

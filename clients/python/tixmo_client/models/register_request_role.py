from enum import StrEnum

class RegisterRequestRole(StrEnum):
    CUSTOMER = "CUSTOMER"
    PROMOTER = "PROMOTER"

    def __str__(self) -> str:
        return str(self.value)

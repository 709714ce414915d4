from enum import StrEnum

class OrganizationType(StrEnum):
    OTHER = "OTHER"
    PROMOTER = "PROMOTER"
    VENUE = "VENUE"

    def __str__(self) -> str:
        return str(self.value)

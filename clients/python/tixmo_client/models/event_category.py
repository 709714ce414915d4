from enum import StrEnum

class EventCategory(StrEnum):
    COMEDY = "COMEDY"
    CONCERT = "CONCERT"
    CONFERENCE = "CONFERENCE"
    EXHIBITION = "EXHIBITION"
    FESTIVAL = "FESTIVAL"
    NIGHTLIFE = "NIGHTLIFE"
    OTHER = "OTHER"
    SPORTS = "SPORTS"
    THEATER = "THEATER"
    WORKSHOP = "WORKSHOP"

    def __str__(self) -> str:
        return str(self.value)

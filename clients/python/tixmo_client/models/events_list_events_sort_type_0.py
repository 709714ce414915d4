from enum import StrEnum

class EventsListEventsSortType0(StrEnum):
    NAME = "name"
    STARTSAT = "startsAt"
    VALUE_1 = "-startsAt"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum

class Scope(StrEnum):
    ANALYTICSREAD = "analytics:read"
    CHECKIN = "checkin"
    EVENTSREAD = "events:read"
    EVENTSWRITE = "events:write"
    ORDERSREAD = "orders:read"
    ORDERSWRITE = "orders:write"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum

class QueueStatus(StrEnum):
    ADMITTED = "ADMITTED"
    CLOSED = "CLOSED"
    EXPIRED = "EXPIRED"
    WAITING = "WAITING"

    def __str__(self) -> str:
        return str(self.value)

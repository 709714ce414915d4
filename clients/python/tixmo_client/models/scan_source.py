from enum import StrEnum

class ScanSource(StrEnum):
    MANUAL = "MANUAL"
    OFFLINE = "OFFLINE"
    ONLINE = "ONLINE"

    def __str__(self) -> str:
        return str(self.value)

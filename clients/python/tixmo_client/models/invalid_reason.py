from enum import StrEnum

class InvalidReason(StrEnum):
    ALREADY_USED = "ALREADY_USED"
    BAD_SIGNATURE = "BAD_SIGNATURE"
    CANCELLED = "CANCELLED"
    EVENT_NOT_ACTIVE = "EVENT_NOT_ACTIVE"
    KEY_RETIRED = "KEY_RETIRED"
    MALFORMED = "MALFORMED"
    NOT_FOUND = "NOT_FOUND"
    REVOKED = "REVOKED"
    SUSPENDED = "SUSPENDED"
    UNKNOWN_KEY = "UNKNOWN_KEY"
    WRONG_EVENT = "WRONG_EVENT"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum

class PaymentStatus(StrEnum):
    CANCELED = "CANCELED"
    FAILED = "FAILED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    PROCESSING = "PROCESSING"
    REFUNDED = "REFUNDED"
    REQUIRES_ACTION = "REQUIRES_ACTION"
    REQUIRES_PAYMENT = "REQUIRES_PAYMENT"
    REQUIRES_REVIEW = "REQUIRES_REVIEW"
    SUCCEEDED = "SUCCEEDED"

    def __str__(self) -> str:
        return str(self.value)

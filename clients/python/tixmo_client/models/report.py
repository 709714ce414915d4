from enum import StrEnum

class Report(StrEnum):
    CUSTOMERS = "CUSTOMERS"
    DASHBOARD = "DASHBOARD"
    EVENTS = "EVENTS"
    FUNNEL = "FUNNEL"
    PAYMENTS = "PAYMENTS"
    PROMO_CODES = "PROMO_CODES"
    SALES = "SALES"

    def __str__(self) -> str:
        return str(self.value)

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="PromoCodeFigures")



@_attrs_define
class PromoCodeFigures:
    """ 
        Attributes:
            code (str):
            conversion (float | None): ordersPaid / ordersStarted.
            currency (str):
            discount_given (str):
            event_id (UUID):
            event_name (str):
            max_uses (int | None):
            orders_paid (int): Of those, the ones paid (by now).
            orders_started (int): Orders placed in the range with this code.
            promo_code_id (UUID):
            revenue (str): Those orders' gross - discounts - refunds.
            status (str):
            used_count (int): The code's live use counter (all time).
            uses (int): Orders paid in the range with this code.
     """

    code: str
    conversion: float | None
    currency: str
    discount_given: str
    event_id: UUID
    event_name: str
    max_uses: int | None
    orders_paid: int
    orders_started: int
    promo_code_id: UUID
    revenue: str
    status: str
    used_count: int
    uses: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        conversion: float | None
        conversion = self.conversion

        currency = self.currency

        discount_given = self.discount_given

        event_id = str(self.event_id)

        event_name = self.event_name

        max_uses: int | None
        max_uses = self.max_uses

        orders_paid = self.orders_paid

        orders_started = self.orders_started

        promo_code_id = str(self.promo_code_id)

        revenue = self.revenue

        status = self.status

        used_count = self.used_count

        uses = self.uses


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "conversion": conversion,
            "currency": currency,
            "discountGiven": discount_given,
            "eventId": event_id,
            "eventName": event_name,
            "maxUses": max_uses,
            "ordersPaid": orders_paid,
            "ordersStarted": orders_started,
            "promoCodeId": promo_code_id,
            "revenue": revenue,
            "status": status,
            "usedCount": used_count,
            "uses": uses,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        def _parse_conversion(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        conversion = _parse_conversion(d.pop("conversion"))


        currency = d.pop("currency")

        discount_given = d.pop("discountGiven")

        event_id = UUID(d.pop("eventId"))




        event_name = d.pop("eventName")

        def _parse_max_uses(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_uses = _parse_max_uses(d.pop("maxUses"))


        orders_paid = d.pop("ordersPaid")

        orders_started = d.pop("ordersStarted")

        promo_code_id = UUID(d.pop("promoCodeId"))




        revenue = d.pop("revenue")

        status = d.pop("status")

        used_count = d.pop("usedCount")

        uses = d.pop("uses")

        promo_code_figures = cls(
            code=code,
            conversion=conversion,
            currency=currency,
            discount_given=discount_given,
            event_id=event_id,
            event_name=event_name,
            max_uses=max_uses,
            orders_paid=orders_paid,
            orders_started=orders_started,
            promo_code_id=promo_code_id,
            revenue=revenue,
            status=status,
            used_count=used_count,
            uses=uses,
        )


        promo_code_figures.additional_properties = d
        return promo_code_figures

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

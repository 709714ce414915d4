from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="AvailabilityRead")



@_attrs_define
class AvailabilityRead:
    """ 
        Attributes:
            currency (str):
            current_price (str):
            next_price (None | str): The price from nextPriceChange on.
            next_price_change (datetime.datetime | None): When the price next changes by date alone (a DATE tier ending), if
                it does.
            on_sale (bool):
            quantity_available (int):
            quantity_held (int):
            quantity_sold (int):
            quantity_total (int):
            sales_end (datetime.datetime | None):
            sales_start (datetime.datetime | None):
            ticket_type_id (UUID):
     """

    currency: str
    current_price: str
    next_price: None | str
    next_price_change: datetime.datetime | None
    on_sale: bool
    quantity_available: int
    quantity_held: int
    quantity_sold: int
    quantity_total: int
    sales_end: datetime.datetime | None
    sales_start: datetime.datetime | None
    ticket_type_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        current_price = self.current_price

        next_price: None | str
        next_price = self.next_price

        next_price_change: None | str
        if isinstance(self.next_price_change, datetime.datetime):
            next_price_change = self.next_price_change.isoformat()
        else:
            next_price_change = self.next_price_change

        on_sale = self.on_sale

        quantity_available = self.quantity_available

        quantity_held = self.quantity_held

        quantity_sold = self.quantity_sold

        quantity_total = self.quantity_total

        sales_end: None | str
        if isinstance(self.sales_end, datetime.datetime):
            sales_end = self.sales_end.isoformat()
        else:
            sales_end = self.sales_end

        sales_start: None | str
        if isinstance(self.sales_start, datetime.datetime):
            sales_start = self.sales_start.isoformat()
        else:
            sales_start = self.sales_start

        ticket_type_id = str(self.ticket_type_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "currency": currency,
            "currentPrice": current_price,
            "nextPrice": next_price,
            "nextPriceChange": next_price_change,
            "onSale": on_sale,
            "quantityAvailable": quantity_available,
            "quantityHeld": quantity_held,
            "quantitySold": quantity_sold,
            "quantityTotal": quantity_total,
            "salesEnd": sales_end,
            "salesStart": sales_start,
            "ticketTypeId": ticket_type_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        current_price = d.pop("currentPrice")

        def _parse_next_price(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_price = _parse_next_price(d.pop("nextPrice"))


        def _parse_next_price_change(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_price_change_type_0 = datetime.datetime.fromisoformat(data)



                return next_price_change_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_price_change = _parse_next_price_change(d.pop("nextPriceChange"))


        on_sale = d.pop("onSale")

        quantity_available = d.pop("quantityAvailable")

        quantity_held = d.pop("quantityHeld")

        quantity_sold = d.pop("quantitySold")

        quantity_total = d.pop("quantityTotal")

        def _parse_sales_end(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sales_end_type_0 = datetime.datetime.fromisoformat(data)



                return sales_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sales_end = _parse_sales_end(d.pop("salesEnd"))


        def _parse_sales_start(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sales_start_type_0 = datetime.datetime.fromisoformat(data)



                return sales_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sales_start = _parse_sales_start(d.pop("salesStart"))


        ticket_type_id = UUID(d.pop("ticketTypeId"))




        availability_read = cls(
            currency=currency,
            current_price=current_price,
            next_price=next_price,
            next_price_change=next_price_change,
            on_sale=on_sale,
            quantity_available=quantity_available,
            quantity_held=quantity_held,
            quantity_sold=quantity_sold,
            quantity_total=quantity_total,
            sales_end=sales_end,
            sales_start=sales_start,
            ticket_type_id=ticket_type_id,
        )


        availability_read.additional_properties = d
        return availability_read

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.price_tier_read import PriceTierRead





T = TypeVar("T", bound="TicketTypeRead")



@_attrs_define
class TicketTypeRead:
    """ 
        Attributes:
            created_at (datetime.datetime):
            currency (str):
            current_price (str): What one ticket costs now (price tiers applied).
            description (None | str):
            event_id (UUID):
            id (UUID):
            max_per_buyer (int | None):
            max_per_order (int | None):
            min_per_order (int):
            name (str):
            on_sale (bool): Event PUBLISHED, now inside the sales window, tickets left.
            price (str): The base price.
            price_tiers (list[PriceTierRead]):
            quantity_available (int):
            quantity_held (int):
            quantity_sold (int):
            quantity_total (int):
            sales_end (datetime.datetime | None):
            sales_start (datetime.datetime | None):
            updated_at (datetime.datetime):
     """

    created_at: datetime.datetime
    currency: str
    current_price: str
    description: None | str
    event_id: UUID
    id: UUID
    max_per_buyer: int | None
    max_per_order: int | None
    min_per_order: int
    name: str
    on_sale: bool
    price: str
    price_tiers: list[PriceTierRead]
    quantity_available: int
    quantity_held: int
    quantity_sold: int
    quantity_total: int
    sales_end: datetime.datetime | None
    sales_start: datetime.datetime | None
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.price_tier_read import PriceTierRead # noqa: PLC0415
        created_at = self.created_at.isoformat()

        currency = self.currency

        current_price = self.current_price

        description: None | str
        description = self.description

        event_id = str(self.event_id)

        id = str(self.id)

        max_per_buyer: int | None
        max_per_buyer = self.max_per_buyer

        max_per_order: int | None
        max_per_order = self.max_per_order

        min_per_order = self.min_per_order

        name = self.name

        on_sale = self.on_sale

        price = self.price

        price_tiers = []
        for price_tiers_item_data in self.price_tiers:
            price_tiers_item = price_tiers_item_data.to_dict()
            price_tiers.append(price_tiers_item)



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

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "currency": currency,
            "currentPrice": current_price,
            "description": description,
            "eventId": event_id,
            "id": id,
            "maxPerBuyer": max_per_buyer,
            "maxPerOrder": max_per_order,
            "minPerOrder": min_per_order,
            "name": name,
            "onSale": on_sale,
            "price": price,
            "priceTiers": price_tiers,
            "quantityAvailable": quantity_available,
            "quantityHeld": quantity_held,
            "quantitySold": quantity_sold,
            "quantityTotal": quantity_total,
            "salesEnd": sales_end,
            "salesStart": sales_start,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.price_tier_read import PriceTierRead # noqa: PLC0415
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        currency = d.pop("currency")

        current_price = d.pop("currentPrice")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))


        event_id = UUID(d.pop("eventId"))




        id = UUID(d.pop("id"))




        def _parse_max_per_buyer(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_per_buyer = _parse_max_per_buyer(d.pop("maxPerBuyer"))


        def _parse_max_per_order(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_per_order = _parse_max_per_order(d.pop("maxPerOrder"))


        min_per_order = d.pop("minPerOrder")

        name = d.pop("name")

        on_sale = d.pop("onSale")

        price = d.pop("price")

        price_tiers = []
        _price_tiers = d.pop("priceTiers")
        for price_tiers_item_data in (_price_tiers):
            price_tiers_item = PriceTierRead.from_dict(price_tiers_item_data)



            price_tiers.append(price_tiers_item)


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


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        ticket_type_read = cls(
            created_at=created_at,
            currency=currency,
            current_price=current_price,
            description=description,
            event_id=event_id,
            id=id,
            max_per_buyer=max_per_buyer,
            max_per_order=max_per_order,
            min_per_order=min_per_order,
            name=name,
            on_sale=on_sale,
            price=price,
            price_tiers=price_tiers,
            quantity_available=quantity_available,
            quantity_held=quantity_held,
            quantity_sold=quantity_sold,
            quantity_total=quantity_total,
            sales_end=sales_end,
            sales_start=sales_start,
            updated_at=updated_at,
        )


        ticket_type_read.additional_properties = d
        return ticket_type_read

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

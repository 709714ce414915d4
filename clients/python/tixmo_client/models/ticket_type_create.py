from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.price_tier_input import PriceTierInput





T = TypeVar("T", bound="TicketTypeCreate")



@_attrs_define
class TicketTypeCreate:
    """ 
        Attributes:
            name (str):
            price (str): Base price, e.g. "25.00".
            quantity_total (int):
            currency (None | str | Unset): ISO 4217; must be the event's currency (the first ticket type may set it).
            description (None | str | Unset):
            max_per_buyer (int | None | Unset): Anti-scalping: most of these one buyer may hold or own (all orders).
            max_per_order (int | None | Unset): At least minPerOrder.
            min_per_order (int | Unset):  Default: 1.
            price_tiers (list[PriceTierInput] | Unset): At most 10; see the pricing rules in the API description.
            sales_end (datetime.datetime | None | Unset): Must follow salesStart.
            sales_start (datetime.datetime | None | Unset):
     """

    name: str
    price: str
    quantity_total: int
    currency: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    max_per_buyer: int | None | Unset = UNSET
    max_per_order: int | None | Unset = UNSET
    min_per_order: int | Unset = 1
    price_tiers: list[PriceTierInput] | Unset = UNSET
    sales_end: datetime.datetime | None | Unset = UNSET
    sales_start: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.price_tier_input import PriceTierInput # noqa: PLC0415
        name = self.name

        price = self.price

        quantity_total = self.quantity_total

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        max_per_buyer: int | None | Unset
        if isinstance(self.max_per_buyer, Unset):
            max_per_buyer = UNSET
        else:
            max_per_buyer = self.max_per_buyer

        max_per_order: int | None | Unset
        if isinstance(self.max_per_order, Unset):
            max_per_order = UNSET
        else:
            max_per_order = self.max_per_order

        min_per_order = self.min_per_order

        price_tiers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.price_tiers, Unset):
            price_tiers = []
            for price_tiers_item_data in self.price_tiers:
                price_tiers_item = price_tiers_item_data.to_dict()
                price_tiers.append(price_tiers_item)



        sales_end: None | str | Unset
        if isinstance(self.sales_end, Unset):
            sales_end = UNSET
        elif isinstance(self.sales_end, datetime.datetime):
            sales_end = self.sales_end.isoformat()
        else:
            sales_end = self.sales_end

        sales_start: None | str | Unset
        if isinstance(self.sales_start, Unset):
            sales_start = UNSET
        elif isinstance(self.sales_start, datetime.datetime):
            sales_start = self.sales_start.isoformat()
        else:
            sales_start = self.sales_start


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "price": price,
            "quantityTotal": quantity_total,
        })
        if currency is not UNSET:
            field_dict["currency"] = currency
        if description is not UNSET:
            field_dict["description"] = description
        if max_per_buyer is not UNSET:
            field_dict["maxPerBuyer"] = max_per_buyer
        if max_per_order is not UNSET:
            field_dict["maxPerOrder"] = max_per_order
        if min_per_order is not UNSET:
            field_dict["minPerOrder"] = min_per_order
        if price_tiers is not UNSET:
            field_dict["priceTiers"] = price_tiers
        if sales_end is not UNSET:
            field_dict["salesEnd"] = sales_end
        if sales_start is not UNSET:
            field_dict["salesStart"] = sales_start

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.price_tier_input import PriceTierInput # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        price = d.pop("price")

        quantity_total = d.pop("quantityTotal")

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_max_per_buyer(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_per_buyer = _parse_max_per_buyer(d.pop("maxPerBuyer", UNSET))


        def _parse_max_per_order(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_per_order = _parse_max_per_order(d.pop("maxPerOrder", UNSET))


        min_per_order = d.pop("minPerOrder", UNSET)

        _price_tiers = d.pop("priceTiers", UNSET)
        price_tiers: list[PriceTierInput] | Unset = UNSET
        if _price_tiers is not UNSET:
            price_tiers = []
            for price_tiers_item_data in _price_tiers:
                price_tiers_item = PriceTierInput.from_dict(price_tiers_item_data)



                price_tiers.append(price_tiers_item)


        def _parse_sales_end(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sales_end_type_0 = datetime.datetime.fromisoformat(data)



                return sales_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sales_end = _parse_sales_end(d.pop("salesEnd", UNSET))


        def _parse_sales_start(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sales_start_type_0 = datetime.datetime.fromisoformat(data)



                return sales_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sales_start = _parse_sales_start(d.pop("salesStart", UNSET))


        ticket_type_create = cls(
            name=name,
            price=price,
            quantity_total=quantity_total,
            currency=currency,
            description=description,
            max_per_buyer=max_per_buyer,
            max_per_order=max_per_order,
            min_per_order=min_per_order,
            price_tiers=price_tiers,
            sales_end=sales_end,
            sales_start=sales_start,
        )

        return ticket_type_create


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





T = TypeVar("T", bound="TicketTypeUpdate")



@_attrs_define
class TicketTypeUpdate:
    """ A partial update: the fields given replace the stored ones (``null`` clears optional fields).

        Attributes:
            created_at (Any | Unset): Read-only: send the value last read, or leave it out.
            currency (None | str | Unset):
            current_price (Any | Unset): Read-only: send the value last read, or leave it out.
            description (None | str | Unset):
            event_id (Any | Unset): Read-only: send the value last read, or leave it out.
            id (Any | Unset): Read-only: send the value last read, or leave it out.
            max_per_buyer (int | None | Unset):
            max_per_order (int | None | Unset):
            min_per_order (int | None | Unset):
            name (None | str | Unset):
            on_sale (Any | Unset): Read-only: send the value last read, or leave it out.
            price (None | str | Unset):
            price_tiers (list[PriceTierInput] | None | Unset):
            quantity_available (Any | Unset): Read-only: send the value last read, or leave it out.
            quantity_held (Any | Unset): Read-only: send the value last read, or leave it out.
            quantity_sold (Any | Unset): Read-only: send the value last read, or leave it out.
            quantity_total (int | None | Unset): Not below quantitySold + quantityHeld.
            sales_end (datetime.datetime | None | Unset):
            sales_start (datetime.datetime | None | Unset):
            updated_at (Any | Unset): Read-only: send the value last read, or leave it out.
     """

    created_at: Any | Unset = UNSET
    currency: None | str | Unset = UNSET
    current_price: Any | Unset = UNSET
    description: None | str | Unset = UNSET
    event_id: Any | Unset = UNSET
    id: Any | Unset = UNSET
    max_per_buyer: int | None | Unset = UNSET
    max_per_order: int | None | Unset = UNSET
    min_per_order: int | None | Unset = UNSET
    name: None | str | Unset = UNSET
    on_sale: Any | Unset = UNSET
    price: None | str | Unset = UNSET
    price_tiers: list[PriceTierInput] | None | Unset = UNSET
    quantity_available: Any | Unset = UNSET
    quantity_held: Any | Unset = UNSET
    quantity_sold: Any | Unset = UNSET
    quantity_total: int | None | Unset = UNSET
    sales_end: datetime.datetime | None | Unset = UNSET
    sales_start: datetime.datetime | None | Unset = UNSET
    updated_at: Any | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.price_tier_input import PriceTierInput # noqa: PLC0415
        created_at = self.created_at

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        current_price = self.current_price

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        event_id = self.event_id

        id = self.id

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

        min_per_order: int | None | Unset
        if isinstance(self.min_per_order, Unset):
            min_per_order = UNSET
        else:
            min_per_order = self.min_per_order

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        on_sale = self.on_sale

        price: None | str | Unset
        if isinstance(self.price, Unset):
            price = UNSET
        else:
            price = self.price

        price_tiers: list[dict[str, Any]] | None | Unset
        if isinstance(self.price_tiers, Unset):
            price_tiers = UNSET
        elif isinstance(self.price_tiers, list):
            price_tiers = []
            for price_tiers_type_0_item_data in self.price_tiers:
                price_tiers_type_0_item = price_tiers_type_0_item_data.to_dict()
                price_tiers.append(price_tiers_type_0_item)


        else:
            price_tiers = self.price_tiers

        quantity_available = self.quantity_available

        quantity_held = self.quantity_held

        quantity_sold = self.quantity_sold

        quantity_total: int | None | Unset
        if isinstance(self.quantity_total, Unset):
            quantity_total = UNSET
        else:
            quantity_total = self.quantity_total

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

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if currency is not UNSET:
            field_dict["currency"] = currency
        if current_price is not UNSET:
            field_dict["currentPrice"] = current_price
        if description is not UNSET:
            field_dict["description"] = description
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if id is not UNSET:
            field_dict["id"] = id
        if max_per_buyer is not UNSET:
            field_dict["maxPerBuyer"] = max_per_buyer
        if max_per_order is not UNSET:
            field_dict["maxPerOrder"] = max_per_order
        if min_per_order is not UNSET:
            field_dict["minPerOrder"] = min_per_order
        if name is not UNSET:
            field_dict["name"] = name
        if on_sale is not UNSET:
            field_dict["onSale"] = on_sale
        if price is not UNSET:
            field_dict["price"] = price
        if price_tiers is not UNSET:
            field_dict["priceTiers"] = price_tiers
        if quantity_available is not UNSET:
            field_dict["quantityAvailable"] = quantity_available
        if quantity_held is not UNSET:
            field_dict["quantityHeld"] = quantity_held
        if quantity_sold is not UNSET:
            field_dict["quantitySold"] = quantity_sold
        if quantity_total is not UNSET:
            field_dict["quantityTotal"] = quantity_total
        if sales_end is not UNSET:
            field_dict["salesEnd"] = sales_end
        if sales_start is not UNSET:
            field_dict["salesStart"] = sales_start
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.price_tier_input import PriceTierInput # noqa: PLC0415
        d = dict(src_dict)
        created_at = d.pop("createdAt", UNSET)

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))


        current_price = d.pop("currentPrice", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        event_id = d.pop("eventId", UNSET)

        id = d.pop("id", UNSET)

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


        def _parse_min_per_order(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_per_order = _parse_min_per_order(d.pop("minPerOrder", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        on_sale = d.pop("onSale", UNSET)

        def _parse_price(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        price = _parse_price(d.pop("price", UNSET))


        def _parse_price_tiers(data: object) -> list[PriceTierInput] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                price_tiers_type_0 = []
                _price_tiers_type_0 = data
                for price_tiers_type_0_item_data in (_price_tiers_type_0):
                    price_tiers_type_0_item = PriceTierInput.from_dict(price_tiers_type_0_item_data)



                    price_tiers_type_0.append(price_tiers_type_0_item)

                return price_tiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PriceTierInput] | None | Unset, data)

        price_tiers = _parse_price_tiers(d.pop("priceTiers", UNSET))


        quantity_available = d.pop("quantityAvailable", UNSET)

        quantity_held = d.pop("quantityHeld", UNSET)

        quantity_sold = d.pop("quantitySold", UNSET)

        def _parse_quantity_total(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        quantity_total = _parse_quantity_total(d.pop("quantityTotal", UNSET))


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


        updated_at = d.pop("updatedAt", UNSET)

        ticket_type_update = cls(
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

        return ticket_type_update


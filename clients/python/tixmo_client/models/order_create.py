from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.order_item_input import OrderItemInput





T = TypeVar("T", bound="OrderCreate")



@_attrs_define
class OrderCreate:
    """ 
        Attributes:
            event_id (UUID):
            items (list[OrderItemInput]):
            promo_code (None | str | Unset):
     """

    event_id: UUID
    items: list[OrderItemInput]
    promo_code: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.order_item_input import OrderItemInput # noqa: PLC0415
        event_id = str(self.event_id)

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        promo_code: None | str | Unset
        if isinstance(self.promo_code, Unset):
            promo_code = UNSET
        else:
            promo_code = self.promo_code


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "eventId": event_id,
            "items": items,
        })
        if promo_code is not UNSET:
            field_dict["promoCode"] = promo_code

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_item_input import OrderItemInput # noqa: PLC0415
        d = dict(src_dict)
        event_id = UUID(d.pop("eventId"))




        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = OrderItemInput.from_dict(items_item_data)



            items.append(items_item)


        def _parse_promo_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        promo_code = _parse_promo_code(d.pop("promoCode", UNSET))


        order_create = cls(
            event_id=event_id,
            items=items,
            promo_code=promo_code,
        )

        return order_create


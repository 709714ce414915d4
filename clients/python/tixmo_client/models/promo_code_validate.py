from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.order_item_input import OrderItemInput





T = TypeVar("T", bound="PromoCodeValidate")



@_attrs_define
class PromoCodeValidate:
    """ 
        Attributes:
            code (str):
            event_id (UUID):
            items (list[OrderItemInput]):
     """

    code: str
    event_id: UUID
    items: list[OrderItemInput]





    def to_dict(self) -> dict[str, Any]:
        from ..models.order_item_input import OrderItemInput # noqa: PLC0415
        code = self.code

        event_id = str(self.event_id)

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "code": code,
            "eventId": event_id,
            "items": items,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_item_input import OrderItemInput # noqa: PLC0415
        d = dict(src_dict)
        code = d.pop("code")

        event_id = UUID(d.pop("eventId"))




        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = OrderItemInput.from_dict(items_item_data)



            items.append(items_item)


        promo_code_validate = cls(
            code=code,
            event_id=event_id,
            items=items,
        )

        return promo_code_validate


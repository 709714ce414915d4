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
  from ..models.seat_read import SeatRead





T = TypeVar("T", bound="OrderItemRead")



@_attrs_define
class OrderItemRead:
    """ 
        Attributes:
            discount (str): This line's share of the order's discount.
            line_total (str): quantity * unitPrice - discount.
            quantity (int):
            ticket_type_id (UUID):
            ticket_type_name (str):
            unit_price (str):
            seats (list[SeatRead] | Unset):
     """

    discount: str
    line_total: str
    quantity: int
    ticket_type_id: UUID
    ticket_type_name: str
    unit_price: str
    seats: list[SeatRead] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.seat_read import SeatRead # noqa: PLC0415
        discount = self.discount

        line_total = self.line_total

        quantity = self.quantity

        ticket_type_id = str(self.ticket_type_id)

        ticket_type_name = self.ticket_type_name

        unit_price = self.unit_price

        seats: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.seats, Unset):
            seats = []
            for seats_item_data in self.seats:
                seats_item = seats_item_data.to_dict()
                seats.append(seats_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "discount": discount,
            "lineTotal": line_total,
            "quantity": quantity,
            "ticketTypeId": ticket_type_id,
            "ticketTypeName": ticket_type_name,
            "unitPrice": unit_price,
        })
        if seats is not UNSET:
            field_dict["seats"] = seats

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.seat_read import SeatRead # noqa: PLC0415
        d = dict(src_dict)
        discount = d.pop("discount")

        line_total = d.pop("lineTotal")

        quantity = d.pop("quantity")

        ticket_type_id = UUID(d.pop("ticketTypeId"))




        ticket_type_name = d.pop("ticketTypeName")

        unit_price = d.pop("unitPrice")

        _seats = d.pop("seats", UNSET)
        seats: list[SeatRead] | Unset = UNSET
        if _seats is not UNSET:
            seats = []
            for seats_item_data in _seats:
                seats_item = SeatRead.from_dict(seats_item_data)



                seats.append(seats_item)


        order_item_read = cls(
            discount=discount,
            line_total=line_total,
            quantity=quantity,
            ticket_type_id=ticket_type_id,
            ticket_type_name=ticket_type_name,
            unit_price=unit_price,
            seats=seats,
        )


        order_item_read.additional_properties = d
        return order_item_read

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="SeatMapRead")



@_attrs_define
class SeatMapRead:
    """ 
        Attributes:
            quantity_total (int): The ticket type's quantityTotal: the number of mapped seats.
            seat_count (int): Seats now mapped to the ticket type.
            ticket_type_id (UUID):
     """

    quantity_total: int
    seat_count: int
    ticket_type_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        quantity_total = self.quantity_total

        seat_count = self.seat_count

        ticket_type_id = str(self.ticket_type_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "quantityTotal": quantity_total,
            "seatCount": seat_count,
            "ticketTypeId": ticket_type_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        quantity_total = d.pop("quantityTotal")

        seat_count = d.pop("seatCount")

        ticket_type_id = UUID(d.pop("ticketTypeId"))




        seat_map_read = cls(
            quantity_total=quantity_total,
            seat_count=seat_count,
            ticket_type_id=ticket_type_id,
        )


        seat_map_read.additional_properties = d
        return seat_map_read

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

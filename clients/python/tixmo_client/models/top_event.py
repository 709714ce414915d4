from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="TopEvent")



@_attrs_define
class TopEvent:
    """ 
        Attributes:
            event_id (UUID):
            name (str):
            orders (int):
            tickets (int):
     """

    event_id: UUID
    name: str
    orders: int
    tickets: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)

        name = self.name

        orders = self.orders

        tickets = self.tickets


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "eventId": event_id,
            "name": name,
            "orders": orders,
            "tickets": tickets,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = UUID(d.pop("eventId"))




        name = d.pop("name")

        orders = d.pop("orders")

        tickets = d.pop("tickets")

        top_event = cls(
            event_id=event_id,
            name=name,
            orders=orders,
            tickets=tickets,
        )


        top_event.additional_properties = d
        return top_event

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

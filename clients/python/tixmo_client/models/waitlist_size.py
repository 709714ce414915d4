from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="WaitlistSize")



@_attrs_define
class WaitlistSize:
    """ 
        Attributes:
            offered (int): Entries holding an offer.
            offered_tickets (int):
            waiting (int): Entries WAITING for tickets.
            waiting_tickets (int):
     """

    offered: int
    offered_tickets: int
    waiting: int
    waiting_tickets: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        offered = self.offered

        offered_tickets = self.offered_tickets

        waiting = self.waiting

        waiting_tickets = self.waiting_tickets


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "offered": offered,
            "offeredTickets": offered_tickets,
            "waiting": waiting,
            "waitingTickets": waiting_tickets,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        offered = d.pop("offered")

        offered_tickets = d.pop("offeredTickets")

        waiting = d.pop("waiting")

        waiting_tickets = d.pop("waitingTickets")

        waitlist_size = cls(
            offered=offered,
            offered_tickets=offered_tickets,
            waiting=waiting,
            waiting_tickets=waiting_tickets,
        )


        waitlist_size.additional_properties = d
        return waitlist_size

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

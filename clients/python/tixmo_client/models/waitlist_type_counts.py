from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="WaitlistTypeCounts")



@_attrs_define
class WaitlistTypeCounts:
    """ 
        Attributes:
            offered (int):
            offered_tickets (int):
            pool (int): Tickets kept back for the waitlist, not offered yet.
            ticket_type_id (None | UUID): null: entries for any ticket type still waiting.
            waiting (int):
            waiting_tickets (int):
     """

    offered: int
    offered_tickets: int
    pool: int
    ticket_type_id: None | UUID
    waiting: int
    waiting_tickets: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        offered = self.offered

        offered_tickets = self.offered_tickets

        pool = self.pool

        ticket_type_id: None | str
        if isinstance(self.ticket_type_id, UUID):
            ticket_type_id = str(self.ticket_type_id)
        else:
            ticket_type_id = self.ticket_type_id

        waiting = self.waiting

        waiting_tickets = self.waiting_tickets


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "offered": offered,
            "offeredTickets": offered_tickets,
            "pool": pool,
            "ticketTypeId": ticket_type_id,
            "waiting": waiting,
            "waitingTickets": waiting_tickets,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        offered = d.pop("offered")

        offered_tickets = d.pop("offeredTickets")

        pool = d.pop("pool")

        def _parse_ticket_type_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ticket_type_id_type_0 = UUID(data)



                return ticket_type_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        ticket_type_id = _parse_ticket_type_id(d.pop("ticketTypeId"))


        waiting = d.pop("waiting")

        waiting_tickets = d.pop("waitingTickets")

        waitlist_type_counts = cls(
            offered=offered,
            offered_tickets=offered_tickets,
            pool=pool,
            ticket_type_id=ticket_type_id,
            waiting=waiting,
            waiting_tickets=waiting_tickets,
        )


        waitlist_type_counts.additional_properties = d
        return waitlist_type_counts

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

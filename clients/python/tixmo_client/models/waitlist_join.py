from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="WaitlistJoin")



@_attrs_define
class WaitlistJoin:
    """ 
        Attributes:
            quantity (int): Tickets wanted together (1..the ticket type's maxPerOrder); offered all at once.
            ticket_type_id (None | Unset | UUID): The ticket type to wait for; omitted: any ticket type of the event.
     """

    quantity: int
    ticket_type_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        quantity = self.quantity

        ticket_type_id: None | str | Unset
        if isinstance(self.ticket_type_id, Unset):
            ticket_type_id = UNSET
        elif isinstance(self.ticket_type_id, UUID):
            ticket_type_id = str(self.ticket_type_id)
        else:
            ticket_type_id = self.ticket_type_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "quantity": quantity,
        })
        if ticket_type_id is not UNSET:
            field_dict["ticketTypeId"] = ticket_type_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        quantity = d.pop("quantity")

        def _parse_ticket_type_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ticket_type_id_type_0 = UUID(data)



                return ticket_type_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        ticket_type_id = _parse_ticket_type_id(d.pop("ticketTypeId", UNSET))


        waitlist_join = cls(
            quantity=quantity,
            ticket_type_id=ticket_type_id,
        )

        return waitlist_join


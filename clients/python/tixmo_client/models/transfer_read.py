from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="TransferRead")



@_attrs_define
class TransferRead:
    """ 
        Attributes:
            event_id (UUID):
            from_user_id (UUID):
            id (UUID):
            ticket_id (UUID):
            to_email (str):
            to_user_id (UUID):
            transferred_at (datetime.datetime):
     """

    event_id: UUID
    from_user_id: UUID
    id: UUID
    ticket_id: UUID
    to_email: str
    to_user_id: UUID
    transferred_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)

        from_user_id = str(self.from_user_id)

        id = str(self.id)

        ticket_id = str(self.ticket_id)

        to_email = self.to_email

        to_user_id = str(self.to_user_id)

        transferred_at = self.transferred_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "eventId": event_id,
            "fromUserId": from_user_id,
            "id": id,
            "ticketId": ticket_id,
            "toEmail": to_email,
            "toUserId": to_user_id,
            "transferredAt": transferred_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = UUID(d.pop("eventId"))




        from_user_id = UUID(d.pop("fromUserId"))




        id = UUID(d.pop("id"))




        ticket_id = UUID(d.pop("ticketId"))




        to_email = d.pop("toEmail")

        to_user_id = UUID(d.pop("toUserId"))




        transferred_at = datetime.datetime.fromisoformat(d.pop("transferredAt"))




        transfer_read = cls(
            event_id=event_id,
            from_user_id=from_user_id,
            id=id,
            ticket_id=ticket_id,
            to_email=to_email,
            to_user_id=to_user_id,
            transferred_at=transferred_at,
        )


        transfer_read.additional_properties = d
        return transfer_read

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

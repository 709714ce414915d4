from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="TicketQrRead")



@_attrs_define
class TicketQrRead:
    """ 
        Attributes:
            qr_code (str): data:image/png;base64,… (about 300 px, error correction H).
            qr_data (str): The signed code the QR holds; see docs/ticket-codes.md.
            ticket_id (UUID):
     """

    qr_code: str
    qr_data: str
    ticket_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        qr_code = self.qr_code

        qr_data = self.qr_data

        ticket_id = str(self.ticket_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "qrCode": qr_code,
            "qrData": qr_data,
            "ticketId": ticket_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        qr_code = d.pop("qrCode")

        qr_data = d.pop("qrData")

        ticket_id = UUID(d.pop("ticketId"))




        ticket_qr_read = cls(
            qr_code=qr_code,
            qr_data=qr_data,
            ticket_id=ticket_id,
        )


        ticket_qr_read.additional_properties = d
        return ticket_qr_read

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="BundleTicket")



@_attrs_define
class BundleTicket:
    """ 
        Attributes:
            barcode_hash (str):
            inside (bool):
            status (str):
            ticket_id (UUID):
            ticket_type_id (UUID):
     """

    barcode_hash: str
    inside: bool
    status: str
    ticket_id: UUID
    ticket_type_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        barcode_hash = self.barcode_hash

        inside = self.inside

        status = self.status

        ticket_id = str(self.ticket_id)

        ticket_type_id = str(self.ticket_type_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "barcodeHash": barcode_hash,
            "inside": inside,
            "status": status,
            "ticketId": ticket_id,
            "ticketTypeId": ticket_type_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        barcode_hash = d.pop("barcodeHash")

        inside = d.pop("inside")

        status = d.pop("status")

        ticket_id = UUID(d.pop("ticketId"))




        ticket_type_id = UUID(d.pop("ticketTypeId"))




        bundle_ticket = cls(
            barcode_hash=barcode_hash,
            inside=inside,
            status=status,
            ticket_id=ticket_id,
            ticket_type_id=ticket_type_id,
        )


        bundle_ticket.additional_properties = d
        return bundle_ticket

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

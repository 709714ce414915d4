from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.seat_status import SeatStatus






T = TypeVar("T", bound="SeatStatusRead")



@_attrs_define
class SeatStatusRead:
    """ 
        Attributes:
            row (str):
            seat (str):
            section (str):
            status (SeatStatus):
     """

    row: str
    seat: str
    section: str
    status: SeatStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        row = self.row

        seat = self.seat

        section = self.section

        status = self.status.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "row": row,
            "seat": seat,
            "section": section,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        row = d.pop("row")

        seat = d.pop("seat")

        section = d.pop("section")

        status = SeatStatus(d.pop("status"))




        seat_status_read = cls(
            row=row,
            seat=seat,
            section=section,
            status=status,
        )


        seat_status_read.additional_properties = d
        return seat_status_read

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

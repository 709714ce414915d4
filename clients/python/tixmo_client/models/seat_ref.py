from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="SeatRef")



@_attrs_define
class SeatRef:
    """ A seat of the venue's seating chart, by its labels.

        Attributes:
            row (str):
            seat (str):
            section (str):
     """

    row: str
    seat: str
    section: str





    def to_dict(self) -> dict[str, Any]:
        row = self.row

        seat = self.seat

        section = self.section


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "row": row,
            "seat": seat,
            "section": section,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        row = d.pop("row")

        seat = d.pop("seat")

        section = d.pop("section")

        seat_ref = cls(
            row=row,
            seat=seat,
            section=section,
        )

        return seat_ref


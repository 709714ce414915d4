from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="SeatingRow")



@_attrs_define
class SeatingRow:
    """ 
        Attributes:
            name (str):
            seats (list[str]):
     """

    name: str
    seats: list[str]





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        seats = self.seats




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "seats": seats,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        seats = cast(list[str], d.pop("seats"))


        seating_row = cls(
            name=name,
            seats=seats,
        )

        return seating_row


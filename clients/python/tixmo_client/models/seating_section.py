from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.seating_row import SeatingRow





T = TypeVar("T", bound="SeatingSection")



@_attrs_define
class SeatingSection:
    """ 
        Attributes:
            name (str):
            rows (list[SeatingRow]):
     """

    name: str
    rows: list[SeatingRow]





    def to_dict(self) -> dict[str, Any]:
        from ..models.seating_row import SeatingRow # noqa: PLC0415
        name = self.name

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "rows": rows,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.seating_row import SeatingRow # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in (_rows):
            rows_item = SeatingRow.from_dict(rows_item_data)



            rows.append(rows_item)


        seating_section = cls(
            name=name,
            rows=rows,
        )

        return seating_section


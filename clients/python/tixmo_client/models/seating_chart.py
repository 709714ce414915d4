from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.seating_section import SeatingSection





T = TypeVar("T", bound="SeatingChart")



@_attrs_define
class SeatingChart:
    """ 
        Attributes:
            sections (list[SeatingSection]):
     """

    sections: list[SeatingSection]





    def to_dict(self) -> dict[str, Any]:
        from ..models.seating_section import SeatingSection # noqa: PLC0415
        sections = []
        for sections_item_data in self.sections:
            sections_item = sections_item_data.to_dict()
            sections.append(sections_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "sections": sections,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.seating_section import SeatingSection # noqa: PLC0415
        d = dict(src_dict)
        sections = []
        _sections = d.pop("sections")
        for sections_item_data in (_sections):
            sections_item = SeatingSection.from_dict(sections_item_data)



            sections.append(sections_item)


        seating_chart = cls(
            sections=sections,
        )

        return seating_chart


from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.seat_ref import SeatRef





T = TypeVar("T", bound="SeatMapUpdate")



@_attrs_define
class SeatMapUpdate:
    """ The ticket type's seat map becomes exactly this set: give ``seats`` or ``sections``, not both.

        Attributes:
            seats (list[SeatRef] | None | Unset): The seats, by section, row and seat label (at most 10000).
            sections (list[str] | None | Unset): Whole sections of the venue's seating chart: every seat in them.
     """

    seats: list[SeatRef] | None | Unset = UNSET
    sections: list[str] | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.seat_ref import SeatRef # noqa: PLC0415
        seats: list[dict[str, Any]] | None | Unset
        if isinstance(self.seats, Unset):
            seats = UNSET
        elif isinstance(self.seats, list):
            seats = []
            for seats_type_0_item_data in self.seats:
                seats_type_0_item = seats_type_0_item_data.to_dict()
                seats.append(seats_type_0_item)


        else:
            seats = self.seats

        sections: list[str] | None | Unset
        if isinstance(self.sections, Unset):
            sections = UNSET
        elif isinstance(self.sections, list):
            sections = self.sections


        else:
            sections = self.sections


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if seats is not UNSET:
            field_dict["seats"] = seats
        if sections is not UNSET:
            field_dict["sections"] = sections

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.seat_ref import SeatRef # noqa: PLC0415
        d = dict(src_dict)
        def _parse_seats(data: object) -> list[SeatRef] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                seats_type_0 = []
                _seats_type_0 = data
                for seats_type_0_item_data in (_seats_type_0):
                    seats_type_0_item = SeatRef.from_dict(seats_type_0_item_data)



                    seats_type_0.append(seats_type_0_item)

                return seats_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[SeatRef] | None | Unset, data)

        seats = _parse_seats(d.pop("seats", UNSET))


        def _parse_sections(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                sections_type_0 = cast(list[str], data)

                return sections_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        sections = _parse_sections(d.pop("sections", UNSET))


        seat_map_update = cls(
            seats=seats,
            sections=sections,
        )

        return seat_map_update


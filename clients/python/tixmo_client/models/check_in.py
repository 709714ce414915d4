from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="CheckIn")



@_attrs_define
class CheckIn:
    """ 
        Attributes:
            checked_in (int): Tickets used (scanned in or checked in by staff).
            no_shows (int | None): VALID tickets once the event has ended; null before.
            not_checked_in (int): VALID tickets not used yet.
            rate (float | None): checkedIn / (checkedIn + notCheckedIn).
     """

    checked_in: int
    no_shows: int | None
    not_checked_in: int
    rate: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        checked_in = self.checked_in

        no_shows: int | None
        no_shows = self.no_shows

        not_checked_in = self.not_checked_in

        rate: float | None
        rate = self.rate


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "checkedIn": checked_in,
            "noShows": no_shows,
            "notCheckedIn": not_checked_in,
            "rate": rate,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        checked_in = d.pop("checkedIn")

        def _parse_no_shows(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        no_shows = _parse_no_shows(d.pop("noShows"))


        not_checked_in = d.pop("notCheckedIn")

        def _parse_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        rate = _parse_rate(d.pop("rate"))


        check_in = cls(
            checked_in=checked_in,
            no_shows=no_shows,
            not_checked_in=not_checked_in,
            rate=rate,
        )


        check_in.additional_properties = d
        return check_in

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="PeakHour")



@_attrs_define
class PeakHour:
    """ 
        Attributes:
            entries (int):
            hour (datetime.datetime): Start of the hour (UTC).
            hour_local (str): The same in the event's time zone (or `tz`), ISO 8601 with offset.
     """

    entries: int
    hour: datetime.datetime
    hour_local: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        entries = self.entries

        hour = self.hour.isoformat()

        hour_local = self.hour_local


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "entries": entries,
            "hour": hour,
            "hourLocal": hour_local,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entries = d.pop("entries")

        hour = datetime.datetime.fromisoformat(d.pop("hour"))




        hour_local = d.pop("hourLocal")

        peak_hour = cls(
            entries=entries,
            hour=hour,
            hour_local=hour_local,
        )


        peak_hour.additional_properties = d
        return peak_hour

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

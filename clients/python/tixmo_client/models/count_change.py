from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="CountChange")



@_attrs_define
class CountChange:
    """ 
        Attributes:
            change_percent (float | None):
            current (int):
            metric (str):
            previous (int):
     """

    change_percent: float | None
    current: int
    metric: str
    previous: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        change_percent: float | None
        change_percent = self.change_percent

        current = self.current

        metric = self.metric

        previous = self.previous


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "changePercent": change_percent,
            "current": current,
            "metric": metric,
            "previous": previous,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_change_percent(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        change_percent = _parse_change_percent(d.pop("changePercent"))


        current = d.pop("current")

        metric = d.pop("metric")

        previous = d.pop("previous")

        count_change = cls(
            change_percent=change_percent,
            current=current,
            metric=metric,
            previous=previous,
        )


        count_change.additional_properties = d
        return count_change

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

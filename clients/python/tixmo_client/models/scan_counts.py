from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ScanCounts")



@_attrs_define
class ScanCounts:
    """ 
        Attributes:
            rejected (int):
            success_rate (float | None):
            total (int):
            valid (int):
     """

    rejected: int
    success_rate: float | None
    total: int
    valid: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        rejected = self.rejected

        success_rate: float | None
        success_rate = self.success_rate

        total = self.total

        valid = self.valid


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "rejected": rejected,
            "successRate": success_rate,
            "total": total,
            "valid": valid,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rejected = d.pop("rejected")

        def _parse_success_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        success_rate = _parse_success_rate(d.pop("successRate"))


        total = d.pop("total")

        valid = d.pop("valid")

        scan_counts = cls(
            rejected=rejected,
            success_rate=success_rate,
            total=total,
            valid=valid,
        )


        scan_counts.additional_properties = d
        return scan_counts

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

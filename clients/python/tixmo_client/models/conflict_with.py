from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ConflictWith")



@_attrs_define
class ConflictWith:
    """ 
        Attributes:
            scan_id (int):
            scanned_at (datetime.datetime):
            scanner_id (None | UUID):
     """

    scan_id: int
    scanned_at: datetime.datetime
    scanner_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        scan_id = self.scan_id

        scanned_at = self.scanned_at.isoformat()

        scanner_id: None | str
        if isinstance(self.scanner_id, UUID):
            scanner_id = str(self.scanner_id)
        else:
            scanner_id = self.scanner_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "scanId": scan_id,
            "scannedAt": scanned_at,
            "scannerId": scanner_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scan_id = d.pop("scanId")

        scanned_at = datetime.datetime.fromisoformat(d.pop("scannedAt"))




        def _parse_scanner_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scanner_id_type_0 = UUID(data)



                return scanner_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        scanner_id = _parse_scanner_id(d.pop("scannerId"))


        conflict_with = cls(
            scan_id=scan_id,
            scanned_at=scanned_at,
            scanner_id=scanner_id,
        )


        conflict_with.additional_properties = d
        return conflict_with

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

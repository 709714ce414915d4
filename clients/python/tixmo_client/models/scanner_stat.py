from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ScannerStat")



@_attrs_define
class ScannerStat:
    """ 
        Attributes:
            last_seen_at (datetime.datetime | None):
            name (str):
            online (bool):
            rejected (int):
            scanner_id (UUID):
            scans (int):
            valid (int):
     """

    last_seen_at: datetime.datetime | None
    name: str
    online: bool
    rejected: int
    scanner_id: UUID
    scans: int
    valid: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        last_seen_at: None | str
        if isinstance(self.last_seen_at, datetime.datetime):
            last_seen_at = self.last_seen_at.isoformat()
        else:
            last_seen_at = self.last_seen_at

        name = self.name

        online = self.online

        rejected = self.rejected

        scanner_id = str(self.scanner_id)

        scans = self.scans

        valid = self.valid


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "lastSeenAt": last_seen_at,
            "name": name,
            "online": online,
            "rejected": rejected,
            "scannerId": scanner_id,
            "scans": scans,
            "valid": valid,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_last_seen_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_seen_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_seen_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_seen_at = _parse_last_seen_at(d.pop("lastSeenAt"))


        name = d.pop("name")

        online = d.pop("online")

        rejected = d.pop("rejected")

        scanner_id = UUID(d.pop("scannerId"))




        scans = d.pop("scans")

        valid = d.pop("valid")

        scanner_stat = cls(
            last_seen_at=last_seen_at,
            name=name,
            online=online,
            rejected=rejected,
            scanner_id=scanner_id,
            scans=scans,
            valid=valid,
        )


        scanner_stat.additional_properties = d
        return scanner_stat

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.offline_scan import OfflineScan





T = TypeVar("T", bound="SyncUpload")



@_attrs_define
class SyncUpload:
    """ 
        Attributes:
            scans (list[OfflineScan]):
     """

    scans: list[OfflineScan]





    def to_dict(self) -> dict[str, Any]:
        from ..models.offline_scan import OfflineScan # noqa: PLC0415
        scans = []
        for scans_item_data in self.scans:
            scans_item = scans_item_data.to_dict()
            scans.append(scans_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "scans": scans,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.offline_scan import OfflineScan # noqa: PLC0415
        d = dict(src_dict)
        scans = []
        _scans = d.pop("scans")
        for scans_item_data in (_scans):
            scans_item = OfflineScan.from_dict(scans_item_data)



            scans.append(scans_item)


        sync_upload = cls(
            scans=scans,
        )

        return sync_upload


from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.direction import Direction
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="OfflineScan")



@_attrs_define
class OfflineScan:
    """ 
        Attributes:
            client_scan_id (str):
            direction (Direction):
            scanned_at (datetime.datetime): ISO 8601 with an offset, e.g. 2026-05-01T19:30:00Z.
            barcode (None | str | Unset):
            qr_data (None | str | Unset):
     """

    client_scan_id: str
    direction: Direction
    scanned_at: datetime.datetime
    barcode: None | str | Unset = UNSET
    qr_data: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        client_scan_id = self.client_scan_id

        direction = self.direction.value

        scanned_at = self.scanned_at.isoformat()

        barcode: None | str | Unset
        if isinstance(self.barcode, Unset):
            barcode = UNSET
        else:
            barcode = self.barcode

        qr_data: None | str | Unset
        if isinstance(self.qr_data, Unset):
            qr_data = UNSET
        else:
            qr_data = self.qr_data


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "clientScanId": client_scan_id,
            "direction": direction,
            "scannedAt": scanned_at,
        })
        if barcode is not UNSET:
            field_dict["barcode"] = barcode
        if qr_data is not UNSET:
            field_dict["qrData"] = qr_data

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_scan_id = d.pop("clientScanId")

        direction = Direction(d.pop("direction"))




        scanned_at = datetime.datetime.fromisoformat(d.pop("scannedAt"))




        def _parse_barcode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        barcode = _parse_barcode(d.pop("barcode", UNSET))


        def _parse_qr_data(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        qr_data = _parse_qr_data(d.pop("qrData", UNSET))


        offline_scan = cls(
            client_scan_id=client_scan_id,
            direction=direction,
            scanned_at=scanned_at,
            barcode=barcode,
            qr_data=qr_data,
        )

        return offline_scan


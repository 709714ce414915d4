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






T = TypeVar("T", bound="ScanRequest")



@_attrs_define
class ScanRequest:
    """ 
        Attributes:
            direction (Direction):
            barcode (None | str | Unset):
            client_scan_id (None | str | Unset): Makes a retried scan idempotent: the same id replays the first answer.
            qr_data (None | str | Unset):
            scanned_at (datetime.datetime | None | Unset): The device's clock when it read the code. Stored and answered as
                `clientScannedAt` (answer and log); an online scan is still judged and ordered at the moment the server receives
                it (`scannedAt` of the answer).
     """

    direction: Direction
    barcode: None | str | Unset = UNSET
    client_scan_id: None | str | Unset = UNSET
    qr_data: None | str | Unset = UNSET
    scanned_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        direction = self.direction.value

        barcode: None | str | Unset
        if isinstance(self.barcode, Unset):
            barcode = UNSET
        else:
            barcode = self.barcode

        client_scan_id: None | str | Unset
        if isinstance(self.client_scan_id, Unset):
            client_scan_id = UNSET
        else:
            client_scan_id = self.client_scan_id

        qr_data: None | str | Unset
        if isinstance(self.qr_data, Unset):
            qr_data = UNSET
        else:
            qr_data = self.qr_data

        scanned_at: None | str | Unset
        if isinstance(self.scanned_at, Unset):
            scanned_at = UNSET
        elif isinstance(self.scanned_at, datetime.datetime):
            scanned_at = self.scanned_at.isoformat()
        else:
            scanned_at = self.scanned_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "direction": direction,
        })
        if barcode is not UNSET:
            field_dict["barcode"] = barcode
        if client_scan_id is not UNSET:
            field_dict["clientScanId"] = client_scan_id
        if qr_data is not UNSET:
            field_dict["qrData"] = qr_data
        if scanned_at is not UNSET:
            field_dict["scannedAt"] = scanned_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        direction = Direction(d.pop("direction"))




        def _parse_barcode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        barcode = _parse_barcode(d.pop("barcode", UNSET))


        def _parse_client_scan_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_scan_id = _parse_client_scan_id(d.pop("clientScanId", UNSET))


        def _parse_qr_data(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        qr_data = _parse_qr_data(d.pop("qrData", UNSET))


        def _parse_scanned_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scanned_at_type_0 = datetime.datetime.fromisoformat(data)



                return scanned_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        scanned_at = _parse_scanned_at(d.pop("scannedAt", UNSET))


        scan_request = cls(
            direction=direction,
            barcode=barcode,
            client_scan_id=client_scan_id,
            qr_data=qr_data,
            scanned_at=scanned_at,
        )

        return scan_request


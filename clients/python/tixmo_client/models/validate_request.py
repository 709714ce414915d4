from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="ValidateRequest")



@_attrs_define
class ValidateRequest:
    """ Give ``barcode`` or ``qrData`` (exactly one); ``eventId`` checks the ticket is for that event.

        Attributes:
            barcode (None | str | Unset):
            event_id (None | Unset | UUID):
            qr_data (None | str | Unset):
     """

    barcode: None | str | Unset = UNSET
    event_id: None | Unset | UUID = UNSET
    qr_data: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        barcode: None | str | Unset
        if isinstance(self.barcode, Unset):
            barcode = UNSET
        else:
            barcode = self.barcode

        event_id: None | str | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        elif isinstance(self.event_id, UUID):
            event_id = str(self.event_id)
        else:
            event_id = self.event_id

        qr_data: None | str | Unset
        if isinstance(self.qr_data, Unset):
            qr_data = UNSET
        else:
            qr_data = self.qr_data


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if barcode is not UNSET:
            field_dict["barcode"] = barcode
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if qr_data is not UNSET:
            field_dict["qrData"] = qr_data

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_barcode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        barcode = _parse_barcode(d.pop("barcode", UNSET))


        def _parse_event_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                event_id_type_0 = UUID(data)



                return event_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        event_id = _parse_event_id(d.pop("eventId", UNSET))


        def _parse_qr_data(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        qr_data = _parse_qr_data(d.pop("qrData", UNSET))


        validate_request = cls(
            barcode=barcode,
            event_id=event_id,
            qr_data=qr_data,
        )

        return validate_request


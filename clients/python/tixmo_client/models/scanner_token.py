from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ScannerToken")



@_attrs_define
class ScannerToken:
    """ 
        Attributes:
            event_id (UUID):
            expires_at (datetime.datetime):
            scanner_id (UUID):
            token (str):
     """

    event_id: UUID
    expires_at: datetime.datetime
    scanner_id: UUID
    token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)

        expires_at = self.expires_at.isoformat()

        scanner_id = str(self.scanner_id)

        token = self.token


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "eventId": event_id,
            "expiresAt": expires_at,
            "scannerId": scanner_id,
            "token": token,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = UUID(d.pop("eventId"))




        expires_at = datetime.datetime.fromisoformat(d.pop("expiresAt"))




        scanner_id = UUID(d.pop("scannerId"))




        token = d.pop("token")

        scanner_token = cls(
            event_id=event_id,
            expires_at=expires_at,
            scanner_id=scanner_id,
            token=token,
        )


        scanner_token.additional_properties = d
        return scanner_token

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

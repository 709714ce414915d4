from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.signing_key_status import SigningKeyStatus
from typing import cast
import datetime






T = TypeVar("T", bound="SigningKeyRead")



@_attrs_define
class SigningKeyRead:
    """ 
        Attributes:
            algorithm (str): Always "Ed25519".
            created_at (datetime.datetime):
            key_id (str):
            public_key (str): Base64 of the raw 32-byte public key.
            retired_at (datetime.datetime | None):
            rotated_at (datetime.datetime | None):
            status (SigningKeyStatus):
     """

    algorithm: str
    created_at: datetime.datetime
    key_id: str
    public_key: str
    retired_at: datetime.datetime | None
    rotated_at: datetime.datetime | None
    status: SigningKeyStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        algorithm = self.algorithm

        created_at = self.created_at.isoformat()

        key_id = self.key_id

        public_key = self.public_key

        retired_at: None | str
        if isinstance(self.retired_at, datetime.datetime):
            retired_at = self.retired_at.isoformat()
        else:
            retired_at = self.retired_at

        rotated_at: None | str
        if isinstance(self.rotated_at, datetime.datetime):
            rotated_at = self.rotated_at.isoformat()
        else:
            rotated_at = self.rotated_at

        status = self.status.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "algorithm": algorithm,
            "createdAt": created_at,
            "keyId": key_id,
            "publicKey": public_key,
            "retiredAt": retired_at,
            "rotatedAt": rotated_at,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        algorithm = d.pop("algorithm")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        key_id = d.pop("keyId")

        public_key = d.pop("publicKey")

        def _parse_retired_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                retired_at_type_0 = datetime.datetime.fromisoformat(data)



                return retired_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        retired_at = _parse_retired_at(d.pop("retiredAt"))


        def _parse_rotated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rotated_at_type_0 = datetime.datetime.fromisoformat(data)



                return rotated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        rotated_at = _parse_rotated_at(d.pop("rotatedAt"))


        status = SigningKeyStatus(d.pop("status"))




        signing_key_read = cls(
            algorithm=algorithm,
            created_at=created_at,
            key_id=key_id,
            public_key=public_key,
            retired_at=retired_at,
            rotated_at=rotated_at,
            status=status,
        )


        signing_key_read.additional_properties = d
        return signing_key_read

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

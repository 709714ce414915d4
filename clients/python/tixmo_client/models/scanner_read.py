from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ScannerRead")



@_attrs_define
class ScannerRead:
    """ 
        Attributes:
            api_key_prefix (str): The key's first characters, to tell devices apart.
            created_at (datetime.datetime):
            enabled (bool):
            event_id (UUID):
            id (UUID):
            last_seen_at (datetime.datetime | None):
            name (str):
            organization_id (UUID):
            updated_at (datetime.datetime):
     """

    api_key_prefix: str
    created_at: datetime.datetime
    enabled: bool
    event_id: UUID
    id: UUID
    last_seen_at: datetime.datetime | None
    name: str
    organization_id: UUID
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        api_key_prefix = self.api_key_prefix

        created_at = self.created_at.isoformat()

        enabled = self.enabled

        event_id = str(self.event_id)

        id = str(self.id)

        last_seen_at: None | str
        if isinstance(self.last_seen_at, datetime.datetime):
            last_seen_at = self.last_seen_at.isoformat()
        else:
            last_seen_at = self.last_seen_at

        name = self.name

        organization_id = str(self.organization_id)

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "apiKeyPrefix": api_key_prefix,
            "createdAt": created_at,
            "enabled": enabled,
            "eventId": event_id,
            "id": id,
            "lastSeenAt": last_seen_at,
            "name": name,
            "organizationId": organization_id,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        api_key_prefix = d.pop("apiKeyPrefix")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        enabled = d.pop("enabled")

        event_id = UUID(d.pop("eventId"))




        id = UUID(d.pop("id"))




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

        organization_id = UUID(d.pop("organizationId"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        scanner_read = cls(
            api_key_prefix=api_key_prefix,
            created_at=created_at,
            enabled=enabled,
            event_id=event_id,
            id=id,
            last_seen_at=last_seen_at,
            name=name,
            organization_id=organization_id,
            updated_at=updated_at,
        )


        scanner_read.additional_properties = d
        return scanner_read

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ScannerUpdate")



@_attrs_define
class ScannerUpdate:
    """ 
        Attributes:
            api_key_prefix (Any | Unset): Read-only: send the value last read, or leave it out.
            created_at (Any | Unset): Read-only: send the value last read, or leave it out.
            enabled (bool | None | Unset):
            event_id (Any | Unset): Read-only: send the value last read, or leave it out.
            id (Any | Unset): Read-only: send the value last read, or leave it out.
            last_seen_at (Any | Unset): Read-only: send the value last read, or leave it out.
            name (None | str | Unset):
            organization_id (Any | Unset): Read-only: send the value last read, or leave it out.
            updated_at (Any | Unset): Read-only: send the value last read, or leave it out.
     """

    api_key_prefix: Any | Unset = UNSET
    created_at: Any | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    event_id: Any | Unset = UNSET
    id: Any | Unset = UNSET
    last_seen_at: Any | Unset = UNSET
    name: None | str | Unset = UNSET
    organization_id: Any | Unset = UNSET
    updated_at: Any | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        api_key_prefix = self.api_key_prefix

        created_at = self.created_at

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        event_id = self.event_id

        id = self.id

        last_seen_at = self.last_seen_at

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        organization_id = self.organization_id

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if api_key_prefix is not UNSET:
            field_dict["apiKeyPrefix"] = api_key_prefix
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if id is not UNSET:
            field_dict["id"] = id
        if last_seen_at is not UNSET:
            field_dict["lastSeenAt"] = last_seen_at
        if name is not UNSET:
            field_dict["name"] = name
        if organization_id is not UNSET:
            field_dict["organizationId"] = organization_id
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        api_key_prefix = d.pop("apiKeyPrefix", UNSET)

        created_at = d.pop("createdAt", UNSET)

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))


        event_id = d.pop("eventId", UNSET)

        id = d.pop("id", UNSET)

        last_seen_at = d.pop("lastSeenAt", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        organization_id = d.pop("organizationId", UNSET)

        updated_at = d.pop("updatedAt", UNSET)

        scanner_update = cls(
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

        return scanner_update


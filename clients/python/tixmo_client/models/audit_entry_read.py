from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.audit_entry_read_after_type_0 import AuditEntryReadAfterType0
  from ..models.audit_entry_read_before_type_0 import AuditEntryReadBeforeType0





T = TypeVar("T", bound="AuditEntryRead")



@_attrs_define
class AuditEntryRead:
    """ 
        Attributes:
            action (str):
            actor_id (None | UUID):
            actor_type (str):
            after (AuditEntryReadAfterType0 | None):
            before (AuditEntryReadBeforeType0 | None):
            created_at (datetime.datetime):
            entity_id (None | UUID):
            entity_type (str):
            id (UUID):
            request_id (None | str):
     """

    action: str
    actor_id: None | UUID
    actor_type: str
    after: AuditEntryReadAfterType0 | None
    before: AuditEntryReadBeforeType0 | None
    created_at: datetime.datetime
    entity_id: None | UUID
    entity_type: str
    id: UUID
    request_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_entry_read_after_type_0 import AuditEntryReadAfterType0 # noqa: PLC0415
        from ..models.audit_entry_read_before_type_0 import AuditEntryReadBeforeType0 # noqa: PLC0415
        action = self.action

        actor_id: None | str
        if isinstance(self.actor_id, UUID):
            actor_id = str(self.actor_id)
        else:
            actor_id = self.actor_id

        actor_type = self.actor_type

        after: dict[str, Any] | None
        if isinstance(self.after, AuditEntryReadAfterType0):
            after = self.after.to_dict()
        else:
            after = self.after

        before: dict[str, Any] | None
        if isinstance(self.before, AuditEntryReadBeforeType0):
            before = self.before.to_dict()
        else:
            before = self.before

        created_at = self.created_at.isoformat()

        entity_id: None | str
        if isinstance(self.entity_id, UUID):
            entity_id = str(self.entity_id)
        else:
            entity_id = self.entity_id

        entity_type = self.entity_type

        id = str(self.id)

        request_id: None | str
        request_id = self.request_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "action": action,
            "actorId": actor_id,
            "actorType": actor_type,
            "after": after,
            "before": before,
            "createdAt": created_at,
            "entityId": entity_id,
            "entityType": entity_type,
            "id": id,
            "requestId": request_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_entry_read_after_type_0 import AuditEntryReadAfterType0 # noqa: PLC0415
        from ..models.audit_entry_read_before_type_0 import AuditEntryReadBeforeType0 # noqa: PLC0415
        d = dict(src_dict)
        action = d.pop("action")

        def _parse_actor_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                actor_id_type_0 = UUID(data)



                return actor_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        actor_id = _parse_actor_id(d.pop("actorId"))


        actor_type = d.pop("actorType")

        def _parse_after(data: object) -> AuditEntryReadAfterType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                after_type_0 = AuditEntryReadAfterType0.from_dict(data)



                return after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditEntryReadAfterType0 | None, data)

        after = _parse_after(d.pop("after"))


        def _parse_before(data: object) -> AuditEntryReadBeforeType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                before_type_0 = AuditEntryReadBeforeType0.from_dict(data)



                return before_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditEntryReadBeforeType0 | None, data)

        before = _parse_before(d.pop("before"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        def _parse_entity_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                entity_id_type_0 = UUID(data)



                return entity_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        entity_id = _parse_entity_id(d.pop("entityId"))


        entity_type = d.pop("entityType")

        id = UUID(d.pop("id"))




        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("requestId"))


        audit_entry_read = cls(
            action=action,
            actor_id=actor_id,
            actor_type=actor_type,
            after=after,
            before=before,
            created_at=created_at,
            entity_id=entity_id,
            entity_type=entity_type,
            id=id,
            request_id=request_id,
        )


        audit_entry_read.additional_properties = d
        return audit_entry_read

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.queue_status import QueueStatus
from typing import cast






T = TypeVar("T", bound="QueueJoinRead")



@_attrs_define
class QueueJoinRead:
    """ 
        Attributes:
            position (int | None): 1-based; null until the early arrivals are drawn at opensAt.
            status (QueueStatus):
            token (str): Your place in the room: poll GET /events/{id}/queue/{token}.
     """

    position: int | None
    status: QueueStatus
    token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        position: int | None
        position = self.position

        status = self.status.value

        token = self.token


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "position": position,
            "status": status,
            "token": token,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_position(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        position = _parse_position(d.pop("position"))


        status = QueueStatus(d.pop("status"))




        token = d.pop("token")

        queue_join_read = cls(
            position=position,
            status=status,
            token=token,
        )


        queue_join_read.additional_properties = d
        return queue_join_read

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.queue_status import QueueStatus
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="QueueStatusRead")



@_attrs_define
class QueueStatusRead:
    """ 
        Attributes:
            ahead (int | None): People in front of you who are not admitted yet.
            estimated_wait_seconds (int | None):
            position (int | None): 1-based; null until the early arrivals are drawn at opensAt.
            status (QueueStatus):
            pass_ (None | str | Unset): While ADMITTED: send it as the TixMo-Admission header of your one order.
            pass_expires_at (datetime.datetime | None | Unset):
            pass_used_at (datetime.datetime | None | Unset): When the pass placed its one order (the status is then
                EXPIRED).
     """

    ahead: int | None
    estimated_wait_seconds: int | None
    position: int | None
    status: QueueStatus
    pass_: None | str | Unset = UNSET
    pass_expires_at: datetime.datetime | None | Unset = UNSET
    pass_used_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        ahead: int | None
        ahead = self.ahead

        estimated_wait_seconds: int | None
        estimated_wait_seconds = self.estimated_wait_seconds

        position: int | None
        position = self.position

        status = self.status.value

        pass_: None | str | Unset
        if isinstance(self.pass_, Unset):
            pass_ = UNSET
        else:
            pass_ = self.pass_

        pass_expires_at: None | str | Unset
        if isinstance(self.pass_expires_at, Unset):
            pass_expires_at = UNSET
        elif isinstance(self.pass_expires_at, datetime.datetime):
            pass_expires_at = self.pass_expires_at.isoformat()
        else:
            pass_expires_at = self.pass_expires_at

        pass_used_at: None | str | Unset
        if isinstance(self.pass_used_at, Unset):
            pass_used_at = UNSET
        elif isinstance(self.pass_used_at, datetime.datetime):
            pass_used_at = self.pass_used_at.isoformat()
        else:
            pass_used_at = self.pass_used_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ahead": ahead,
            "estimatedWaitSeconds": estimated_wait_seconds,
            "position": position,
            "status": status,
        })
        if pass_ is not UNSET:
            field_dict["pass"] = pass_
        if pass_expires_at is not UNSET:
            field_dict["passExpiresAt"] = pass_expires_at
        if pass_used_at is not UNSET:
            field_dict["passUsedAt"] = pass_used_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_ahead(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        ahead = _parse_ahead(d.pop("ahead"))


        def _parse_estimated_wait_seconds(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        estimated_wait_seconds = _parse_estimated_wait_seconds(d.pop("estimatedWaitSeconds"))


        def _parse_position(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        position = _parse_position(d.pop("position"))


        status = QueueStatus(d.pop("status"))




        def _parse_pass_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pass_ = _parse_pass_(d.pop("pass", UNSET))


        def _parse_pass_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pass_expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return pass_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        pass_expires_at = _parse_pass_expires_at(d.pop("passExpiresAt", UNSET))


        def _parse_pass_used_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pass_used_at_type_0 = datetime.datetime.fromisoformat(data)



                return pass_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        pass_used_at = _parse_pass_used_at(d.pop("passUsedAt", UNSET))


        queue_status_read = cls(
            ahead=ahead,
            estimated_wait_seconds=estimated_wait_seconds,
            position=position,
            status=status,
            pass_=pass_,
            pass_expires_at=pass_expires_at,
            pass_used_at=pass_used_at,
        )


        queue_status_read.additional_properties = d
        return queue_status_read

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

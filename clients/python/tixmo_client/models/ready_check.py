from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.ready_check_status import ReadyCheckStatus
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.ready_check_detail_type_0 import ReadyCheckDetailType0





T = TypeVar("T", bound="ReadyCheck")



@_attrs_define
class ReadyCheck:
    """ 
        Attributes:
            status (ReadyCheckStatus):
            detail (None | ReadyCheckDetailType0 | Unset):
     """

    status: ReadyCheckStatus
    detail: None | ReadyCheckDetailType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.ready_check_detail_type_0 import ReadyCheckDetailType0 # noqa: PLC0415
        status = self.status.value

        detail: dict[str, Any] | None | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        elif isinstance(self.detail, ReadyCheckDetailType0):
            detail = self.detail.to_dict()
        else:
            detail = self.detail


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "status": status,
        })
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ready_check_detail_type_0 import ReadyCheckDetailType0 # noqa: PLC0415
        d = dict(src_dict)
        status = ReadyCheckStatus(d.pop("status"))




        def _parse_detail(data: object) -> None | ReadyCheckDetailType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                detail_type_0 = ReadyCheckDetailType0.from_dict(data)



                return detail_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReadyCheckDetailType0 | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))


        ready_check = cls(
            status=status,
            detail=detail,
        )


        ready_check.additional_properties = d
        return ready_check

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.scanner_read import ScannerRead





T = TypeVar("T", bound="ScannerRegistered")



@_attrs_define
class ScannerRegistered:
    """ 
        Attributes:
            api_key (str): Shown this once; TixMo keeps only its hash.
            scanner (ScannerRead):
     """

    api_key: str
    scanner: ScannerRead
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.scanner_read import ScannerRead # noqa: PLC0415
        api_key = self.api_key

        scanner = self.scanner.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "apiKey": api_key,
            "scanner": scanner,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scanner_read import ScannerRead # noqa: PLC0415
        d = dict(src_dict)
        api_key = d.pop("apiKey")

        scanner = ScannerRead.from_dict(d.pop("scanner"))




        scanner_registered = cls(
            api_key=api_key,
            scanner=scanner,
        )


        scanner_registered.additional_properties = d
        return scanner_registered

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="WebpUrls")



@_attrs_define
class WebpUrls:
    """ The same renditions as WebP.

        Attributes:
            w1920 (str):
            w320 (str):
            w960 (str):
     """

    w1920: str
    w320: str
    w960: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        w1920 = self.w1920

        w320 = self.w320

        w960 = self.w960


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "w1920": w1920,
            "w320": w320,
            "w960": w960,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        w1920 = d.pop("w1920")

        w320 = d.pop("w320")

        w960 = d.pop("w960")

        webp_urls = cls(
            w1920=w1920,
            w320=w320,
            w960=w960,
        )


        webp_urls.additional_properties = d
        return webp_urls

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

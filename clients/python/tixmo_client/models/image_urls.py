from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ImageUrls")



@_attrs_define
class ImageUrls:
    """ JPEG renditions by width, and the original (the upload without its metadata, turned upright).

        Attributes:
            original (str):
            w1920 (str):
            w320 (str):
            w960 (str):
     """

    original: str
    w1920: str
    w320: str
    w960: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        original = self.original

        w1920 = self.w1920

        w320 = self.w320

        w960 = self.w960


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "original": original,
            "w1920": w1920,
            "w320": w320,
            "w960": w960,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        original = d.pop("original")

        w1920 = d.pop("w1920")

        w320 = d.pop("w320")

        w960 = d.pop("w960")

        image_urls = cls(
            original=original,
            w1920=w1920,
            w320=w320,
            w960=w960,
        )


        image_urls.additional_properties = d
        return image_urls

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

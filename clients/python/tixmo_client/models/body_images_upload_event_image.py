from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..models.image_role import ImageRole
from ..types import UNSET, Unset






T = TypeVar("T", bound="BodyImagesUploadEventImage")



@_attrs_define
class BodyImagesUploadEventImage:
    """ 
        Attributes:
            file (str): One JPEG, PNG or WebP image (judged by its content, not its name or type).
            alt (str | Unset): Text alternative for screen readers (one line, at most 300 characters). Default: ''.
            role (ImageRole | Unset):
     """

    file: str
    alt: str | Unset = ''
    role: ImageRole | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        file = self.file

        alt = self.alt

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "file": file,
        })
        if alt is not UNSET:
            field_dict["alt"] = alt
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", (None, str(self.file).encode(), "text/plain")))



        if not isinstance(self.alt, Unset):
            files.append(("alt", (None, str(self.alt).encode(), "text/plain")))



        if not isinstance(self.role, Unset):
            files.append(("role",  (None, str(self.role.value).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = d.pop("file")

        alt = d.pop("alt", UNSET)

        _role = d.pop("role", UNSET)
        role: ImageRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = ImageRole(_role)




        body_images_upload_event_image = cls(
            file=file,
            alt=alt,
            role=role,
        )


        body_images_upload_event_image.additional_properties = d
        return body_images_upload_event_image

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

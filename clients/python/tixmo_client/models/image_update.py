from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.image_role import ImageRole
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ImageUpdate")



@_attrs_define
class ImageUpdate:
    """ A partial update. ``role: COVER`` makes this the cover (the former cover joins the gallery, last);
    ``position`` moves a gallery image (the others shift).

        Attributes:
            alt (None | str | Unset):
            created_at (Any | Unset): Read-only: send the value last read, or leave it out.
            event_id (Any | Unset): Read-only: send the value last read, or leave it out.
            height (Any | Unset): Read-only: send the value last read, or leave it out.
            id (Any | Unset): Read-only: send the value last read, or leave it out.
            position (int | None | Unset):
            rendition_status (Any | Unset): Read-only: send the value last read, or leave it out.
            role (ImageRole | None | Unset):
            updated_at (Any | Unset): Read-only: send the value last read, or leave it out.
            urls (Any | Unset): Read-only: send the value last read, or leave it out.
            venue_id (Any | Unset): Read-only: send the value last read, or leave it out.
            webp_urls (Any | Unset): Read-only: send the value last read, or leave it out.
            width (Any | Unset): Read-only: send the value last read, or leave it out.
     """

    alt: None | str | Unset = UNSET
    created_at: Any | Unset = UNSET
    event_id: Any | Unset = UNSET
    height: Any | Unset = UNSET
    id: Any | Unset = UNSET
    position: int | None | Unset = UNSET
    rendition_status: Any | Unset = UNSET
    role: ImageRole | None | Unset = UNSET
    updated_at: Any | Unset = UNSET
    urls: Any | Unset = UNSET
    venue_id: Any | Unset = UNSET
    webp_urls: Any | Unset = UNSET
    width: Any | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        alt: None | str | Unset
        if isinstance(self.alt, Unset):
            alt = UNSET
        else:
            alt = self.alt

        created_at = self.created_at

        event_id = self.event_id

        height = self.height

        id = self.id

        position: int | None | Unset
        if isinstance(self.position, Unset):
            position = UNSET
        else:
            position = self.position

        rendition_status = self.rendition_status

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        elif isinstance(self.role, ImageRole):
            role = self.role.value
        else:
            role = self.role

        updated_at = self.updated_at

        urls = self.urls

        venue_id = self.venue_id

        webp_urls = self.webp_urls

        width = self.width


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if alt is not UNSET:
            field_dict["alt"] = alt
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if height is not UNSET:
            field_dict["height"] = height
        if id is not UNSET:
            field_dict["id"] = id
        if position is not UNSET:
            field_dict["position"] = position
        if rendition_status is not UNSET:
            field_dict["renditionStatus"] = rendition_status
        if role is not UNSET:
            field_dict["role"] = role
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if urls is not UNSET:
            field_dict["urls"] = urls
        if venue_id is not UNSET:
            field_dict["venueId"] = venue_id
        if webp_urls is not UNSET:
            field_dict["webpUrls"] = webp_urls
        if width is not UNSET:
            field_dict["width"] = width

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_alt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        alt = _parse_alt(d.pop("alt", UNSET))


        created_at = d.pop("createdAt", UNSET)

        event_id = d.pop("eventId", UNSET)

        height = d.pop("height", UNSET)

        id = d.pop("id", UNSET)

        def _parse_position(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        position = _parse_position(d.pop("position", UNSET))


        rendition_status = d.pop("renditionStatus", UNSET)

        def _parse_role(data: object) -> ImageRole | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_0 = ImageRole(data)



                return role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageRole | None | Unset, data)

        role = _parse_role(d.pop("role", UNSET))


        updated_at = d.pop("updatedAt", UNSET)

        urls = d.pop("urls", UNSET)

        venue_id = d.pop("venueId", UNSET)

        webp_urls = d.pop("webpUrls", UNSET)

        width = d.pop("width", UNSET)

        image_update = cls(
            alt=alt,
            created_at=created_at,
            event_id=event_id,
            height=height,
            id=id,
            position=position,
            rendition_status=rendition_status,
            role=role,
            updated_at=updated_at,
            urls=urls,
            venue_id=venue_id,
            webp_urls=webp_urls,
            width=width,
        )

        return image_update


from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.image_role import ImageRole
from ..models.rendition_status import RenditionStatus
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.image_urls import ImageUrls
  from ..models.webp_urls import WebpUrls





T = TypeVar("T", bound="ImageRead")



@_attrs_define
class ImageRead:
    """ 
        Attributes:
            alt (str):
            created_at (datetime.datetime):
            event_id (None | UUID):
            height (int):
            id (UUID):
            position (int): Place in the gallery (a cover's is 0).
            rendition_status (RenditionStatus):
            role (ImageRole):
            updated_at (datetime.datetime):
            urls (ImageUrls): JPEG renditions by width, and the original (the upload without its metadata, turned upright).
            venue_id (None | UUID):
            webp_urls (WebpUrls): The same renditions as WebP.
            width (int): Of the original, upright.
     """

    alt: str
    created_at: datetime.datetime
    event_id: None | UUID
    height: int
    id: UUID
    position: int
    rendition_status: RenditionStatus
    role: ImageRole
    updated_at: datetime.datetime
    urls: ImageUrls
    venue_id: None | UUID
    webp_urls: WebpUrls
    width: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.image_urls import ImageUrls # noqa: PLC0415
        from ..models.webp_urls import WebpUrls # noqa: PLC0415
        alt = self.alt

        created_at = self.created_at.isoformat()

        event_id: None | str
        if isinstance(self.event_id, UUID):
            event_id = str(self.event_id)
        else:
            event_id = self.event_id

        height = self.height

        id = str(self.id)

        position = self.position

        rendition_status = self.rendition_status.value

        role = self.role.value

        updated_at = self.updated_at.isoformat()

        urls = self.urls.to_dict()

        venue_id: None | str
        if isinstance(self.venue_id, UUID):
            venue_id = str(self.venue_id)
        else:
            venue_id = self.venue_id

        webp_urls = self.webp_urls.to_dict()

        width = self.width


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "alt": alt,
            "createdAt": created_at,
            "eventId": event_id,
            "height": height,
            "id": id,
            "position": position,
            "renditionStatus": rendition_status,
            "role": role,
            "updatedAt": updated_at,
            "urls": urls,
            "venueId": venue_id,
            "webpUrls": webp_urls,
            "width": width,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_urls import ImageUrls # noqa: PLC0415
        from ..models.webp_urls import WebpUrls # noqa: PLC0415
        d = dict(src_dict)
        alt = d.pop("alt")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        def _parse_event_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                event_id_type_0 = UUID(data)



                return event_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        event_id = _parse_event_id(d.pop("eventId"))


        height = d.pop("height")

        id = UUID(d.pop("id"))




        position = d.pop("position")

        rendition_status = RenditionStatus(d.pop("renditionStatus"))




        role = ImageRole(d.pop("role"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        urls = ImageUrls.from_dict(d.pop("urls"))




        def _parse_venue_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                venue_id_type_0 = UUID(data)



                return venue_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        venue_id = _parse_venue_id(d.pop("venueId"))


        webp_urls = WebpUrls.from_dict(d.pop("webpUrls"))




        width = d.pop("width")

        image_read = cls(
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


        image_read.additional_properties = d
        return image_read

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

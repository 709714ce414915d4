from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.address_read import AddressRead
  from ..models.image_read import ImageRead
  from ..models.venue_read_seating_chart_type_0 import VenueReadSeatingChartType0





T = TypeVar("T", bound="VenueRead")



@_attrs_define
class VenueRead:
    """ 
        Attributes:
            address (AddressRead):
            capacity (int):
            created_at (datetime.datetime):
            id (UUID):
            name (str):
            organization_id (UUID):
            seat_count (int): Seats in the seating chart (0 without a chart).
            seating_chart (None | VenueReadSeatingChartType0):
            timezone (str):
            updated_at (datetime.datetime):
            cover_image (ImageRead | None | Unset): The cover image (POST /venues/{id}/images).
            images (list[ImageRead] | Unset): The gallery, in order (the cover apart).
     """

    address: AddressRead
    capacity: int
    created_at: datetime.datetime
    id: UUID
    name: str
    organization_id: UUID
    seat_count: int
    seating_chart: None | VenueReadSeatingChartType0
    timezone: str
    updated_at: datetime.datetime
    cover_image: ImageRead | None | Unset = UNSET
    images: list[ImageRead] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.address_read import AddressRead # noqa: PLC0415
        from ..models.image_read import ImageRead # noqa: PLC0415
        from ..models.venue_read_seating_chart_type_0 import VenueReadSeatingChartType0 # noqa: PLC0415
        address = self.address.to_dict()

        capacity = self.capacity

        created_at = self.created_at.isoformat()

        id = str(self.id)

        name = self.name

        organization_id = str(self.organization_id)

        seat_count = self.seat_count

        seating_chart: dict[str, Any] | None
        if isinstance(self.seating_chart, VenueReadSeatingChartType0):
            seating_chart = self.seating_chart.to_dict()
        else:
            seating_chart = self.seating_chart

        timezone = self.timezone

        updated_at = self.updated_at.isoformat()

        cover_image: dict[str, Any] | None | Unset
        if isinstance(self.cover_image, Unset):
            cover_image = UNSET
        elif isinstance(self.cover_image, ImageRead):
            cover_image = self.cover_image.to_dict()
        else:
            cover_image = self.cover_image

        images: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.images, Unset):
            images = []
            for images_item_data in self.images:
                images_item = images_item_data.to_dict()
                images.append(images_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "address": address,
            "capacity": capacity,
            "createdAt": created_at,
            "id": id,
            "name": name,
            "organizationId": organization_id,
            "seatCount": seat_count,
            "seatingChart": seating_chart,
            "timezone": timezone,
            "updatedAt": updated_at,
        })
        if cover_image is not UNSET:
            field_dict["coverImage"] = cover_image
        if images is not UNSET:
            field_dict["images"] = images

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_read import AddressRead # noqa: PLC0415
        from ..models.image_read import ImageRead # noqa: PLC0415
        from ..models.venue_read_seating_chart_type_0 import VenueReadSeatingChartType0 # noqa: PLC0415
        d = dict(src_dict)
        address = AddressRead.from_dict(d.pop("address"))




        capacity = d.pop("capacity")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = UUID(d.pop("id"))




        name = d.pop("name")

        organization_id = UUID(d.pop("organizationId"))




        seat_count = d.pop("seatCount")

        def _parse_seating_chart(data: object) -> None | VenueReadSeatingChartType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                seating_chart_type_0 = VenueReadSeatingChartType0.from_dict(data)



                return seating_chart_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VenueReadSeatingChartType0, data)

        seating_chart = _parse_seating_chart(d.pop("seatingChart"))


        timezone = d.pop("timezone")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_cover_image(data: object) -> ImageRead | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cover_image_type_0 = ImageRead.from_dict(data)



                return cover_image_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageRead | None | Unset, data)

        cover_image = _parse_cover_image(d.pop("coverImage", UNSET))


        _images = d.pop("images", UNSET)
        images: list[ImageRead] | Unset = UNSET
        if _images is not UNSET:
            images = []
            for images_item_data in _images:
                images_item = ImageRead.from_dict(images_item_data)



                images.append(images_item)


        venue_read = cls(
            address=address,
            capacity=capacity,
            created_at=created_at,
            id=id,
            name=name,
            organization_id=organization_id,
            seat_count=seat_count,
            seating_chart=seating_chart,
            timezone=timezone,
            updated_at=updated_at,
            cover_image=cover_image,
            images=images,
        )


        venue_read.additional_properties = d
        return venue_read

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.event_category import EventCategory
from ..models.event_status import EventStatus
from ..models.refund_policy import RefundPolicy
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.image_read import ImageRead
  from ..models.price_range import PriceRange





T = TypeVar("T", bound="EventRead")



@_attrs_define
class EventRead:
    """ 
        Attributes:
            cancelled_at (datetime.datetime | None):
            capacity (int | None):
            category (EventCategory):
            created_at (datetime.datetime):
            currency (str):
            description (None | str):
            ends_at (datetime.datetime): UTC.
            ends_at_local (str): endsAt in the event's time zone, ISO 8601 with offset.
            id (UUID):
            image_url (None | str):
            max_per_buyer (int | None):
            name (str):
            organization_id (UUID):
            published_at (datetime.datetime | None):
            refund_deadline_hours (int):
            refund_policy (RefundPolicy): Whether ticket holders may cancel a ticket themselves for its paid share (staff
                always may).
            series_id (None | UUID):
            sold_out (bool): Has ticket types and none has a ticket left.
            starts_at (datetime.datetime): UTC.
            starts_at_local (str): startsAt in the event's time zone, ISO 8601 with offset.
            status (EventStatus):
            suspend_tickets_on_dispute (bool):
            tags (list[str]):
            timezone (str):
            transfers_allowed (bool):
            updated_at (datetime.datetime):
            venue_id (None | UUID):
            cover_image (ImageRead | None | Unset): The cover image (POST /events/{id}/images).
            images (list[ImageRead] | Unset): The gallery, in order (the cover apart).
            price_range (None | PriceRange | Unset): Lowest and highest current ticket price, when the event has ticket
                types.
     """

    cancelled_at: datetime.datetime | None
    capacity: int | None
    category: EventCategory
    created_at: datetime.datetime
    currency: str
    description: None | str
    ends_at: datetime.datetime
    ends_at_local: str
    id: UUID
    image_url: None | str
    max_per_buyer: int | None
    name: str
    organization_id: UUID
    published_at: datetime.datetime | None
    refund_deadline_hours: int
    refund_policy: RefundPolicy
    series_id: None | UUID
    sold_out: bool
    starts_at: datetime.datetime
    starts_at_local: str
    status: EventStatus
    suspend_tickets_on_dispute: bool
    tags: list[str]
    timezone: str
    transfers_allowed: bool
    updated_at: datetime.datetime
    venue_id: None | UUID
    cover_image: ImageRead | None | Unset = UNSET
    images: list[ImageRead] | Unset = UNSET
    price_range: None | PriceRange | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.image_read import ImageRead # noqa: PLC0415
        from ..models.price_range import PriceRange # noqa: PLC0415
        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        capacity: int | None
        capacity = self.capacity

        category = self.category.value

        created_at = self.created_at.isoformat()

        currency = self.currency

        description: None | str
        description = self.description

        ends_at = self.ends_at.isoformat()

        ends_at_local = self.ends_at_local

        id = str(self.id)

        image_url: None | str
        image_url = self.image_url

        max_per_buyer: int | None
        max_per_buyer = self.max_per_buyer

        name = self.name

        organization_id = str(self.organization_id)

        published_at: None | str
        if isinstance(self.published_at, datetime.datetime):
            published_at = self.published_at.isoformat()
        else:
            published_at = self.published_at

        refund_deadline_hours = self.refund_deadline_hours

        refund_policy = self.refund_policy.value

        series_id: None | str
        if isinstance(self.series_id, UUID):
            series_id = str(self.series_id)
        else:
            series_id = self.series_id

        sold_out = self.sold_out

        starts_at = self.starts_at.isoformat()

        starts_at_local = self.starts_at_local

        status = self.status.value

        suspend_tickets_on_dispute = self.suspend_tickets_on_dispute

        tags = self.tags



        timezone = self.timezone

        transfers_allowed = self.transfers_allowed

        updated_at = self.updated_at.isoformat()

        venue_id: None | str
        if isinstance(self.venue_id, UUID):
            venue_id = str(self.venue_id)
        else:
            venue_id = self.venue_id

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



        price_range: dict[str, Any] | None | Unset
        if isinstance(self.price_range, Unset):
            price_range = UNSET
        elif isinstance(self.price_range, PriceRange):
            price_range = self.price_range.to_dict()
        else:
            price_range = self.price_range


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "cancelledAt": cancelled_at,
            "capacity": capacity,
            "category": category,
            "createdAt": created_at,
            "currency": currency,
            "description": description,
            "endsAt": ends_at,
            "endsAtLocal": ends_at_local,
            "id": id,
            "imageUrl": image_url,
            "maxPerBuyer": max_per_buyer,
            "name": name,
            "organizationId": organization_id,
            "publishedAt": published_at,
            "refundDeadlineHours": refund_deadline_hours,
            "refundPolicy": refund_policy,
            "seriesId": series_id,
            "soldOut": sold_out,
            "startsAt": starts_at,
            "startsAtLocal": starts_at_local,
            "status": status,
            "suspendTicketsOnDispute": suspend_tickets_on_dispute,
            "tags": tags,
            "timezone": timezone,
            "transfersAllowed": transfers_allowed,
            "updatedAt": updated_at,
            "venueId": venue_id,
        })
        if cover_image is not UNSET:
            field_dict["coverImage"] = cover_image
        if images is not UNSET:
            field_dict["images"] = images
        if price_range is not UNSET:
            field_dict["priceRange"] = price_range

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_read import ImageRead # noqa: PLC0415
        from ..models.price_range import PriceRange # noqa: PLC0415
        d = dict(src_dict)
        def _parse_cancelled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)



                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelledAt"))


        def _parse_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        capacity = _parse_capacity(d.pop("capacity"))


        category = EventCategory(d.pop("category"))




        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        currency = d.pop("currency")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))


        ends_at = datetime.datetime.fromisoformat(d.pop("endsAt"))




        ends_at_local = d.pop("endsAtLocal")

        id = UUID(d.pop("id"))




        def _parse_image_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        image_url = _parse_image_url(d.pop("imageUrl"))


        def _parse_max_per_buyer(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_per_buyer = _parse_max_per_buyer(d.pop("maxPerBuyer"))


        name = d.pop("name")

        organization_id = UUID(d.pop("organizationId"))




        def _parse_published_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_at_type_0 = datetime.datetime.fromisoformat(data)



                return published_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        published_at = _parse_published_at(d.pop("publishedAt"))


        refund_deadline_hours = d.pop("refundDeadlineHours")

        refund_policy = RefundPolicy(d.pop("refundPolicy"))




        def _parse_series_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                series_id_type_0 = UUID(data)



                return series_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        series_id = _parse_series_id(d.pop("seriesId"))


        sold_out = d.pop("soldOut")

        starts_at = datetime.datetime.fromisoformat(d.pop("startsAt"))




        starts_at_local = d.pop("startsAtLocal")

        status = EventStatus(d.pop("status"))




        suspend_tickets_on_dispute = d.pop("suspendTicketsOnDispute")

        tags = cast(list[str], d.pop("tags"))


        timezone = d.pop("timezone")

        transfers_allowed = d.pop("transfersAllowed")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




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


        def _parse_price_range(data: object) -> None | PriceRange | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                price_range_type_0 = PriceRange.from_dict(data)



                return price_range_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PriceRange | Unset, data)

        price_range = _parse_price_range(d.pop("priceRange", UNSET))


        event_read = cls(
            cancelled_at=cancelled_at,
            capacity=capacity,
            category=category,
            created_at=created_at,
            currency=currency,
            description=description,
            ends_at=ends_at,
            ends_at_local=ends_at_local,
            id=id,
            image_url=image_url,
            max_per_buyer=max_per_buyer,
            name=name,
            organization_id=organization_id,
            published_at=published_at,
            refund_deadline_hours=refund_deadline_hours,
            refund_policy=refund_policy,
            series_id=series_id,
            sold_out=sold_out,
            starts_at=starts_at,
            starts_at_local=starts_at_local,
            status=status,
            suspend_tickets_on_dispute=suspend_tickets_on_dispute,
            tags=tags,
            timezone=timezone,
            transfers_allowed=transfers_allowed,
            updated_at=updated_at,
            venue_id=venue_id,
            cover_image=cover_image,
            images=images,
            price_range=price_range,
        )


        event_read.additional_properties = d
        return event_read

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

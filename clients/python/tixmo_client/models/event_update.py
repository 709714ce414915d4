from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.event_category import EventCategory
from ..models.refund_policy import RefundPolicy
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="EventUpdate")



@_attrs_define
class EventUpdate:
    """ A partial update: the fields given replace the stored ones (``null`` clears optional fields).

        Attributes:
            cancelled_at (Any | Unset): Read-only: send the value last read, or leave it out.
            capacity (int | None | Unset):
            category (EventCategory | None | Unset):
            cover_image (Any | Unset): Read-only: send the value last read, or leave it out.
            created_at (Any | Unset): Read-only: send the value last read, or leave it out.
            currency (Any | Unset): Read-only: send the value last read, or leave it out.
            description (None | str | Unset):
            ends_at (datetime.datetime | None | Unset):
            ends_at_local (Any | Unset): Read-only: send the value last read, or leave it out.
            id (Any | Unset): Read-only: send the value last read, or leave it out.
            image_url (None | str | Unset):
            images (Any | Unset): Read-only: send the value last read, or leave it out.
            max_per_buyer (int | None | Unset):
            name (None | str | Unset):
            organization_id (Any | Unset): Read-only: send the value last read, or leave it out.
            price_range (Any | Unset): Read-only: send the value last read, or leave it out.
            published_at (Any | Unset): Read-only: send the value last read, or leave it out.
            refund_deadline_hours (int | None | Unset):
            refund_policy (None | RefundPolicy | Unset):
            series_id (None | Unset | UUID):
            sold_out (Any | Unset): Read-only: send the value last read, or leave it out.
            starts_at (datetime.datetime | None | Unset):
            starts_at_local (Any | Unset): Read-only: send the value last read, or leave it out.
            status (Any | Unset): Read-only: send the value last read, or leave it out.
            suspend_tickets_on_dispute (bool | None | Unset):
            tags (list[str] | None | Unset):
            timezone (None | str | Unset):
            transfers_allowed (bool | None | Unset):
            updated_at (Any | Unset): Read-only: send the value last read, or leave it out.
            venue_id (None | Unset | UUID):
     """

    cancelled_at: Any | Unset = UNSET
    capacity: int | None | Unset = UNSET
    category: EventCategory | None | Unset = UNSET
    cover_image: Any | Unset = UNSET
    created_at: Any | Unset = UNSET
    currency: Any | Unset = UNSET
    description: None | str | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    ends_at_local: Any | Unset = UNSET
    id: Any | Unset = UNSET
    image_url: None | str | Unset = UNSET
    images: Any | Unset = UNSET
    max_per_buyer: int | None | Unset = UNSET
    name: None | str | Unset = UNSET
    organization_id: Any | Unset = UNSET
    price_range: Any | Unset = UNSET
    published_at: Any | Unset = UNSET
    refund_deadline_hours: int | None | Unset = UNSET
    refund_policy: None | RefundPolicy | Unset = UNSET
    series_id: None | Unset | UUID = UNSET
    sold_out: Any | Unset = UNSET
    starts_at: datetime.datetime | None | Unset = UNSET
    starts_at_local: Any | Unset = UNSET
    status: Any | Unset = UNSET
    suspend_tickets_on_dispute: bool | None | Unset = UNSET
    tags: list[str] | None | Unset = UNSET
    timezone: None | str | Unset = UNSET
    transfers_allowed: bool | None | Unset = UNSET
    updated_at: Any | Unset = UNSET
    venue_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        cancelled_at = self.cancelled_at

        capacity: int | None | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        else:
            capacity = self.capacity

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        elif isinstance(self.category, EventCategory):
            category = self.category.value
        else:
            category = self.category

        cover_image = self.cover_image

        created_at = self.created_at

        currency = self.currency

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        ends_at_local = self.ends_at_local

        id = self.id

        image_url: None | str | Unset
        if isinstance(self.image_url, Unset):
            image_url = UNSET
        else:
            image_url = self.image_url

        images = self.images

        max_per_buyer: int | None | Unset
        if isinstance(self.max_per_buyer, Unset):
            max_per_buyer = UNSET
        else:
            max_per_buyer = self.max_per_buyer

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        organization_id = self.organization_id

        price_range = self.price_range

        published_at = self.published_at

        refund_deadline_hours: int | None | Unset
        if isinstance(self.refund_deadline_hours, Unset):
            refund_deadline_hours = UNSET
        else:
            refund_deadline_hours = self.refund_deadline_hours

        refund_policy: None | str | Unset
        if isinstance(self.refund_policy, Unset):
            refund_policy = UNSET
        elif isinstance(self.refund_policy, RefundPolicy):
            refund_policy = self.refund_policy.value
        else:
            refund_policy = self.refund_policy

        series_id: None | str | Unset
        if isinstance(self.series_id, Unset):
            series_id = UNSET
        elif isinstance(self.series_id, UUID):
            series_id = str(self.series_id)
        else:
            series_id = self.series_id

        sold_out = self.sold_out

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        starts_at_local = self.starts_at_local

        status = self.status

        suspend_tickets_on_dispute: bool | None | Unset
        if isinstance(self.suspend_tickets_on_dispute, Unset):
            suspend_tickets_on_dispute = UNSET
        else:
            suspend_tickets_on_dispute = self.suspend_tickets_on_dispute

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags


        else:
            tags = self.tags

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        transfers_allowed: bool | None | Unset
        if isinstance(self.transfers_allowed, Unset):
            transfers_allowed = UNSET
        else:
            transfers_allowed = self.transfers_allowed

        updated_at = self.updated_at

        venue_id: None | str | Unset
        if isinstance(self.venue_id, Unset):
            venue_id = UNSET
        elif isinstance(self.venue_id, UUID):
            venue_id = str(self.venue_id)
        else:
            venue_id = self.venue_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if cancelled_at is not UNSET:
            field_dict["cancelledAt"] = cancelled_at
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if category is not UNSET:
            field_dict["category"] = category
        if cover_image is not UNSET:
            field_dict["coverImage"] = cover_image
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if currency is not UNSET:
            field_dict["currency"] = currency
        if description is not UNSET:
            field_dict["description"] = description
        if ends_at is not UNSET:
            field_dict["endsAt"] = ends_at
        if ends_at_local is not UNSET:
            field_dict["endsAtLocal"] = ends_at_local
        if id is not UNSET:
            field_dict["id"] = id
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url
        if images is not UNSET:
            field_dict["images"] = images
        if max_per_buyer is not UNSET:
            field_dict["maxPerBuyer"] = max_per_buyer
        if name is not UNSET:
            field_dict["name"] = name
        if organization_id is not UNSET:
            field_dict["organizationId"] = organization_id
        if price_range is not UNSET:
            field_dict["priceRange"] = price_range
        if published_at is not UNSET:
            field_dict["publishedAt"] = published_at
        if refund_deadline_hours is not UNSET:
            field_dict["refundDeadlineHours"] = refund_deadline_hours
        if refund_policy is not UNSET:
            field_dict["refundPolicy"] = refund_policy
        if series_id is not UNSET:
            field_dict["seriesId"] = series_id
        if sold_out is not UNSET:
            field_dict["soldOut"] = sold_out
        if starts_at is not UNSET:
            field_dict["startsAt"] = starts_at
        if starts_at_local is not UNSET:
            field_dict["startsAtLocal"] = starts_at_local
        if status is not UNSET:
            field_dict["status"] = status
        if suspend_tickets_on_dispute is not UNSET:
            field_dict["suspendTicketsOnDispute"] = suspend_tickets_on_dispute
        if tags is not UNSET:
            field_dict["tags"] = tags
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if transfers_allowed is not UNSET:
            field_dict["transfersAllowed"] = transfers_allowed
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if venue_id is not UNSET:
            field_dict["venueId"] = venue_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cancelled_at = d.pop("cancelledAt", UNSET)

        def _parse_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))


        def _parse_category(data: object) -> EventCategory | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_type_0 = EventCategory(data)



                return category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EventCategory | None | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        cover_image = d.pop("coverImage", UNSET)

        created_at = d.pop("createdAt", UNSET)

        currency = d.pop("currency", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("endsAt", UNSET))


        ends_at_local = d.pop("endsAtLocal", UNSET)

        id = d.pop("id", UNSET)

        def _parse_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_url = _parse_image_url(d.pop("imageUrl", UNSET))


        images = d.pop("images", UNSET)

        def _parse_max_per_buyer(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_per_buyer = _parse_max_per_buyer(d.pop("maxPerBuyer", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        organization_id = d.pop("organizationId", UNSET)

        price_range = d.pop("priceRange", UNSET)

        published_at = d.pop("publishedAt", UNSET)

        def _parse_refund_deadline_hours(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        refund_deadline_hours = _parse_refund_deadline_hours(d.pop("refundDeadlineHours", UNSET))


        def _parse_refund_policy(data: object) -> None | RefundPolicy | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                refund_policy_type_0 = RefundPolicy(data)



                return refund_policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RefundPolicy | Unset, data)

        refund_policy = _parse_refund_policy(d.pop("refundPolicy", UNSET))


        def _parse_series_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                series_id_type_0 = UUID(data)



                return series_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        series_id = _parse_series_id(d.pop("seriesId", UNSET))


        sold_out = d.pop("soldOut", UNSET)

        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)



                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("startsAt", UNSET))


        starts_at_local = d.pop("startsAtLocal", UNSET)

        status = d.pop("status", UNSET)

        def _parse_suspend_tickets_on_dispute(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        suspend_tickets_on_dispute = _parse_suspend_tickets_on_dispute(d.pop("suspendTicketsOnDispute", UNSET))


        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))


        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))


        def _parse_transfers_allowed(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        transfers_allowed = _parse_transfers_allowed(d.pop("transfersAllowed", UNSET))


        updated_at = d.pop("updatedAt", UNSET)

        def _parse_venue_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                venue_id_type_0 = UUID(data)



                return venue_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        venue_id = _parse_venue_id(d.pop("venueId", UNSET))


        event_update = cls(
            cancelled_at=cancelled_at,
            capacity=capacity,
            category=category,
            cover_image=cover_image,
            created_at=created_at,
            currency=currency,
            description=description,
            ends_at=ends_at,
            ends_at_local=ends_at_local,
            id=id,
            image_url=image_url,
            images=images,
            max_per_buyer=max_per_buyer,
            name=name,
            organization_id=organization_id,
            price_range=price_range,
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
        )

        return event_update


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






T = TypeVar("T", bound="EventCreate")



@_attrs_define
class EventCreate:
    """ 
        Attributes:
            category (EventCategory):
            ends_at (datetime.datetime): ISO 8601 with an offset, e.g. 2026-05-01T19:30:00Z; from 2000-01-01 up to
                2100-01-01 (UTC).
            name (str):
            organization_id (UUID):
            starts_at (datetime.datetime): ISO 8601 with an offset, e.g. 2026-05-01T19:30:00Z; from 2000-01-01 up to
                2100-01-01 (UTC).
            capacity (int | None | Unset): At most the venue's capacity.
            description (None | str | Unset):
            image_url (None | str | Unset):
            max_per_buyer (int | None | Unset):
            refund_deadline_hours (int | Unset): With refundPolicy FULL: owners may cancel until this many hours before the
                start. Default: 24.
            refund_policy (RefundPolicy | Unset): Whether ticket holders may cancel a ticket themselves for its paid share
                (staff always may).
            series_id (None | Unset | UUID):
            suspend_tickets_on_dispute (bool | Unset): A disputed payment (chargeback) suspends the order's unused tickets
                until the dispute is closed (they scan INVALID meanwhile; docs/payments.md). Default false. Default: False.
            tags (list[str] | Unset): Lower-cased, trimmed and de-duplicated; at most 20 of 50 characters.
            timezone (None | str | Unset): Defaults to the venue's, else UTC.
            transfers_allowed (bool | Unset): May ticket holders transfer their tickets to another account? Default true.
                Default: True.
            venue_id (None | Unset | UUID):
     """

    category: EventCategory
    ends_at: datetime.datetime
    name: str
    organization_id: UUID
    starts_at: datetime.datetime
    capacity: int | None | Unset = UNSET
    description: None | str | Unset = UNSET
    image_url: None | str | Unset = UNSET
    max_per_buyer: int | None | Unset = UNSET
    refund_deadline_hours: int | Unset = 24
    refund_policy: RefundPolicy | Unset = UNSET
    series_id: None | Unset | UUID = UNSET
    suspend_tickets_on_dispute: bool | Unset = False
    tags: list[str] | Unset = UNSET
    timezone: None | str | Unset = UNSET
    transfers_allowed: bool | Unset = True
    venue_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        ends_at = self.ends_at.isoformat()

        name = self.name

        organization_id = str(self.organization_id)

        starts_at = self.starts_at.isoformat()

        capacity: int | None | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        else:
            capacity = self.capacity

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        image_url: None | str | Unset
        if isinstance(self.image_url, Unset):
            image_url = UNSET
        else:
            image_url = self.image_url

        max_per_buyer: int | None | Unset
        if isinstance(self.max_per_buyer, Unset):
            max_per_buyer = UNSET
        else:
            max_per_buyer = self.max_per_buyer

        refund_deadline_hours = self.refund_deadline_hours

        refund_policy: str | Unset = UNSET
        if not isinstance(self.refund_policy, Unset):
            refund_policy = self.refund_policy.value


        series_id: None | str | Unset
        if isinstance(self.series_id, Unset):
            series_id = UNSET
        elif isinstance(self.series_id, UUID):
            series_id = str(self.series_id)
        else:
            series_id = self.series_id

        suspend_tickets_on_dispute = self.suspend_tickets_on_dispute

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags



        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        transfers_allowed = self.transfers_allowed

        venue_id: None | str | Unset
        if isinstance(self.venue_id, Unset):
            venue_id = UNSET
        elif isinstance(self.venue_id, UUID):
            venue_id = str(self.venue_id)
        else:
            venue_id = self.venue_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "category": category,
            "endsAt": ends_at,
            "name": name,
            "organizationId": organization_id,
            "startsAt": starts_at,
        })
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if description is not UNSET:
            field_dict["description"] = description
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url
        if max_per_buyer is not UNSET:
            field_dict["maxPerBuyer"] = max_per_buyer
        if refund_deadline_hours is not UNSET:
            field_dict["refundDeadlineHours"] = refund_deadline_hours
        if refund_policy is not UNSET:
            field_dict["refundPolicy"] = refund_policy
        if series_id is not UNSET:
            field_dict["seriesId"] = series_id
        if suspend_tickets_on_dispute is not UNSET:
            field_dict["suspendTicketsOnDispute"] = suspend_tickets_on_dispute
        if tags is not UNSET:
            field_dict["tags"] = tags
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if transfers_allowed is not UNSET:
            field_dict["transfersAllowed"] = transfers_allowed
        if venue_id is not UNSET:
            field_dict["venueId"] = venue_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = EventCategory(d.pop("category"))




        ends_at = datetime.datetime.fromisoformat(d.pop("endsAt"))




        name = d.pop("name")

        organization_id = UUID(d.pop("organizationId"))




        starts_at = datetime.datetime.fromisoformat(d.pop("startsAt"))




        def _parse_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_url = _parse_image_url(d.pop("imageUrl", UNSET))


        def _parse_max_per_buyer(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_per_buyer = _parse_max_per_buyer(d.pop("maxPerBuyer", UNSET))


        refund_deadline_hours = d.pop("refundDeadlineHours", UNSET)

        _refund_policy = d.pop("refundPolicy", UNSET)
        refund_policy: RefundPolicy | Unset
        if isinstance(_refund_policy,  Unset):
            refund_policy = UNSET
        else:
            refund_policy = RefundPolicy(_refund_policy)




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


        suspend_tickets_on_dispute = d.pop("suspendTicketsOnDispute", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))


        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))


        transfers_allowed = d.pop("transfersAllowed", UNSET)

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


        event_create = cls(
            category=category,
            ends_at=ends_at,
            name=name,
            organization_id=organization_id,
            starts_at=starts_at,
            capacity=capacity,
            description=description,
            image_url=image_url,
            max_per_buyer=max_per_buyer,
            refund_deadline_hours=refund_deadline_hours,
            refund_policy=refund_policy,
            series_id=series_id,
            suspend_tickets_on_dispute=suspend_tickets_on_dispute,
            tags=tags,
            timezone=timezone,
            transfers_allowed=transfers_allowed,
            venue_id=venue_id,
        )

        return event_create


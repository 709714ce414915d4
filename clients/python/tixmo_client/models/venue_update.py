from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.address_update import AddressUpdate
  from ..models.seating_chart import SeatingChart





T = TypeVar("T", bound="VenueUpdate")



@_attrs_define
class VenueUpdate:
    """ 
        Attributes:
            address (AddressUpdate | None | Unset):
            capacity (int | None | Unset):
            cover_image (Any | Unset): Read-only: send the value last read, or leave it out.
            created_at (Any | Unset): Read-only: send the value last read, or leave it out.
            id (Any | Unset): Read-only: send the value last read, or leave it out.
            images (Any | Unset): Read-only: send the value last read, or leave it out.
            name (None | str | Unset):
            organization_id (Any | Unset): Read-only: send the value last read, or leave it out.
            seat_count (Any | Unset): Read-only: send the value last read, or leave it out.
            seating_chart (None | SeatingChart | Unset): `null` removes the chart.
            timezone (None | str | Unset):
            updated_at (Any | Unset): Read-only: send the value last read, or leave it out.
     """

    address: AddressUpdate | None | Unset = UNSET
    capacity: int | None | Unset = UNSET
    cover_image: Any | Unset = UNSET
    created_at: Any | Unset = UNSET
    id: Any | Unset = UNSET
    images: Any | Unset = UNSET
    name: None | str | Unset = UNSET
    organization_id: Any | Unset = UNSET
    seat_count: Any | Unset = UNSET
    seating_chart: None | SeatingChart | Unset = UNSET
    timezone: None | str | Unset = UNSET
    updated_at: Any | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.address_update import AddressUpdate # noqa: PLC0415
        from ..models.seating_chart import SeatingChart # noqa: PLC0415
        address: dict[str, Any] | None | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        elif isinstance(self.address, AddressUpdate):
            address = self.address.to_dict()
        else:
            address = self.address

        capacity: int | None | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        else:
            capacity = self.capacity

        cover_image = self.cover_image

        created_at = self.created_at

        id = self.id

        images = self.images

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        organization_id = self.organization_id

        seat_count = self.seat_count

        seating_chart: dict[str, Any] | None | Unset
        if isinstance(self.seating_chart, Unset):
            seating_chart = UNSET
        elif isinstance(self.seating_chart, SeatingChart):
            seating_chart = self.seating_chart.to_dict()
        else:
            seating_chart = self.seating_chart

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if address is not UNSET:
            field_dict["address"] = address
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if cover_image is not UNSET:
            field_dict["coverImage"] = cover_image
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if id is not UNSET:
            field_dict["id"] = id
        if images is not UNSET:
            field_dict["images"] = images
        if name is not UNSET:
            field_dict["name"] = name
        if organization_id is not UNSET:
            field_dict["organizationId"] = organization_id
        if seat_count is not UNSET:
            field_dict["seatCount"] = seat_count
        if seating_chart is not UNSET:
            field_dict["seatingChart"] = seating_chart
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_update import AddressUpdate # noqa: PLC0415
        from ..models.seating_chart import SeatingChart # noqa: PLC0415
        d = dict(src_dict)
        def _parse_address(data: object) -> AddressUpdate | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_type_0 = AddressUpdate.from_dict(data)



                return address_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressUpdate | None | Unset, data)

        address = _parse_address(d.pop("address", UNSET))


        def _parse_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))


        cover_image = d.pop("coverImage", UNSET)

        created_at = d.pop("createdAt", UNSET)

        id = d.pop("id", UNSET)

        images = d.pop("images", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        organization_id = d.pop("organizationId", UNSET)

        seat_count = d.pop("seatCount", UNSET)

        def _parse_seating_chart(data: object) -> None | SeatingChart | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                seating_chart_type_0 = SeatingChart.from_dict(data)



                return seating_chart_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SeatingChart | Unset, data)

        seating_chart = _parse_seating_chart(d.pop("seatingChart", UNSET))


        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))


        updated_at = d.pop("updatedAt", UNSET)

        venue_update = cls(
            address=address,
            capacity=capacity,
            cover_image=cover_image,
            created_at=created_at,
            id=id,
            images=images,
            name=name,
            organization_id=organization_id,
            seat_count=seat_count,
            seating_chart=seating_chart,
            timezone=timezone,
            updated_at=updated_at,
        )

        return venue_update


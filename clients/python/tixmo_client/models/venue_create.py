from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.address import Address
  from ..models.seating_chart import SeatingChart





T = TypeVar("T", bound="VenueCreate")



@_attrs_define
class VenueCreate:
    """ 
        Attributes:
            address (Address):
            capacity (int):
            name (str):
            organization_id (UUID):
            timezone (str):
            seating_chart (None | SeatingChart | Unset):
     """

    address: Address
    capacity: int
    name: str
    organization_id: UUID
    timezone: str
    seating_chart: None | SeatingChart | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.address import Address # noqa: PLC0415
        from ..models.seating_chart import SeatingChart # noqa: PLC0415
        address = self.address.to_dict()

        capacity = self.capacity

        name = self.name

        organization_id = str(self.organization_id)

        timezone = self.timezone

        seating_chart: dict[str, Any] | None | Unset
        if isinstance(self.seating_chart, Unset):
            seating_chart = UNSET
        elif isinstance(self.seating_chart, SeatingChart):
            seating_chart = self.seating_chart.to_dict()
        else:
            seating_chart = self.seating_chart


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "address": address,
            "capacity": capacity,
            "name": name,
            "organizationId": organization_id,
            "timezone": timezone,
        })
        if seating_chart is not UNSET:
            field_dict["seatingChart"] = seating_chart

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address import Address # noqa: PLC0415
        from ..models.seating_chart import SeatingChart # noqa: PLC0415
        d = dict(src_dict)
        address = Address.from_dict(d.pop("address"))




        capacity = d.pop("capacity")

        name = d.pop("name")

        organization_id = UUID(d.pop("organizationId"))




        timezone = d.pop("timezone")

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


        venue_create = cls(
            address=address,
            capacity=capacity,
            name=name,
            organization_id=organization_id,
            timezone=timezone,
            seating_chart=seating_chart,
        )

        return venue_create


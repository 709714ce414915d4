from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Occupancy")



@_attrs_define
class Occupancy:
    """ 
        Attributes:
            capacity (int | None):
            entries (int):
            event_id (UUID):
            exits (int):
            occupancy (int):
            updated_at (datetime.datetime):
            utilization (float | None):
     """

    capacity: int | None
    entries: int
    event_id: UUID
    exits: int
    occupancy: int
    updated_at: datetime.datetime
    utilization: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        capacity: int | None
        capacity = self.capacity

        entries = self.entries

        event_id = str(self.event_id)

        exits = self.exits

        occupancy = self.occupancy

        updated_at = self.updated_at.isoformat()

        utilization: float | None
        utilization = self.utilization


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "capacity": capacity,
            "entries": entries,
            "eventId": event_id,
            "exits": exits,
            "occupancy": occupancy,
            "updatedAt": updated_at,
            "utilization": utilization,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        capacity = _parse_capacity(d.pop("capacity"))


        entries = d.pop("entries")

        event_id = UUID(d.pop("eventId"))




        exits = d.pop("exits")

        occupancy = d.pop("occupancy")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_utilization(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        utilization = _parse_utilization(d.pop("utilization"))


        occupancy = cls(
            capacity=capacity,
            entries=entries,
            event_id=event_id,
            exits=exits,
            occupancy=occupancy,
            updated_at=updated_at,
            utilization=utilization,
        )


        occupancy.additional_properties = d
        return occupancy

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.scan_counts import ScanCounts
  from ..models.waitlist_size import WaitlistSize





T = TypeVar("T", bound="EventStats")



@_attrs_define
class EventStats:
    """ 
        Attributes:
            capacity (int | None):
            capacity_utilization (float | None):
            entries (int):
            event_id (UUID):
            exits (int):
            last_scan_at (datetime.datetime | None):
            occupancy (int):
            scans (ScanCounts):
            tickets_cancelled (int):
            tickets_sold (int):
            tickets_used (int):
            waitlist (WaitlistSize):
     """

    capacity: int | None
    capacity_utilization: float | None
    entries: int
    event_id: UUID
    exits: int
    last_scan_at: datetime.datetime | None
    occupancy: int
    scans: ScanCounts
    tickets_cancelled: int
    tickets_sold: int
    tickets_used: int
    waitlist: WaitlistSize
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.scan_counts import ScanCounts # noqa: PLC0415
        from ..models.waitlist_size import WaitlistSize # noqa: PLC0415
        capacity: int | None
        capacity = self.capacity

        capacity_utilization: float | None
        capacity_utilization = self.capacity_utilization

        entries = self.entries

        event_id = str(self.event_id)

        exits = self.exits

        last_scan_at: None | str
        if isinstance(self.last_scan_at, datetime.datetime):
            last_scan_at = self.last_scan_at.isoformat()
        else:
            last_scan_at = self.last_scan_at

        occupancy = self.occupancy

        scans = self.scans.to_dict()

        tickets_cancelled = self.tickets_cancelled

        tickets_sold = self.tickets_sold

        tickets_used = self.tickets_used

        waitlist = self.waitlist.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "capacity": capacity,
            "capacityUtilization": capacity_utilization,
            "entries": entries,
            "eventId": event_id,
            "exits": exits,
            "lastScanAt": last_scan_at,
            "occupancy": occupancy,
            "scans": scans,
            "ticketsCancelled": tickets_cancelled,
            "ticketsSold": tickets_sold,
            "ticketsUsed": tickets_used,
            "waitlist": waitlist,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scan_counts import ScanCounts # noqa: PLC0415
        from ..models.waitlist_size import WaitlistSize # noqa: PLC0415
        d = dict(src_dict)
        def _parse_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        capacity = _parse_capacity(d.pop("capacity"))


        def _parse_capacity_utilization(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        capacity_utilization = _parse_capacity_utilization(d.pop("capacityUtilization"))


        entries = d.pop("entries")

        event_id = UUID(d.pop("eventId"))




        exits = d.pop("exits")

        def _parse_last_scan_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_scan_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_scan_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_scan_at = _parse_last_scan_at(d.pop("lastScanAt"))


        occupancy = d.pop("occupancy")

        scans = ScanCounts.from_dict(d.pop("scans"))




        tickets_cancelled = d.pop("ticketsCancelled")

        tickets_sold = d.pop("ticketsSold")

        tickets_used = d.pop("ticketsUsed")

        waitlist = WaitlistSize.from_dict(d.pop("waitlist"))




        event_stats = cls(
            capacity=capacity,
            capacity_utilization=capacity_utilization,
            entries=entries,
            event_id=event_id,
            exits=exits,
            last_scan_at=last_scan_at,
            occupancy=occupancy,
            scans=scans,
            tickets_cancelled=tickets_cancelled,
            tickets_sold=tickets_sold,
            tickets_used=tickets_used,
            waitlist=waitlist,
        )


        event_stats.additional_properties = d
        return event_stats

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

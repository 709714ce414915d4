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
  from ..models.sync_outcome import SyncOutcome
  from ..models.sync_result_counts import SyncResultCounts





T = TypeVar("T", bound="SyncResult")



@_attrs_define
class SyncResult:
    """ 
        Attributes:
            counts (SyncResultCounts): Outcomes by status, and `replayed`.
            event_id (UUID):
            received_at (datetime.datetime):
            results (list[SyncOutcome]):
     """

    counts: SyncResultCounts
    event_id: UUID
    received_at: datetime.datetime
    results: list[SyncOutcome]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.sync_outcome import SyncOutcome # noqa: PLC0415
        from ..models.sync_result_counts import SyncResultCounts # noqa: PLC0415
        counts = self.counts.to_dict()

        event_id = str(self.event_id)

        received_at = self.received_at.isoformat()

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "counts": counts,
            "eventId": event_id,
            "receivedAt": received_at,
            "results": results,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sync_outcome import SyncOutcome # noqa: PLC0415
        from ..models.sync_result_counts import SyncResultCounts # noqa: PLC0415
        d = dict(src_dict)
        counts = SyncResultCounts.from_dict(d.pop("counts"))




        event_id = UUID(d.pop("eventId"))




        received_at = datetime.datetime.fromisoformat(d.pop("receivedAt"))




        results = []
        _results = d.pop("results")
        for results_item_data in (_results):
            results_item = SyncOutcome.from_dict(results_item_data)



            results.append(results_item)


        sync_result = cls(
            counts=counts,
            event_id=event_id,
            received_at=received_at,
            results=results,
        )


        sync_result.additional_properties = d
        return sync_result

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.report import Report
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.event_figures import EventFigures
  from ..models.report_filters_read import ReportFiltersRead
  from ..models.top_event import TopEvent





T = TypeVar("T", bound="EventsReport")



@_attrs_define
class EventsReport:
    """ 
        Attributes:
            as_of (datetime.datetime): The figures include every change committed before this instant.
            events (list[EventFigures]): Best-selling in the range first.
            filters (ReportFiltersRead):
            report (Report):
            rollup_covered_until (datetime.datetime | None): Orders paid before this instant are read from the daily
                rollups, later ones from the orders themselves (docs/analytics.md); it does not make the figures older than
                `asOf`.
            top_selling (list[TopEvent]): The ten events that sold most tickets in the range.
     """

    as_of: datetime.datetime
    events: list[EventFigures]
    filters: ReportFiltersRead
    report: Report
    rollup_covered_until: datetime.datetime | None
    top_selling: list[TopEvent]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.event_figures import EventFigures # noqa: PLC0415
        from ..models.report_filters_read import ReportFiltersRead # noqa: PLC0415
        from ..models.top_event import TopEvent # noqa: PLC0415
        as_of = self.as_of.isoformat()

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)



        filters = self.filters.to_dict()

        report = self.report.value

        rollup_covered_until: None | str
        if isinstance(self.rollup_covered_until, datetime.datetime):
            rollup_covered_until = self.rollup_covered_until.isoformat()
        else:
            rollup_covered_until = self.rollup_covered_until

        top_selling = []
        for top_selling_item_data in self.top_selling:
            top_selling_item = top_selling_item_data.to_dict()
            top_selling.append(top_selling_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "asOf": as_of,
            "events": events,
            "filters": filters,
            "report": report,
            "rollupCoveredUntil": rollup_covered_until,
            "topSelling": top_selling,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_figures import EventFigures # noqa: PLC0415
        from ..models.report_filters_read import ReportFiltersRead # noqa: PLC0415
        from ..models.top_event import TopEvent # noqa: PLC0415
        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("asOf"))




        events = []
        _events = d.pop("events")
        for events_item_data in (_events):
            events_item = EventFigures.from_dict(events_item_data)



            events.append(events_item)


        filters = ReportFiltersRead.from_dict(d.pop("filters"))




        report = Report(d.pop("report"))




        def _parse_rollup_covered_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rollup_covered_until_type_0 = datetime.datetime.fromisoformat(data)



                return rollup_covered_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        rollup_covered_until = _parse_rollup_covered_until(d.pop("rollupCoveredUntil"))


        top_selling = []
        _top_selling = d.pop("topSelling")
        for top_selling_item_data in (_top_selling):
            top_selling_item = TopEvent.from_dict(top_selling_item_data)



            top_selling.append(top_selling_item)


        events_report = cls(
            as_of=as_of,
            events=events,
            filters=filters,
            report=report,
            rollup_covered_until=rollup_covered_until,
            top_selling=top_selling,
        )


        events_report.additional_properties = d
        return events_report

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

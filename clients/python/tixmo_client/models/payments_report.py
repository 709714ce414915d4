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
  from ..models.decline_reason import DeclineReason
  from ..models.payment_day import PaymentDay
  from ..models.payment_figures import PaymentFigures
  from ..models.payment_method_figures import PaymentMethodFigures
  from ..models.report_filters_read import ReportFiltersRead





T = TypeVar("T", bound="PaymentsReport")



@_attrs_define
class PaymentsReport:
    """ 
        Attributes:
            as_of (datetime.datetime): The figures include every change committed before this instant.
            by_day (list[PaymentDay]):
            by_method (list[PaymentMethodFigures]):
            decline_reasons (list[DeclineReason]):
            filters (ReportFiltersRead):
            report (Report):
            rollup_covered_until (datetime.datetime | None): Orders paid before this instant are read from the daily
                rollups, later ones from the orders themselves (docs/analytics.md); it does not make the figures older than
                `asOf`.
            totals (list[PaymentFigures]):
     """

    as_of: datetime.datetime
    by_day: list[PaymentDay]
    by_method: list[PaymentMethodFigures]
    decline_reasons: list[DeclineReason]
    filters: ReportFiltersRead
    report: Report
    rollup_covered_until: datetime.datetime | None
    totals: list[PaymentFigures]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.decline_reason import DeclineReason # noqa: PLC0415
        from ..models.payment_day import PaymentDay # noqa: PLC0415
        from ..models.payment_figures import PaymentFigures # noqa: PLC0415
        from ..models.payment_method_figures import PaymentMethodFigures # noqa: PLC0415
        from ..models.report_filters_read import ReportFiltersRead # noqa: PLC0415
        as_of = self.as_of.isoformat()

        by_day = []
        for by_day_item_data in self.by_day:
            by_day_item = by_day_item_data.to_dict()
            by_day.append(by_day_item)



        by_method = []
        for by_method_item_data in self.by_method:
            by_method_item = by_method_item_data.to_dict()
            by_method.append(by_method_item)



        decline_reasons = []
        for decline_reasons_item_data in self.decline_reasons:
            decline_reasons_item = decline_reasons_item_data.to_dict()
            decline_reasons.append(decline_reasons_item)



        filters = self.filters.to_dict()

        report = self.report.value

        rollup_covered_until: None | str
        if isinstance(self.rollup_covered_until, datetime.datetime):
            rollup_covered_until = self.rollup_covered_until.isoformat()
        else:
            rollup_covered_until = self.rollup_covered_until

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "asOf": as_of,
            "byDay": by_day,
            "byMethod": by_method,
            "declineReasons": decline_reasons,
            "filters": filters,
            "report": report,
            "rollupCoveredUntil": rollup_covered_until,
            "totals": totals,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.decline_reason import DeclineReason # noqa: PLC0415
        from ..models.payment_day import PaymentDay # noqa: PLC0415
        from ..models.payment_figures import PaymentFigures # noqa: PLC0415
        from ..models.payment_method_figures import PaymentMethodFigures # noqa: PLC0415
        from ..models.report_filters_read import ReportFiltersRead # noqa: PLC0415
        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("asOf"))




        by_day = []
        _by_day = d.pop("byDay")
        for by_day_item_data in (_by_day):
            by_day_item = PaymentDay.from_dict(by_day_item_data)



            by_day.append(by_day_item)


        by_method = []
        _by_method = d.pop("byMethod")
        for by_method_item_data in (_by_method):
            by_method_item = PaymentMethodFigures.from_dict(by_method_item_data)



            by_method.append(by_method_item)


        decline_reasons = []
        _decline_reasons = d.pop("declineReasons")
        for decline_reasons_item_data in (_decline_reasons):
            decline_reasons_item = DeclineReason.from_dict(decline_reasons_item_data)



            decline_reasons.append(decline_reasons_item)


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


        totals = []
        _totals = d.pop("totals")
        for totals_item_data in (_totals):
            totals_item = PaymentFigures.from_dict(totals_item_data)



            totals.append(totals_item)


        payments_report = cls(
            as_of=as_of,
            by_day=by_day,
            by_method=by_method,
            decline_reasons=decline_reasons,
            filters=filters,
            report=report,
            rollup_covered_until=rollup_covered_until,
            totals=totals,
        )


        payments_report.additional_properties = d
        return payments_report

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

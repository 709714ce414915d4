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
  from ..models.promo_code_figures import PromoCodeFigures
  from ..models.report_filters_read import ReportFiltersRead





T = TypeVar("T", bound="PromoCodesReport")



@_attrs_define
class PromoCodesReport:
    """ 
        Attributes:
            as_of (datetime.datetime): The figures include every change committed before this instant.
            codes (list[PromoCodeFigures]): Most used first.
            filters (ReportFiltersRead):
            report (Report):
            rollup_covered_until (datetime.datetime | None): Orders paid before this instant are read from the daily
                rollups, later ones from the orders themselves (docs/analytics.md); it does not make the figures older than
                `asOf`.
     """

    as_of: datetime.datetime
    codes: list[PromoCodeFigures]
    filters: ReportFiltersRead
    report: Report
    rollup_covered_until: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.promo_code_figures import PromoCodeFigures # noqa: PLC0415
        from ..models.report_filters_read import ReportFiltersRead # noqa: PLC0415
        as_of = self.as_of.isoformat()

        codes = []
        for codes_item_data in self.codes:
            codes_item = codes_item_data.to_dict()
            codes.append(codes_item)



        filters = self.filters.to_dict()

        report = self.report.value

        rollup_covered_until: None | str
        if isinstance(self.rollup_covered_until, datetime.datetime):
            rollup_covered_until = self.rollup_covered_until.isoformat()
        else:
            rollup_covered_until = self.rollup_covered_until


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "asOf": as_of,
            "codes": codes,
            "filters": filters,
            "report": report,
            "rollupCoveredUntil": rollup_covered_until,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.promo_code_figures import PromoCodeFigures # noqa: PLC0415
        from ..models.report_filters_read import ReportFiltersRead # noqa: PLC0415
        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("asOf"))




        codes = []
        _codes = d.pop("codes")
        for codes_item_data in (_codes):
            codes_item = PromoCodeFigures.from_dict(codes_item_data)



            codes.append(codes_item)


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


        promo_codes_report = cls(
            as_of=as_of,
            codes=codes,
            filters=filters,
            report=report,
            rollup_covered_until=rollup_covered_until,
        )


        promo_codes_report.additional_properties = d
        return promo_codes_report

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

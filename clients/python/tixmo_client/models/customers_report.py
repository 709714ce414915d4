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
  from ..models.average_order import AverageOrder
  from ..models.report_filters_read import ReportFiltersRead
  from ..models.tickets_per_order import TicketsPerOrder
  from ..models.top_customer import TopCustomer





T = TypeVar("T", bound="CustomersReport")



@_attrs_define
class CustomersReport:
    """ 
        Attributes:
            as_of (datetime.datetime): The figures include every change committed before this instant.
            average_order_value (list[AverageOrder]):
            buyers (int): People with a paid order in the range.
            filters (ReportFiltersRead):
            new_buyers (int): Buyers whose first paid order (for these events) is in the range.
            repeat_buyers (int): Buyers with two or more paid orders in the range.
            report (Report):
            returning_buyers (int): Buyers who had paid for an order before the range.
            rollup_covered_until (datetime.datetime | None): Orders paid before this instant are read from the daily
                rollups, later ones from the orders themselves (docs/analytics.md); it does not make the figures older than
                `asOf`.
            tickets_per_order (list[TicketsPerOrder]):
            top_customers (list[TopCustomer]): Up to ten per currency, biggest spenders first.
     """

    as_of: datetime.datetime
    average_order_value: list[AverageOrder]
    buyers: int
    filters: ReportFiltersRead
    new_buyers: int
    repeat_buyers: int
    report: Report
    returning_buyers: int
    rollup_covered_until: datetime.datetime | None
    tickets_per_order: list[TicketsPerOrder]
    top_customers: list[TopCustomer]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.average_order import AverageOrder # noqa: PLC0415
        from ..models.report_filters_read import ReportFiltersRead # noqa: PLC0415
        from ..models.tickets_per_order import TicketsPerOrder # noqa: PLC0415
        from ..models.top_customer import TopCustomer # noqa: PLC0415
        as_of = self.as_of.isoformat()

        average_order_value = []
        for average_order_value_item_data in self.average_order_value:
            average_order_value_item = average_order_value_item_data.to_dict()
            average_order_value.append(average_order_value_item)



        buyers = self.buyers

        filters = self.filters.to_dict()

        new_buyers = self.new_buyers

        repeat_buyers = self.repeat_buyers

        report = self.report.value

        returning_buyers = self.returning_buyers

        rollup_covered_until: None | str
        if isinstance(self.rollup_covered_until, datetime.datetime):
            rollup_covered_until = self.rollup_covered_until.isoformat()
        else:
            rollup_covered_until = self.rollup_covered_until

        tickets_per_order = []
        for tickets_per_order_item_data in self.tickets_per_order:
            tickets_per_order_item = tickets_per_order_item_data.to_dict()
            tickets_per_order.append(tickets_per_order_item)



        top_customers = []
        for top_customers_item_data in self.top_customers:
            top_customers_item = top_customers_item_data.to_dict()
            top_customers.append(top_customers_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "asOf": as_of,
            "averageOrderValue": average_order_value,
            "buyers": buyers,
            "filters": filters,
            "newBuyers": new_buyers,
            "repeatBuyers": repeat_buyers,
            "report": report,
            "returningBuyers": returning_buyers,
            "rollupCoveredUntil": rollup_covered_until,
            "ticketsPerOrder": tickets_per_order,
            "topCustomers": top_customers,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.average_order import AverageOrder # noqa: PLC0415
        from ..models.report_filters_read import ReportFiltersRead # noqa: PLC0415
        from ..models.tickets_per_order import TicketsPerOrder # noqa: PLC0415
        from ..models.top_customer import TopCustomer # noqa: PLC0415
        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("asOf"))




        average_order_value = []
        _average_order_value = d.pop("averageOrderValue")
        for average_order_value_item_data in (_average_order_value):
            average_order_value_item = AverageOrder.from_dict(average_order_value_item_data)



            average_order_value.append(average_order_value_item)


        buyers = d.pop("buyers")

        filters = ReportFiltersRead.from_dict(d.pop("filters"))




        new_buyers = d.pop("newBuyers")

        repeat_buyers = d.pop("repeatBuyers")

        report = Report(d.pop("report"))




        returning_buyers = d.pop("returningBuyers")

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


        tickets_per_order = []
        _tickets_per_order = d.pop("ticketsPerOrder")
        for tickets_per_order_item_data in (_tickets_per_order):
            tickets_per_order_item = TicketsPerOrder.from_dict(tickets_per_order_item_data)



            tickets_per_order.append(tickets_per_order_item)


        top_customers = []
        _top_customers = d.pop("topCustomers")
        for top_customers_item_data in (_top_customers):
            top_customers_item = TopCustomer.from_dict(top_customers_item_data)



            top_customers.append(top_customers_item)


        customers_report = cls(
            as_of=as_of,
            average_order_value=average_order_value,
            buyers=buyers,
            filters=filters,
            new_buyers=new_buyers,
            repeat_buyers=repeat_buyers,
            report=report,
            returning_buyers=returning_buyers,
            rollup_covered_until=rollup_covered_until,
            tickets_per_order=tickets_per_order,
            top_customers=top_customers,
        )


        customers_report.additional_properties = d
        return customers_report

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

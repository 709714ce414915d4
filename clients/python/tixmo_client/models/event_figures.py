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
  from ..models.check_in import CheckIn
  from ..models.event_figures_orderstatuses import EventFiguresOrderstatuses
  from ..models.money import Money
  from ..models.peak_hour import PeakHour





T = TypeVar("T", bound="EventFigures")



@_attrs_define
class EventFigures:
    """ 
        Attributes:
            capacity (int | None): The event's capacity, else its venue's, else tickets offered.
            check_in (CheckIn):
            event_id (UUID):
            name (str):
            order_statuses (EventFiguresOrderstatuses): Orders placed in the range, by their status now.
            peak_entry_hour (None | PeakHour):
            sales (list[Money]): Orders paid in the range, per currency.
            sell_through (float | None): ticketsSold / capacity.
            starts_at (datetime.datetime):
            status (str):
            tickets_sold (int): Tickets sold now (all time), from the live inventory.
            timezone (str):
     """

    capacity: int | None
    check_in: CheckIn
    event_id: UUID
    name: str
    order_statuses: EventFiguresOrderstatuses
    peak_entry_hour: None | PeakHour
    sales: list[Money]
    sell_through: float | None
    starts_at: datetime.datetime
    status: str
    tickets_sold: int
    timezone: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.check_in import CheckIn # noqa: PLC0415
        from ..models.event_figures_orderstatuses import EventFiguresOrderstatuses # noqa: PLC0415
        from ..models.money import Money # noqa: PLC0415
        from ..models.peak_hour import PeakHour # noqa: PLC0415
        capacity: int | None
        capacity = self.capacity

        check_in = self.check_in.to_dict()

        event_id = str(self.event_id)

        name = self.name

        order_statuses = self.order_statuses.to_dict()

        peak_entry_hour: dict[str, Any] | None
        if isinstance(self.peak_entry_hour, PeakHour):
            peak_entry_hour = self.peak_entry_hour.to_dict()
        else:
            peak_entry_hour = self.peak_entry_hour

        sales = []
        for sales_item_data in self.sales:
            sales_item = sales_item_data.to_dict()
            sales.append(sales_item)



        sell_through: float | None
        sell_through = self.sell_through

        starts_at = self.starts_at.isoformat()

        status = self.status

        tickets_sold = self.tickets_sold

        timezone = self.timezone


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "capacity": capacity,
            "checkIn": check_in,
            "eventId": event_id,
            "name": name,
            "orderStatuses": order_statuses,
            "peakEntryHour": peak_entry_hour,
            "sales": sales,
            "sellThrough": sell_through,
            "startsAt": starts_at,
            "status": status,
            "ticketsSold": tickets_sold,
            "timezone": timezone,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.check_in import CheckIn # noqa: PLC0415
        from ..models.event_figures_orderstatuses import EventFiguresOrderstatuses # noqa: PLC0415
        from ..models.money import Money # noqa: PLC0415
        from ..models.peak_hour import PeakHour # noqa: PLC0415
        d = dict(src_dict)
        def _parse_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        capacity = _parse_capacity(d.pop("capacity"))


        check_in = CheckIn.from_dict(d.pop("checkIn"))




        event_id = UUID(d.pop("eventId"))




        name = d.pop("name")

        order_statuses = EventFiguresOrderstatuses.from_dict(d.pop("orderStatuses"))




        def _parse_peak_entry_hour(data: object) -> None | PeakHour:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                peak_entry_hour_type_0 = PeakHour.from_dict(data)



                return peak_entry_hour_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PeakHour, data)

        peak_entry_hour = _parse_peak_entry_hour(d.pop("peakEntryHour"))


        sales = []
        _sales = d.pop("sales")
        for sales_item_data in (_sales):
            sales_item = Money.from_dict(sales_item_data)



            sales.append(sales_item)


        def _parse_sell_through(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        sell_through = _parse_sell_through(d.pop("sellThrough"))


        starts_at = datetime.datetime.fromisoformat(d.pop("startsAt"))




        status = d.pop("status")

        tickets_sold = d.pop("ticketsSold")

        timezone = d.pop("timezone")

        event_figures = cls(
            capacity=capacity,
            check_in=check_in,
            event_id=event_id,
            name=name,
            order_statuses=order_statuses,
            peak_entry_hour=peak_entry_hour,
            sales=sales,
            sell_through=sell_through,
            starts_at=starts_at,
            status=status,
            tickets_sold=tickets_sold,
            timezone=timezone,
        )


        event_figures.additional_properties = d
        return event_figures

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

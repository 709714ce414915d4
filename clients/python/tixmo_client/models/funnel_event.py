from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="FunnelEvent")



@_attrs_define
class FunnelEvent:
    """ 
        Attributes:
            event_id (UUID):
            name (str):
            order_starts (int):
            paid_orders (int):
            start_to_paid (float | None):
            view_to_paid (float | None):
            view_to_start (float | None):
            views (int):
     """

    event_id: UUID
    name: str
    order_starts: int
    paid_orders: int
    start_to_paid: float | None
    view_to_paid: float | None
    view_to_start: float | None
    views: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)

        name = self.name

        order_starts = self.order_starts

        paid_orders = self.paid_orders

        start_to_paid: float | None
        start_to_paid = self.start_to_paid

        view_to_paid: float | None
        view_to_paid = self.view_to_paid

        view_to_start: float | None
        view_to_start = self.view_to_start

        views = self.views


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "eventId": event_id,
            "name": name,
            "orderStarts": order_starts,
            "paidOrders": paid_orders,
            "startToPaid": start_to_paid,
            "viewToPaid": view_to_paid,
            "viewToStart": view_to_start,
            "views": views,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = UUID(d.pop("eventId"))




        name = d.pop("name")

        order_starts = d.pop("orderStarts")

        paid_orders = d.pop("paidOrders")

        def _parse_start_to_paid(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        start_to_paid = _parse_start_to_paid(d.pop("startToPaid"))


        def _parse_view_to_paid(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        view_to_paid = _parse_view_to_paid(d.pop("viewToPaid"))


        def _parse_view_to_start(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        view_to_start = _parse_view_to_start(d.pop("viewToStart"))


        views = d.pop("views")

        funnel_event = cls(
            event_id=event_id,
            name=name,
            order_starts=order_starts,
            paid_orders=paid_orders,
            start_to_paid=start_to_paid,
            view_to_paid=view_to_paid,
            view_to_start=view_to_start,
            views=views,
        )


        funnel_event.additional_properties = d
        return funnel_event

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

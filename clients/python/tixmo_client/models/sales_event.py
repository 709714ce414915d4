from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="SalesEvent")



@_attrs_define
class SalesEvent:
    """ 
        Attributes:
            currency (str):
            discounts (str):
            event_id (UUID):
            event_name (str):
            gross (str):
            net (str):
            orders (int):
            refunded_orders (int): Orders with any money refunded (fully or in part).
            refunds (str):
            tickets (int):
     """

    currency: str
    discounts: str
    event_id: UUID
    event_name: str
    gross: str
    net: str
    orders: int
    refunded_orders: int
    refunds: str
    tickets: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        discounts = self.discounts

        event_id = str(self.event_id)

        event_name = self.event_name

        gross = self.gross

        net = self.net

        orders = self.orders

        refunded_orders = self.refunded_orders

        refunds = self.refunds

        tickets = self.tickets


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "currency": currency,
            "discounts": discounts,
            "eventId": event_id,
            "eventName": event_name,
            "gross": gross,
            "net": net,
            "orders": orders,
            "refundedOrders": refunded_orders,
            "refunds": refunds,
            "tickets": tickets,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        discounts = d.pop("discounts")

        event_id = UUID(d.pop("eventId"))




        event_name = d.pop("eventName")

        gross = d.pop("gross")

        net = d.pop("net")

        orders = d.pop("orders")

        refunded_orders = d.pop("refundedOrders")

        refunds = d.pop("refunds")

        tickets = d.pop("tickets")

        sales_event = cls(
            currency=currency,
            discounts=discounts,
            event_id=event_id,
            event_name=event_name,
            gross=gross,
            net=net,
            orders=orders,
            refunded_orders=refunded_orders,
            refunds=refunds,
            tickets=tickets,
        )


        sales_event.additional_properties = d
        return sales_event

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

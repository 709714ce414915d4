from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="SalesTicketType")



@_attrs_define
class SalesTicketType:
    """ 
        Attributes:
            currency (str):
            discounts (str):
            event_id (UUID):
            gross (str):
            revenue (str): gross - discounts; refunds belong to orders, not lines.
            ticket_type_id (UUID):
            ticket_type_name (str):
            tickets (int):
     """

    currency: str
    discounts: str
    event_id: UUID
    gross: str
    revenue: str
    ticket_type_id: UUID
    ticket_type_name: str
    tickets: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        discounts = self.discounts

        event_id = str(self.event_id)

        gross = self.gross

        revenue = self.revenue

        ticket_type_id = str(self.ticket_type_id)

        ticket_type_name = self.ticket_type_name

        tickets = self.tickets


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "currency": currency,
            "discounts": discounts,
            "eventId": event_id,
            "gross": gross,
            "revenue": revenue,
            "ticketTypeId": ticket_type_id,
            "ticketTypeName": ticket_type_name,
            "tickets": tickets,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        discounts = d.pop("discounts")

        event_id = UUID(d.pop("eventId"))




        gross = d.pop("gross")

        revenue = d.pop("revenue")

        ticket_type_id = UUID(d.pop("ticketTypeId"))




        ticket_type_name = d.pop("ticketTypeName")

        tickets = d.pop("tickets")

        sales_ticket_type = cls(
            currency=currency,
            discounts=discounts,
            event_id=event_id,
            gross=gross,
            revenue=revenue,
            ticket_type_id=ticket_type_id,
            ticket_type_name=ticket_type_name,
            tickets=tickets,
        )


        sales_ticket_type.additional_properties = d
        return sales_ticket_type

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
